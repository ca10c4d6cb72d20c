package server_test

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/server"
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

// stuckFS blocks every read of a lib.rs until released: an analysis that
// never finishes (as the glob bomb of issue 16 item 3 did).
type stuckFS struct {
	project.OSFS
	hit     chan struct{}
	once    sync.Once
	release chan struct{}
}

func (f *stuckFS) ReadFile(p string) ([]byte, error) {
	if filepath.Base(p) == "lib.rs" {
		f.once.Do(func() { close(f.hit) })
		<-f.release
	}
	return f.OSFS.ReadFile(p)
}

// Issue 16 item 3: after shutdown and exit the server kept running (at
// 100% CPU) while its analysis worker was stuck. Exit is now honoured
// whatever the worker does.
func TestExitWhileAnalysisStuck(t *testing.T) {
	dir := fixture(t, nil)
	fsys := &stuckFS{hit: make(chan struct{}), release: make(chan struct{})}
	defer close(fsys.release)
	c := startInProcess(t, server.Options{Debounce: time.Millisecond, FS: fsys})
	c.initialize(dir, nil)
	select {
	case <-fsys.hit:
	case <-time.After(10 * time.Second):
		t.Fatal("analysis never started")
	}
	c.result("shutdown", nil, nil)
	c.notify("exit", nil)
	if code := c.waitExit(t); code != 0 {
		t.Errorf("exit code %d after shutdown+exit, want 0", code)
	}
}

// stuckOneFS blocks the reads of one project's lib.rs.
type stuckOneFS struct {
	project.OSFS
	path    string
	release chan struct{}
}

func (f *stuckOneFS) ReadFile(p string) ([]byte, error) {
	if p == f.path {
		<-f.release
	}
	return f.OSFS.ReadFile(p)
}

// Issue 16 item 3: every analysis has a deadline, so one project that
// never finishes cannot stop the others from being checked.
func TestStuckProjectDoesNotBlockOthers(t *testing.T) {
	base := t.TempDir()
	files := map[string]string{}
	for _, name := range []string{"a", "b"} {
		files[name+"/pyproject.toml"] = fixturePyproject
		files[name+"/Cargo.toml"] = fixtureCargo
		files[name+"/src/lib.rs"] = fixtureLib
	}
	writeFiles(t, base, files)
	fsys := &stuckOneFS{path: filepath.Join(base, "a", "src", "lib.rs"), release: make(chan struct{})}
	defer close(fsys.release)
	c := startInProcess(t, server.Options{Debounce: time.Millisecond, FS: fsys, AnalysisTimeout: 300 * time.Millisecond})
	mark := c.mark()
	c.initialize(base, nil)
	c.waitPublish(mark, fileURI(filepath.Join(base, "b", "src", "lib.rs")), func(ds []diagnostic) bool { return hasCode(ds, "N001") })
}
