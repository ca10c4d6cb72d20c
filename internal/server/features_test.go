package server_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type hoverResult struct {
	Contents struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
	} `json:"contents"`
}

func (c *client) hoverAt(path, text, sub string, delta int) string {
	c.t.Helper()
	pos := posOf(c.t, text, sub)
	pos.Character += delta
	var h *hoverResult
	c.result("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": fileURI(path)}, "position": pos}, &h)
	if h == nil {
		return ""
	}
	return h.Contents.Value
}

func wantAll(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: %q missing from:\n%s", what, w, got)
		}
	}
}

// started initializes a server on dir and waits for the first analysis.
func started(t *testing.T, dir string) *client {
	c := serve(t)
	mark := c.mark()
	c.initialize(dir, nil)
	c.waitPublish(mark, fileURI(filepath.Join(dir, "pyproject.toml")), func([]diagnostic) bool { return true })
	return c
}

func TestHover(t *testing.T) {
	cargo := strings.Replace(fixtureCargo, "[lib]\n", "[lib]\nname = \"demo\"\n", 1)
	dir := fixture(t, map[string]string{"Cargo.toml": cargo})
	c := started(t, dir)
	py, cg, lib := filepath.Join(dir, "pyproject.toml"), filepath.Join(dir, "Cargo.toml"), filepath.Join(dir, "src", "lib.rs")

	got := c.hoverAt(py, fixturePyproject, "module-name", 2)
	wantAll(t, "module-name", got, "Python import name", "Python module `demo`", "import demo", "demo/demo.abi3.so",
		"PyInit_demo", "`PyInit_other`")
	verdict := "✗ `import demo` fails: the library exports `PyInit_other`, Python looks for `PyInit_demo`"
	if !strings.HasPrefix(got, verdict) {
		t.Errorf("module-name hover does not lead with the verdict:\n%s", got)
	}
	got = c.hoverAt(py, fixturePyproject, `"demo"`+"\nfeatures", 2)
	wantAll(t, "module-name value", got, "Python module `demo`")
	got = c.hoverAt(cg, cargo, "name = \"demo\"\ncrate", 1)
	wantAll(t, "[lib] name", got, "[lib] name", "Python module `demo`", "PyInit_other")
	if !strings.HasPrefix(got, verdict) {
		t.Errorf("[lib] name hover does not lead with the verdict:\n%s", got)
	}
	got = c.hoverAt(lib, fixtureLib, "other", 2)
	wantAll(t, "#[pymodule]", got, "exports `PyInit_other`", "Python calls: `PyInit_demo`")
	if !strings.HasPrefix(got, verdict) {
		t.Errorf("#[pymodule] hover does not lead with the verdict:\n%s", got)
	}
	// Table headers and the Cargo keys that decide the extension.
	got = c.hoverAt(py, fixturePyproject, "[project]", 2)
	wantAll(t, "[project] header", got, "distribution `demo`", "installs on: Python `>=3.9`", "imports as: `demo`")
	got = c.hoverAt(py, fixturePyproject, "[build-system]", 2)
	wantAll(t, "[build-system] header", got, "build-backend = \"maturin\"")
	got = c.hoverAt(cg, cargo, "[lib]", 2)
	wantAll(t, "[lib] header", got, "✓ `cdylib` is built", "crate-type", verdict)
	got = c.hoverAt(cg, cargo, "crate-type", 2)
	if !strings.HasPrefix(got, "✓ `cdylib` is built") {
		t.Errorf("crate-type hover: %s", got)
	}
	got = c.hoverAt(cg, cargo, "[features]", 2)
	wantAll(t, "[features] header", got, "Cargo features", "`abi3-py39`")
	got = c.hoverAt(py, fixturePyproject, "build-backend", 1)
	wantAll(t, "build-backend", got, "[build-system] build-backend", "maturin")
	got = c.hoverAt(py, fixturePyproject, "requires-python", 1)
	wantAll(t, "requires-python", got, "Admits Python 3.9 and newer", "pyo3 0.27.2", "supports CPython 3.7 – 3.14", "3.15 – newer are admitted", "abi3 wheel still installs")
	got = c.hoverAt(py, fixturePyproject, `"fast"`, 2)
	wantAll(t, "features entry", got, "[tool.maturin] features", "Cargo feature `fast`")
	got = c.hoverAt(py, fixturePyproject, "maturin]", 2)
	wantAll(t, "[tool.maturin] header", got, "maturin's configuration", "bindings: `pyo3`", "abi3: one wheel for CPython 3.9 and newer")
	if !strings.HasPrefix(got, verdict) {
		t.Errorf("[tool.maturin] hover does not lead with the verdict:\n%s", got)
	}

	got = c.hoverAt(cg, cargo, "pyo3 =", 1)
	wantAll(t, "pyo3 dependency", got, "pyo3 0.27.2", "newest non-yanked release the requirement admits", "CPython: 3.7 – 3.14",
		"abi3: floor 3.9 (`abi3-py39`)", "free-threading: builds for 3.13t, 3.14t", "Source:")
	got = c.hoverAt(cg, cargo, `"0.27"`, 2)
	wantAll(t, "pyo3 version", got, "pyo3 0.27.2")

	// Enum keys list their values.
	text := strings.Replace(fixturePyproject, "features = [\"fast\"]", "features = [\"fast\"]\nbindings = \"pyo3\"\nauditwheel = \"skip\"", 1)
	c.open(py, text)
	got = c.hoverAt(py, text, "auditwheel", 1)
	wantAll(t, "auditwheel", got, "Allowed values: `repair`, `check`, `warn`, `skip`")
	got = c.hoverAt(py, text, "bindings", 1)
	wantAll(t, "bindings", got, "`pyo3-ffi`", "Bindings in effect: `pyo3` (set here)")

	// A rule code inside a suppression comment.
	text2 := strings.Replace(fixturePyproject, `module-name = "demo"`, `module-name = "demo"  # pyo3-ls: ignore[M003, N001]`, 1)
	c.change(py, position{0, 0}, position{100, 0}, text2)
	got = c.hoverAt(py, text2, "N001]", 2)
	wantAll(t, "suppression (TOML)", got, "N001", "module-name-mismatch")
	rs := "// pyo3-ls: ignore[N001]\n" + fixtureLib
	c.open(lib, rs)
	got = c.hoverAt(lib, rs, "N001", 0)
	wantAll(t, "suppression (Rust)", got, "module-name-mismatch")

	// Nothing to say on a blank line.
	var blank *hoverResult
	c.result("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": fileURI(py)}, "position": position{3, 0}}, &blank)
	if got := blank; got != nil {
		t.Errorf("hover on a blank line: %q", got)
	}
	c.shutdown()
}

