package server_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pyo3-ls/pyo3-ls/internal/server"
)

const fixturePyproject = `[build-system]
requires = ["maturin>=1.9.4,<2.0"]
build-backend = "maturin"

[project]
name = "demo"
requires-python = ">=3.9"
dynamic = ["version"]

[tool.maturin]
module-name = "demo"
features = ["fast"]
`

const fixtureCargo = `[package]
name = "demo"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["cdylib"]

[dependencies]
pyo3 = { version = "0.27", features = ["abi3-py39"] }

[features]
fast = []
`

const fixtureLib = `use pyo3::prelude::*;

#[pymodule]
fn other(m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
`

// fixture writes a maturin project whose module-name ("demo") does not
// match the #[pymodule] ("other"): N001 at both ends.
func fixture(t testing.TB, overrides map[string]string) (dir string) {
	dir = t.TempDir()
	files := map[string]string{"pyproject.toml": fixturePyproject, "Cargo.toml": fixtureCargo, "src/lib.rs": fixtureLib}
	for k, v := range overrides {
		files[k] = v
	}
	writeFiles(t, dir, files)
	return dir
}

// serve starts a Server in this process (20ms debounce, debug log shown on
// failure). Tests of the process boundary use start or serveBinary instead.
func serve(t testing.TB) *client {
	return startInProcess(t, server.Options{Debounce: 20 * time.Millisecond})
}

// serveBinary runs `pyo3-ls serve` as a subprocess, like an editor does.
func serveBinary(t testing.TB) *client {
	return start(t, "serve", "--debounce", "20ms", "--log-level", "debug")
}

func TestLifecycleShutdownExit(t *testing.T) {
	dir := fixture(t, nil)
	c := serveBinary(t)
	res := c.initialize(dir, nil)
	caps, _ := res["capabilities"].(map[string]any)
	sync, _ := caps["textDocumentSync"].(map[string]any)
	if sync["change"] != float64(2) {
		t.Errorf("textDocumentSync.change = %v, want 2 (incremental)", sync["change"])
	}
	for _, k := range []string{"hoverProvider", "codeActionProvider", "completionProvider", "definitionProvider", "documentSymbolProvider"} {
		if caps[k] == nil {
			t.Errorf("capability %s missing", k)
		}
	}
	if info, _ := res["serverInfo"].(map[string]any); info["name"] != "pyo3-ls" {
		t.Errorf("serverInfo = %v", res["serverInfo"])
	}
	m := c.call("pyo3ls/noSuchMethod", map[string]any{})
	if m.Error == nil || m.Error.Code != -32601 {
		t.Errorf("unknown method: got %+v, want MethodNotFound", m.Error)
	}
	// A second initialize is refused.
	if m := c.call("initialize", map[string]any{"capabilities": map[string]any{}}); m.Error == nil {
		t.Error("second initialize accepted")
	}
	c.result("shutdown", nil, nil)
	// After shutdown, requests are refused.
	if m := c.call("textDocument/hover", map[string]any{}); m.Error == nil || m.Error.Code != -32600 {
		t.Errorf("request after shutdown: %+v", m.Error)
	}
	c.notify("exit", nil)
	if code := c.waitExit(t); code != 0 {
		t.Errorf("exit code after shutdown+exit = %d, want 0", code)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	c := serve(t)
	c.initialize(t.TempDir(), nil)
	c.notify("exit", nil)
	if code := c.waitExit(t); code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
}

func TestEOFWithoutShutdown(t *testing.T) {
	c := start(t) // plain `pyo3-ls` serves too
	c.initialize(t.TempDir(), nil)
	c.stdin.Close()
	if code := c.waitExit(t); code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
}

func TestStdioFlagAndNotInitialized(t *testing.T) {
	c := start(t, "--stdio")
	m := c.call("textDocument/hover", map[string]any{})
	if m.Error == nil || m.Error.Code != -32002 {
		t.Errorf("request before initialize: %+v, want ServerNotInitialized", m.Error)
	}
	c.initialize(t.TempDir(), nil)
	c.shutdown()
	if code := c.waitExit(t); code != 0 {
		t.Errorf("exit code = %d", code)
	}
}

func TestMalformedInputDoesNotKillServer(t *testing.T) {
	dir := fixture(t, nil)
	c := serve(t)
	c.initialize(dir, nil)
	// A header line without a colon, then a frame without Content-Length.
	c.writeRaw("garbage header\r\n\r\n")
	c.writeRaw("X-Other: 1\r\n\r\n")
	// A body that is not JSON.
	c.writeRaw("Content-Length: 9\r\n\r\n{not json")
	// Valid JSON, not a JSON-RPC message, with an id: InvalidRequest.
	c.writeRaw("Content-Length: 21\r\n\r\n{\"id\":77,\"foo\":\"bar\"}")
	// Bad params for a request and for notifications.
	if m := c.call("textDocument/hover", "not an object"); m.Error == nil {
		t.Errorf("hover with bad params: no error")
	}
	c.notify("textDocument/didOpen", 42)
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": "file:///nowhere.toml"}, "contentChanges": "x"})
	c.notify("workspace/didChangeWatchedFiles", []int{1})
	// Positions out of range are clamped, not fatal.
	c.open(filepath.Join(dir, "pyproject.toml"), fixturePyproject)
	c.change(filepath.Join(dir, "pyproject.toml"), position{999, 999}, position{-1, -5}, "")
	var hover any
	c.result("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": fileURI(filepath.Join(dir, "pyproject.toml"))}, "position": position{5000, 3}}, &hover)
	// The server still works.
	c.shutdown()
	if code := c.waitExit(t); code != 0 {
		t.Errorf("exit code = %d", code)
	}
}

