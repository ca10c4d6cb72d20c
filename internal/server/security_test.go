package server_test

import (
	"path/filepath"
	"testing"
)

// Issue 16 item 1: the server never publishes diagnostics for, nor offers
// fixes to, a file outside the workspace folders — here the workspace
// Cargo.toml that cargo's upward lookup finds above the folder, which used
// to get a hint and an "ignore" quick fix editing it.
func TestNothingPublishedOutsideWorkspaceFolders(t *testing.T) {
	base := t.TempDir()
	writeFiles(t, base, map[string]string{
		"Cargo.toml":          "[workspace]\nmembers = [\"proj\"]\n\n[workspace.dependencies]\npyo3 = { version = \"0.28\", features = [\"extension-module\"] }\n",
		"proj/pyproject.toml": "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"demo\"\nversion = \"0.1.0\"\n",
		"proj/Cargo.toml":     "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\ncrate-type = [\"cdylib\"]\n\n[dependencies]\npyo3 = { workspace = true }\n",
		"proj/src/lib.rs":     "use pyo3::prelude::*;\n\n#[pymodule]\nfn other(_m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n",
	})
	ws := filepath.Join(base, "Cargo.toml")
	line := lrange{Start: position{Line: 4, Character: 0}, End: position{Line: 4, Character: 90}}

	// The scenario yields a finding in the workspace manifest when it is inside the folder...
	lib := fileURI(filepath.Join(base, "proj", "src", "lib.rs"))
	c := serve(t)
	mark := c.mark()
	c.initialize(base, nil)
	c.waitPublish(mark, fileURI(ws), func([]diagnostic) bool { return true })
	c.waitPublish(mark, lib, func([]diagnostic) bool { return true })
	if ds, ok := c.latest(fileURI(ws)); !ok || len(ds) == 0 {
		t.Fatalf("with the folder holding it, the workspace Cargo.toml should get a finding; got %v", ds)
	}
	if len(c.codeActions(ws, line)) == 0 {
		t.Fatalf("with the folder holding it, the workspace Cargo.toml should get code actions")
	}
	c.shutdown()

	// ...and none, and no fix, when it lies above the folder.
	c = serve(t)
	mark = c.mark()
	c.initialize(filepath.Join(base, "proj"), nil)
	c.waitPublish(mark, lib, func([]diagnostic) bool { return true }) // the analysis ran
	if ds, ok := c.latest(fileURI(ws)); ok && len(ds) > 0 {
		t.Errorf("published for a file outside the workspace folders: %v", ds)
	}
	if as := c.codeActions(ws, line); len(as) > 0 {
		t.Errorf("code actions offered for a file outside the workspace folders: %v", as)
	}
}
