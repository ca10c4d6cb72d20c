package analysis

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

type dirCountingFS struct {
	project.FS
	readDirs atomic.Int64
}

func (c *dirCountingFS) ReadDir(p string) ([]fs.DirEntry, error) {
	c.readDirs.Add(1)
	return c.FS.ReadDir(p)
}

// Issue 16 item 8: license-files with many patterns listed the tree once
// per pattern (2,000 patterns over 1,111 directories: 19 s). Each directory
// is now listed once per run, however many patterns there are.
func TestLicenseFilesListsEachDirectoryOnce(t *testing.T) {
	dir := t.TempDir()
	const ndirs, npatterns = 40, 500
	for i := 0; i < ndirs; i++ {
		if err := os.MkdirAll(filepath.Join(dir, fmt.Sprintf("d%02d", i), "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var pats []string
	for i := 0; i < npatterns; i++ {
		pats = append(pats, fmt.Sprintf("\"*/*/NOTICE%d*\"", i))
	}
	py := "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"x\"\nversion = \"0.1.0\"\nlicense-files = [" + strings.Join(pats, ", ") + "]\n"
	if err := os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte(py), 0o644); err != nil {
		t.Fatal(err)
	}
	cfs := &dirCountingFS{FS: project.OSFS{}}
	p := project.Load(project.NewLoader(cfs), filepath.Join(dir, "pyproject.toml"))
	before := cfs.readDirs.Load()
	ds := Run(p, Options{})
	n := 0
	for _, d := range ds {
		if strings.Contains(d.Message, "license-files pattern") {
			n++
		}
	}
	if n != npatterns {
		t.Fatalf("%d license-files findings, want %d", n, npatterns)
	}
	if got := cfs.readDirs.Load() - before; got > 2*ndirs+20 {
		t.Errorf("%d directory listings for %d patterns over %d directories, want each directory listed about once", got, npatterns, ndirs)
	}
}
