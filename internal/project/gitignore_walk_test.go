package project

import (
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestIgnorePatterns(t *testing.T) {
	for _, tc := range []struct {
		pats  string
		rel   string
		isDir bool
		want  bool
	}{
		{"vendor/", "vendor", true, true},
		{"vendor/", "a/vendor", true, true}, // unanchored: any depth
		{"vendor/", "vendor", false, false}, // directories only
		{"/vendor", "a/vendor", true, false},
		{"/vendor", "vendor", true, true},
		{"a/vendor", "b/a/vendor", true, false}, // a middle slash anchors
		{"a/vendor", "a/vendor", true, true},
		{"**/vendor", "x/y/vendor", true, true},
		{"**/vendor", "vendor", true, true},
		{"a/**/b", "a/b", true, true},
		{"a/**/b", "a/x/y/b", true, true},
		{"a/**/b", "a/x/y/c", true, false},
		{"a/**", "a", true, false}, // what is inside a, not a itself
		{"a/**", "a/x", true, true},
		{"*.egg-info", "pkg.egg-info", true, true},
		{"tmp*\n!tmp-keep", "tmp-keep", true, false},
		{"!tmp-keep\ntmp*", "tmp-keep", true, true}, // the last match wins
		{"# vendor\n", "# vendor", true, false},
		{"\\#x", "#x", true, true},
		{"\\!x", "!x", true, true},
		{"x   ", "x", true, true}, // trailing spaces dropped
		{"[!a]b", "cb", true, true},
		{"[!a]b", "ab", true, false},
		{"x\r\n", "x", true, true},
		{"/", "x", true, false},
		{"**", "x/y", false, true},
		{"**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/x", strings.Repeat("a/", 60) + "y", true, false},
	} {
		ign, _ := verdict(parseIgnore(tc.pats), tc.rel, tc.isDir)
		if ign != tc.want {
			t.Errorf("%q against %q (dir %v) = %v, want %v", tc.pats, tc.rel, tc.isDir, ign, tc.want)
		}
	}
}

const maturinPP = "[build-system]\nbuild-backend = \"maturin\"\n"

func discovered(t *testing.T, root string, opts WalkOptions) []string {
	t.Helper()
	var out []string
	if err := WalkWith(NewLoader(OSFS{}), root, opts, func(p string) {
		r, _ := filepath.Rel(root, filepath.Dir(p))
		out = append(out, filepath.ToSlash(r))
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestWalkRespectsGitignore(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		".git/HEAD":         "ref: refs/heads/main\n",
		".git/info/exclude": "scratch/\n",
		".gitignore":        "# vendored copies\nthird_party/\n/generated\n!/third_party/\ncrates/*/out/\n",
		"pyproject.toml":    maturinPP,
		// ignored
		"generated/pyproject.toml":    maturinPP,
		"scratch/pyproject.toml":      maturinPP,
		"crates/a/out/pyproject.toml": maturinPP,
		"py/.gitignore":               "/pyproject.toml\n",
		"py/pyproject.toml":           maturinPP,
		// not ignored
		"third_party/lib/pyproject.toml": maturinPP, // "!/third_party/" re-includes it
		"py/keep/pyproject.toml":         maturinPP,
		"crates/a/py/pyproject.toml":     maturinPP,
		"sub/generated/pyproject.toml":   maturinPP, // "/generated" is anchored at the root
		"build/pyproject.toml":           maturinPP, // build/ and dist/: never searched
		"dist/x/pyproject.toml":          maturinPP,
		"sub/build/pyproject.toml":       maturinPP,
		"nested/.git/HEAD":               "ref: refs/heads/main\n",
		"nested/scratch/pyproject.toml":  maturinPP, // another repository: the outer exclude does not apply
		"nested/.gitignore":              "ign/\n",
		"nested/ign/pyproject.toml":      maturinPP,
	})
	got := discovered(t, root, WalkOptions{})
	want := []string{".", "crates/a/py", "nested/scratch", "py", "py/keep", "sub/generated", "third_party/lib"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("default walk found %q, want %q", got, want)
	}
	got = discovered(t, root, WalkOptions{NoRespectGitignore: true})
	want = []string{".", "crates/a/out", "crates/a/py", "generated", "nested/ign", "nested/scratch", "py", "py/keep", "scratch", "sub/generated", "third_party/lib"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("walk with NoRespectGitignore found %q, want %q", got, want)
	}
	// The root itself is never skipped, and patterns of the .gitignore
	// files above it still apply below it.
	if got := discovered(t, filepath.Join(root, "generated"), WalkOptions{}); !reflect.DeepEqual(got, []string{"."}) {
		t.Errorf("an ignored root: found %q", got)
	}
	write(t, root, map[string]string{"crates/a/x/out/pyproject.toml": maturinPP, "crates/b/out/pyproject.toml": maturinPP})
	if got := discovered(t, filepath.Join(root, "crates"), WalkOptions{}); !reflect.DeepEqual(got, []string{"a/py", "a/x/out"}) {
		t.Errorf("from crates/: found %q", got)
	}
	if got := discovered(t, filepath.Join(root, "build"), WalkOptions{}); !reflect.DeepEqual(got, []string{"."}) {
		t.Errorf("build/ given as the root: found %q", got)
	}
}

func TestWalkGitignoreWithoutRepository(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"outer.gitignore":         "",
		".gitignore":              "vendor/\n",
		"a/pyproject.toml":        maturinPP,
		"vendor/pyproject.toml":   maturinPP,
		"a/vendor/pyproject.toml": maturinPP,
	})
	if got := discovered(t, root, WalkOptions{}); !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("found %q, want [a]: an exported tree's .gitignore counts from the root down", got)
	}
}