// TestDiagnosticsCrossFile: diagnostics for files that are not open,
// related information linking both ends, and fixing the pyproject.toml end
// in the buffer clears lib.rs too.
func TestDiagnosticsCrossFile(t *testing.T) {
	dir := fixture(t, nil)
	c := serve(t)
	mark := c.mark()
	c.initialize(dir, nil)
	pyURI, libURI := fileURI(filepath.Join(dir, "pyproject.toml")), fileURI(filepath.Join(dir, "src", "lib.rs"))
	lib := c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	py := c.waitPublish(mark, pyURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	d := lib[0]
	if d.Source != "pyo3-ls" || d.Severity != 1 {
		t.Errorf("lib.rs diagnostic: source %q severity %d", d.Source, d.Severity)
	}
	if want := (lrange{position{3, 3}, position{3, 8}}); d.Range != want {
		t.Errorf("lib.rs N001 range = %+v, want %+v", d.Range, want)
	}
	if len(d.RelatedInformation) != 1 || d.RelatedInformation[0].Location.URI != pyURI ||
		d.RelatedInformation[0].Location.Range != (lrange{position{10, 14}, position{10, 20}}) {
		t.Errorf("lib.rs related = %+v", d.RelatedInformation)
	}
	if len(py[0].RelatedInformation) != 1 || py[0].RelatedInformation[0].Location.URI != libURI {
		t.Errorf("pyproject related = %+v", py[0].RelatedInformation)
	}
	var data struct{ Name string }
	_ = json.Unmarshal(d.Data, &data)
	if data.Name != "module-name-mismatch" {
		t.Errorf("data = %s", d.Data)
	}

	// Fix module-name in the pyproject.toml buffer: both ends clear.
	pyPath := filepath.Join(dir, "pyproject.toml")
	c.open(pyPath, fixturePyproject)
	mark = c.mark()
	at := posOf(t, fixturePyproject, `"demo"`+"\nfeatures")
	c.change(pyPath, position{at.Line, at.Character + 1}, position{at.Line, at.Character + 5}, "other")
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return len(ds) == 0 })
	c.waitPublish(mark, pyURI, func(ds []diagnostic) bool { return len(ds) == 0 })

	// Break it again from the Rust side (not open: the disk has "other",
	// so rename in an opened buffer).
	libPath := filepath.Join(dir, "src", "lib.rs")
	c.open(libPath, fixtureLib)
	mark = c.mark()
	at = posOf(t, fixtureLib, "other")
	c.change(libPath, at, position{at.Line, at.Character + 5}, "renamed")
	got := c.waitPublish(mark, pyURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	if !strings.Contains(got[0].Message, "PyInit_renamed") {
		t.Errorf("pyproject message after the Rust edit: %q", got[0].Message)
	}
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })

	// Closing lib.rs falls back to the disk ("other", which matches the buffer's "other").
	mark = c.mark()
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": libURI}})
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return len(ds) == 0 })
	c.shutdown()
}