func TestHoverLockedVersion(t *testing.T) {
	lock := "version = 4\n\n[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\ndependencies = [\"pyo3\"]\n\n[[package]]\nname = \"pyo3\"\nversion = \"0.22.3\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
	cargo := strings.Replace(fixtureCargo, `version = "0.27", features = ["abi3-py39"]`, `version = "0.22"`, 1)
	dir := fixture(t, map[string]string{"Cargo.lock": lock, "Cargo.toml": cargo})
	c := started(t, dir)
	got := c.hoverAt(filepath.Join(dir, "Cargo.toml"), cargo, "pyo3", 1)
	wantAll(t, "locked pyo3", got, "pyo3 0.22.3", "locked in Cargo.lock", "CPython: 3.7 – 3.13", "abi3: not enabled",
		"free-threading: the build refuses free-threaded interpreters")
	c.shutdown()
}

type codeAction struct {
	Title       string       `json:"title"`
	Kind        string       `json:"kind"`
	IsPreferred bool         `json:"isPreferred"`
	Diagnostics []diagnostic `json:"diagnostics"`
	Edit        struct {
		Changes map[string][]struct {
			Range   lrange `json:"range"`
			NewText string `json:"newText"`
		} `json:"changes"`
	} `json:"edit"`
}

func (c *client) codeActions(path string, r lrange) []codeAction {
	c.t.Helper()
	var out []codeAction
	c.result("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": fileURI(path)}, "range": r,
		"context": map[string]any{"diagnostics": []any{}},
	}, &out)
	return out
}

func findAction(t *testing.T, as []codeAction, prefix string) codeAction {
	t.Helper()
	for _, a := range as {
		if strings.HasPrefix(a.Title, prefix) {
			return a
		}
	}
	var titles []string
	for _, a := range as {
		titles = append(titles, a.Title)
	}
	t.Fatalf("no code action %q among %q", prefix, titles)
	return codeAction{}
}

