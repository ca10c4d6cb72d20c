package analysis

import (
	"bytes"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// TestCheckLeanSameAsCheck: the CLI's CheckLean (walk and checks at once,
// snapshots dropped after each project) reports exactly what Check reports,
// in the same order, with the same text for every file a diagnostic names,
// on every fixture tree (several roots, overlapping, too).
func TestCheckLeanSameAsCheck(t *testing.T) {
	abs := func(p ...string) string {
		a, err := filepath.Abs(filepath.Join(append([]string{"..", ".."}, p...)...))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, roots := range [][]string{
		{abs("testdata", "rules")},
		{abs("testdata", "projects")},
		{abs("testdata", "rules", "N001"), abs("testdata"), abs("testdata", "rules", "N001")},
		{abs("testdata", "rules", "P003", "fail-readme-missing", "pyproject.toml")},
	} {
		want, err := Check(project.NewLoader(project.OSFS{}), roots, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := CheckLean(project.NewLoader(project.OSFS{}), roots, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got.ProjectCount != len(want.Projects) || got.ProjectCount == 0 {
			t.Errorf("%v: %d projects, want %d", roots, got.ProjectCount, len(want.Projects))
		}
		if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
			t.Errorf("%v: diagnostics differ:\n got %d\nwant %d", roots, len(got.Diagnostics), len(want.Diagnostics))
		}
		for _, path := range namedPaths(want.Diagnostics) {
			w, g := want.Files[path], got.Files[path]
			if (w == nil) != (g == nil) || w != nil && !bytes.Equal(w.Src, g.Src) {
				t.Errorf("%v: file %s differs (want present %v, got present %v)", roots, path, w != nil, g != nil)
			}
		}
	}
}
