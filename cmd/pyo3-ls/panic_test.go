package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
)

// TestCheckReportsRulePanic: a rule that panics does not hide the other
// findings; check prints them, then the panic with its stack, and exits 2.
func TestCheckReportsRulePanic(t *testing.T) {
	restore := analysis.ReplaceRunForTest("N001", func(*analysis.Pass) { panic("rule bug") })
	defer restore()
	dir, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "rules", "M003", "fail-module-underscore"))
	code, out, errOut := runCLI(t, "", "check", "--color", "never", dir)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(out, "M003") {
		t.Errorf("the other rules' findings are missing:\n%s", out)
	}
	if !strings.Contains(errOut, "internal error in rule N001") || !strings.Contains(errOut, "rule bug") || !strings.Contains(errOut, "goroutine") {
		t.Errorf("stderr does not report the panic with its stack:\n%s", errOut)
	}
}