func TestCodeActions(t *testing.T) {
	dir := fixture(t, nil)
	c := started(t, dir)
	py, lib := filepath.Join(dir, "pyproject.toml"), filepath.Join(dir, "src", "lib.rs")
	pyURI, libURI := fileURI(py), fileURI(lib)

	as := c.codeActions(lib, lrange{position{3, 4}, position{3, 4}})
	fix := findAction(t, as, `Export the module as "demo"`)
	if !fix.IsPreferred || fix.Kind != "quickfix" || len(fix.Diagnostics) != 1 || fix.Diagnostics[0].Code != "N001" {
		t.Errorf("fix: %+v", fix)
	}
	edits := fix.Edit.Changes[libURI]
	// PyO3 0.27: the name option of #[pymodule] (a #[pyo3] line above #[pymodule] does not compile)
	if len(edits) != 1 || edits[0].NewText != "(name = \"demo\")" || edits[0].Range.Start != (position{2, 10}) {
		t.Errorf("fix edits: %+v", fix.Edit.Changes)
	}
	ign := findAction(t, as, "Suppress N001 on this line (// pyo3-ls: ignore[N001])")
	if e := ign.Edit.Changes[libURI]; len(e) != 1 || e[0].NewText != "  // pyo3-ls: ignore[N001]" || e[0].Range.Start != (position{3, 51}) {
		t.Errorf("ignore edit (Rust): %+v", ign.Edit.Changes)
	}

	as = c.codeActions(py, lrange{position{10, 16}, position{10, 16}})
	fix = findAction(t, as, `Rename the module to "other"`)
	e := fix.Edit.Changes[pyURI]
	if len(e) != 1 || e[0].NewText != `"other"` || e[0].Range != (lrange{position{10, 14}, position{10, 20}}) {
		t.Fatalf("rename fix: %+v", fix.Edit.Changes)
	}
	ign = findAction(t, as, "Suppress N001 on this line (# pyo3-ls: ignore[N001])")
	if e := ign.Edit.Changes[pyURI]; len(e) != 1 || e[0].NewText != "  # pyo3-ls: ignore[N001]" || e[0].Range.Start != (position{10, 20}) {
		t.Errorf("ignore edit (TOML): %+v", ign.Edit.Changes)
	}
	// Nothing outside diagnostics.
	if as := c.codeActions(py, lrange{position{0, 0}, position{0, 0}}); len(as) != 0 {
		t.Errorf("actions on line 0: %+v", as)
	}
	// Applying the fix clears both ends.
	c.open(py, fixturePyproject)
	mark := c.mark()
	c.change(py, e[0].Range.Start, e[0].Range.End, e[0].NewText)
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return len(ds) == 0 })
	c.waitPublish(mark, pyURI, func(ds []diagnostic) bool { return len(ds) == 0 })
	c.shutdown()
}

type completionList struct {
	Items []struct {
		Label         string `json:"label"`
		InsertText    string `json:"insertText"`
		Documentation struct {
			Value string `json:"value"`
		} `json:"documentation"`
	} `json:"items"`
}

func (c *client) complete(path string, pos position) map[string]string {
	c.t.Helper()
	var l *completionList
	c.result("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": fileURI(path)}, "position": pos}, &l)
	out := map[string]string{}
	if l != nil {
		for _, it := range l.Items {
			out[it.Label] = it.InsertText
			if it.Documentation.Value != "" {
				out[it.Label+"#doc"] = it.Documentation.Value
			}
		}
	}
	return out
}

