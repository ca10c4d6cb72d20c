package analysis

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// An uninitialised git submodule leaves an empty directory: a manifest-path
// through it is a note, not M005's error (astral-sh/ty after a plain clone).
func TestManifestPathThroughEmptySubmodule(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "pyproject.toml"), []byte("[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"ty\"\nversion = \"1.0.0\"\n\n[tool.maturin]\nbindings = \"bin\"\nmanifest-path = \"ruff/crates/ty/Cargo.toml\"\n"), 0o644)
	os.MkdirAll(filepath.Join(root, "ruff"), 0o755)
	check := func() []Diagnostic {
		res, err := Check(project.NewLoader(project.OSFS{}), []string{root}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res.Diagnostics
	}
	ds := check()
	if len(ds) != 1 || ds[0].Code != "M005" || ds[0].Severity != Info {
		t.Fatalf("empty submodule dir: %s", describe(ds))
	}
	// Once the directory has content but not the manifest, it is an error again.
	os.WriteFile(filepath.Join(root, "ruff", "README.md"), []byte("x"), 0o644)
	ds = check()
	if len(ds) != 1 || ds[0].Code != "M005" || ds[0].Severity != Error {
		t.Fatalf("populated dir without the manifest: %s", describe(ds))
	}
}
