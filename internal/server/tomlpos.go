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
	return walkTOML(doc.Root, nil, off)
}

func walkTOML(v *tomldoc.Value, path []string, off int) *tomlHit {
	if v == nil || v.Kind != tomldoc.Table || v.Table == nil {
		return nil
	}
	for _, e := range v.Table.Entries {
		p := append(append([]string(nil), path...), e.Key)
		if !e.KeyRange.IsZero() && e.KeyRange.Contains(off) {
			return &tomlHit{Path: p, Entry: e, OnKey: true}
		}
		if e.Value == nil {
			continue
		}
		switch e.Value.Kind {
		case tomldoc.Table:
			if h := walkTOML(e.Value, p, off); h != nil {
				return h
			}
			if e.Value.Table != nil && e.Value.Table.Kind == tomldoc.Header && e.Value.Range.Contains(off) && !e.Value.Range.IsZero() {
				return &tomlHit{Path: p, Entry: e, OnKey: true}
			}
		case tomldoc.Array:
			for _, el := range e.Value.Arr {
				if el.Kind == tomldoc.Table {
					if h := walkTOML(el, p, off); h != nil {
						return h
					}
					if e.Value.IsArrayOfTables() && el.Range.Contains(off) && !el.Range.IsZero() {
						return &tomlHit{Path: p, Entry: e, OnKey: true}
					}
					continue
				}
				if el.Range.Contains(off) {
					return &tomlHit{Path: p, Entry: e, Value: el}
				}
			}
			if !e.Value.IsArrayOfTables() && e.Value.Range.Contains(off) {
				return &tomlHit{Path: p, Entry: e, Value: e.Value}
			}
		default:
			if e.Value.Range.Contains(off) {
				return &tomlHit{Path: p, Entry: e, Value: e.Value}
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
func tableEnd(v *tomldoc.Value) int {
	end := v.Range.End
	if v.Kind == tomldoc.Table && v.Table != nil {
		for _, e := range v.Table.Entries {
			if e.KeyRange.End > end {
				end = e.KeyRange.End
			}
			if e.Value != nil {
				if x := tableEnd(e.Value); x > end {
					end = x
				}
			}
		}
	}
	if v.Kind == tomldoc.Array {
		for _, el := range v.Arr {
			if x := tableEnd(el); x > end {
				end = x
			}
		}
	}
	return end
}
