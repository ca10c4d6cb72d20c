package project

import (
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
)

// cleanPath, pathJoin and pathDir give exactly filepath's results.
func TestPathHelpersMatchFilepath(t *testing.T) {
	parts := []string{"/", "/", "/", ".", "..", "a", "bc", "", "x.rs", ".git", "..."}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 200_000; i++ {
		var p string
		for n := r.Intn(8); n >= 0; n-- {
			p += parts[r.Intn(len(parts))]
		}
		if got, want := cleanPath(p), filepath.Clean(p); got != want {
			t.Fatalf("cleanPath(%q) = %q, want %q", p, got, want)
		}
		if got, want := pathDir(p), filepath.Dir(p); got != want {
			t.Fatalf("pathDir(%q) = %q, want %q", p, got, want)
		}
		if isCleanAbs(p) != (filepath.IsAbs(p) && filepath.Clean(p) == p) {
			t.Fatalf("isCleanAbs(%q)", p)
		}
		q := parts[r.Intn(len(parts))]
		s := parts[r.Intn(len(parts))] + parts[r.Intn(len(parts))]
		if got, want := pathJoin(p, q, s), filepath.Join(p, q, s); got != want {
			t.Fatalf("pathJoin(%q, %q, %q) = %q, want %q", p, q, s, got, want)
		}
	}
}

// within answers as strings.HasPrefix(path, root+"/") did, without
// building root+"/".
func TestWithinMatchesPrefix(t *testing.T) {
	parts := []string{"/", "a", "ab", "/a", "/ab", "b", ""}
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 100_000; i++ {
		var p, root string
		for n := r.Intn(5); n >= 0; n-- {
			p += parts[r.Intn(len(parts))]
		}
		for n := r.Intn(4); n >= 0; n-- {
			root += parts[r.Intn(len(parts))]
		}
		want := p == root || strings.HasPrefix(p, root+string(filepath.Separator)) || root == string(filepath.Separator)
		if got := within(p, root); got != want {
			t.Fatalf("within(%q, %q) = %v, want %v", p, root, got, want)
		}
	}
}
