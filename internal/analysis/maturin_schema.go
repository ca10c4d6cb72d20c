package analysis

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// maturinCheck walks [tool.maturin] against facts.MaturinKeys once and
// sorts what it finds into the three rules that report it.
type maturinFinding struct {
	code string // T002, M003 or M004
	d    Diagnostic
}

func walkMaturin(path string, src []byte, tbl *tomldoc.Value) []maturinFinding {
	var out []maturinFinding
	w := &maturinWalk{path: path, src: src}
	w.table(tbl, facts.MaturinKeys, "tool.maturin", &out)
	return out
}

// maturinWalk is the file being walked (its source lets fixes check their edits).
type maturinWalk struct {
	path string
	src  []byte
}

func specTypeMatches(spec facts.KeySpec, v *tomldoc.Value) bool {
	switch spec.Type {
	case facts.TypeString:
		return v.Kind == tomldoc.String
	case facts.TypeBool:
		return v.Kind == tomldoc.Bool
	case facts.TypeArrayOfString:
		return tStrings.matches(v)
	case facts.TypeTable, facts.TypeTableOfTables:
		return v.Kind == tomldoc.Table
	case facts.TypeArrayOfTable:
		if v.Kind != tomldoc.Array {
			return false
		}
		for _, x := range v.Arr {
			if x.Kind != tomldoc.Table {
				return false
			}
		}
		return true
	case facts.TypeArrayStringOrTable:
		if v.Kind != tomldoc.Array {
			return false
		}
		for _, x := range v.Arr {
			if x.Kind != tomldoc.Table && x.Kind != tomldoc.String {
				return false
			}
		}
		return true
	case facts.TypeStringOrArray:
		return tStrOrStrings.matches(v)
	}
	return true
}

func article(t string) string {
	switch t {
	case facts.TypeString:
		return "a string"
	case facts.TypeBool:
		return "a boolean (true or false)"
	case facts.TypeTable, facts.TypeTableOfTables:
		return "a table"
	}
	return "an " + t
}

func (w *maturinWalk) table(tbl *tomldoc.Value, keys map[string]facts.KeySpec, where string, out *[]maturinFinding) {
	path := w.path
	for _, e := range tbl.Table.Entries {
		spec, ok := keys[e.Key]
		canonical := e.Key
		if !ok {
			for k, s := range keys {
				for _, a := range s.Aliases {
					if a == e.Key {
						spec, ok, canonical = s, true, k
					}
				}
			}
		}
		if !ok {
			if e.Key == "crate-name" && keys["crate_name"].Type != "" {
				continue // M010 explains this one
			}
			*out = append(*out, maturinFinding{"M003", w.unknownKey(tbl, e, keys, where)})
			continue
		}
		_ = canonical
		v := e.Value
		if !specTypeMatches(spec, v) {
			*out = append(*out, maturinFinding{"T002", Diagnostic{Location: Location{Path: path, Range: v.Range},
				Message: fmt.Sprintf("%s.%s must be %s, found %s: maturin stops with \"pyproject.toml ... is invalid\"", where, e.Key, article(spec.Type), v.TypeName())}})
			continue
		}
		sub := where + "." + e.Key
		switch spec.Type {
		case facts.TypeString:
			checkEnum(path, v, spec, sub, out)
		case facts.TypeStringOrArray:
			for _, x := range append([]*tomldoc.Value{v}, v.Arr...) {
				if x.Kind == tomldoc.String {
					checkEnum(path, x, spec, sub, out)
				}
			}
		case facts.TypeTable:
			if spec.Keys != nil {
				w.table(v, spec.Keys, sub, out)
			}
		case facts.TypeTableOfTables:
			for _, te := range v.Table.Entries {
				if te.Value.Kind != tomldoc.Table {
					*out = append(*out, maturinFinding{"T002", Diagnostic{Location: Location{Path: path, Range: te.Value.Range},
						Message: fmt.Sprintf("%s.%s must be a table, found %s", sub, te.Key, te.Value.TypeName())}})
					continue
				}
				if spec.Values != nil {
					w.table(te.Value, spec.Values.Keys, sub+"."+te.Key, out)
				}
			}
		case facts.TypeArrayOfTable, facts.TypeArrayStringOrTable:
			for _, x := range v.Arr {
				if x.Kind != tomldoc.Table || spec.Keys == nil {
					continue
				}
				w.table(x, spec.Keys, sub, out)
				for _, req := range spec.Required {
					if x.Get(req) == nil {
						*out = append(*out, maturinFinding{"T002", Diagnostic{Location: Location{Path: path, Range: x.Range},
							Message: fmt.Sprintf("%s entry is missing the required key %q: maturin stops with \"pyproject.toml ... is invalid\"", sub, req)}})
					}
				}
			}
		}
		if e.Key == "compatibility" || e.Key == "manylinux" {
			if d, ok := checkCompatibility(path, v); ok {
				*out = append(*out, maturinFinding{"M004", d})
			}
		}
	}
}

