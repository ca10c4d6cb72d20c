package analysis

import (
	"fmt"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/rustsrc"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// Inline suppressions
//
//	key = "x"  # pyo3-ls: ignore[N001]          this line
//	# pyo3-ls: ignore[N001, M003]               the next code line
//	# pyo3-ls: ignore                           every rule, next code line
//	# pyo3-ls: ignore-file[L002]                the whole file
//	#[pymodule] // pyo3-ls: ignore[N001]        Rust: the same with //
//
// An own-line comment applies to the next line that is not blank or a
// comment; in Rust, when that line is an attribute (#[...]), to the
// following attribute lines and the item line after them too. A diagnostic
// is suppressed when it starts on a line a matching directive applies to.
// Directives may follow other comment text ("# note  # pyo3-ls: ignore").

// Lang is the comment syntax of a file.
type Lang int

const (
	LangUnknown Lang = iota
	LangTOML         // # comments
	LangRust         // // comments
)

// LangOf returns the comment syntax of a project file.
func LangOf(f *project.SourceFile) Lang {
	switch {
	case f == nil:
		return LangUnknown
	case f.Rust != nil || strings.HasSuffix(f.Path, ".rs"):
		return LangRust
	case f.Doc != nil || strings.HasSuffix(f.Path, ".toml") || strings.HasSuffix(f.Path, ".lock"):
		return LangTOML
	}
	return LangUnknown
}

// CommentMarker is what starts a line comment: "//" in Rust, "#" in TOML
// (and for anything else).
func (l Lang) CommentMarker() string {
	if l == LangRust {
		return "//"
	}
	return "#"
}

const directivePrefix = "pyo3-ls:"

// SuppressionComment returns the comment that suppresses codes on the line
// it ends (or, on a line of its own, the next line): "# pyo3-ls: ignore[N001, M003]"
// for TOML, "// pyo3-ls: ignore[N001]" for Rust. No codes: every rule.
func SuppressionComment(lang Lang, codes ...string) string {
	d := lang.CommentMarker() + " " + directivePrefix + " ignore"
	if len(codes) > 0 {
		d += "[" + strings.Join(codes, ", ") + "]"
	}
	return d
}

// SuppressedCode is one code inside a directive's brackets.
type SuppressedCode struct {
	Code  string // upper-cased
	Range span.Range
}

// Suppression is one `pyo3-ls: ignore` directive.
type Suppression struct {
	Path      string
	Comment   span.Range // the whole comment, from its marker to the line end
	Directive span.Range // "pyo3-ls: ignore[...]"
	Brackets  span.Range // inside the brackets (zero when there are none)
	File      bool       // ignore-file
	All       bool       // no brackets: every rule
	Codes     []SuppressedCode
	Malformed string // non-empty: why the directive could not be read
	Line      int    // 0-based line of the comment
	Lines     []int  // 0-based lines it applies to (not for File)
	OwnLine   bool   // the comment is alone on its line
}

// Covers reports whether the suppression applies to a diagnostic of code
// starting on line.
func (s *Suppression) Covers(code string, line int) bool {
	if s.Malformed != "" || code == ruleX002Code {
		return false
	}
	if !s.File && !containsInt(s.Lines, line) {
		return false
	}
	if s.All {
		return true
	}
	for _, c := range s.Codes {
		if c.Code == code {
			return true
		}
	}
	return false
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Suppressions returns the directives in a project file's comments (none
// for a TOML file that does not parse).
func Suppressions(f *project.SourceFile) []Suppression {
	if !f.MayHaveDirective() {
		return nil // most files: no comment to look at, no line index to build
	}
	lang := LangOf(f)
	var ranges []span.Range
	switch {
	case lang == LangTOML && f.Doc != nil:
		for _, c := range f.Doc.Comments {
			ranges = append(ranges, c.Range)
		}

	case lang == LangRust && f.Rust != nil:
		for _, c := range f.Rust.Comments {
			ranges = append(ranges, c.Range)
		}
	default:
		return nil
	}
	return parseSuppressions(f.Path, f.Src, f.Lines(), lang, ranges)
}

func parseSuppressions(path string, src []byte, lines *span.Lines, lang Lang, comments []span.Range) []Suppression {
	var out []Suppression
	for _, cr := range comments {
		if cr.Start < 0 || cr.End > len(src) || cr.Start >= cr.End {
			continue
		}
		text := string(src[cr.Start:cr.End])
		i := strings.Index(text, directivePrefix)
		if i < 0 {
			continue
		}
		j := i + len(directivePrefix)
		for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
			j++
		}
		rest := text[j:]
		s := Suppression{Path: path, Comment: cr}
		switch {
		case strings.HasPrefix(rest, "ignore-file"):
			s.File = true
			j += len("ignore-file")
		case strings.HasPrefix(rest, "ignore"):
			j += len("ignore")
		default:
			continue // "pyo3-ls: something else" is not ours to judge
		}
		if j < len(text) && text[j] != '[' && text[j] != ' ' && text[j] != '\t' && text[j] != ',' && text[j] != ';' && text[j] != '#' && text[j] != '/' {
			continue // "ignored", "ignorefoo": prose, not a directive
		}
		if j < len(text) && text[j] == '[' {
			k := strings.IndexByte(text[j:], ']')
			if k < 0 {
				s.Malformed = "missing ']'"
				s.Directive = span.Range{Start: cr.Start + i, End: cr.End}
			} else {
				inner := span.Range{Start: cr.Start + j + 1, End: cr.Start + j + k}
				s.Brackets = inner
				s.Directive = span.Range{Start: cr.Start + i, End: cr.Start + j + k + 1}
				off := inner.Start
				for _, part := range strings.Split(string(src[inner.Start:inner.End]), ",") {
					lead := len(part) - len(strings.TrimLeft(part, " \t"))
					code := strings.TrimSpace(part)
					if code != "" {
						start := off + lead
						s.Codes = append(s.Codes, SuppressedCode{Code: strings.ToUpper(code), Range: span.Range{Start: start, End: start + len(code)}})
					}
					off += len(part) + 1
				}
				if len(s.Codes) == 0 {
					s.Malformed = "no rule code inside the brackets"
				}
			}
		} else {
			s.All = true
			s.Directive = span.Range{Start: cr.Start + i, End: cr.Start + j}
		}
		s.Line = lines.LineOf(cr.Start)
		s.OwnLine = strings.TrimSpace(string(src[lines.LineStart(s.Line):cr.Start])) == ""
		if !s.File {
			if s.OwnLine {
				s.Lines = targetLines(lines, lang, s.Line)
			} else {
				s.Lines = []int{s.Line}
			}
		}
		out = append(out, s)
	}
	return out
}

// targetLines returns the lines an own-line directive on line applies to.
func targetLines(lines *span.Lines, lang Lang, line int) []int {
	comment := lang.CommentMarker()
	var out []int
	for n := line + 1; n < lines.Count() && n <= line+64; n++ {
		t := strings.TrimSpace(lines.LineText(n))
		if t == "" || strings.HasPrefix(t, comment) {
			continue
		}
		out = append(out, n)
		if lang == LangRust && (strings.HasPrefix(t, "#[") || strings.HasPrefix(t, "#![")) {
			continue // an attribute: the item it belongs to follows
		}
		break
	}
	return out
}

const ruleX002Code = "X002"

// suppress removes the diagnostics that a directive covers and, when X002
// is enabled, reports the directives that cover nothing.
func suppress(p *project.Project, ds []Diagnostic, enabled func(string) bool) []Diagnostic {
	files := p.Files()
	directive := false
	for _, f := range files {
		if f.MayHaveDirective() {
			directive = true
			break
		}
	}
	if !directive {
		return ds // no file mentions pyo3-ls: (Suppressions would find nothing)
	}
	type fileSupp struct {
		f     *project.SourceFile
		supps []Suppression
		used  [][]bool // per suppression: per code (or [0] for All)
	}
	byPath := map[string]*fileSupp{}
	found := false
	for _, f := range files {
		if _, seen := byPath[f.Path]; seen {
			continue
		}
		s := Suppressions(f)
		fs := &fileSupp{f: f, supps: s, used: make([][]bool, len(s))}
		for i := range s {
			fs.used[i] = make([]bool, max(1, len(s[i].Codes)))
		}
		byPath[f.Path] = fs
		found = found || len(s) > 0
	}
	if !found {
		return ds
	}
	out := ds[:0]
	for _, d := range ds {
		fs := byPath[d.Path]
		if fs == nil || len(fs.supps) == 0 || Unhideable(d.Code) {
			out = append(out, d)
			continue
		}
		line := fs.f.Lines().LineOf(d.Range.Start)
		hit := false
		for i := range fs.supps {
			s := &fs.supps[i]
			if !s.Covers(d.Code, line) {
				continue
			}
			hit = true
			if s.All {
				fs.used[i][0] = true
			}
			for k, c := range s.Codes {
				if c.Code == d.Code {
					fs.used[i][k] = true
				}
			}
		}
		if !hit {
			out = append(out, d)
		}
	}
	if !enabled(ruleX002Code) {
		return out
	}
	owned := map[string]bool{}
	if p.PyprojectFile != nil {
		owned[p.PyprojectFile.Path] = true
	}
	if p.ManifestFile != nil {
		owned[p.ManifestFile.Path] = true
	}
	for _, f := range p.RustFiles {
		owned[f.Path] = true
	}
	for _, f := range files {
		fs := byPath[f.Path]
		if !owned[f.Path] || fs == nil || fs.f != f {
			continue
		}
		for i := range fs.supps {
			if d, ok := unusedDiagnostic(fs.f, &fs.supps[i], fs.used[i], enabled); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

// unusedDiagnostic builds the X002 diagnostic of a directive, if it has unused or unknown codes.
func unusedDiagnostic(f *project.SourceFile, s *Suppression, used []bool, enabled func(string) bool) (Diagnostic, bool) {
	d := Diagnostic{Location: Location{Path: f.Path}, Severity: ruleX002.Severity, Code: ruleX002.Code, Name: ruleX002.Name}
	where := "on this line"
	if s.OwnLine {
		where = "on the next line"
	}
	if s.File {
		where = "in this file"
	}
	if s.Malformed != "" {
		d.Range = wholeRange(f, s)
		d.Message = fmt.Sprintf("malformed suppression comment (%s); it suppresses nothing", s.Malformed)
		d.Help = "write it as " + SuppressionComment(LangOf(f), "N001", "M003") + ", or without brackets for every rule"
		d.Fixes = []Fix{{Title: "Remove the suppression comment", Edits: []Edit{removeDirective(f, s)}, Preferred: true, Safe: true}}
		return d, true
	}
	if s.All {
		if used[0] {
			return d, false
		}
		d.Range = wholeRange(f, s)
		d.Message = fmt.Sprintf("unused suppression: no diagnostic %s to suppress", where)
		d.Fixes = []Fix{{Title: "Remove the unused suppression", Edits: []Edit{removeDirective(f, s)}, Preferred: true, Safe: true}}
		return d, true
	}
	var bad []SuppressedCode
	var unknown, unused, keep []string
	for k, c := range s.Codes {
		switch {
		case registry[c.Code] == nil:
			unknown = append(unknown, c.Code)
			bad = append(bad, c)
		case used[k] || !enabled(c.Code):
			keep = append(keep, c.Code)
		default:
			unused = append(unused, c.Code)
			bad = append(bad, c)
		}
	}
	if len(bad) == 0 {
		return d, false
	}
	var parts []string
	if len(unknown) > 0 {
		parts = append(parts, fmt.Sprintf("unknown rule code%s %s", plural(len(unknown)), quoteAll(unknown)))
	}
	if len(unused) > 0 {
		parts = append(parts, fmt.Sprintf("no %s diagnostic %s", strings.Join(unused, " or "), where))
	}
	d.Message = "unused suppression: " + strings.Join(parts, "; ")
	if len(unknown) > 0 && len(unused) == 0 {
		d.Message = "suppression names " + parts[0] + " (see 'pyo3-ls rules')"
	}
	if len(keep) == 0 {
		d.Range = wholeRange(f, s)
		d.Fixes = []Fix{{Title: "Remove the suppression comment", Edits: []Edit{removeDirective(f, s)}, Preferred: true, Safe: true}}
		return d, true
	}
	d.Range = span.Range{Start: bad[0].Range.Start, End: bad[len(bad)-1].Range.End}
	d.Fixes = []Fix{{
		Title:     fmt.Sprintf("Remove %s from the suppression", strings.Join(append(unknown, unused...), ", ")),
		Edits:     []Edit{{Location: Location{Path: f.Path, Range: s.Brackets}, NewText: strings.Join(keep, ", ")}},
		Preferred: true,
		Safe:      true,
	}}
	return d, true
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func quoteAll(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// wholeComment reports whether the directive is all its comment holds.
func wholeComment(f *project.SourceFile, s *Suppression) bool {
	head := string(f.Src[s.Comment.Start:s.Directive.Start])
	tail := strings.TrimSpace(string(f.Src[s.Directive.End:s.Comment.End]))
	return strings.TrimSpace(strings.TrimLeft(head, "/#")) == "" && tail == ""
}

// wholeRange is the range an X002 for the whole directive points at: the
// comment when the directive is all of it, else the directive.
func wholeRange(f *project.SourceFile, s *Suppression) span.Range {
	if wholeComment(f, s) {
		return s.Comment
	}
	return s.Directive
}

// removeDirective returns the edit deleting a directive: the whole line when
// the comment is alone on it, the comment and the blanks before it when it
// ends a line, and only the directive when the comment holds other text.
func removeDirective(f *project.SourceFile, s *Suppression) Edit {
	src := f.Src
	lines := f.Lines()
	marker := LangOf(f).CommentMarker()
	whole := wholeComment(f, s)
	var r span.Range
	switch {
	case whole && s.OwnLine:
		start := lines.LineStart(s.Line)
		end := lines.LineStart(s.Line + 1)
		if s.Line+1 >= lines.Count() {
			end = len(src)
		}
		r = span.Range{Start: start, End: end}
	case whole:
		start := s.Comment.Start
		for start > 0 && (src[start-1] == ' ' || src[start-1] == '\t') {
			start--
		}
		r = span.Range{Start: start, End: s.Comment.End}
	default:
		// Other text in the comment: drop the directive, its own inner
		// marker ("# note  # pyo3-ls: ...") and the blanks before it.
		start := s.Directive.Start
		trimmed := strings.TrimRight(string(src[s.Comment.Start:start]), " \t")
		if strings.HasSuffix(trimmed, marker) && len(trimmed) > len(marker) {
			trimmed = strings.TrimRight(trimmed[:len(trimmed)-len(marker)], " \t")
		}
		start = s.Comment.Start + len(trimmed)
		r = span.Range{Start: start, End: s.Directive.End}
	}
	return Edit{Location: Location{Path: f.Path, Range: r}}
}

// SuppressFix returns the quick fix that suppresses d with an inline
// comment: it adds d.Code to a directive already covering d's line, or
// appends SuppressionComment to the line, or (where a trailing comment
// would land inside a multi-line string) puts it on its own line above.
// It returns false when the file cannot carry a suppression (a TOML file
// that does not parse, a file that is not TOML or Rust) and for the codes
// no directive hides (X002, T001, T003).
func SuppressFix(f *project.SourceFile, d Diagnostic) (Fix, bool) {
	lang := LangOf(f)
	if lang == LangUnknown || f.Src == nil || (lang == LangTOML && f.Doc == nil && !f.LightLock) || (lang == LangRust && f.Rust == nil) {
		return Fix{}, false
	}
	// A directive never hides X002 (it reports directives) nor T001/T003:
	// the comment would only add an unused code.
	if d.Code == ruleX002Code || Unhideable(d.Code) {
		return Fix{}, false
	}
	lines := f.Lines()
	line := lines.LineOf(d.Range.Start)
	title := fmt.Sprintf("Suppress %s on this line (%s)", d.Code, SuppressionComment(lang, d.Code))
	supps := Suppressions(f)
	for i := range supps {
		s := &supps[i]
		if s.File || s.Malformed != "" || !containsInt(s.Lines, line) {
			continue
		}
		if s.All {
			return Fix{}, false // already suppressed
		}
		return Fix{Title: title, Edits: []Edit{{Location: Location{Path: f.Path, Range: span.Range{Start: s.Brackets.End, End: s.Brackets.End}}, NewText: ", " + d.Code}}}, true
	}
	comment := SuppressionComment(lang, d.Code)
	// At the end of the line.
	text := lines.LineText(line)
	end := lines.LineStart(line) + len(text)
	trailing := span.Range{Start: strings.LastIndexFunc(text, func(r rune) bool { return r != ' ' && r != '\t' }) + 1 + lines.LineStart(line)}
	trailing.End = end
	if e := (Edit{Location: Location{Path: f.Path, Range: trailing}, NewText: "  " + comment}); suppressesAfter(f, e, d.Code, line, 0) {
		return Fix{Title: title, Edits: []Edit{e}}, true
	}
	// On its own line above, with the line's indentation.
	indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	start := lines.LineStart(line)
	if e := (Edit{Location: Location{Path: f.Path, Range: span.Range{Start: start, End: start}}, NewText: indent + comment + "\n"}); suppressesAfter(f, e, d.Code, line, 1) {
		return Fix{Title: title, Edits: []Edit{e}}, true
	}
	return Fix{}, false
}

// suppressesAfter applies e to a copy of f and checks that the file then
// carries a directive covering code on line (moved down by shift lines).
func suppressesAfter(f *project.SourceFile, e Edit, code string, line, shift int) bool {
	src := make([]byte, 0, len(f.Src)+len(e.NewText))
	src = append(src, f.Src[:e.Range.Start]...)
	src = append(src, e.NewText...)
	src = append(src, f.Src[e.Range.End:]...)
	nf := &project.SourceFile{Path: f.Path, Src: src}
	switch LangOf(f) {
	case LangTOML:
		doc, err := tomldoc.Parse(src)
		if err != nil || doc == nil {
			return false
		}
		nf.Doc = doc
	case LangRust:
		nf.Rust = rustsrc.Scan(src)
	}
	for _, s := range Suppressions(nf) {
		if s.Covers(code, line+shift) {
			return true
		}
	}
	return false
}
