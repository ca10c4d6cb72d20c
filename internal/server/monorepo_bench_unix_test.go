//go:build unix

package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"

	"github.com/pyo3-ls/pyo3-ls/internal/benchgen"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

// monorepoServer returns a server (publishing to a discarding connection)
// whose workspace folder is a benchgen monorepo of n projects.
func monorepoServer(b *testing.B, dir string) *Server {
	s := New(Options{Logger: zap.NewNop(), Debounce: time.Hour})
	s.conn = jsonrpc2.NewConn(newStream(strings.NewReader(""), io.Discard, nil, zap.NewNop()))
	s.state = stateInitialized
	s.confined.SetRoots([]string{dir})
	return s
}

// BenchmarkServerMonorepo: the language server on a Cargo workspace of
// 1,000 and 10,000 maturin projects (internal/benchgen; N overrides with
// PYO3_LS_BENCH_N). "initial" is discovery plus the first analysis of every
// project, as after initialize (compare with the CLI's CPU on the same tree:
// analysis BenchmarkCheckMonorepo, or `pyo3-ls check`); "keystroke" is one
// edit of one member's pyproject.toml through didChange to the analysis and
// publish of what it affects. cpu-ms/op is user + system CPU time.
func BenchmarkServerMonorepo(b *testing.B) {
	sizes := []int{1000, 10000}
	if v := os.Getenv("PYO3_LS_BENCH_N"); v != "" {
		var n int
		fmt.Sscan(v, &n)
		sizes = []int{n}
	}
	for _, n := range sizes {
		dir := b.TempDir()
		names, err := benchgen.Monorepo(dir, n)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("projects=%d/initial", n), func(b *testing.B) {
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				runtime.GC()
				s := monorepoServer(b, dir)
				c0 := testenv.CPUTime()
				s.discover([]string{dir})
				s.runPass(context.Background())
				cpu += testenv.CPUTime() - c0
				if len(s.projects) != n {
					b.Fatalf("%d projects, want %d", len(s.projects), n)
				}
				// heap-MB: what the server keeps after the initial analysis.
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
				if s.timer != nil {
					s.timer.Stop()
				}
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
		b.Run(fmt.Sprintf("projects=%d/keystroke", n), func(b *testing.B) {
			s := monorepoServer(b, dir)
			s.discover([]string{dir})
			s.runPass(context.Background())
			py := filepath.Join(dir, "crates", names[n/2], "pyproject.toml")
			src, err := os.ReadFile(py)
			if err != nil {
				b.Fatal(err)
			}
			open, _ := json.Marshal(map[string]any{"textDocument": map[string]any{"uri": pathToURI(py), "version": 1, "text": string(src)}})
			if err := s.didOpen(open); err != nil {
				b.Fatal(err)
			}
			s.runPass(context.Background())
			i := strings.Index(string(src), "[tool.maturin]\n")
			if i < 0 {
				b.Fatal("no [tool.maturin]")
			}
			line := strings.Count(string(src[:i]), "\n") + 1
			// Insert and delete an unknown key "x = 1" on the line after
			// [tool.maturin]: every keystroke changes the diagnostics.
			ctx := context.Background()
			var cpu time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for k := 0; k < b.N; k++ {
				change := map[string]any{"range": map[string]any{"start": map[string]int{"line": line, "character": 0}, "end": map[string]int{"line": line, "character": 0}}, "text": "x = 1\n"}
				if k%2 == 1 {
					change = map[string]any{"range": map[string]any{"start": map[string]int{"line": line, "character": 0}, "end": map[string]int{"line": line + 1, "character": 0}}, "text": ""}
				}
				edit, _ := json.Marshal(map[string]any{"textDocument": map[string]any{"uri": pathToURI(py), "version": k + 2}, "contentChanges": []any{change}})
				c0 := testenv.CPUTime()
				if err := s.didChange(edit); err != nil {
					b.Fatal(err)
				}
				s.runPass(ctx)
				cpu += testenv.CPUTime() - c0
			}
			b.StopTimer()
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			if s.timer != nil {
				s.timer.Stop()
			}
		})
	}
}
