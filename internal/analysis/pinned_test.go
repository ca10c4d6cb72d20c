package analysis

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// A project pinned to maturin 0.x (graphlib2, wasmer-python) is built by an
// older maturin that still read [package.metadata.maturin] and knew
// sdist-include: only M009 speaks, and says why the rest is quiet.
func TestPinnedToMaturin0(t *testing.T) {
	write := func(root string, files map[string]string) {
		for name, body := range files {
			p := filepath.Join(root, name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(body), 0o644)
		}
	}
	files := map[string]string{
		"pyproject.toml": "[build-system]\nrequires = [\"maturin>=0.13,<0.14\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"graphlib2\"\n\n[tool.maturin]\nsdist-include = [\"LICENSE\"]\n",
		"Cargo.toml":     "[package]\nname = \"graphlib2\"\nversion = \"0.4.7\"\nedition = \"2021\"\n\n[lib]\nname = \"graphlib2\"\ncrate-type = [\"cdylib\"]\n\n[package.metadata.maturin]\nname = \"graphlib2._graphlib2\"\ndescription-content-type = \"text/markdown\"\n\n[dependencies]\npyo3 = { version = \"0.20\", features = [\"extension-module\"] }\n",
		"src/lib.rs":     "use pyo3::prelude::*;\n#[pymodule]\nfn _graphlib2(_m: &PyModule) -> PyResult<()> { Ok(()) }\n",
	}
	root := t.TempDir()
	write(root, files)
	res, err := Check(project.NewLoader(project.OSFS{}), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "M009" {
		t.Fatalf("pinned to maturin 0.13: %s", describe(res.Diagnostics))
	}
	// The same project on maturin 1.x gets the full set.
	files["pyproject.toml"] = "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"graphlib2\"\n\n[tool.maturin]\nsdist-include = [\"LICENSE\"]\n"
	root = t.TempDir()
	write(root, files)
	res, err = Check(project.NewLoader(project.OSFS{}), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, d := range res.Diagnostics {
		seen[d.Code] = true
	}
	for _, want := range []string{"M003", "M006", "M011", "N001", "P001"} {
		if !seen[want] {
			t.Errorf("maturin 1.x project lacks %s: %s", want, describe(res.Diagnostics))
		}
	}
}

// pyxel copies README.md and LICENSE into the package with make before the
// build and gitignores the copies: a note, not an error.
func TestGeneratedReadmeIsANote(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{
		".git/HEAD":                "ref: refs/heads/main\n",
		".gitignore":               "python/pyxel/README.md\npython/pyxel/LICENSE\n",
		"python/pyproject.toml":    "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"pyxel\"\nversion = \"2.0.0\"\nreadme = \"pyxel/README.md\"\nlicense-files = [\"pyxel/LICENSE\"]\n\n[tool.maturin]\nbindings = \"bin\"\n",
		"python/Cargo.toml":        "[package]\nname = \"pyxel\"\nversion = \"2.0.0\"\n",
		"python/src/main.rs":       "fn main() {}\n",
		"python/pyxel/__init__.py": "",
	} {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	res, err := Check(project.NewLoader(project.OSFS{}), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Code != "P003" || res.Diagnostics[0].Severity != Info {
		t.Fatalf("gitignored generated readme: %s", describe(res.Diagnostics))
	}
}
