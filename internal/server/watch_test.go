package server_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// noWatchCaps is a client that cannot watch files (Neovim 0.7, Helix): no
// workspace.didChangeWatchedFiles capability at all.
var noWatchCaps = map[string]any{
	"workspace": map[string]any{"workspaceFolders": true},
	"textDocument": map[string]any{
		"publishDiagnostics": map[string]any{"relatedInformation": true},
		"hover":              map[string]any{"contentFormat": []string{"markdown", "plaintext"}},
	},
}

func (c *client) initializeCaps(root string, caps any) {
	c.t.Helper()
	var res map[string]any
	c.result("initialize", map[string]any{
		"processId":        os.Getpid(),
		"rootUri":          fileURI(root),
		"workspaceFolders": []map[string]any{{"uri": fileURI(root), "name": filepath.Base(root)}},
		"capabilities":     caps,
	}, &res)
	c.notify("initialized", map[string]any{})
}

// checkLines runs `pyo3-ls check --format json --show-hints dir` and returns
// its findings as "file:line:char:CODE" strings, sorted.
func checkLines(t *testing.T, dir string) []string {
	t.Helper()
	cmd := exec.Command(binary(t), "check", "--format", "json", "--show-hints", ".")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil && cmd.ProcessState.ExitCode() > 1 {
		t.Fatalf("pyo3-ls check: %v", err)
	}
	var res struct {
		Diagnostics []struct {
			Path  string `json:"path"`
			Range lrange `json:"range"`
			Code  string `json:"code"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("check output: %v\n%s", err, out)
	}
	var lines []string
	for _, d := range res.Diagnostics {
		lines = append(lines, fmt.Sprintf("%s:%d:%d:%s", filepath.Join(dir, filepath.FromSlash(d.Path)), d.Range.Start.Line, d.Range.Start.Character, d.Code))
	}
	sort.Strings(lines)
	return lines
}

// publishedLines is the same view of the newest publish of every URI (c.mu held).
func (c *client) publishedLines() []string {
	newest := map[string][]diagnostic{}
	for _, p := range c.publishes {
		newest[p.URI] = p.Diagnostics
	}
	var lines []string
	for uri, ds := range newest {
		path := strings.TrimPrefix(uri, "file://")
		for _, d := range ds {
			lines = append(lines, fmt.Sprintf("%s:%d:%d:%s", path, d.Range.Start.Line, d.Range.Start.Character, d.Code))
		}
	}
	sort.Strings(lines)
	return lines
}

// TestDiskChangesWithoutClientWatching: a client that declares no file
// watching still sees disk edits — of an unopened lib.rs, of a README the
// pyproject.toml names (created after the fact), and of a `git checkout`
// that replaces many files by rename — and ends with exactly what
// `pyo3-ls check` reports.
func TestDiskChangesWithoutClientWatching(t *testing.T) {
	dir := fixture(t, nil)
	c := serve(t)
	mark := c.mark()
	c.initializeCaps(dir, noWatchCaps)
	libURI, pyURI := fileURI(filepath.Join(dir, "src", "lib.rs")), fileURI(filepath.Join(dir, "pyproject.toml"))
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	c.mu.Lock()
	for _, r := range c.serverReqs {
		if r.Method == "client/registerCapability" {
			t.Errorf("registered watchers with a client that cannot watch: %s", r.Params)
		}
	}
	c.mu.Unlock()

	// Edit lib.rs on disk: the fix arrives with no notification at all.
	t0 := time.Now()
	mark = c.mark()
	writeFiles(t, dir, map[string]string{"src/lib.rs": strings.Replace(fixtureLib, "other", "demo", 1)})
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return len(ds) == 0 })
	t.Logf("lib.rs edit seen after %v", time.Since(t0))

	// A readme that does not exist yet, then created.
	py := strings.Replace(fixturePyproject, "dynamic = [\"version\"]", "dynamic = [\"version\"]\nreadme = \"README.md\"", 1)
	mark = c.mark()
	writeFiles(t, dir, map[string]string{"pyproject.toml": py})
	c.waitPublish(mark, pyURI, func(ds []diagnostic) bool { return hasCode(ds, "P003") })
	mark = c.mark()
	writeFiles(t, dir, map[string]string{"README.md": "# demo\n"})
	c.waitPublish(mark, pyURI, func(ds []diagnostic) bool { return len(ds) == 0 })
	t.Logf("README seen after %v", time.Since(t0))

	// `git checkout other-branch`: many files replaced by rename at once, a
	// module file added, a readme removed.
	branch := map[string]string{
		"pyproject.toml":          strings.Replace(py, `module-name = "demo"`, `module-name = "demo._native"`+"\npython-source = \"python\"", 1),
		"Cargo.toml":              strings.Replace(fixtureCargo, "[lib]\n", "[lib]\nname = \"native\"\n", 1),
		"src/lib.rs":              "use pyo3::prelude::*;\n\nmod extra;\n\n#[pymodule]\nfn native(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    extra::add(m)\n}\n",
		"src/extra.rs":            "use pyo3::prelude::*;\n\npub fn add(_m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n",
		"python/demo/__init__.py": "from ._native import *\n",
	}
	stage := t.TempDir()
	writeFiles(t, stage, branch)
	for name := range branch {
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(stage, filepath.FromSlash(name)), dst); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(dir, "README.md")); err != nil {
		t.Fatal(err)
	}
	t0 = time.Now()
	want := checkLines(t, dir)
	t.Logf("pyo3-ls check took %v (the first call builds the binary): %q", time.Since(t0), want)
	if len(want) == 0 {
		t.Fatal("the checked-out branch should have findings")
	}
	var got []string
	converged := func() bool {
		got = c.publishedLines()
		return strings.Join(got, "\n") == strings.Join(want, "\n")
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		c.mu.Lock()
		ok := converged()
		c.mu.Unlock()
		if ok {
			t.Logf("checkout converged after %v", time.Since(t0))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the checkout the server publishes\n%s\nbut pyo3-ls check reports\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.shutdown()
}
