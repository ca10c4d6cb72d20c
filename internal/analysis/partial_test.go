package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

const partialPyproject = `[build-system]
requires = ["maturin>=1.9.4,<2.0"]
build-backend = "maturin"

[project]
name = "my-pkg"
requires-python = ">=3.9"
dynamic = ["version"]

[tool.maturin]
module-name = "demo"
python_source = "python"
`

const partialCargo = `[package]
name = "my-pkg"
version = "0.1.0"
edition = "2021"

[lib]
name = "my_pkg"
crate-type = ["cdylib"]

[dependencies]
pyo3 = "0.27"
`

const partialLib = `use pyo3::prelude::*;

#[pymodule]
fn other(_m: &Bound<'_, PyModule>) -> PyResult<()> { // pyo3-ls: ignore[N004]
    Ok(())
}
`

// TestSyntaxErrorKeepsTheRest: one TOML syntax error leaves the findings
// that do not depend on the broken part in place, and adds none from it.
func TestSyntaxErrorKeepsTheRest(t *testing.T) {
	cases := []struct {
		name          string
		pyproject     string
		cargo         string
		want, wantNot []string
	}{
		{"valid", partialPyproject, partialCargo, []string{"N001", "M003"}, []string{"T001"}},
		{"broken table no rule reads", partialPyproject + "\n[tool.black]\nline-length = 88 88\n", partialCargo,
			[]string{"T001", "N001", "M003"}, nil},
		{"broken [lib]", partialPyproject, strings.Replace(partialCargo, `name = "my_pkg"`, `name = "my_pkg`, 1),
			[]string{"T001", "M003"}, []string{"N001", "N002", "X002"}},
		{"broken key no rule reads in [lib]", partialPyproject, strings.Replace(partialCargo, "[lib]\n", "[lib]\nfoo = \"unterminated\n", 1),
			[]string{"T001", "N001", "M003"}, nil},
		{"broken [dependencies]", partialPyproject, partialCargo + "serde = { version = \"1\"\n",
			[]string{"T001", "M003"}, []string{"N001", "N002", "X002", "M008"}},
		{"broken [tool.maturin]", strings.Replace(partialPyproject, `module-name = "demo"`, `module-name = "demo`, 1), partialCargo,
			[]string{"T001", "M003"}, []string{"N001", "N002", "X002"}},
		{"broken header", strings.Replace(partialPyproject, "[tool.maturin]", "[tool.maturin", 1), partialCargo,
			[]string{"T001"}, []string{"N001", "N002", "X002", "M001"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range map[string]string{"pyproject.toml": c.pyproject, "Cargo.toml": c.cargo, "src/lib.rs": partialLib} {
				os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := Check(project.NewLoader(project.OSFS{}), []string{dir}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, code := range c.want {
				if !hasDiag(res.Diagnostics, code) {
					t.Errorf("missing %s:%s", code, describe(res.Diagnostics))
				}
			}
			for _, code := range c.wantNot {
				if hasDiag(res.Diagnostics, code) {
					t.Errorf("unexpected %s:%s", code, describe(res.Diagnostics))
				}
			}
		})
	}
}