func TestCompletion(t *testing.T) {
	dir := fixture(t, nil)
	c := started(t, dir)
	py := filepath.Join(dir, "pyproject.toml")
	text := fixturePyproject + "\nbindings = \"\ncompatibility = \nsdist-generator = \"\nauditwheel = \"\nfeatures = [\"fast\", \n"
	c.open(py, text)
	lines := strings.Split(text, "\n")
	lineOf := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("no line %q", prefix)
		return 0
	}
	endOf := func(prefix string) position {
		n := lineOf(prefix)
		return position{n, len(lines[n])}
	}
	// Keys on an empty line in [tool.maturin]: only those not yet present.
	got := c.complete(py, position{lineOf("bindings") - 1, 0})
	for _, k := range []string{"python-source", "strip", "include", "manifest-path"} {
		if _, ok := got[k]; !ok {
			t.Errorf("key %q not completed (got %d items)", k, len(got))
		}
	}
	for _, k := range []string{"module-name", "bindings", "compatibility", "features", "sdist-generator", "auditwheel"} {
		if _, ok := got[k]; ok {
			t.Errorf("key %q offered although the table has it", k)
		}
	}
	if !strings.Contains(got["python-source#doc"], "Python") {
		t.Errorf("python-source doc: %q", got["python-source#doc"])
	}
	// Enum values.
	got = c.complete(py, endOf("bindings"))
	for _, v := range []string{"pyo3", "pyo3-ffi", "cffi", "uniffi", "bin"} {
		if got[v] != v {
			t.Errorf("bindings value %q: insert %q", v, got[v])
		}
	}
	got = c.complete(py, endOf("compatibility"))
	if got["manylinux_2_28"] != `"manylinux_2_28"` || got["pypi"] != `"pypi"` {
		t.Errorf("compatibility values: %v", got)
	}
	got = c.complete(py, endOf("sdist-generator"))
	if _, ok := got["git"]; !ok || len(got) != 2 {
		t.Errorf("sdist-generator values: %v", got)
	}
	got = c.complete(py, endOf("auditwheel"))
	if _, ok := got["repair"]; !ok {
		t.Errorf("auditwheel values: %v", got)
	}
	// Features inside features = [...].
	got = c.complete(py, endOf("features = [\"fast\", "))
	if got["fast"] != `"fast"` || got["pyo3/abi3-py39"] != `"pyo3/abi3-py39"` || got["pyo3/abi3"] == "" {
		t.Errorf("features: %v", got)
	}
	if _, ok := got["module-name"]; ok {
		t.Errorf("keys offered inside features = [...]")
	}
	// Not in other tables.
	if got := c.complete(py, position{5, 0}); len(got) != 0 {
		t.Errorf("completion in [project]: %v", got)
	}
	// module-name values: the #[pymodule]s found (in a document that parses).
	text = fixturePyproject
	c.change(py, position{0, 0}, position{len(lines), 0}, text)
	got = c.complete(py, posOf(t, text, `"demo"`+"\nfeatures"))
	if got["other"] != `"other"` {
		t.Errorf("module-name values: %v", got)
	}
	// requires-python bounds the resolved PyO3 (0.27: CPython 3.7 – 3.14) supports.
	rp := posOf(t, text, `">=3.9"`)
	got = c.complete(py, position{rp.Line, rp.Character + 1})
	if got[">=3.7"] != ">=3.7" || got[">=3.14"] != ">=3.14" || got[">=3.15"] != "" || got[">=3.6"] != "" {
		t.Errorf("requires-python values: %v", got)
	}
	// abi3 features of the resolved PyO3 in Cargo.toml's pyo3 dependency.
	cg := filepath.Join(dir, "Cargo.toml")
	fp := posOf(t, fixtureCargo, `features = [`)
	got = c.complete(cg, position{fp.Line, fp.Character + len("features = [")})
	if got["abi3-py39"] != `"abi3-py39"` || got["abi3"] != `"abi3"` {
		t.Errorf("pyo3 features in Cargo.toml: %v", got)
	}
	c.shutdown()
}

