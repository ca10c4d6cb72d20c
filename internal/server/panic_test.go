package server_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
)

// TestRulePanicStillPublishes: with a rule that panics, the server still
// publishes the project's other diagnostics (in-process server).
func TestRulePanicStillPublishes(t *testing.T) {
	restore := analysis.ReplaceRunForTest("N001", func(*analysis.Pass) { panic("rule bug") })
	defer restore()
	dir := fixture(t, map[string]string{"pyproject.toml": strings.Replace(fixturePyproject, "[tool.maturin]\n", "[tool.maturin]\nbindingz = \"pyo3\"\n", 1)})
	c := serve(t)
	mark := c.mark()
	c.initialize(dir, nil)
	ds := c.waitPublish(mark, fileURI(filepath.Join(dir, "pyproject.toml")), func(ds []diagnostic) bool { return hasCode(ds, "M003") })
	if hasCode(ds, "N001") {
		t.Errorf("the panicking rule published: %+v", ds)
	}
}
