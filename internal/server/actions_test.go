package server_test

import (
	"path/filepath"
	"testing"
	"time"
)

// TestCodeActionsWhereUsersAsk: Neovim, Helix and eglot ask with the cursor
// at column 1 of the offending line, or anywhere with the line's diagnostics
// in the context; both get the fix.
func TestCodeActionsWhereUsersAsk(t *testing.T) {
	dir := fixture(t, nil)
	c := started(t, dir)
	lib := filepath.Join(dir, "src", "lib.rs")
	// N001 is on `other` (line 3, characters 3-8); ask at column 0 of the line.
	as := c.codeActions(lib, lrange{position{3, 0}, position{3, 0}})
	findAction(t, as, `Export the module as "demo"`)
	findAction(t, as, "Suppress N001 on this line")
	// A selection of whole lines that ends before the diagnostic's column.
	as = c.codeActions(lib, lrange{position{2, 0}, position{3, 1}})
	findAction(t, as, `Export the module as "demo"`)
	// Elsewhere, with the diagnostic in the context (as the client sends it).
	var ds []diagnostic
	c.waitFor("N001 on lib.rs", 10*time.Second, func() bool {
		for i := len(c.publishes) - 1; i >= 0; i-- {
			if c.publishes[i].URI == fileURI(lib) {
				ds = c.publishes[i].Diagnostics
				return hasCode(ds, "N001")
			}
		}
		return false
	})
	var out []codeAction
	c.result("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": fileURI(lib)}, "range": lrange{position{0, 0}, position{0, 0}},
		"context": map[string]any{"diagnostics": ds},
	}, &out)
	findAction(t, out, `Export the module as "demo"`)
	// Not elsewhere without the context.
	if as := c.codeActions(lib, lrange{position{0, 0}, position{0, 0}}); len(as) != 0 {
		t.Errorf("actions on line 0 with no diagnostic there: %+v", as)
	}
	c.shutdown()
}
