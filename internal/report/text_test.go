package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

func TestTextSanitisesControlAndInvalidBytes(t *testing.T) {
	src := []byte("a = 1\n\x00\xff\x1b[31m = \"é\"\n")
	f := &project.SourceFile{Path: "/p/pyproject.toml", Src: src}
	start := bytes.Index(src, []byte(`"é"`))
	d := analysis.Diagnostic{Location: analysis.Location{Path: f.Path, Range: span.Range{Start: start, End: start + len(`"é"`)}},
		Severity: analysis.Error, Code: "T002", Message: "m"}
	var out bytes.Buffer
	if err := Text(&out, &Context{Files: map[string]*project.SourceFile{f.Path: f}, Cwd: "/p"}, []analysis.Diagnostic{d}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.ContainsAny(got, "\x00\x1b") || strings.Contains(got, "\xff") {
		t.Errorf("raw control or invalid bytes reach the terminal: %q", got)
	}
	// ␀ � ␛ [31m = "é": the string starts at character 10 (0-based); the caret must sit under it.
	want := "2 | \u2400\uFFFD\u241b[31m = \"é\"\n  |           ^^^\n"
	if !strings.Contains(got, want) {
		t.Errorf("source line/caret:\n%s\nwant:\n%s", got, want)
	}
	if !strings.HasPrefix(got, "pyproject.toml:2:11: error[T002] m\n") {
		t.Errorf("header: %q", got)
	}
}

// TestCaretWidth: the caret sits under the span in terminal columns:
// emoji and CJK take 2, a combining accent 0, a ZWJ sequence or a flag 2
// as a whole; tabs are kept so the terminal expands them alike.
func TestCaretWidth(t *testing.T) {
	for _, tc := range []struct {
		line, span, want string
	}{
		{`"😀" = "x"`, `"x"`, "       ^^^"},
		{`"名前" = "値"`, `"値"`, "         ^^^^"},
		{"\"e\u0301\" = 1", "1", "      ^"},        // e + U+0301 (combining acute)
		{`"👩‍💻" = 1`, "1", "       ^"},             // woman technologist: one cluster, 2 columns
		{`"🇫🇷" = 1`, "1", "       ^"},              // a flag: two regional indicators, 2 columns
		{"\tname = \"😀\"", `"😀"`, "\t       ^^^^"}, // a tab before the span
	} {
		src := []byte(tc.line + "\n")
		start := strings.LastIndex(tc.line, tc.span)
		f := &project.SourceFile{Path: "/p/a.toml", Src: src}
		d := analysis.Diagnostic{Location: analysis.Location{Path: f.Path, Range: span.Range{Start: start, End: start + len(tc.span)}},
			Severity: analysis.Error, Code: "T002", Message: "m"}
		var out bytes.Buffer
		if err := Text(&out, &Context{Files: map[string]*project.SourceFile{f.Path: f}, Cwd: "/p"}, []analysis.Diagnostic{d}); err != nil {
			t.Fatal(err)
		}
		want := "1 | " + tc.line + "\n  | " + tc.want + "\n"
		if !strings.Contains(out.String(), want) {
			t.Errorf("%q:\n%s\nwant:\n%s", tc.line, out.String(), want)
		}
	}
}
