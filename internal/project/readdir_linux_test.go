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
