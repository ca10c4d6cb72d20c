package server_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlainTextHoverAndRuleLinks: a client that asks for plain text gets no
// Markdown, and every diagnostic links its rule's page in docs/rules.
func TestPlainTextHoverAndRuleLinks(t *testing.T) {
	dir := fixture(t, nil)
	c := serve(t)
	mark := c.mark()
	c.initializeCaps(dir, map[string]any{"textDocument": map[string]any{"hover": map[string]any{"contentFormat": []string{"plaintext"}}}})
	py := filepath.Join(dir, "pyproject.toml")
	ds := c.waitPublish(mark, fileURI(py), func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	for _, d := range ds {
		want := "https://github.com/pyo3-ls/pyo3-ls/blob/main/docs/rules/" + d.Code + ".md"
		if d.CodeDescription == nil || d.CodeDescription.Href != want {
			t.Errorf("%s: codeDescription = %+v, want href %q", d.Code, d.CodeDescription, want)
		}
		if _, err := os.Stat(filepath.Join("..", "..", "docs", "rules", d.Code+".md")); err != nil {
			t.Errorf("%s: no page in docs/rules: %v", d.Code, err)
		}
	}
	var h struct {
		Contents struct {
			Kind  string `json:"kind"`
			Value string `json:"value"`
		} `json:"contents"`
	}
	c.result("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": fileURI(py)}, "position": posOf(t, fixturePyproject, "module-name")}, &h)
	if h.Contents.Kind != "plaintext" || h.Contents.Value == "" || strings.ContainsAny(h.Contents.Value, "`*") || strings.Contains(h.Contents.Value, "```") {
		t.Errorf("plaintext hover: %+v", h.Contents)
	}
	c.shutdown()
}
