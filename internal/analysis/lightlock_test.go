package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// TestLightLockSuppression: a Cargo.lock in cargo's own shape is read
// without a TOML document (LightLock), at any size; a pyo3-ls directive in
// it still suppresses, and "Suppress" is still offered for a finding in it.
func TestLightLockSuppression(t *testing.T) {
	dir := copyFixture(t, filepath.Join("..", "..", "testdata", "rules", "C004", "fail-two-pyo3"))
	lock := filepath.Join(dir, "Cargo.lock")
	res := checkDir(t, dir)
	var c004 *Diagnostic
	for i, d := range res.Diagnostics {
		if d.Code == "C004" && d.Path == lock {
			c004 = &res.Diagnostics[i]
		}
	}
	if c004 == nil {
		t.Fatalf("no C004 in Cargo.lock: %+v", res.Diagnostics)
	}
	f := res.Files[lock]
	if f == nil || !f.LightLock || f.Doc != nil {
		t.Fatalf("Cargo.lock not read as a light lock: %+v", f)
	}
	fix, ok := SuppressFix(f, *c004)
	if !ok || len(fix.Edits) != 1 {
		t.Fatalf("no Suppress fix for C004 in a light Cargo.lock: %+v %v", fix, ok)
	}
	e := fix.Edits[0]
	src := string(f.Src[:e.Range.Start]) + e.NewText + string(f.Src[e.Range.End:])
	if !strings.Contains(src, "pyo3-ls:") {
		t.Fatalf("the fix adds no directive: %q", e.NewText)
	}
	if err := os.WriteFile(lock, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	after := checkDir(t, dir)
	for _, d := range after.Diagnostics {
		if d.Code == "C004" || d.Code == "T001" {
			t.Errorf("after the directive: %s %s: %s", d.Code, d.Path, d.Message)
		}
	}

	// A directive on its own line above: cargo.ReadLock leaves such a file
	// to the TOML parser, whose comments carry the directive.
	dir2 := copyFixture(t, filepath.Join("..", "..", "testdata", "rules", "C004", "fail-two-pyo3"))
	lock2 := filepath.Join(dir2, "Cargo.lock")
	start := f.Lines().LineStart(f.Lines().LineOf(c004.Range.Start))
	src2 := string(f.Src[:start]) + "# pyo3-ls: ignore[C004]\n" + string(f.Src[start:])
	if err := os.WriteFile(lock2, []byte(src2), 0o644); err != nil {
		t.Fatal(err)
	}
	l := project.NewLoader(project.OSFS{})
	if lf, lk := l.Lock(lock2); lk == nil || lf.LightLock || lf.Doc == nil {
		t.Fatalf("a lock with a directive line is read without its comments")
	}
	for _, d := range checkDir(t, dir2).Diagnostics {
		if d.Code == "C004" || d.Code == "T001" {
			t.Errorf("with the directive line: %s %s: %s", d.Code, d.Path, d.Message)
		}
	}
}
