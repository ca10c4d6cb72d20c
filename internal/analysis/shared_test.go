package analysis

import (
	"io/fs"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/benchgen"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

type countingFS struct {
	project.FS
	mu    sync.Mutex
	reads map[string]int
	stats int
}

func (c *countingFS) ReadFile(path string) ([]byte, error) {
	c.mu.Lock()
	c.reads[path]++
	c.mu.Unlock()
	return c.FS.ReadFile(path)
}

func (c *countingFS) Stat(path string) (fs.FileInfo, error) {
	c.mu.Lock()
	c.stats++
	c.mu.Unlock()
	return c.FS.Stat(path)
}

// TestWorkspaceFilesReadOnce: in a workspace of 50 maturin crates, the root
// Cargo.toml and Cargo.lock are read (and so parsed) once per check, and no
// file is read twice.
func TestWorkspaceFilesReadOnce(t *testing.T) {
	dir := t.TempDir()
	if _, err := benchgen.Monorepo(dir, 50); err != nil {
		t.Fatal(err)
	}
	cfs := &countingFS{FS: project.OSFS{}, reads: map[string]int{}}
	res, err := Check(project.NewLoader(cfs), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Projects) != 50 {
		t.Fatalf("%d projects", len(res.Projects))
	}
	for _, f := range []string{"Cargo.toml", "Cargo.lock"} {
		if n := cfs.reads[filepath.Join(dir, f)]; n != 1 {
			t.Errorf("workspace %s read %d times", f, n)
		}
	}
	for p, n := range cfs.reads {
		if n != 1 {
			t.Errorf("%s read %d times", p, n)
		}
	}
	t.Logf("%d files read, %d stats for 50 projects", len(cfs.reads), cfs.stats)
}
