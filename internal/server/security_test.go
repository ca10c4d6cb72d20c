package server_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/server"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
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

// expectRaw writes raw bytes and waits for the response with the given
// JSON id ("null" for errors the server cannot attribute).
func (c *client) expectRaw(raw, id string) *rpcMsg {
	c.t.Helper()
	ch := make(chan *rpcMsg, 1)
	c.mu.Lock()
	c.pending[id] = ch
	c.mu.Unlock()
	c.writeRaw(raw)
	select {
	case m := <-ch:
		return m
	case <-time.After(10 * time.Second):
		c.t.Fatalf("no response with id %s to %q", id, raw)
	}
	return nil
}

func frame(body string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body) }

// Issue 16 item 10: JSON that is not a message gets -32600 (also {} and
// null, which got no answer, and a batch, which got -32700); a wrong
// Content-Length does not desynchronise the stream for good.
func TestFramingRobustness(t *testing.T) {
	dir := fixture(t, nil)
	c := serve(t)
	c.initialize(dir, nil)
	for _, body := range []string{`{}`, `null`, `42`, `[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]`} {
		m := c.expectRaw(frame(body), "null")
		if m.Error == nil || m.Error.Code != -32600 {
			t.Errorf("%s: got %+v, want -32600", body, m.Error)
		}
	}
	if m := c.expectRaw(frame(`{"jsonrpc":"2.0",`), "null"); m.Error == nil || m.Error.Code != -32700 {
		t.Errorf("truncated JSON: got %+v, want -32700", m.Error)
	}
	hover := func(id int) string {
		return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"textDocument/hover","params":{"textDocument":{"uri":%q},"position":{"line":0,"character":0}}}`, id, fileURI(filepath.Join(dir, "pyproject.toml")))
	}
	// Too large: the message is answered and the next one is not swallowed.
	if m := c.expectRaw(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(hover(901))+400, hover(901)), "901"); m.Error != nil {
		t.Errorf("too-large Content-Length: %+v", m.Error)
	}
	if m := c.expectRaw(frame(hover(902)), "902"); m.Error != nil {
		t.Errorf("after a too-large Content-Length: %+v", m.Error)
	}
	// Too small: that message is lost (a parse error), the next one is read.
	c.writeRaw(fmt.Sprintf("Content-Length: 20\r\n\r\n%s", hover(903)))
	if m := c.expectRaw(frame(hover(904)), "904"); m.Error != nil {
		t.Errorf("after a too-small Content-Length: %+v", m.Error)
	}
	// A header line without a newline cannot take memory without bound.
	c.writeRaw(strings.Repeat("x", 1<<20) + "\r\n\r\n")
	if m := c.expectRaw(frame(hover(905)), "905"); m.Error != nil {
		t.Errorf("after a 1 MB header line: %+v", m.Error)
	}
	c.shutdown()
	if code := c.waitExit(t); code != 0 {
		t.Errorf("exit code = %d", code)
	}
}

// Issue 16 item 10: one didChange with 10,000 edits of a 1 MB document
// stalled the read loop for 13 s. The work of one didChange is bounded and
// decided from the sizes before anything is applied: such a change drops
// the buffer at once (the disk stands in) until the next full text.
func TestHugeDidChangeDropsBuffer(t *testing.T) {
	dir := fixture(t, nil) // on disk: #[pymodule] fn other -> N001
	c := serve(t)
	mark := c.mark()
	c.initialize(dir, nil)
	lib := filepath.Join(dir, "src", "lib.rs")
	c.waitPublish(mark, fileURI(lib), func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	fixed := strings.Replace(fixtureLib, "other", "demo", 1)
	padding := strings.Repeat("// padding line of a large generated file\n", 1<<20/44)
	mark = c.mark()
	c.open(lib, fixed+padding) // the buffer fixes N001
	c.waitPublish(mark, fileURI(lib), func(ds []diagnostic) bool { return !hasCode(ds, "N001") })
	// 10,000 no-op edits inside the padding (a '/' over a '/').
	first := strings.Count(fixed, "\n")
	changes := make([]any, 10000)
	for i := range changes {
		changes[i] = map[string]any{"range": lrange{position{first + i%1000, 0}, position{first + i%1000, 1}}, "text": "/"}
	}
	testenv.NoHang(t, "a 10,000-edit didChange", func() {
		mark = c.mark()
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": fileURI(lib), "version": 2},
			"contentChanges": changes,
		})
		// Dropped: the disk (fn other) stands in, N001 is back.
		c.waitPublish(mark, fileURI(lib), func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	})
	// A full text brings the buffer back.
	mark = c.mark()
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": fileURI(lib), "version": 3},
		"contentChanges": []any{map[string]any{"text": fixed}},
	})
	c.waitPublish(mark, fileURI(lib), func(ds []diagnostic) bool { return !hasCode(ds, "N001") })
}

// Issue 16 item 6: editor buffers bypassed the 10 MB cap (a 50 MB didOpen
// reached 6 GB); an open document above the cap is treated like such a
// file on disk: not parsed, reported as T003.
func TestOversizedBufferIsT003(t *testing.T) {
	if raceEnabled {
		t.Skip("decoding a 10 MB didOpen takes ~17 s under the race detector")
	}
	dir := fixture(t, nil)
	c := serve(t)
	mark := c.mark()
	c.initialize(dir, nil)
	py := filepath.Join(dir, "pyproject.toml")
	c.waitPublish(mark, fileURI(py), func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	mark = c.mark()
	c.open(py, fixturePyproject+strings.Repeat("# padding\n", (10<<20)/10+10))
	c.waitPublish(mark, fileURI(py), func(ds []diagnostic) bool { return hasCode(ds, "T003") })
}
