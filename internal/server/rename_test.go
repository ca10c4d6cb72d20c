package server_test

import (
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

type textEdit struct {
	Range   lrange `json:"range"`
	NewText string `json:"newText"`
}

// applyEdits applies LSP edits to text (positions in UTF-16; the fixtures are ASCII).
func applyEdits(t *testing.T, text string, edits []textEdit) string {
	t.Helper()
	lines := strings.SplitAfter(text, "\n")
	off := func(p position) int {
		n := 0
		for i := 0; i < p.Line; i++ {
			n += len(lines[i])
		}
		return n + p.Character
	}
	sort.Slice(edits, func(i, j int) bool { return off(edits[i].Range.Start) > off(edits[j].Range.Start) })
	for _, e := range edits {
		text = text[:off(e.Range.Start)] + e.NewText + text[off(e.Range.End):]
	}
	return text
}

var renameCaps = map[string]any{
	"workspace": map[string]any{
		"workspaceFolders": true,
		"workspaceEdit":    map[string]any{"documentChanges": true, "resourceOperations": []string{"create", "rename", "delete"}},
	},
	"textDocument": map[string]any{"rename": map[string]any{"prepareSupport": true}},
}

// TestRenameModule renames the module from each place that names it: every
// place follows, the stub is renamed, and the result checks clean.
func TestRenameModule(t *testing.T) {
	cargo := strings.Replace(fixtureCargo, "[lib]\n", "[lib]\nname = \"demo\"\n", 1)
	lib := strings.Replace(fixtureLib, "other", "demo", 1)
	lib2 := strings.Replace(fixtureLib, "#[pymodule]\nfn other", "#[pymodule]\n#[pyo3(name = \"demo\")]\nfn inner", 1)
	for _, tc := range []struct {
		name, lib     string
		file, at      string // where the rename starts: a file and the text the cursor is on
		wantLibChange string // the text lib.rs has after the rename
	}{
		{"from module-name", lib, "pyproject.toml", `"demo"` + "\nfeatures", "fn fresh("},
		{"from [lib] name", lib, "Cargo.toml", `"demo"` + "\ncrate", "fn fresh("},
		{"from the #[pymodule] fn", lib, "src/lib.rs", "demo(m", "fn fresh("},
		{"from #[pyo3(name)]", lib2, "src/lib.rs", `"demo"`, `#[pyo3(name = "fresh")]` + "\nfn inner("},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := fixture(t, map[string]string{"Cargo.toml": cargo, "src/lib.rs": tc.lib, "demo.pyi": "# the extension's stub\n"})
			c := serve(t)
			c.initializeCaps(dir, renameCaps) // a clean project publishes nothing; requests wait for the analysis
			files := map[string]string{"pyproject.toml": fixturePyproject, "Cargo.toml": cargo, "src/lib.rs": tc.lib}
			at := posOf(t, files[tc.file], tc.at)
			if strings.HasPrefix(tc.at, `"`) {
				at.Character++
			}
			uri := fileURI(filepath.Join(dir, filepath.FromSlash(tc.file)))
			var prep struct {
				Range       lrange `json:"range"`
				Placeholder string `json:"placeholder"`
			}
			c.result("textDocument/prepareRename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": at}, &prep)
			if prep.Placeholder != "demo" || prep.Range.End.Character-prep.Range.Start.Character != 4 {
				t.Fatalf("prepareRename: %+v", prep)
			}
			var edit struct {
				DocumentChanges []json.RawMessage `json:"documentChanges"`
			}
			c.result("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": at, "newName": "fresh"}, &edit)
			renamed := false
			for _, raw := range edit.DocumentChanges {
				var op struct {
					Kind         string `json:"kind"`
					OldURI       string `json:"oldUri"`
					NewURI       string `json:"newUri"`
					TextDocument struct {
						URI string `json:"uri"`
					} `json:"textDocument"`
					Edits []textEdit `json:"edits"`
				}
				if err := json.Unmarshal(raw, &op); err != nil {
					t.Fatal(err)
				}
				if op.Kind == "rename" {
					if op.OldURI != fileURI(filepath.Join(dir, "demo.pyi")) || op.NewURI != fileURI(filepath.Join(dir, "fresh.pyi")) {
						t.Errorf("rename op: %+v", op)
					}
					if err := os.Rename(filepath.Join(dir, "demo.pyi"), filepath.Join(dir, "fresh.pyi")); err != nil {
						t.Fatal(err)
					}
					renamed = true
					continue
				}
				u, err := url.Parse(op.TextDocument.URI)
				if err != nil {
					t.Fatal(err)
				}
				rel, _ := filepath.Rel(dir, u.Path)
				rel = filepath.ToSlash(rel)
				if _, ok := files[rel]; !ok {
					t.Fatalf("edit of an unexpected file %s", rel)
				}
				files[rel] = applyEdits(t, files[rel], op.Edits)
			}
			if !renamed {
				t.Error("the stub was not renamed")
			}
			wantAll(t, "pyproject.toml", files["pyproject.toml"], `module-name = "fresh"`)
			wantAll(t, "Cargo.toml", files["Cargo.toml"], `name = "fresh"`)
			wantAll(t, "lib.rs", files["src/lib.rs"], tc.wantLibChange)
			writeFiles(t, dir, files)
			cmd := exec.Command(binary(t), "check", "--show-hints", ".")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "0 error(s), 0 warning(s), 0 info") {
				t.Errorf("after the rename pyo3-ls check says (%v):\n%s", err, out)
			}
			c.shutdown()
		})
	}
}

// TestRenameWithoutDocumentChanges: a client that takes only `changes`
// gets the text edits (the stub stays: it cannot be renamed there).
func TestRenameWithoutDocumentChanges(t *testing.T) {
	lib := strings.Replace(fixtureLib, "other", "demo", 1)
	dir := fixture(t, map[string]string{"src/lib.rs": lib})
	c := serve(t)
	c.initialize(dir, nil)
	py := filepath.Join(dir, "pyproject.toml")
	at := posOf(t, fixturePyproject, `"demo"`+"\nfeatures")
	at.Character += 2
	var edit struct {
		Changes map[string][]textEdit `json:"changes"`
	}
	c.result("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": fileURI(py)}, "position": at, "newName": "fresh"}, &edit)
	if len(edit.Changes[fileURI(py)]) != 1 || len(edit.Changes[fileURI(filepath.Join(dir, "src", "lib.rs"))]) != 1 {
		t.Errorf("changes: %+v", edit.Changes)
	}
	m := c.call("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": fileURI(py)}, "position": at, "newName": "not-a-name"})
	if m.Error == nil {
		t.Error("renaming to an invalid module name should fail")
	}
	// Nothing to rename on [build-system].
	var prep any
	c.result("textDocument/prepareRename", map[string]any{"textDocument": map[string]any{"uri": fileURI(py)}, "position": position{0, 2}}, &prep)
	if prep != nil {
		t.Errorf("prepareRename on [build-system]: %v", prep)
	}
	c.shutdown()
}
