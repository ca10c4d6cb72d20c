package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// stuckFS blocks every read of one file until release is closed: an
// analysis that never ends on its own.
type stuckFS struct {
	project.OSFS
	path    string
	release chan struct{}
}

func (f stuckFS) ReadFile(path string) ([]byte, error) {
	if path == f.path {
		<-f.release
	}
	return f.OSFS.ReadFile(path)
}

// Issue 16 item 3: one project whose analysis never ends must not stop the
// others. CheckLean gives each project ProjectTimeout, reports the stuck one
// in Result.Panics and still reports every other project's findings.
func TestCheckLeanProjectTimeout(t *testing.T) {
	root := t.TempDir()
	stuck := filepath.Join(root, "stuck")
	other := filepath.Join(root, "other")
	copyDir(t, filepath.Join("..", "..", "testdata", "rules", "N001", "fail-fn-name"), stuck)
	copyDir(t, filepath.Join("..", "..", "testdata", "rules", "N001", "fail-fn-name"), other)
	fsys := stuckFS{path: filepath.Join(stuck, "src", "lib.rs"), release: make(chan struct{})}
	defer close(fsys.release)

	res, err := CheckLean(project.NewLoader(fsys), []string{root}, Options{ProjectTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Panics) != 1 || res.Panics[0].Project != filepath.Join(stuck, "pyproject.toml") || !strings.Contains(res.Panics[0].Value, "did not finish") {
		t.Fatalf("panics: %+v", res.Panics)
	}
	otherFound := 0
	for _, d := range res.Diagnostics {
		if d.Code == "N001" && strings.HasPrefix(d.Path, other) {
			otherFound++
		}
		if strings.HasPrefix(d.Path, stuck) {
			t.Errorf("finding of the project that was not checked: %v", d)
		}
	}
	if otherFound != 2 {
		t.Errorf("the other project's N001 at both ends: got %d of %d diagnostics", otherFound, len(res.Diagnostics))
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}
