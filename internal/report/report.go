// Package report renders diagnostics for the command line: text (like rustc
// and ruff), concise, JSON (a contract other tools read), SARIF and GitHub
// Actions annotations.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// Context gives renderers what they need besides the diagnostics.
type Context struct {
	Files map[string]*project.SourceFile
	Cwd   string // paths are shown relative to it
	Color bool

	ToolVersion string // pyo3-ls's version, named in SARIF output
}

// RelPath returns path relative to the working directory, with '/'.
func (c *Context) RelPath(path string) string {
	if c.Cwd != "" {
		if r, err := filepath.Rel(c.Cwd, path); err == nil {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(path)
}

func (c *Context) lines(path string) *span.Lines {
	if f := c.Files[path]; f != nil {
		return f.Lines()
	}
	return span.NewLines(nil)
}

// Pos is a 0-based line and UTF-16 character (LSP and JSON positions).
type Pos struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// Range is a JSON/LSP range.
type Range struct {
	Start Pos `json:"start"`
	End   Pos `json:"end"`
}

// LSPRange converts a byte range in path to 0-based lines and UTF-16 characters.
func (c *Context) LSPRange(path string, r span.Range) Range {
	l := c.lines(path)
	s, e := l.UTF16(r.Start), l.UTF16(r.End)
	return Range{Pos{s.Line, s.Character}, Pos{e.Line, e.Character}}
}

// Text writes diagnostics like rustc/ruff: a header line, the source line,
// a caret under the span, help and related notes.
func Text(w io.Writer, ctx *Context, diags []analysis.Diagnostic) error {
	for _, d := range diags {
		l := ctx.lines(d.Path)
		start := l.Chars(d.Range.Start)
		sev := d.Severity.String()
		header := fmt.Sprintf("%s[%s]", sev, d.Code)
		if ctx.Color {
			header = colorFor(d.Severity) + header + "\x1b[0m"
		}
		fmt.Fprintf(w, "%s:%d:%d: %s %s\n", Safe(ctx.RelPath(d.Path)), start.Line+1, start.Character+1, header, Safe(d.Message))
		line := displayLine(l.LineText(start.Line))
		if line != "" || d.Range.End > d.Range.Start {
			num := fmt.Sprint(start.Line + 1)
			pad := strings.Repeat(" ", len(num))
			var endCol int
			if end := l.Chars(d.Range.End); end.Line == start.Line {
				endCol = end.Character
			} else {
				endCol = utf8.RuneCountInString(line)
			}
			prefix, width := caret(line, start.Character, endCol)
			fmt.Fprintf(w, "%s |\n%s | %s\n%s | %s%s\n", pad, num, line, pad, prefix, strings.Repeat("^", width))
			if d.Help != "" {
				fmt.Fprintf(w, "%s = help: %s\n", pad, Safe(d.Help))
			}
			for _, r := range d.Related {
				rs := ctx.lines(r.Path).Chars(r.Range.Start)
				fmt.Fprintf(w, "%s = note: %s:%d:%d: %s\n", pad, Safe(ctx.RelPath(r.Path)), rs.Line+1, rs.Character+1, Safe(r.Message))
			}
		} else if d.Help != "" {
			fmt.Fprintf(w, "  = help: %s\n", Safe(d.Help))
		}
		fmt.Fprintln(w)
	}
	return nil
}

// caret returns what goes under the displayed source line before the
// carets (a space per terminal column, tabs kept so they expand alike) and
// how many carets mark characters [from, to) of line. Widths are terminal
// columns as github.com/rivo/uniseg measures them: grapheme clusters
// (UAX #29) with East Asian Width (UAX #11) and emoji presentation, so a
// CJK character or an emoji counts 2, a combining accent or a zero-width
// joiner 0, and a ZWJ emoji sequence or a flag 2 as a whole.
func caret(line string, from, to int) (string, int) {
	runes := []rune(line)
	from = min(max(from, 0), len(runes))
	to = min(max(to, from), len(runes))
	var prefix strings.Builder
	for _, seg := range strings.SplitAfter(string(runes[:from]), "\t") {
		tab := strings.HasSuffix(seg, "\t")
		prefix.WriteString(strings.Repeat(" ", uniseg.StringWidth(strings.TrimSuffix(seg, "\t"))))
		if tab {
			prefix.WriteByte('\t')
		}
	}
	width := 0
	for _, seg := range strings.Split(string(runes[from:to]), "\t") {
		width += uniseg.StringWidth(seg)
	}
	width += strings.Count(string(runes[from:to]), "\t")
	return prefix.String(), max(width, 1)
}

func colorFor(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "\x1b[1;31m"
	case analysis.Warning:
		return "\x1b[1;33m"
	case analysis.Info:
		return "\x1b[1;36m"
	}
	return "\x1b[1m"
}

// Concise writes one line per diagnostic.
func Concise(w io.Writer, ctx *Context, diags []analysis.Diagnostic) error {
	for _, d := range diags {
		s := ctx.lines(d.Path).Chars(d.Range.Start)
		if _, err := fmt.Fprintf(w, "%s:%d:%d: %s[%s] %s\n", Safe(ctx.RelPath(d.Path)), s.Line+1, s.Character+1, d.Severity, d.Code, Safe(d.Message)); err != nil {
			return err
		}
	}
	return nil
}

// JSONDiagnostic is one entry of the JSON output (DESIGN.md contract).
type JSONDiagnostic struct {
	Path     string        `json:"path"`
	Range    Range         `json:"range"`
	Severity string        `json:"severity"`
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	Message  string        `json:"message"`
	Help     string        `json:"help,omitempty"`
	Related  []JSONRelated `json:"related,omitempty"`
	Fix      *JSONFix      `json:"fix,omitempty"`
}

// JSONFix is the fix `pyo3-ls check --fix` would apply for a diagnostic
// ("safe"), or else the one --unsafe-fixes would ("unsafe").
type JSONFix struct {
	Title         string `json:"title"`
	Applicability string `json:"applicability"`
}

// JSONRelated is a related location in the JSON output.
type JSONRelated struct {
	Path    string `json:"path"`
	Range   Range  `json:"range"`
	Message string `json:"message"`
}

// JSONOutput is the top-level JSON document.
type JSONOutput struct {
	Version     int              `json:"version"`
	Diagnostics []JSONDiagnostic `json:"diagnostics"`
}

// JSON writes the JSON contract: version 1, diagnostics sorted by path then position.
func JSON(w io.Writer, ctx *Context, diags []analysis.Diagnostic) error {
	out := JSONOutput{Version: 1, Diagnostics: make([]JSONDiagnostic, 0, len(diags))}
	for _, d := range diags {
		jd := JSONDiagnostic{Path: ctx.RelPath(d.Path), Range: ctx.LSPRange(d.Path, d.Range), Severity: d.Severity.String(),
			Code: d.Code, Name: d.Name, Message: d.Message, Help: d.Help}
		for _, r := range d.Related {
			jd.Related = append(jd.Related, JSONRelated{Path: ctx.RelPath(r.Path), Range: ctx.LSPRange(r.Path, r.Range), Message: r.Message})
		}
		if f, ok := analysis.ChooseFix(d, false); ok {
			jd.Fix = &JSONFix{Title: f.Title, Applicability: "safe"}
		} else if f, ok := analysis.ChooseFix(d, true); ok {
			jd.Fix = &JSONFix{Title: f.Title, Applicability: "unsafe"}
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	// Sort by the displayed (relative) path, then position.
	sortJSON(out.Diagnostics)
	enc := json.NewEncoder(jsonSafeWriter{w})
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func sortJSON(ds []JSONDiagnostic) {
	less := func(a, b JSONDiagnostic) bool {
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Range.Start.Line != b.Range.Start.Line {
			return a.Range.Start.Line < b.Range.Start.Line
		}
		if a.Range.Start.Character != b.Range.Start.Character {
			return a.Range.Start.Character < b.Range.Start.Character
		}
		return a.Code < b.Code
	}
	sort.SliceStable(ds, func(i, j int) bool { return less(ds[i], ds[j]) })
}

// displayLine makes a source line safe for a terminal without moving the
// caret: each control character becomes its Unicode control picture and each
// invalid UTF-8 byte U+FFFD — one character each, as the column counts them.
func displayLine(line string) string {
	clean := true
	for i := 0; i < len(line); i++ {
		if c := line[i]; c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return line
	}
	var b strings.Builder
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case r < 0x20 && r != '\t':
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune('\u2421')
		case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f || r == 0x061c:
			b.WriteRune('\uFFFD') // C1 control or bidi override: one character, as the column counts it
		default:
			b.WriteString(line[i : i+size])
		}
		i += size
	}
	return b.String()
}
