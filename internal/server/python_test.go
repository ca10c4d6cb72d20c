package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// boundaryFixture copies testdata/rules/E005/fail-class-drift and adds a
// stale stub entry (E002) and an importing module.
func boundaryFixture(t *testing.T) (dir, stub, lib, init string) {
	t.Helper()
	src := filepath.Join("..", "..", "testdata", "rules", "E005", "fail-class-drift")
	files := map[string]string{}
	filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "expect" {
			return nil
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(src, p)
		files[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	files["demo/_core.pyi"] += "\ndef gone() -> None: ...\n"
	files["demo/__init__.py"] = "from ._core import Counter, add\n"
	dir = t.TempDir()
	writeFiles(t, dir, files)
	return dir, files["demo/_core.pyi"], files["src/lib.rs"], files["demo/__init__.py"]
}

func TestPythonBoundaryFeatures(t *testing.T) {
	dir, stub, lib, initPy := boundaryFixture(t)
	stubPath, libPath, initPath := filepath.Join(dir, "demo", "_core.pyi"), filepath.Join(dir, "src", "lib.rs"), filepath.Join(dir, "demo", "__init__.py")
	c := serve(t)
	mark := c.mark()
	c.initialize(dir, nil)
	// Diagnostics on the stub (E002, E005) are published for the .pyi.
	diags := c.waitPublish(mark, fileURI(stubPath), func(ds []diagnostic) bool { return len(ds) > 0 })
	var codes []string
	for _, d := range diags {
		codes = append(codes, d.Code)
	}
	wantAll(t, "stub diagnostics", strings.Join(codes, " "), "E002", "E005")

	// Hover in the stub: Python signature, Rust signature and doc comment.
	got := c.hoverAt(stubPath, stub, "incr", 1)
	wantAll(t, "hover stub method", got, "demo._core.Counter.incr", "def incr(self, by)", "fn incr(&mut self, by: i64) -> i64")
	got = c.hoverAt(stubPath, stub, "add(", 1)
	wantAll(t, "hover stub function", got, "demo._core.add", "def add(a, b)", "fn add(a: i64, b: i64) -> i64", "Add two numbers.")
	got = c.hoverAt(stubPath, stub, "gone", 1)
	wantAll(t, "hover stale stub entry", got, "is not exported")
	// Hover on an import of the extension.
	got = c.hoverAt(initPath, initPy, "Counter", 1)
	wantAll(t, "hover import", got, "demo._core.Counter", "class Counter", "#[pyclass] Counter")
	// Hover in Rust: the import path and whether the stub declares it.
	got = c.hoverAt(libPath, lib, "add(a", 1)
	wantAll(t, "hover rust fn", got, "demo._core.add", "Declared in the stub _core.pyi")
	got = c.hoverAt(libPath, lib, "zero", 1)
	wantAll(t, "hover rust member", got, "demo._core.Counter.zero", "staticmethod")

	def := func(path, text, sub string) []location {
		t.Helper()
		pos := posOf(t, text, sub)
		pos.Character++
		var out []location
		c.result("textDocument/definition", map[string]any{"textDocument": map[string]any{"uri": fileURI(path)}, "position": pos}, &out)
		return out
	}
	lineOf := func(text, sub string) int { return strings.Count(text[:strings.Index(text, sub)], "\n") }
	if l := def(stubPath, stub, "incr"); len(l) != 1 || l[0].URI != fileURI(libPath) || l[0].Range.Start.Line != lineOf(lib, "fn incr") {
		t.Errorf("definition stub incr -> rust: %+v", l)
	}
	if l := def(initPath, initPy, "add"); len(l) != 1 || l[0].URI != fileURI(libPath) || l[0].Range.Start.Line != lineOf(lib, "fn add") {
		t.Errorf("definition import add -> rust: %+v", l)
	}
	if l := def(libPath, lib, "Counter {\n    value"); len(l) != 1 || l[0].URI != fileURI(stubPath) || l[0].Range.Start.Line != lineOf(stub, "class Counter") {
		t.Errorf("definition rust Counter -> stub: %+v", l)
	}
	if l := def(libPath, lib, "incr(&mut"); len(l) != 1 || l[0].URI != fileURI(stubPath) || l[0].Range.Start.Line != lineOf(stub, "def incr") {
		t.Errorf("definition rust incr -> stub: %+v", l)
	}

	// Completion after `from ._core import `.
	text := initPy + "from ._core import \n"
	c.open(initPath, text)
	items := c.complete(initPath, position{Line: 1, Character: len("from ._core import ")})
	for _, w := range []string{"add", "parse_int", "Counter", "VERSION"} {
		if _, ok := items[w]; !ok {
			t.Errorf("completion lacks %s: %v", w, items)
		}
	}

	// Quick fix: remove the stale stub entry.
	ln := lineOf(stub, "def gone")
	as := c.codeActions(stubPath, lrange{position{ln, 5}, position{ln, 5}})
	a := findAction(t, as, "Remove gone from _core.pyi")
	if e := a.Edit.Changes[fileURI(stubPath)]; len(e) != 1 || e[0].Range.Start.Line != ln || e[0].NewText != "" {
		t.Errorf("remove fix edits: %+v", a.Edit.Changes)
	}
	c.shutdown()
}
