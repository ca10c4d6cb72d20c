package project

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

func TestStatCache(t *testing.T) {
	dir := t.TempDir()
	writeProject(t, dir)
	c := NewStatCache(OSFS{})
	py := filepath.Join(dir, "pyproject.toml")
	missing := filepath.Join(dir, "nope")
	for i := 0; i < 2; i++ {
		if st, err := c.Stat(py); err != nil || st.IsDir() {
			t.Fatalf("Stat(pyproject) = %v, %v", st, err)
		}
		if _, err := c.Stat(missing + "/"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Stat(missing) err = %v", err)
		}
	}
	if len(c.m) != 2 {
		t.Fatalf("%d cached entries, want 2 (paths are cleaned)", len(c.m))
	}
	writeFile(t, missing, "x")
	if _, err := c.Stat(missing); err == nil {
		t.Fatal("StatCache is expected to remember a missing file for its lifetime")
	}
	l := NewLoader(c)
	found, err := Discover(l, dir)
	if err != nil || len(found) != 1 {
		t.Fatalf("Discover through a StatCache = %v, %v", found, err)
	}
	if p := Load(l, found[0]); p.Manifest == nil || len(p.RustFiles) != 1 {
		t.Fatal("incomplete snapshot through a StatCache")
	}
}

// The one-shot lookup of [tool.pyo3-ls] files (remembered per directory)
// finds what the plain walk up finds: nearest first, only files with the
// table, stopping at the repository root, at most maxConfigLevels up.
func TestConfigLookupOneShot(t *testing.T) {
	root := t.TempDir()
	cfg := "[tool.pyo3-ls]\nignore = []\n"
	files := map[string]string{
		"repo/.git/HEAD":               "ref: x\n",
		"repo/pyproject.toml":          cfg,
		"repo/a/pyproject.toml":        "[project]\nname = \"a\"\n",
		"repo/a/b/pyproject.toml":      cfg,
		"repo/a/b/c/p1/pyproject.toml": "[tool.maturin]\n",
		"repo/a/b/c/p2/pyproject.toml": "[tool.maturin]\n",
		"repo/a/x/p3/pyproject.toml":   "[tool.maturin]\n",
		"repo/sub/.git":                "gitdir: ../.git/modules/sub\n",
		"repo/sub/p4/pyproject.toml":   "[tool.maturin]\n",
		"pyproject.toml":               cfg, // above the repository: never
		"deep/pyproject.toml":          cfg,
		"deep/" + strings.Repeat("d/", 33) + "p5/pyproject.toml": "[tool.maturin]\n",
	}
	write(t, root, files)
	for _, p := range []string{"repo/a/b/c/p1", "repo/a/b/c/p2", "repo/a/x/p3", "repo/sub/p4", "deep/" + strings.Repeat("d/", 33) + "p5", "deep/" + strings.Repeat("d/", 30) + "d"} {
		dir := filepath.Join(root, p)
		want := paths(findConfigFiles(NewLoader(OSFS{}), dir))
		l := NewLoader(NewStatCache(NewConfinedFS(OSFS{}, []string{root})))
		for i := 0; i < 2; i++ {
			if got := paths(findConfigFiles(l, dir)); got != want {
				t.Errorf("%s (run %d): one-shot lookup %q, plain %q", p, i, got, want)
			}
		}
	}
	if got := paths(findConfigFiles(NewLoader(OSFS{}), filepath.Join(root, "repo/a/b/c/p1"))); got != filepath.Join(root, "repo/a/b/pyproject.toml")+","+filepath.Join(root, "repo/pyproject.toml") {
		t.Errorf("plain lookup: %s", got)
	}
}

func paths(fs []*SourceFile) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Path)
	}
	return strings.Join(out, ",")
}
