package analysis

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// TestApplyEveryFix applies, one at a time, every quick fix offered for
// every diagnostic of every failing fixture under testdata/rules — the
// rule's own fixes and the "Suppress X on this line" action the language
// server adds — to a fresh copy of the fixture, and checks the copy again:
//
//   - every edit stays inside the fixture (the project);
//   - the fixed diagnostic is gone: fewer diagnostics of its code remain;
//   - nothing new appears: no T001 and no diagnostic of a code and file
//     that was not reported before.
//
// Whether the fixed Rust and Cargo.toml still build is checked with real
// maturin by scripts/groundtruth --fixes (docs/groundtruth.md).
func TestApplyEveryFix(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "rules")
	fixtures, _ := filepath.Glob(filepath.Join(root, "*", "fail*"))
	if len(fixtures) == 0 {
		t.Fatal("no fixtures")
	}
	applied := 0
	for _, fx := range fixtures {
		if st, err := os.Stat(fx); err != nil || !st.IsDir() {
			continue
		}
		name := strings.TrimPrefix(filepath.ToSlash(fx), filepath.ToSlash(root)+"/")
		t.Run(name, func(t *testing.T) {
			base := copyFixture(t, fx)
			before := checkDir(t, base)
			n := 0
			for _, d := range before.Diagnostics {
				if r := Lookup(d.Code); len(d.Fixes) > 0 && r != nil && !strings.Contains(r.Doc, "safe") {
					t.Errorf("%s offers quick fixes but its documentation does not say whether they are safe", d.Code)
				}
				fixes := append([]Fix(nil), d.Fixes...)
				if f := before.Files[d.Path]; f != nil {
					if sf, ok := SuppressFix(f, d); ok {
						fixes = append(fixes, sf)
					}
				}
				for _, fix := range fixes {
					n++
					if why, ok := knownFixGaps[d.Code+" "+fix.Title]; ok {
						t.Logf("skipped %s %q: %s", d.Code, fix.Title, why)
						continue
					}
					applied++
					checkFixApplied(t, base, before, d, fix, fmt.Sprintf("%s/%d", name, n))
				}
			}
		})
	}
	t.Logf("applied %d fixes to %d fixtures", applied, len(fixtures))
}

// knownFixGaps are fixes known to leave a finding behind, keyed by code and
// title, with the reason; each is reported on the coordination board.
var knownFixGaps = map[string]string{}

// checkFixApplied applies fix to a copy of base and compares the diagnostics.
func checkFixApplied(t *testing.T, base string, before *Result, d Diagnostic, fix Fix, id string) {
	t.Helper()
	what := fmt.Sprintf("%s %q (for %s at %s:%v)", d.Code, fix.Title, d.Code, relTo(base, d.Path), d.Range)
	if len(fix.Edits) == 0 {
		t.Errorf("%s: fix without edits", what)
		return
	}
	work := copyFixture(t, base)
	byFile := map[string][]Edit{}
	for _, e := range fix.Edits {
		rel, err := filepath.Rel(base, e.Path)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			t.Errorf("%s: edit of %s leaves the project %s", what, e.Path, base)
			return
		}
		byFile[rel] = append(byFile[rel], e)
	}
	for rel, edits := range byFile {
		path := filepath.Join(work, rel)
		src, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		out, err := applyEdits(src, edits)
		if err != nil {
			t.Errorf("%s: %s: %v", what, rel, err)
			return
		}
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exportFixed(t, work, id, d, fix, byFile)
	after := checkDir(t, work)
	count := func(ds []Diagnostic, root string) map[string]int {
		m := map[string]int{}
		for _, x := range ds {
			m[x.Code+" "+relTo(root, x.Path)]++
		}
		return m
	}
	cb, ca := count(before.Diagnostics, base), count(after.Diagnostics, work)
	codeCount := func(ds []Diagnostic, code string) int {
		n := 0
		for _, x := range ds {
			if x.Code == code {
				n++
			}
		}
		return n
	}
	if codeCount(after.Diagnostics, d.Code) >= codeCount(before.Diagnostics, d.Code) {
		t.Errorf("%s: the diagnostic is still reported after the fix:%s", what, describe(after.Diagnostics))
	}
	for k, n := range ca {
		if n > cb[k] {
			t.Errorf("%s: new diagnostic %s after the fix (%d, was %d):%s", what, k, n, cb[k], describe(after.Diagnostics))
		}
	}
}

// exportFixed writes the fixed copy to $PYO3_LS_FIXED_OUT/<rule>/<fixture>/<n>
// when the fix edits Rust or a Cargo.toml, with FIX.json saying what was
// applied: scripts/groundtruth --fixes builds and imports each with real maturin.
func exportFixed(t *testing.T, work, id string, d Diagnostic, fix Fix, byFile map[string][]Edit) {
	out := os.Getenv("PYO3_LS_FIXED_OUT")
	if out == "" {
		return
	}
	var edited []string
	build := false
	for rel := range byFile {
		edited = append(edited, filepath.ToSlash(rel))
		if strings.HasSuffix(rel, ".rs") || filepath.Base(rel) == "Cargo.toml" {
			build = true
		}
	}
	if !build {
		return
	}
	sort.Strings(edited)
	dst := filepath.Join(out, filepath.FromSlash(id))
	if err := os.RemoveAll(dst); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(copyFixture(t, work), dst); err != nil {
		t.Fatal(err)
	}
	meta, _ := json.MarshalIndent(map[string]any{"code": d.Code, "title": fix.Title, "edited": edited, "safe": fix.Safe}, "", "  ")
	if err := os.WriteFile(filepath.Join(dst, "FIX.json"), meta, 0o644); err != nil {
		t.Fatal(err)
	}
}

// applyEdits applies non-overlapping edits to src (in any order).
func applyEdits(src []byte, edits []Edit) ([]byte, error) {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Range.Start > es[j].Range.Start })
	out := append([]byte(nil), src...)
	limit := len(out)
	for _, e := range es {
		if e.Range.Start < 0 || e.Range.Start > e.Range.End || e.Range.End > limit {
			return nil, fmt.Errorf("edit range %v out of bounds or overlapping (len %d)", e.Range, len(src))
		}
		out = append(out[:e.Range.Start:e.Range.Start], append([]byte(e.NewText), out[e.Range.End:]...)...)
		limit = e.Range.Start
	}
	return out, nil
}

func checkDir(t *testing.T, dir string) *Result {
	t.Helper()
	res, err := Check(project.NewLoader(project.OSFS{}), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func relTo(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(rel)
}

// copyTree copies the regular files and directories of src to a new temp dir.
func copyFixture(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "p")
	err := filepath.WalkDir(src, func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		switch {
		case de.IsDir():
			return os.MkdirAll(to, 0o755)
		case de.Type().IsRegular():
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(to, b, 0o644)
		}
		return nil // symlinks and special files: not part of fixtures
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
