package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeRuleTable keeps README.md's rule table identical to the one
// generated from the rules (run `go run ./cmd/pyo3-ls rules --markdown`).
func TestReadmeRuleTable(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	start := strings.Index(s, "<!-- rules:start -->\n")
	end := strings.Index(s, "<!-- rules:end -->")
	if start < 0 || end < start {
		t.Fatal("README.md lacks the rules:start/rules:end markers")
	}
	got := s[start+len("<!-- rules:start -->\n") : end]
	if want := rulesMarkdown(); got != want {
		t.Errorf("README rule table is stale; regenerate with `pyo3-ls rules --markdown`.\ngot:\n%s\nwant:\n%s", got, want)
	}
}
