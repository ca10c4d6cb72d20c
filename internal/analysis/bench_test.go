package analysis

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/pyo3-ls/pyo3-ls/internal/benchgen"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

// realisticProject is a clean maturin project from the rule fixtures with a
// Cargo.lock (pyo3 0.25.1 and its dependencies), a path dependency and a
// pyproject.toml: what a typical small PyO3 extension looks like.
func realisticProject(b *testing.B) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "rules", "C004", "pass"))
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// reportCPU adds the CPU time per op (see testenv.CPUTime) as a metric.
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(testenv.CPUTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

func mustClean(b *testing.B, res *Result, projects int) {
	if len(res.Projects) != projects {
		b.Fatalf("checked %d projects, want %d", len(res.Projects), projects)
	}
	for _, d := range res.Diagnostics {
		if d.Severity >= Warning {
			b.Fatalf("unexpected diagnostic %s %s: %s", d.Path, d.Code, d.Message)
		}
	}
}

// BenchmarkCheckProject: discovery, snapshot and every rule on a realistic
// project, on a fresh Loader (nothing cached) each iteration — `pyo3-ls
// check` of one project minus process start-up and output.
func BenchmarkCheckProject(b *testing.B) {
	dir := realisticProject(b)
	b.ReportAllocs()
	defer reportCPU(b, testenv.CPUTime())
	for b.Loop() {
		l := project.NewLoader(project.OSFS{})
		res, err := Check(l, []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		mustClean(b, res, 1)
	}
}

// BenchmarkLoadSnapshot: reading and parsing the project's files into a
// Snapshot on a fresh Loader, without rules.
func BenchmarkLoadSnapshot(b *testing.B) {
	py := filepath.Join(realisticProject(b), "pyproject.toml")
	b.ReportAllocs()
	defer reportCPU(b, testenv.CPUTime())
	for b.Loop() {
		l := project.NewLoader(project.OSFS{})
		if p := project.Load(l, py); p.Lock == nil || len(p.RustFiles) == 0 {
			b.Fatal("incomplete snapshot")
		}
	}
}

// BenchmarkKeystroke: the language server's work after one edit of
// pyproject.toml on a warm Loader — the edited buffer comes from the overlay,
// only pyproject.toml is invalidated and re-parsed; Cargo.toml, Cargo.lock
// and the Rust sources come from the cache.
func BenchmarkKeystroke(b *testing.B) {
	dir := realisticProject(b)
	py := filepath.Join(dir, "pyproject.toml")
	ov := project.NewOverlay(project.OSFS{})
	l := project.NewLoader(ov)
	src, err := project.OSFS{}.ReadFile(py)
	if err != nil {
		b.Fatal(err)
	}
	mustClean(b, CheckProjects(l, []string{py}, Options{}), 1)
	edits := [2][]byte{append([]byte{}, src...), append(append([]byte{}, src...), "\n# edited\n"...)}
	b.ReportAllocs()
	defer reportCPU(b, testenv.CPUTime())
	i := 0
	for b.Loop() {
		ov.Set(py, edits[i&1])
		i++
		l.Invalidate(py)
		mustClean(b, CheckProjects(l, []string{py}, Options{}), 1)
	}
}

// BenchmarkKeystrokeMonorepo: one edit of one member's pyproject.toml in the
// 1,000-project workspace; the workspace Cargo.toml and the 1,000-package
// Cargo.lock stay cached.
func BenchmarkKeystrokeMonorepo(b *testing.B) {
	dir := b.TempDir()
	if _, err := benchgen.Monorepo(dir, 1000); err != nil {
		b.Fatal(err)
	}
	py := filepath.Join(dir, "crates", "pkg-0500", "pyproject.toml")
	ov := project.NewOverlay(project.OSFS{})
	l := project.NewLoader(ov)
	res, err := Check(l, []string{dir}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	mustClean(b, res, 1000)
	src, _ := project.OSFS{}.ReadFile(py)
	edits := [2][]byte{append([]byte{}, src...), append(append([]byte{}, src...), "\n# edited\n"...)}
	b.ReportAllocs()
	defer reportCPU(b, testenv.CPUTime())
	i := 0
	for b.Loop() {
		ov.Set(py, edits[i&1])
		i++
		l.Invalidate(py)
		mustClean(b, CheckProjects(l, []string{py}, Options{}), 1)
	}
}

// BenchmarkCheckMonorepo: a Cargo workspace of 1,000 maturin projects
// (root Cargo.toml with members = ["crates/*"], root Cargo.lock, each crate
// with pyproject.toml, Cargo.toml, src/lib.rs), checked on a fresh Loader.
func BenchmarkCheckMonorepo(b *testing.B) {
	dir := b.TempDir()
	if _, err := benchgen.Monorepo(dir, 1000); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b, testenv.CPUTime())
	for b.Loop() {
		l := project.NewLoader(project.OSFS{})
		res, err := Check(l, []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		mustClean(b, res, 1000)
	}
}

// BenchmarkCheckMonorepoStatCache is BenchmarkCheckMonorepo reading through
// a project.StatCache, as a one-shot CLI check can.
func BenchmarkCheckMonorepoStatCache(b *testing.B) {
	dir := b.TempDir()
	if _, err := benchgen.Monorepo(dir, 1000); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer reportCPU(b, testenv.CPUTime())
	for b.Loop() {
		l := project.NewLoader(project.NewStatCache(project.OSFS{}))
		res, err := Check(l, []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		mustClean(b, res, 1000)
	}
}