func checkEnum(path string, v *tomldoc.Value, spec facts.KeySpec, where string, out *[]maturinFinding) {
	if len(spec.Enum) == 0 || strings.HasSuffix(where, ".compatibility") || strings.HasSuffix(where, ".manylinux") {
		return
	}
	for _, e := range spec.Enum {
		if v.Str == e || (!spec.EnumStrict && strings.EqualFold(v.Str, e)) {
			return
		}
	}
	d := Diagnostic{Location: Location{Path: path, Range: v.Range}}
	if spec.EnumStrict {
		d.Message = fmt.Sprintf("%s = %q is not one of %s: maturin stops with \"pyproject.toml ... is invalid\" (unknown variant)", where, v.Str, quoteList(spec.Enum))
		if strings.HasSuffix(where, ".bindings") {
			d.Message += " since 1.16; older maturin built it as pyo3 bindings"
		}
	} else {
		d.Severity = Warning
		d.Message = fmt.Sprintf("%s = %q is not one of %s", where, v.Str, quoteList(spec.Enum))
	}
	if best := nearest(v.Str, spec.Enum); best != "" {
		d.Help = fmt.Sprintf("did you mean %q?", best)
		d.Fixes = []Fix{{Title: fmt.Sprintf("Replace with %q", best), Preferred: true, Edits: []Edit{{Location: d.Location, NewText: quoteTOML(best)}}}}
	}
	*out = append(*out, maturinFinding{"M004", d})
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}

// checkCompatibility mirrors maturin's PlatformTag::from_str (auditwheel/platform_tag.rs).
func checkCompatibility(path string, v *tomldoc.Value) (Diagnostic, bool) {
	s := strings.ToLower(v.Str)
	loc := Location{Path: path, Range: v.Range}
	switch s {
	case "pypi", "off", "linux", "2014", "manylinux2014":
		return Diagnostic{}, false
	case "1", "manylinux1", "2010", "manylinux2010":
		return Diagnostic{Location: loc, Severity: Warning,
			Message: fmt.Sprintf("compatibility %q is older than manylinux2014: maturin warns that it \"is unsupported by the Rust compiler\"", v.Str),
			Help:    "use manylinux2014 (manylinux_2_17) or newer"}, true
	}
	rest := s
	musl := false
	switch {
	case strings.HasPrefix(rest, "manylinux_"):
		rest = rest[len("manylinux_"):]
	case strings.HasPrefix(rest, "musllinux_"):
		rest = rest[len("musllinux_"):]
		musl = true
	}
	parts := strings.Split(rest, "_")
	if len(parts) >= 2 {
		maj, err1 := strconv.Atoi(parts[0])
		min, err2 := strconv.Atoi(parts[1])
		if err1 == nil && err2 == nil {
			if len(parts) > 2 {
				return Diagnostic{Location: loc, Severity: Warning,
					Message: fmt.Sprintf("compatibility %q: maturin reads only %d_%d and ignores the rest (the architecture comes from the build target)", v.Str, maj, min),
					Fixes:   []Fix{{Title: "Drop the architecture suffix", Safe: true, Edits: []Edit{{Location: loc, NewText: quoteTOML(strings.Join([]string{map[bool]string{true: "musllinux", false: "manylinux"}[musl], parts[0], parts[1]}, "_"))}}}}}, true
			}
			if !musl && (maj < 2 || maj == 2 && min < 17) {
				return Diagnostic{Location: loc, Severity: Warning,
					Message: fmt.Sprintf("compatibility %q is older than manylinux_2_17: maturin warns that it \"is unsupported by the Rust compiler\"", v.Str)}, true
			}
			return Diagnostic{}, false
		}
	}
	kind := "manylinux"
	if musl {
		kind = "musllinux"
	}
	return Diagnostic{Location: loc,
		Message: fmt.Sprintf("compatibility %q is not a valid platform tag: maturin stops with \"invalid %s option\"", v.Str, kind),
		Help:    "use pypi, linux, manylinux2014, manylinux_X_Y (e.g. manylinux_2_28) or musllinux_X_Y; the architecture is not part of it"}, true
}

