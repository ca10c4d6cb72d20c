package analysis

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// TestRulePanicRecovered: a rule that panics loses only its own findings;
// the other rules of the project and the other projects still report, and
// the panic comes back with the rule's code and the stack.
func TestRulePanicRecovered(t *testing.T) {
	orig := Lookup("N001").Run
	restore := ReplaceRunForTest("N001", func(p *Pass) {
		if !strings.Contains(p.Project.Dir, "fail-fn-name") {
			orig(p)
			return
		}
		p.Reportf(p.Project.Dir, rangeAt(0), "half-way")
		var m map[string]int
		//lint:ignore SA5000 the test needs a real runtime panic
		m["boom"]++ // assignment to entry in nil map
	})
	defer restore()
	a, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "rules", "N001", "fail-fn-name"))
	b, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "rules", "M003", "fail-module-underscore"))
	res, err := Check(project.NewLoader(project.OSFS{}), []string{a, b}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		if d.Code == "N001" {
			t.Errorf("the panicking rule's diagnostic was kept: %s", d.Message)
		}
	}
	if !hasDiag(res.Diagnostics, "M003") {
		t.Errorf("the other project lost its diagnostics:%s", describe(res.Diagnostics))
	}
	if len(res.Panics) != 1 {
		t.Fatalf("panics = %+v, want 1", res.Panics)
	}
	p := res.Panics[0]
	if p.Code != "N001" || !strings.Contains(p.Project, "fail-fn-name") || !strings.Contains(p.Value, "nil map") || !strings.Contains(p.Stack, "panic_test.go") {
		t.Errorf("panic report %+v", p)
	}
	res, _ = CheckLean(project.NewLoader(project.OSFS{}), []string{a, b}, Options{})
	if len(res.Panics) != 1 || res.Panics[0].Code != "N001" || !hasDiag(res.Diagnostics, "M003") || hasDiag(res.Diagnostics, "N001") {
		t.Errorf("CheckLean: panics %+v, diagnostics:%s", res.Panics, describe(res.Diagnostics))
	}
}

// TestProjectPanicRecovered: a panic in Run outside any rule drops that
// project's diagnostics and is reported with Code "".
func TestProjectPanicRecovered(t *testing.T) {
	var got []Panic
	ds := Run(nil, Options{OnPanic: func(p Panic) { got = append(got, p) }}) // a nil project panics in LoadConfig
	if ds != nil || len(got) != 1 || got[0].Code != "" || got[0].Stack == "" {
		t.Errorf("Run(nil) = %v, panics %+v", ds, got)
	}
}

func hasDiag(ds []Diagnostic, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}
