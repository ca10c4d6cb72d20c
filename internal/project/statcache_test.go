package project

import (
	"errors"
	"io/fs"
	"path/filepath"
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
