package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// benchProject writes a realistic maturin project: a full [tool.maturin],
// 40 dependencies, a 400-package Cargo.lock, a lib.rs with 20 `mod`s and
// 40 #[pyfunction]s per file (~1000 lines of Rust in all).
func benchProject(b *testing.B) string {
	dir := b.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("pyproject.toml", `[build-system]
requires = ["maturin>=1.9.4,<2.0"]
build-backend = "maturin"

[project]
name = "fastlib"
requires-python = ">=3.9"
dynamic = ["version"]
classifiers = ["Programming Language :: Rust", "Programming Language :: Python :: Implementation :: CPython"]
dependencies = ["numpy>=1.24"]

[tool.maturin]
module-name = "fastlib._core"
python-source = "python"
features = ["pyo3/abi3-py39", "simd"]
bindings = "pyo3"
compatibility = "manylinux_2_28"
strip = true
include = [{ path = "LICENSE", format = "sdist" }]
exclude = ["tests/**"]
profile = "release"
`)
	var deps, lock strings.Builder
	lock.WriteString("version = 4\n\n[[package]]\nname = \"fastlib\"\nversion = \"0.3.1\"\ndependencies = [\"pyo3\"]\n")
	fmt.Fprintf(&lock, "\n[[package]]\nname = \"pyo3\"\nversion = \"0.27.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"%064d\"\n", 1)
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&deps, "dep%d = { version = \"1.%d\", features = [\"std\"] }\n", i, i)
	}
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&lock, "\n[[package]]\nname = \"crate%d\"\nversion = \"1.%d.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"%064d\"\ndependencies = [\"crate%d\"]\n", i, i, i, (i+1)%400)
	}
	write("Cargo.toml", "[package]\nname = \"fastlib\"\nversion = \"0.3.1\"\nedition = \"2021\"\n\n[lib]\nname = \"_core\"\ncrate-type = [\"cdylib\", \"rlib\"]\n\n[dependencies]\npyo3 = { version = \"0.27\", features = [\"abi3-py39\"] }\n"+deps.String()+"\n[features]\nsimd = []\ndefault = []\n\n[profile.release]\nlto = true\n")
	write("Cargo.lock", lock.String())
	var lib strings.Builder
	lib.WriteString("use pyo3::prelude::*;\n\n")
	for m := 0; m < 20; m++ {
		fmt.Fprintf(&lib, "mod m%d;\n", m)
		var mod strings.Builder
		mod.WriteString("use pyo3::prelude::*;\n\n")
		for f := 0; f < 40; f++ {
			fmt.Fprintf(&mod, "/// Adds %d.\n#[pyfunction]\npub fn f%d(x: i64) -> i64 {\n    // \"not a } brace\"\n    x + %d\n}\n\n", f, f, f)
		}
		write(fmt.Sprintf("src/m%d.rs", m), mod.String())
	}
	lib.WriteString("\n#[pymodule]\nfn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {\n")
	for m := 0; m < 20; m++ {
		fmt.Fprintf(&lib, "    m.add_function(wrap_pyfunction!(m%d::f0, m)?)?;\n", m)
	}
	lib.WriteString("    Ok(())\n}\n")
	write("src/lib.rs", lib.String())
	write("python/fastlib/__init__.py", "from ._core import *\n")
	return dir
}

// BenchmarkEditToDiagnostics measures one incremental didChange to
// pyproject.toml through re-analysis of the project to the published
// diagnostics (written to a discarding connection), without the debounce.
func BenchmarkEditToDiagnostics(b *testing.B) {
	dir := benchProject(b)
	s := New(Options{Logger: zap.NewNop(), Debounce: time.Hour})
	s.conn = jsonrpc2.NewConn(newStream(strings.NewReader(""), io.Discard, nil, zap.NewNop()))
	s.state = stateInitialized
	py := filepath.Join(dir, "pyproject.toml")
	src, _ := os.ReadFile(py)
	open, _ := json.Marshal(map[string]any{"textDocument": map[string]any{"uri": pathToURI(py), "version": 1, "text": string(src)}})
	if err := s.didOpen(open); err != nil {
		b.Fatal(err)
	}
	s.runPass(context.Background())
	s.mu.Lock()
	ps := s.projects[py]
	s.mu.Unlock()
	if ps == nil {
		b.Fatal("project not found")
	}
	// Toggle module-name between a matching and a mismatching name.
	line := strings.Count(string(src[:strings.Index(string(src), "module-name")]), "\n")
	names := []string{`"fastlib._core"`, `"fastlib._corX"`}
	opts := s.analysisOptions()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		edit, _ := json.Marshal(map[string]any{
			"textDocument": map[string]any{"uri": pathToURI(py), "version": i + 2},
			"contentChanges": []any{map[string]any{
				"range": map[string]any{"start": map[string]int{"line": line, "character": 14}, "end": map[string]int{"line": line, "character": 14 + len(names[0])}},
				"text":  names[(i+1)%2],
			}},
		})
		if err := s.didChange(edit); err != nil {
			b.Fatal(err)
		}
		s.mu.Lock()
		gen := ps.gen
		s.mu.Unlock()
		s.analyzeProject(ctx, py, gen, opts)
	}
	b.StopTimer()
	s.mu.Lock()
	n := len(ps.diags[filepath.Join(dir, "src", "lib.rs")])
	s.mu.Unlock()
	if b.N%2 == 1 && n == 0 {
		b.Errorf("after an odd number of edits lib.rs should have N001")
	}
	if s.timer != nil {
		s.timer.Stop()
	}
}