func TestDefinition(t *testing.T) {
	py := strings.Replace(fixturePyproject, "features = [\"fast\"]", "features = [\"fast\", \"pyo3/abi3\"]\nmanifest-path = \"Cargo.toml\"\npython-source = \"python\"", 1)
	dir := fixture(t, map[string]string{"pyproject.toml": py, "python/demo/__init__.py": ""})
	c := started(t, dir)
	pyPath, lib, cargo := filepath.Join(dir, "pyproject.toml"), filepath.Join(dir, "src", "lib.rs"), filepath.Join(dir, "Cargo.toml")
	def := func(path, text, sub string, delta int) []location {
		pos := posOf(t, text, sub)
		pos.Character += delta
		var out []location
		c.result("textDocument/definition", map[string]any{"textDocument": map[string]any{"uri": fileURI(path)}, "position": pos}, &out)
		return out
	}
	check := func(what string, got []location, uri string, r *lrange) {
		t.Helper()
		if len(got) != 1 || got[0].URI != uri || (r != nil && got[0].Range != *r) {
			t.Errorf("%s: got %+v, want %s %+v", what, got, uri, r)
		}
	}
	check("module-name → #[pymodule]", def(pyPath, py, `"demo"`+"\nfeatures", 2), fileURI(lib), &lrange{position{3, 3}, position{3, 8}})
	check("#[pymodule] → module-name", def(lib, fixtureLib, "other", 1), fileURI(pyPath), &lrange{position{10, 14}, position{10, 20}})
	fast := posOf(t, fixtureCargo, "fast = []")
	check("feature → [features]", def(pyPath, py, `"fast"`, 2), fileURI(cargo), &lrange{fast, position{fast.Line, fast.Character + 4}})
	dep := posOf(t, fixtureCargo, "pyo3 =")
	check("pyo3/abi3 → the dependency", def(pyPath, py, `"pyo3/abi3"`, 2), fileURI(cargo), &lrange{dep, position{dep.Line, dep.Character + 4}})
	check("manifest-path", def(pyPath, py, `"Cargo.toml"`, 2), fileURI(cargo), nil)
	check("python-source", def(pyPath, py, `"python"`, 2), fileURI(filepath.Join(dir, "python", "demo", "__init__.py")), nil)
	if got := def(pyPath, py, "requires-python", 1); len(got) != 0 {
		t.Errorf("definition on requires-python: %+v", got)
	}
	c.shutdown()
}

func TestDocumentSymbols(t *testing.T) {
	dir := fixture(t, nil)
	c := started(t, dir)
	type sym struct {
		Name     string `json:"name"`
		Range    lrange `json:"range"`
		Children []sym  `json:"children"`
	}
	var syms []sym
	c.result("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": fileURI(filepath.Join(dir, "pyproject.toml"))}}, &syms)
	var names []string
	for _, s := range syms {
		names = append(names, s.Name)
	}
	if strings.Join(names, ",") != "build-system,project,tool.maturin" {
		t.Fatalf("symbols: %v", names)
	}
	m := syms[2]
	if len(m.Children) != 2 || m.Children[0].Name != "module-name" || m.Range.Start.Line != 9 || m.Range.End.Line != 11 {
		t.Errorf("tool.maturin symbol: %+v", m)
	}
	c.shutdown()
}

func TestCancelRequest(t *testing.T) {
	dir := fixture(t, nil)
	c := started(t, dir)
	py := filepath.Join(dir, "pyproject.toml")
	var chans []chan *rpcMsg
	for i := 0; i < 20; i++ {
		id, ch := c.request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": fileURI(py)}, "position": position{10, 2}})
		c.notify("$/cancelRequest", map[string]any{"id": id})
		chans = append(chans, ch)
	}
	for _, ch := range chans {
		select {
		case m := <-ch:
			if m.Error != nil && m.Error.Code != -32800 {
				t.Errorf("cancelled hover: %+v", m.Error)
			}
			if m.Error == nil && !json.Valid(m.Result) {
				t.Errorf("bad result %s", m.Result)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a cancelled request got no response")
		}
	}
	c.shutdown()
}

// Completion finds the table from the document, not from lines that look
// like headers: a "[tool.maturin]" line inside a multi-line string is text,
// and a key whose line does not parse yet still counts as present.
func TestCompletionReadsTheDocument(t *testing.T) {
	dir := fixture(t, nil)
	c := started(t, dir)
	py := filepath.Join(dir, "pyproject.toml")
	text := "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n\n" +
		"[project]\nname = \"demo\"\ndescription = \"\"\"\n[tool.maturin]\n\"\"\"\n\n\n" +
		"[tool.maturin]\nstrip = \nmodule-name = \"demo\"\n\n"
	c.open(py, text)
	lines := strings.Split(text, "\n")
	// Line 9 is blank, in [project] after the string: no [tool.maturin] keys.
	if got := c.complete(py, position{9, 0}); len(got) != 0 {
		t.Errorf("completion in [project] after a string holding \"[tool.maturin]\": %v", got)
	}
	// The blank line after module-name is in [tool.maturin]: strip (broken
	// line) and module-name are present, python-source is offered.
	last := len(lines) - 2
	got := c.complete(py, position{last, 0})
	if _, ok := got["python-source"]; !ok {
		t.Errorf("python-source not offered in [tool.maturin]: %v", got)
	}
	for _, k := range []string{"strip", "module-name"} {
		if _, ok := got[k]; ok {
			t.Errorf("key %q offered although the table has it", k)
		}
	}
	c.shutdown()
}
