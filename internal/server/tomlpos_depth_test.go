package server

import (
	"runtime"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// Issue 16 item 2: findTOML copied the key path at every level, O(depth²)
// memory: a 25,000-part dotted key ran the server out of memory on a hover.
// Walking a 5,000-level document (whatever the parser allows) must now
// allocate little, and find a key at the bottom of the allowed depth.
func TestFindTOMLDeepDocumentLinear(t *testing.T) {
	const depth = 5000
	root := &tomldoc.Value{Kind: tomldoc.Table, Table: &tomldoc.TableValue{}}
	v := root
	for i := 0; i < depth; i++ {
		child := &tomldoc.Value{Kind: tomldoc.Table, Table: &tomldoc.TableValue{Kind: tomldoc.Dotted}}
		v.Table.Entries = append(v.Table.Entries, &tomldoc.Entry{Key: "a", KeyRange: span.Range{Start: 2 * i, End: 2*i + 1}, Value: child})
		v = child
	}
	doc := &tomldoc.Document{Root: root}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if h := findTOML(doc, 3*depth); h != nil { // a blank line after the key
		t.Fatalf("hit %v", h.Path)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("findTOML on a %d-level document allocated %d MB", depth, got>>20)
	}
	if h := findTOML(doc, 2*500); h == nil || len(h.Path) != 501 {
		t.Errorf("key at level 500 not found with its path: %v", h)
	}
	_ = tableEnd(root)
}
