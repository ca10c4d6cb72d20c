//go:build unix

package project

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A named pipe called pyproject.toml, Cargo.toml or lib.rs must not block
// the walk or the snapshot (opening a FIFO for reading waits for a writer).
func TestFIFOsDoNotBlock(t *testing.T) {
	dir := t.TempDir()
	writeProject(t, filepath.Join(dir, "proj"))
	for _, p := range []string{
		filepath.Join(dir, "fifo", "pyproject.toml"),
		filepath.Join(dir, "proj2", "pyproject.toml"),
	} {
		writeFile(t, p+".tmp", "")
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	writeFile(t, filepath.Join(dir, "proj3", "pyproject.toml"), maturinPyproject)
	writeFile(t, filepath.Join(dir, "proj3", "Cargo.toml"), demoCargo)
	if err := syscall.Mkfifo(filepath.Join(dir, "proj3", "src", "lib.rs"), 0o644); err != nil {
		writeFile(t, filepath.Join(dir, "proj3", "src", "x"), "")
		if err := syscall.Mkfifo(filepath.Join(dir, "proj3", "src", "lib.rs"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan []string)
	go func() {
		l := NewLoader(OSFS{})
		found, _ := Discover(l, dir)
		for _, f := range found {
			Load(l, f)
		}
		done <- found
	}()
	select {
	case found := <-done:
		if len(found) != 2 { // proj and proj3
			t.Errorf("found %v", found)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a FIFO blocked discovery or loading")
	}
}
