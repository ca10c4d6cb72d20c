package project

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

type denyFS struct {
	OSFS
	deny map[string]bool
}

func (d denyFS) ReadFile(p string) ([]byte, error) {
	if d.deny[p] {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
	}
	return d.OSFS.ReadFile(p)
}

func (d denyFS) ReadDir(p string) ([]fs.DirEntry, error) {
	if d.deny[p] {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
	}
	return d.OSFS.ReadDir(p)
}

// Issue 16 item 9 (independent of the user running the tests): unreadable
// candidates are reported with their reason; an unreadable root is an error.
func TestWalkReportsUnreadable(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"a/pyproject.toml": "[tool.maturin]\n", "b/c/pyproject.toml": "[tool.maturin]\n", "ok/pyproject.toml": "[tool.maturin]\n"})
	fsys := denyFS{deny: map[string]bool{filepath.Join(dir, "a", "pyproject.toml"): true, filepath.Join(dir, "b"): true}}
	var found, skipped []string
	err := WalkReport(NewLoader(fsys), dir, func(p string) { found = append(found, p) }, func(p, why string) { skipped = append(skipped, p+": "+why) })
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || !strings.HasSuffix(found[0], filepath.Join("ok", "pyproject.toml")) {
		t.Errorf("found %v", found)
	}
	got := strings.Join(skipped, "\n")
	for _, want := range []string{filepath.Join(dir, "a", "pyproject.toml") + ": cannot be read: permission denied", filepath.Join(dir, "b") + ": cannot list the directory: permission denied"} {
		if !strings.Contains(got, want) {
			t.Errorf("skipped:\n%s\nwant %q", got, want)
		}
	}
	if err := WalkReport(NewLoader(denyFS{deny: map[string]bool{filepath.Join(dir, "b"): true}}), filepath.Join(dir, "b"), func(string) {}, nil); err == nil {
		t.Error("an unreadable root is not an error")
	}
}

// The walk scans directories ahead on several goroutines, but found and
// skipped hear of each path in the order of a serial depth-first walk over
// name-sorted entries (not sorted path order: "a-b" comes after "a/").
func TestWalkOrderIsSerial(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	var want []string
	for _, top := range []string{"a", "a-b", "a.c", "b"} {
		for _, sub := range []string{"", "x", "x/y", "x-y", "z"} {
			rel := filepath.Join(top, sub, "pyproject.toml")
			files[rel] = "[tool.maturin]\n"
		}
		// a template: skipped, with its reason, in walk order too
		files[filepath.Join(top, "t", "pyproject.toml")] = "[tool.maturin]\nname = \"{{ name }}\"\n"
	}
	write(t, dir, files)
	var serial func(d string)
	serial = func(d string) {
		entries, err := OSFS{}.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			full := filepath.Join(d, e.Name())
			switch {
			case e.IsDir():
				serial(full)
			case e.Name() == "pyproject.toml":
				if _, ok := files[strings.TrimPrefix(full, dir+string(filepath.Separator))]; ok && !strings.Contains(files[strings.TrimPrefix(full, dir+string(filepath.Separator))], "{{") {
					want = append(want, "found "+full)
				} else {
					want = append(want, "skipped "+full)
				}
			}
		}
	}
	serial(dir)
	for i := 0; i < 20; i++ {
		var got []string
		err := WalkReport(NewLoader(NewStatCache(NewConfinedFS(OSFS{}, []string{dir}))), dir,
			func(p string) { got = append(got, "found "+p) },
			func(p, why string) { got = append(got, "skipped "+p) })
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("run %d: walk order\n%s\nwant\n%s", i, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