func (w *maturinWalk) unknownKey(tbl *tomldoc.Value, e *tomldoc.Entry, keys map[string]facts.KeySpec, where string) Diagnostic {
	path := w.path
	names := make([]string, 0, len(keys))
	canon := map[string]string{} // name or alias -> key
	for k, s := range keys {
		names = append(names, k)
		names = append(names, s.Aliases...)
		canon[k] = k
		for _, a := range s.Aliases {
			canon[a] = k
		}
	}
	sort.Strings(names)
	d := Diagnostic{Location: Location{Path: path, Range: e.KeyRange},
		Message: fmt.Sprintf("unknown key %q in [%s]: maturin ignores it silently", e.Key, where)}
	if where == "tool.maturin" && e.Key == "sdist-include" {
		// removed in maturin 0.15; include with format "sdist" does the same
		d.Message += " (sdist-include was removed in maturin 0.15)"
		d.Help = "use include = [{ path = \"…\", format = \"sdist\" }]"
		return d
	}
	best := nearest(e.Key, names)
	if best == "" {
		return d
	}
	d.Message += fmt.Sprintf("; did you mean %q?", best)
	// The key it resembles may already be set (module_name beside
	// module-name): renaming would write a duplicate key, so offer to
	// remove the ignored one instead, which keeps the build as it is.
	var present *tomldoc.Entry
	for _, x := range tbl.Table.Entries {
		if x != e && canon[x.Key] == canon[best] {
			present = x
		}
	}
	if present != nil {
		d.Message = fmt.Sprintf("unknown key %q in [%s]: maturin ignores it silently and uses %q, which is also set", e.Key, where, present.Key)
		d.Help = fmt.Sprintf("remove it (maturin uses %s = %s)", present.Key, w.text(present.Value.Range))
		if ed, ok := w.removeEntry(e); ok {
			d.Fixes = []Fix{{Title: fmt.Sprintf("Remove the ignored key %q", e.Key), Preferred: true, Safe: true, Edits: []Edit{ed}}}
		}
		return d
	}
	d.Help = fmt.Sprintf("rename it to %q", best)
	ed := Edit{Location: d.Location, NewText: best}
	if w.parsesAfter(ed) {
		d.Fixes = []Fix{{Title: fmt.Sprintf("Rename to %q", best), Preferred: true, Edits: []Edit{ed}}}
	}
	return d
}

func (w *maturinWalk) text(r span.Range) string {
	if r.Start < 0 || r.End > len(w.src) || r.Start > r.End {
		return ""
	}
	return string(w.src[r.Start:r.End])
}

// removeEntry deletes e's lines when nothing else shares them; the edited
// file must parse.
func (w *maturinWalk) removeEntry(e *tomldoc.Entry) (Edit, bool) {
	if w.src == nil || e.Value.Range.End > len(w.src) {
		return Edit{}, false
	}
	ed := deleteLines(&project.SourceFile{Path: w.path, Src: w.src}, span.Range{Start: e.KeyRange.Start, End: e.Value.Range.End})
	// Only whitespace (or the key's own dotted prefix) before the key and
	// only whitespace or a comment after the value on their lines.
	before := strings.TrimSpace(string(w.src[ed.Range.Start:e.KeyRange.Start]))
	after := strings.TrimSpace(string(w.src[e.Value.Range.End:ed.Range.End]))
	if strings.ContainsAny(before, "{,=[") || after != "" && !strings.HasPrefix(after, "#") {
		return Edit{}, false
	}
	if !w.parsesAfter(ed) {
		return Edit{}, false
	}
	return ed, true
}

// parsesAfter reports whether the file still parses as TOML with ed applied
// (a rename must not write a duplicate key).
func (w *maturinWalk) parsesAfter(ed Edit) bool {
	if w.src == nil {
		return true
	}
	out := make([]byte, 0, len(w.src)+len(ed.NewText))
	out = append(out, w.src[:ed.Range.Start]...)
	out = append(out, ed.NewText...)
	out = append(out, w.src[ed.Range.End:]...)
	_, err := tomldoc.Parse(out)
	return err == nil
}

// nearest returns the candidate closest to s (case-, '-'/'_'-insensitive
// equality first, then edit distance up to a third of the length).
func nearest(s string, candidates []string) string {
	norm := func(x string) string { return strings.ReplaceAll(strings.ToLower(x), "_", "-") }
	for _, c := range candidates {
		if norm(c) == norm(s) {
			return c
		}
	}
	best, bestD := "", len(s)/3+1
	if bestD > 3 {
		bestD = 3
	}
	for _, c := range candidates {
		if d := levenshtein(norm(s), norm(c)); d <= bestD && (best == "" || d < levenshtein(norm(s), norm(best))) {
			best = c
		}
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func reportMaturin(p *Pass, code string) {
	pp := p.Project.Pyproject
	if pp == nil || pp.Maturin == nil {
		return
	}
	for _, f := range p.Info().maturinFindings() {
		if f.code == code {
			p.Report(f.d)
		}
	}
}
