package project

import (
	"path/filepath"
	"testing"
)

func TestIgnoredBy(t *testing.T) {
	gi := "# generated\npython/pyxel/LICENSE\n/python/pyxel/README.md\n*.so\nbuild/\n!keep.so\n"
	for rel, want := range map[string]bool{
		"python/pyxel/LICENSE":   true,
		"python/pyxel/README.md": true,
		"pyxel/README.md":        false, // anchored to the .gitignore's directory
		"a/b/x.so":               true,
		"keep.so":                false, // negated later
		"build/lib/x.py":         true,
		"src/lib.rs":             false,
	} {
		if got := ignoredBy(gi, rel); got != want {
			t.Errorf("ignoredBy(%q) = %v, want %v", rel, got, want)
		}
	}
}

func TestGitIgnoredStopsAtRepoRoot(t *testing.T) {
	outer := t.TempDir()
	write(t, outer, map[string]string{
		".gitignore":                 "README.md\n",
		"repo/.git/HEAD":             "ref: refs/heads/main\n",
		"repo/.gitignore":            "python/pyxel/README.md\n",
		"repo/python/pyproject.toml": "[tool.maturin]\n",
	})
	p := Load(NewLoader(OSFS{}), filepath.Join(outer, "repo", "python", "pyproject.toml"))
	if !p.GitIgnored(filepath.Join(outer, "repo", "python", "pyxel", "README.md")) {
		t.Error("ignored by the repository's .gitignore")
	}
	if p.GitIgnored(filepath.Join(outer, "repo", "python", "README.md")) {
		t.Error("a .gitignore above the repository root must not count")
	}
}
