package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A project under a git-ignored directory is passed over by default (like
// ruff), found with --no-respect-gitignore, and always checked when given
// as the path.
func TestBinRespectsGitignore(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		".git/HEAD":                 "ref: refs/heads/main\n",
		".gitignore":                "/vendor/\n",
		"vendor/dep/pyproject.toml": "[build-system]\nbuild-backend = \"maturin\"\n[[\n", // T001 when checked
		"dist/old/pyproject.toml":   "[build-system]\nbuild-backend = \"maturin\"\n[[\n", // never searched
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	vendored := filepath.Join("vendor", "dep", "pyproject.toml")
	for _, tc := range []struct {
		args  []string
		found bool
	}{
		{nil, false},
		{[]string{"--respect-gitignore"}, false},
		{[]string{"--no-respect-gitignore"}, true},
		{[]string{"--no-respect-gitignore", "--respect-gitignore"}, false}, // the last one wins
		{[]string{"--respect-gitignore=false"}, true},
		{[]string{"vendor"}, true},     // a path given is never skipped
		{[]string{"vendor/dep"}, true}, // nor a project found above it
		{[]string{"vendor/dep/pyproject.toml"}, true},
	} {
		code, out, errOut := runBin(t, dir, nil, append([]string{"check", "--format", "concise"}, tc.args...)...)
		got := strings.Contains(out, vendored)
		if got != tc.found || (code == 1) != tc.found {
			t.Errorf("check %q: exit %d, vendored project reported %v, want %v\nstdout:\n%s\nstderr:\n%s", tc.args, code, got, tc.found, out, errOut)
		}
		if strings.Contains(out, "old") {
			t.Errorf("check %q: dist/ searched:\n%s", tc.args, out)
		}
	}
}
