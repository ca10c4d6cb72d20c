package analysis

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// TestFixesResolve applies every quick fix offered on the rule fixtures, one
// fix at a time in a copy of the fixture, and checks that the fixed project
// has fewer diagnostics of that code and no new TOML syntax error.
func TestFixesResolve(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "rules")
	dirs, _ := filepath.Glob(filepath.Join(root, "*", "fail*"))
	tried := 0
	for _, dir := range dirs {
		dir, _ := filepath.Abs(dir)
		res, err := Check(project.NewLoader(project.OSFS{}), []string{dir}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range res.Diagnostics {
			for fi, fix := range d.Fixes {
				tried++
				name := strings.TrimPrefix(dir, root) + "/" + d.Code + "/" + fix.Title
				t.Run(name, func(t *testing.T) {
					tmp := t.TempDir()
					copyTree(t, dir, tmp)
					applyFixTo(t, dir, tmp, d.Fixes[fi])
					after, err := Check(project.NewLoader(project.OSFS{}), []string{tmp}, Options{})
					if err != nil {
						t.Fatal(err)
					}
					before := count(res.Diagnostics, d.Code)
					if n := count(after.Diagnostics, d.Code); n >= before {
						t.Errorf("fix %q left %d %s diagnostics (before %d): %s", fix.Title, n, d.Code, before, describe(after.Diagnostics))
					}
					if count(after.Diagnostics, "T001") > count(res.Diagnostics, "T001") {
						t.Errorf("fix %q broke the TOML: %s", fix.Title, describe(after.Diagnostics))
					}
				})
			}
		}
	}
	if tried < 10 {
		t.Errorf("only %d fixes exercised; the fixtures should offer more", tried)
	}
}

func count(ds []Diagnostic, code string) int {
	n := 0
	for _, d := range ds {
		if d.Code == code {
			n++
		}
	}
	return n
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// applyFixTo applies the edits of one fix (grouped per file, from the end so
// earlier offsets stay valid).
func applyFixTo(t *testing.T, from, to string, fix Fix) {
	t.Helper()
	byFile := map[string][]Edit{}
	for _, e := range fix.Edits {
		byFile[e.Path] = append(byFile[e.Path], e)
	}
	for path, edits := range byFile {
		rel, err := filepath.Rel(from, path)
		if err != nil || strings.HasPrefix(rel, "..") {
			t.Fatalf("edit outside the fixture: %s", path)
		}
		dst := filepath.Join(to, rel)
		data, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(edits, func(i, j int) bool { return edits[i].Range.Start > edits[j].Range.Start })
		for _, e := range edits {
			if e.Range.Start < 0 || e.Range.End > len(data) || e.Range.Start > e.Range.End {
				t.Fatalf("edit range %v out of bounds (%d bytes)", e.Range, len(data))
			}
			data = append(data[:e.Range.Start:e.Range.Start], append([]byte(e.NewText), data[e.Range.End:]...)...)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
