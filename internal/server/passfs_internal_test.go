package server

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// statCounter counts the Stats and listings that reach the disk.
type statCounter struct {
	project.FS
	stats, lists int
	during       func() // called inside each Stat (a change arriving meanwhile)
}

func (c *statCounter) Stat(path string) (fs.FileInfo, error) {
	c.stats++
	if c.during != nil {
		c.during()
	}
	return c.FS.Stat(path)
}

func (c *statCounter) ReadDir(path string) ([]fs.DirEntry, error) {
	c.lists++
	return c.FS.ReadDir(path)
}

// passFS answers a repeated Stat or listing without the disk until reset,
// still records the path for the asking project, and never keeps an answer
// fetched across a change.
func TestPassFSRemembersUntilReset(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.toml")
	if err := os.WriteFile(file, []byte("x = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "b.toml")
	disk := &statCounter{FS: project.OSFS{}}
	w := newWatcher(disk)
	p := newPassFS(w, w)

	for i := 0; i < 3; i++ {
		st, err := p.Stat(file)
		if err != nil || st.Size() != 6 || st.IsDir() {
			t.Fatalf("Stat %d: %v %v", i, st, err)
		}
		if _, err := p.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Stat of a missing file: %v", err)
		}
		if es, err := p.ReadDir(dir); err != nil || len(es) != 1 {
			t.Fatalf("ReadDir: %v %v", es, err)
		}
	}
	// The watcher stats before a listing too (its signature).
	if disk.stats != 3 || disk.lists != 1 {
		t.Errorf("%d stats and %d listings reached the disk, want 3 and 1", disk.stats, disk.lists)
	}

	rec := w.begin()
	p.Stat(file)
	p.ReadDir(dir)
	got := w.end(rec)
	if !got[file] || !got[dir] {
		t.Errorf("answers from memory not recorded: %v", got)
	}

	if err := os.WriteFile(file, []byte("x = 12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.reset()
	if st, _ := p.Stat(file); st.Size() != 7 {
		t.Errorf("after reset: size %d, want 7", st.Size())
	}

	// A change while a Stat is on its way to the disk: that answer is
	// returned but not kept.
	p.reset()
	disk.during = func() { p.reset(); disk.during = nil }
	n := disk.stats
	p.Stat(file)
	p.Stat(file)
	if disk.stats != n+2 {
		t.Errorf("an answer fetched across a change was kept (%d disk stats, want %d)", disk.stats-n, 2)
	}
}

// A path known only from a listing (kind-only signature) is seen when it
// appears, and is not reported as changed when the first poll fills in its
// full signature.
func TestKindOnlySignatures(t *testing.T) {
	dir := t.TempDir()
	absent := filepath.Join(dir, "new.pyi")
	present := filepath.Join(dir, "lib.rs")
	if err := os.WriteFile(present, []byte("fn f() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := newWatcher(project.OSFS{})
	rec := w.begin()
	w.noteKind(absent, false, false)
	w.noteKind(present, true, false)
	if got := w.end(rec); !got[absent] || !got[present] {
		t.Fatalf("not recorded: %v", got)
	}
	ctx := context.Background()
	if changed := w.poll(ctx); len(changed) != 0 {
		t.Fatalf("first poll reported %v; nothing changed", changed)
	}
	if err := os.WriteFile(absent, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if changed := w.poll(ctx); len(changed) != 1 || changed[0] != absent {
		t.Fatalf("poll after creating %s: %v", absent, changed)
	}
	// After the first poll the full signature stands: a content change
	// is seen too.
	if err := os.WriteFile(present, []byte("fn f() {}\nfn g() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if changed := w.poll(ctx); len(changed) != 1 || changed[0] != present {
		t.Fatalf("poll after editing %s: %v", present, changed)
	}
}

// A file read through ReadRegularStat gets the signature os.Stat would give
// (the poll that follows reports nothing), and a later edit is seen.
func TestReadRegularStatSignature(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Cargo.toml")
	if err := os.WriteFile(path, []byte("[package]\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	w := newWatcher(project.OSFS{})
	data, st, err := w.ReadRegularStat(path)
	if err != nil || string(data) != "[package]\n" || st == nil || st.Size() != 10 {
		t.Fatalf("ReadRegularStat: %q %v %v", data, st, err)
	}
	ctx := context.Background()
	if changed := w.poll(ctx); len(changed) != 0 {
		t.Fatalf("poll right after the read reported %v (signature differs from os.Stat's: %+v)", changed, w.sigs[path])
	}
	if err := os.WriteFile(path, []byte("[package]\nname = \"x\"\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if changed := w.poll(ctx); len(changed) != 1 {
		t.Fatalf("poll after an edit: %v", changed)
	}
}
