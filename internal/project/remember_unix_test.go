//go:build unix

package project

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }

// The CLI's stack (StatCache over ConfinedFS over OSFS) trusts its
// directory listings: a file listed as regular is opened with O_NOFOLLOW
// and no stat first. A file swapped for a symlink after the listing must
// still be confined (the open fails with ELOOP and the path is checked
// again), and one swapped for a FIFO must not block or be read.
func TestRememberedListingSwaps(t *testing.T) {
	outside := t.TempDir()
	write(t, outside, map[string]string{"secret.rs": "// outside\n"})
	root := t.TempDir()
	write(t, root, map[string]string{
		"proj/pyproject.toml": "[tool.maturin]\n",
		"proj/src/lib.rs":     "// lib\n",
		"proj/src/a.rs":       "// a\n",
		"proj/src/b.rs":       "// b\n",
		"proj/src/c.rs":       "// c\n",
		"proj/src/inside.rs":  "// inside\n",
	})
	src := filepath.Join(root, "proj", "src")
	fsys := NewStatCache(NewConfinedFS(OSFS{}, []string{root}))
	if _, err := fsys.ReadDir(src); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.rs", "b.rs", "c.rs"} {
		if err := os.Remove(filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(outside, "secret.rs"), filepath.Join(src, "a.rs")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := os.Symlink(filepath.Join(src, "inside.rs"), filepath.Join(src, "b.rs")); err != nil {
		t.Fatal(err)
	}
	if data, err := fsys.ReadFile(filepath.Join(src, "a.rs")); !errors.Is(err, ErrOutsideRoots) {
		t.Errorf("listed file swapped for a symlink out of the tree: %q, %v", data, err)
	}
	if data, err := fsys.ReadFile(filepath.Join(src, "b.rs")); err != nil || string(data) != "// inside\n" {
		t.Errorf("listed file swapped for a symlink inside the tree: %q, %v", data, err)
	}
	if err := mkfifo(filepath.Join(src, "c.rs")); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if data, err := fsys.ReadFile(filepath.Join(src, "c.rs")); !errors.Is(err, ErrNotRegular) {
		t.Errorf("listed file swapped for a FIFO: %q, %v", data, err)
	}
}

// Through the CLI's stack, a listed directory's entries answer Stat and the
// project's type questions; what the listing shows as a symlink, FIFO or
// device is still looked at (and refused to read) as before.
func TestRememberedListingAnswers(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"proj/pyproject.toml": "[tool.maturin]\n",
		"proj/src/lib.rs":     "// lib\n",
	})
	proj := filepath.Join(root, "proj")
	fifo := filepath.Join(proj, "fifo.rs")
	if err := mkfifo(fifo); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	fsys := NewStatCache(NewConfinedFS(OSFS{}, []string{root}))
	if _, err := fsys.ReadDir(proj); err != nil {
		t.Fatal(err)
	}
	p := &Project{Dir: proj, FS: fsys}
	if !p.IsDir(filepath.Join(proj, "src")) || p.IsFile(filepath.Join(proj, "src")) {
		t.Error("src is a directory")
	}
	if !p.IsFile(filepath.Join(proj, "pyproject.toml")) {
		t.Error("pyproject.toml is a file")
	}
	for _, missing := range []string{"Cargo.toml", "rust/Cargo.toml", ".git"} {
		if _, err := fsys.Stat(filepath.Join(proj, missing)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Stat(%s) = %v, want not exist", missing, err)
		}
		if p.IsFile(filepath.Join(proj, missing)) {
			t.Errorf("IsFile(%s)", missing)
		}
	}
	if !p.IsFile(fifo) {
		t.Error("a FIFO is an existing non-directory")
	}
	if _, err := fsys.ReadFile(fifo); !errors.Is(err, ErrNotRegular) {
		t.Errorf("FIFO read: %v", err)
	}
	if st, err := fsys.Stat(filepath.Join(proj, "pyproject.toml")); err != nil || st.Size() != int64(len("[tool.maturin]\n")) {
		t.Errorf("Stat of a listed file must be a real stat: %v, %v", st, err)
	}
	if _, err := fsys.ReadFile(filepath.Join(proj, "src", "lib.rs")); err != nil {
		t.Error(err)
	}
	if _, err := fsys.Stat("/proc/self/environ"); !errors.Is(err, ErrSystemPath) {
		t.Errorf("system path: %v", err)
	}
}

// A listing still in use (the directory above every project of a
// monorepo) survives the flushes of the bounded listing memo; one not used
// again is dropped.
func TestRememberedListingsBoundedKeepsUsed(t *testing.T) {
	defer func(n int) { maxListedEntries = n }(maxListedEntries)
	maxListedEntries = 10
	root := t.TempDir()
	files := map[string]string{}
	for i := 0; i < 40; i++ {
		files[filepath.Join("crates", "p"+strconv.Itoa(i), "pyproject.toml")] = "[tool.maturin]\n"
	}
	files["once/x"] = ""
	write(t, root, files)
	c := NewConfinedFS(OSFS{}, []string{root})
	NewStatCache(c)
	crates := filepath.Join(root, "crates")
	for _, d := range []string{crates, filepath.Join(root, "once")} {
		if _, err := c.ReadDir(d); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 40; i++ {
		p := filepath.Join(crates, "p"+strconv.Itoa(i))
		if _, err := c.ReadDir(p); err != nil { // the project's own listing
			t.Fatal(err)
		}
		if typ, err := c.StatType(p); err != nil || !typ.IsDir() {
			t.Fatalf("%s: %v %v", p, typ, err)
		}
	}
	if _, ok := c.listing(crates); !ok {
		t.Error("the listing used by every project was dropped")
	}
	if _, ok := c.listing(filepath.Join(root, "once")); ok {
		t.Error("a listing never used again is kept past two flushes")
	}
}
