package analysis_test

import (
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/report"
)

// FuzzCheckProject runs discovery, the snapshot, every rule and the text and
// JSON reports on a project whose pyproject.toml, Cargo.toml and src/lib.rs
// are the fuzz inputs. No input may panic, and every range a diagnostic, a
// related location or a fix names must lie inside its file.
func FuzzCheckProject(f *testing.F) {
	fixtures, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "*", "*", "pyproject.toml"))
	for _, py := range fixtures {
		dir := filepath.Dir(py)
		a, _ := os.ReadFile(py)
		b, _ := os.ReadFile(filepath.Join(dir, "Cargo.toml"))
		c, _ := os.ReadFile(filepath.Join(dir, "src", "lib.rs"))
		f.Add(a, b, c)
	}
	f.Add([]byte("[tool.maturin]\nmanifest-path = \"Cargo.toml\"\npython-source = \"..\"\nmodule-name = \"a.b.\"\n"),
		[]byte("[package]\nname = \"\"\n[lib]\npath = \"src/lib.rs\"\ncrate-type = []\n[dependencies]\npyo3 = { version = \">=0.0.0\", features = [\"abi3-py300\"] }\n"),
		[]byte("#[path = \"lib.rs\"]\nmod again;\nmod missing;\n#[pymodule(name = \"\")]\nfn m() {}\n#[pymodule]\nmod inner { #[pymodule_export] use super::x; }\n"))

	dir := f.TempDir()
	py := filepath.Join(dir, "pyproject.toml")
	cargo := filepath.Join(dir, "Cargo.toml")
	lib := filepath.Join(dir, "src", "lib.rs")
	for _, p := range []string{py, cargo, lib} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			f.Fatal(err)
		}
	}

	f.Fuzz(func(t *testing.T, pyproject, cargoToml, libRS []byte) {
		testenv.Budget(t, "check", func() {
			ov := project.NewOverlay(project.OSFS{})
			ov.Set(py, pyproject)
			ov.Set(cargo, cargoToml)
			ov.Set(lib, libRS)
			l := project.NewLoader(ov)
			res := analysis.CheckProjects(l, []string{py}, analysis.Options{})
			if _, err := analysis.Check(l, []string{dir}, analysis.Options{}); err != nil {
				t.Fatal(err)
			}
			inFile := func(what, path string, start, end int) {
				f := res.Files[path]
				if f == nil {
					f = l.TOML(path) // a related location in a file the project did not list
				}
				if start < 0 || end < start || end > len(f.Src) {
					t.Fatalf("%s range [%d,%d) outside %s (%d bytes)", what, start, end, path, len(f.Src))
				}
			}
			for _, d := range res.Diagnostics {
				inFile(d.Code, d.Path, d.Range.Start, d.Range.End)
				for _, r := range d.Related {
					inFile(d.Code+" related", r.Path, r.Range.Start, r.Range.End)
				}
				for _, fx := range d.Fixes {
					for _, e := range fx.Edits {
						inFile(d.Code+" fix", e.Path, e.Range.Start, e.Range.End)
					}
				}
			}
			ctx := &report.Context{Files: res.Files, Cwd: dir}
			if err := report.Text(io.Discard, ctx, res.Diagnostics); err != nil {
				t.Fatal(err)
			}
			if err := report.JSON(io.Discard, ctx, res.Diagnostics); err != nil {
				t.Fatal(err)
			}
		})
	})
}
