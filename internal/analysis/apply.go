package analysis

import (
	"fmt"
	"sort"
)

// ApplyEdits returns src with edits (all in the same file, byte ranges in
// src) applied. Overlapping edits, or two insertions at the same offset, are
// an error: their result would depend on their order.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Range.Start < es[j].Range.Start })
	prev := -1
	for i, e := range es {
		if e.Range.Start < 0 || e.Range.End < e.Range.Start || e.Range.End > len(src) {
			return nil, fmt.Errorf("edit %d..%d outside the file (%d bytes)", e.Range.Start, e.Range.End, len(src))
		}
		if i > 0 && (e.Range.Start < prev || e.Range.Start == es[i-1].Range.Start) {
			return nil, fmt.Errorf("overlapping edits at byte %d", e.Range.Start)
		}
		prev = e.Range.End
	}
	out := make([]byte, 0, len(src))
	at := 0
	for _, e := range es {
		out = append(out, src[at:e.Range.Start]...)
		out = append(out, e.NewText...)
		at = e.Range.End
	}
	return append(out, src[at:]...), nil
}

// EditsOverlap reports whether two edits of the same file touch: they
// overlap, or one ends where the other starts (an insertion next to a
// replacement), so applying both in one pass is ambiguous.
func EditsOverlap(a, b Edit) bool {
	return a.Path == b.Path && a.Range.Start <= b.Range.End && b.Range.Start <= a.Range.End
}

// ChooseFix picks the fix `pyo3-ls check --fix` applies for d: the
// preferred one, else the first, among the safe fixes (and, when unsafe is
// set, the unsafe ones too). Fixes without edits are never chosen.
func ChooseFix(d Diagnostic, unsafe bool) (Fix, bool) {
	var first *Fix
	for i := range d.Fixes {
		f := &d.Fixes[i]
		if (!f.Safe && !unsafe) || len(f.Edits) == 0 {
			continue
		}
		if f.Preferred {
			return *f, true
		}
		if first == nil {
			first = f
		}
	}
	if first == nil {
		return Fix{}, false
	}
	return *first, true
}
