package main

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/pyo3-ls/pyo3-ls/internal/benchgen"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

// BenchmarkCLICheckMonorepo is `pyo3-ls check DIR` of a 1,000-project
// Cargo workspace (internal/benchgen) in-process: argument parsing, the
// confined and Stat-cached loader, the pipelined walk and checks
// (analysis.CheckLean) and the text report, minus process start-up. It is
// the same work scripts/bench-compare times as the monorepo scenario.
func BenchmarkCLICheckMonorepo(b *testing.B) {
	dir := b.TempDir()
	if _, err := benchgen.Monorepo(dir, 1000); err != nil {
		b.Fatal(err)
	}
	benchCheck(b, dir)
}

// BenchmarkCLICheckProject is the same for one generated project.
func BenchmarkCLICheckProject(b *testing.B) {
	dir := b.TempDir()
	if err := benchgen.Project(dir, "demo-ext"); err != nil {
		b.Fatal(err)
	}
	benchCheck(b, dir)
}

// benchCheck runs `pyo3-ls check --format concise [flags] dir` per
// iteration and reports its CPU time (cpu-ns/op) besides wall time.
func benchCheck(b *testing.B, dir string, flags ...string) {
	b.Helper()
	args := append(append([]string{"check", "--format", "concise"}, flags...), dir)
	b.ReportAllocs()
	start := testenv.CPUTime()
	for b.Loop() {
		if code := run(args, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	reportCPU(b, start)
}

func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(testenv.CPUTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkCLICheckTree checks the tree named by PYO3_LS_BENCH_TREE (e.g. a
// directory of real checkouts) the same way; skipped when it is unset.
func BenchmarkCLICheckTree(b *testing.B) {
	dir := os.Getenv("PYO3_LS_BENCH_TREE")
	if dir == "" {
		b.Skip("PYO3_LS_BENCH_TREE not set")
	}
	benchCheck(b, dir, "--exit-zero")
}
