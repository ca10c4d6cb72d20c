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