// TestIncrementalEditsUTF16 edits after non-ASCII text and after an
// astral-plane character (two UTF-16 code units) on the same line.
func TestIncrementalEditsUTF16(t *testing.T) {
	lib := "use pyo3::prelude::*;\n\n#[pymodule] /* é😀 ünï */ fn other(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n"
	dir := fixture(t, map[string]string{"src/lib.rs": lib})
	c := serve(t)
	mark := c.mark()
	c.initialize(dir, nil)
	libPath := filepath.Join(dir, "src", "lib.rs")
	libURI := fileURI(libPath)
	ds := c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	at := posOf(t, lib, "other")
	if want := (lrange{at, position{at.Line, at.Character + 5}}); ds[0].Range != want {
		t.Errorf("range after 😀 = %+v, want %+v (UTF-16)", ds[0].Range, want)
	}
	c.open(libPath, lib)
	// Insert a second emoji right after the first one, then rename.
	emoji := posOf(t, lib, "😀")
	after := position{emoji.Line, emoji.Character + 2}
	c.change(libPath, after, after, "🎉")
	lib2 := strings.Replace(lib, "😀", "😀🎉", 1)
	at = posOf(t, lib2, "other")
	mark = c.mark()
	c.change(libPath, at, position{at.Line, at.Character + 5}, "demo")
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return len(ds) == 0 })
	// Break it with a multi-line edit spanning the non-ASCII line.
	lib3 := strings.Replace(lib2, "other", "demo", 1)
	s := posOf(t, lib3, "#[pymodule]")
	e := posOf(t, lib3, "(m: &Bound")
	mark = c.mark()
	c.change(libPath, s, e, "#[pymodule]\nfn ñame_😀")
	// 😀 is not an identifier character; the scanner sees fn ñame_: N001 again.
	got := c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	if got[0].Range.Start.Line != 3 || got[0].Range.Start.Character != 3 {
		t.Errorf("N001 after the multi-line edit at %+v, want line 3 char 3", got[0].Range.Start)
	}
	c.shutdown()
}

func TestWatchedFilesAndDiscovery(t *testing.T) {
	dir := fixture(t, nil)
	c := serve(t)
	mark := c.mark()
	c.initialize(dir, nil)
	libURI := fileURI(filepath.Join(dir, "src", "lib.rs"))
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	// The server registered the watchers dynamically.
	var globs []string
	c.waitFor("client/registerCapability", 5*time.Second, func() bool {
		for _, r := range c.serverReqs {
			if r.Method == "client/registerCapability" {
				var p struct {
					Registrations []struct {
						Method          string
						RegisterOptions struct {
							Watchers []struct{ GlobPattern string }
						}
					}
				}
				_ = json.Unmarshal(r.Params, &p)
				for _, reg := range p.Registrations {
					if reg.Method == "workspace/didChangeWatchedFiles" {
						for _, w := range reg.RegisterOptions.Watchers {
							globs = append(globs, w.GlobPattern)
						}
					}
				}
				return true
			}
		}
		return false
	})
	for _, g := range []string{"**/pyproject.toml", "**/Cargo.toml", "**/Cargo.lock", "**/*.rs"} {
		if !strings.Contains(strings.Join(globs, " "), g) {
			t.Errorf("watcher %s not registered (got %v)", g, globs)
		}
	}
	// Fix on disk: rename the #[pymodule] in lib.rs (not open).
	writeFiles(t, dir, map[string]string{"src/lib.rs": strings.Replace(fixtureLib, "other", "demo", 1)})
	mark = c.mark()
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": libURI, "type": 2}}})
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return len(ds) == 0 })

	// A new project appears on disk.
	sub := filepath.Join(dir, "sub")
	writeFiles(t, sub, map[string]string{"pyproject.toml": fixturePyproject, "Cargo.toml": fixtureCargo, "src/lib.rs": fixtureLib})
	mark = c.mark()
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(filepath.Join(sub, "pyproject.toml")), "type": 1}}})
	c.waitPublish(mark, fileURI(filepath.Join(sub, "src", "lib.rs")), func(ds []diagnostic) bool { return hasCode(ds, "N001") })

	// It is deleted: its diagnostics are cleared.
	os.RemoveAll(sub)
	mark = c.mark()
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(filepath.Join(sub, "pyproject.toml")), "type": 3}}})
	c.waitPublish(mark, fileURI(filepath.Join(sub, "src", "lib.rs")), func(ds []diagnostic) bool { return len(ds) == 0 })

	// A Cargo.toml change re-analyses: drop the feature maturin enables (C002).
	writeFiles(t, dir, map[string]string{"Cargo.toml": strings.Replace(fixtureCargo, "fast = []", "", 1)})
	mark = c.mark()
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(filepath.Join(dir, "Cargo.toml")), "type": 2}}})
	c.waitPublish(mark, fileURI(filepath.Join(dir, "pyproject.toml")), func(ds []diagnostic) bool { return hasCode(ds, "C002") })
	c.shutdown()
}

