package project

import (
	"math/rand"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// refMatch is the former backtracking matcher: exponential, but the
// reference for what matches.
func refMatch(ps, rs []string) bool {
	for len(ps) > 0 {
		if ps[0] == "**" {
			for i := 0; i <= len(rs); i++ {
				if refMatch(ps[1:], rs[i:]) {
					return true
				}
			}
			return false
		}
		if len(rs) == 0 {
			return false
		}
		if ok, err := path.Match(ps[0], rs[0]); err != nil || !ok {
			return false
		}
		ps, rs = ps[1:], rs[1:]
	}
	return len(rs) == 0
}

func TestMatchSegmentsAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	pick := []string{"**", "*", "a", "b", "a*", "?", "[ab]", "c"}
	names := []string{"a", "b", "c", "ab", "ba"}
	for n := 0; n < 20000; n++ {
		ps := make([]string, rng.Intn(6))
		for i := range ps {
			ps[i] = pick[rng.Intn(len(pick))]
		}
		rs := make([]string, rng.Intn(6))
		for i := range rs {
			rs[i] = names[rng.Intn(len(names))]
		}
		if got, want := MatchSegments(ps, rs), refMatch(ps, rs); got != want {
			t.Fatalf("MatchSegments(%q, %q) = %v, want %v", ps, rs, got, want)
		}
	}
}

// Issue 16 item 3: members = ["**/**/…/x"] (15 KB) never finished.
func TestGlobBombMembers(t *testing.T) {
	bomb := strings.Repeat("**/", 5000) + "x"
	rel := "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t"
	if globMatch(bomb, rel) {
		t.Fatal("matched")
	}
	if !globMatch(bomb, rel+"/x") {
		t.Fatal("no match")
	}
	// Through the snapshot: a workspace whose members hold the bomb.
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"Cargo.toml": "[workspace]\nmembers = [\"" + bomb + "\", \"" + strings.Repeat("*/**/", 2000) + "y\"]\nexclude = [\"" + strings.Repeat("**/", 3000) + "z\"]\n",
		"a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/pyproject.toml": "[tool.maturin]\n",
		"a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/Cargo.toml":     "[package]\nname = \"p\"\n",
	})
	p := Load(NewLoader(OSFS{}), filepath.Join(dir, "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/pyproject.toml"))
	if p.Workspace != nil {
		t.Error("crate taken as a member")
	}
}
