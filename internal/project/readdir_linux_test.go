//go:build linux

package project

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// readDir lists exactly what os.ReadDir lists: names, order, types, and
// the same errors.
func TestReadDirMatchesOS(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 600; i++ { // several getdents64 buffers of long names
		name := strings.Repeat("n", 1+i%200) + "-" + string(rune('a'+i%26)) + strings.Repeat("x", i%7)
		if i%3 == 0 {
			os.Mkdir(filepath.Join(dir, name), 0o755)
		} else {
			os.WriteFile(filepath.Join(dir, name), nil, 0o644)
		}
	}
	os.Symlink("nowhere", filepath.Join(dir, "link"))
	syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644)
	os.WriteFile(filepath.Join(dir, "ünïcode ✓"), nil, 0o644)
	dirs := []string{dir, "/", "/dev", ".", "..", filepath.Join(dir, "link"), filepath.Join(dir, "missing"), filepath.Join(dir, "fifo")}
	if wd, err := os.Getwd(); err == nil {
		dirs = append(dirs, filepath.Dir(filepath.Dir(wd))) // the repository's internal/
	}
	for _, d := range dirs {
		want, werr := os.ReadDir(d)
		got, gerr := readDir(d)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Errorf("%s: error %v, os.ReadDir's %v", d, gerr, werr)
			continue
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d entries, os.ReadDir %d", d, len(got), len(want))
			continue
		}
		for i := range want {
			if got[i].Name() != want[i].Name() || got[i].Type() != want[i].Type() || got[i].IsDir() != want[i].IsDir() {
				t.Errorf("%s: entry %d = %q %v, os.ReadDir %q %v", d, i, got[i].Name(), got[i].Type(), want[i].Name(), want[i].Type())
				break
			}
		}
		if len(got) > 0 {
			gi, gerr := got[0].Info()
			wi, werr := want[0].Info()
			if (gerr == nil) != (werr == nil) || gerr == nil && (gi.Name() != wi.Name() || gi.Mode() != wi.Mode()) {
				t.Errorf("%s: Info of %s differs", d, got[0].Name())
			}
		}
	}
}

// ReadDirStat's stat is os.Stat's (the server's watcher compares them).
func TestReadDirStatIsOSStat(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o2755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "a"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	es, st, err := OSFS{}.ReadDirStat(sub)
	if err != nil || len(es) != 1 || st == nil {
		t.Fatalf("ReadDirStat = %v, %v, %v", es, st, err)
	}
	want, err := os.Stat(sub)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode() != want.Mode() || st.Size() != want.Size() || !st.ModTime().Equal(want.ModTime()) || !st.IsDir() || st.Name() != want.Name() {
		t.Errorf("ReadDirStat stat = %v %d %v %v, os.Stat = %v %d %v", st.Mode(), st.Size(), st.ModTime(), st.IsDir(), want.Mode(), want.Size(), want.ModTime())
	}
	if _, st, err := (OSFS{}).ReadDirStat(filepath.Join(dir, "missing")); st != nil || !os.IsNotExist(err) {
		t.Errorf("missing directory: stat %v, err %v", st, err)
	}
}