func TestWorkspaceFolders(t *testing.T) {
	a := fixture(t, nil)
	b := fixture(t, nil)
	c := serve(t)
	mark := c.mark()
	c.initialize(a, nil)
	c.waitPublish(mark, fileURI(filepath.Join(a, "src", "lib.rs")), func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	mark = c.mark()
	c.notify("workspace/didChangeWorkspaceFolders", map[string]any{"event": map[string]any{
		"added": []any{map[string]any{"uri": fileURI(b), "name": "b"}}, "removed": []any{map[string]any{"uri": fileURI(a), "name": "a"}}}})
	c.waitPublish(mark, fileURI(filepath.Join(b, "src", "lib.rs")), func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	c.waitPublish(mark, fileURI(filepath.Join(a, "src", "lib.rs")), func(ds []diagnostic) bool { return len(ds) == 0 })
	c.shutdown()
}

func TestSettingsSelectIgnore(t *testing.T) {
	py := strings.Replace(fixturePyproject, `features = ["fast"]`, `features = ["nope"]`, 1)
	dir := fixture(t, map[string]string{"pyproject.toml": py})
	pyURI, libURI := fileURI(filepath.Join(dir, "pyproject.toml")), fileURI(filepath.Join(dir, "src", "lib.rs"))
	c := serve(t)
	mark := c.mark()
	c.initialize(dir, map[string]any{"ignore": []string{"N001"}, "logLevel": "debug"})
	ds := c.waitPublish(mark, pyURI, func(ds []diagnostic) bool { return hasCode(ds, "C002") })
	if hasCode(ds, "N001") {
		t.Errorf("N001 published although ignored: %v", codes(ds))
	}
	if _, ok := c.latest(libURI); ok {
		t.Errorf("lib.rs got diagnostics although N001 is ignored")
	}
	// Select only N rules through didChangeConfiguration.
	mark = c.mark()
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"pyo3-ls": map[string]any{"select": []string{"N"}}}})
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	ds = c.waitPublish(mark, pyURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	if hasCode(ds, "C002") {
		t.Errorf("C002 published although only N is selected: %v", codes(ds))
	}
	// Null settings: the server pulls workspace/configuration.
	c.mu.Lock()
	c.config = map[string]any{"ignore": []string{"N"}}
	c.mu.Unlock()
	mark = c.mark()
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": nil})
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return len(ds) == 0 })
	c.shutdown()
}

func TestLogFile(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "server.log")
	c := start(t, "serve", "--log-file", logPath, "--log-level", "debug")
	c.initialize(t.TempDir(), nil)
	c.shutdown()
	c.waitExit(t)
	data, err := os.ReadFile(logPath)
	if err != nil || !strings.Contains(string(data), "initialize") {
		t.Errorf("log file: %v %q", err, data)
	}
}
