package server

import (
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// tomlHit is what lies under the cursor in a TOML document.
type tomlHit struct {
	Path  []string       // keys from the root, e.g. tool, maturin, module-name
	Entry *tomldoc.Entry // the innermost entry
	OnKey bool           // the cursor is on the key (or a table header)
	Value *tomldoc.Value // the scalar value (or array element) under the cursor
}

// findTOML walks the document for the key or value at byte offset off.
// Header tables keep their entries' ranges elsewhere in the file, so every
// table is walked; only inline values are pruned by their range.
func findTOML(doc *tomldoc.Document, off int) *tomlHit {
	if doc == nil || doc.Root == nil {
		return nil
	}
	w := tomlWalker{off: off}
	return w.walk(doc.Root, 0)
}

// maxWalkDepth bounds the recursion of the TOML walkers here; tomldoc caps
// documents well below it (arrays, inline tables and dotted keys alike).
const maxWalkDepth = 1000

// tomlWalker keeps the key path in one slice, grown and shrunk as it
// descends: copying the path at every level cost O(depth²) memory (a
// 25,000-part dotted key ran the server out of memory).
type tomlWalker struct {
	off  int
	path []string
}

func (w *tomlWalker) hit(e *tomldoc.Entry, onKey bool, v *tomldoc.Value) *tomlHit {
	return &tomlHit{Path: append([]string(nil), w.path...), Entry: e, OnKey: onKey, Value: v}
}

func (w *tomlWalker) walk(v *tomldoc.Value, depth int) *tomlHit {
	if v == nil || v.Kind != tomldoc.Table || v.Table == nil || depth > maxWalkDepth {
		return nil
	}
	off := w.off
	n := len(w.path)
	defer func() { w.path = w.path[:n] }()
	for _, e := range v.Table.Entries {
		w.path = append(w.path[:n], e.Key)
		if !e.KeyRange.IsZero() && e.KeyRange.Contains(off) {
			return w.hit(e, true, nil)
		}
		if e.Value == nil {
			continue
		}
		switch e.Value.Kind {
		case tomldoc.Table:
			if h := w.walk(e.Value, depth+1); h != nil {
				return h
			}
			w.path = w.path[:n+1]
			if e.Value.Table != nil && e.Value.Table.Kind == tomldoc.Header && e.Value.Range.Contains(off) && !e.Value.Range.IsZero() {
				return w.hit(e, true, nil)
			}
		case tomldoc.Array:
			for _, el := range e.Value.Arr {
				if el.Kind == tomldoc.Table {
					if h := w.walk(el, depth+1); h != nil {
						return h
					}
					w.path = w.path[:n+1]
					if e.Value.IsArrayOfTables() && el.Range.Contains(off) && !el.Range.IsZero() {
						return w.hit(e, true, nil)
					}
					continue
				}
				if el.Range.Contains(off) {
					return w.hit(e, false, el)
				}
			}
			if !e.Value.IsArrayOfTables() && e.Value.Range.Contains(off) {
				return w.hit(e, false, e.Value)
			}
		default:
			if e.Value.Range.Contains(off) {
				return w.hit(e, false, e.Value)
			}
		}
	}
	return nil
}

// under reports whether the hit's path starts with prefix.
func (h *tomlHit) under(prefix ...string) bool {
	if h == nil || len(h.Path) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if h.Path[i] != p {
			return false
		}
	}
	return true
}

// tableEnd returns the end of a table's text: the furthest end of its
// header and of every entry inside it.
func tableEnd(v *tomldoc.Value) int { return tableEndDepth(v, 0) }

func tableEndDepth(v *tomldoc.Value, depth int) int {
	end := v.Range.End
	if depth > maxWalkDepth {
		return end
	}
	if v.Kind == tomldoc.Table && v.Table != nil {
		for _, e := range v.Table.Entries {
			if e.KeyRange.End > end {
				end = e.KeyRange.End
			}
			if e.Value != nil {
				if x := tableEndDepth(e.Value, depth+1); x > end {
					end = x
				}
			}
		}
	}
	if v.Kind == tomldoc.Array {
		for _, el := range v.Arr {
			if x := tableEndDepth(el, depth+1); x > end {
				end = x
			}
		}
	}
	return end
}
