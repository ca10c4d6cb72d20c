package analysis_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

// FuzzSameFileTOMLAndRust: one fuzz input is the text of a file that the
// project reads both as TOML and as Rust ([lib] path = "Cargo.toml" and
// #[path = "../pyproject.toml"], which panicked), next to workspace members
// and exclude globs made of a repeated segment (the "**" glob bomb).
func FuzzSameFileTOMLAndRust(f *testing.F) {
	f.Add([]byte("[package]\nname = \"x\"\n[lib]\npath = \"Cargo.toml\"\n#[path = \"../pyproject.toml\"]\n"), []byte("**/"), uint16(3000))
	f.Add([]byte("[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"x\"\n#[pymodule]\nfn x() {}\n"), []byte("*/"), uint16(2000))
	f.Add([]byte("mod a;\n#[path = \"Cargo.toml\"]\nmod c;\n[lib]\npath = \"src/lib.rs\"\n"), []byte("a/**/"), uint16(1000))

	dir := f.TempDir()
	crate := filepath.Join(dir, "w", "x")
	for _, p := range []string{filepath.Join(crate, "src"), filepath.Join(dir, "w")} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			f.Fatal(err)
		}
	}
	py := filepath.Join(crate, "pyproject.toml")
	cargo := filepath.Join(crate, "Cargo.toml")
	lib := filepath.Join(crate, "src", "lib.rs")
	ws := filepath.Join(dir, "w", "Cargo.toml")
	for _, p := range []string{py, cargo, lib, ws} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, both, seg []byte, n uint16) {
		if len(seg) == 0 || len(seg) > 8 || bytes.ContainsAny(seg, "\"\\\n") {
			return
		}
		glob := strings.Repeat(string(seg), int(n)) + "x"
		ov := project.NewOverlay(project.OSFS{})
		// pyproject.toml and Cargo.toml hold the same text; lib.rs points
		// at both with #[path], Cargo.toml's [lib] path may point at itself.
		ov.Set(py, append([]byte("[build-system]\nbuild-backend = \"maturin\"\n"), both...))
		ov.Set(cargo, append([]byte("[lib]\npath = \"Cargo.toml\"\n"), both...))
		ov.Set(lib, append([]byte("#[path = \"../pyproject.toml\"]\nmod a;\n#[path = \"../Cargo.toml\"]\nmod b;\n"), both...))
		ov.Set(ws, []byte("[workspace]\nmembers = [\""+glob+"\"]\nexclude = [\""+glob+"\"]\n"))
		testenv.Budget(t, "check of a file read as TOML and Rust", func() {
			l := project.NewLoader(project.NewConfinedFS(ov, []string{dir}))
			analysis.CheckProjects(l, []string{py}, analysis.Options{})
		})
	})
}
