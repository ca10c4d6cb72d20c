package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
)

// GitHub writes GitHub Actions workflow commands, one annotation per
// diagnostic:
//
//	::error file=pyproject.toml,line=4,col=15,endLine=4,endColumn=23,title=N001 (module-name-mismatch)::message
//
// Errors become ::error, warnings ::warning, info and hints ::notice. Lines
// and columns are 1-based, columns in characters; col/endColumn are left out
// when the range spans lines (GitHub ignores them then). Values are escaped
// like @actions/core does: % CR LF in the message; also : and , in properties.
func GitHub(w io.Writer, ctx *Context, diags []analysis.Diagnostic) error {
	for _, d := range diags {
		l := ctx.lines(d.Path)
		s, e := l.Chars(d.Range.Start), l.Chars(d.Range.End)
		if e.Line < s.Line || (e.Line == s.Line && e.Character < s.Character) {
			e = s
		}
		props := []string{"file=" + escapeProperty(Safe(ctx.RelPath(d.Path))), fmt.Sprintf("line=%d", s.Line+1)}
		if s.Line == e.Line {
			// endColumn is the column just past the range, as ruff writes it.
			props = append(props, fmt.Sprintf("col=%d", s.Character+1), fmt.Sprintf("endLine=%d", e.Line+1), fmt.Sprintf("endColumn=%d", e.Character+1))
		} else {
			props = append(props, fmt.Sprintf("endLine=%d", e.Line+1))
		}
		title := d.Code
		if d.Name != "" {
			title += " (" + d.Name + ")"
		}
		props = append(props, "title="+escapeProperty(title))
		msg := safeLines(d.Message)
		if d.Help != "" {
			msg += "\nhelp: " + safeLines(d.Help)
		}
		if _, err := fmt.Fprintf(w, "::%s %s::%s\n", githubCommand(d.Severity), strings.Join(props, ","), escapeData(msg)); err != nil {
			return err
		}
	}
	return nil
}

func githubCommand(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "error"
	case analysis.Warning:
		return "warning"
	}
	return "notice"
}

// escapeData escapes a workflow command's message (toolkit's escapeData).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value (toolkit's escapeProperty).
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
