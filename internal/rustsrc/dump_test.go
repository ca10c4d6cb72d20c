package rustsrc

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDump prints what Scan finds in the files or directories listed in
// RUSTSRC_DUMP (separated by the OS path list separator). It is a manual
// tool for checking the scanner against real projects.
func TestDump(t *testing.T) {
	list := os.Getenv("RUSTSRC_DUMP")
	if list == "" {
		t.Skip("RUSTSRC_DUMP not set")
	}
	for _, root := range filepath.SplitList(list) {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rs") {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			f := Scan(b)
			if len(f.Modules)+len(f.PyInits)+len(f.GlobUses)+len(f.ModDecls) == 0 {
				return nil
			}
			f.Comments = nil
			j, _ := json.Marshal(f)
			t.Logf("%s: %s", p, j)
			return nil
		})
	}
}
