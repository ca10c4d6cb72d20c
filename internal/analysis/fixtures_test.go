package analysis

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// TestRuleFixtures runs every fixture under testdata/rules/<CODE>/: a fail-*
// fixture must produce exactly the diagnostics of its code listed in its
// expect file (path:line:col CODE, 1-based, column in characters); a pass-*
// fixture must produce no diagnostic of its code, and no error or warning at all.
func TestRuleFixtures(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "rules")
	codes, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		code := c.Name()
		if Lookup(code) == nil {
			t.Errorf("fixtures for unknown rule %s", code)
			continue
		}
		cases, _ := os.ReadDir(filepath.Join(root, code))
		var sawFail, sawPass bool
		for _, cs := range cases {
			if !cs.IsDir() {
				continue
			}
			dir, _ := filepath.Abs(filepath.Join(root, code, cs.Name()))
			name := code + "/" + cs.Name()
			switch {
			case strings.HasPrefix(cs.Name(), "fail"):
				sawFail = true
				t.Run(name, func(t *testing.T) { checkFail(t, dir, code) })
			case strings.HasPrefix(cs.Name(), "pass"):
				sawPass = true
				t.Run(name, func(t *testing.T) { checkPass(t, dir, code) })
			}
		}
		if !sawFail || !sawPass {
			t.Errorf("%s: needs at least one fail-* and one pass-* fixture", code)
		}
	}
}

func runFixture(t *testing.T, dir string) ([]string, []Diagnostic) {
	t.Helper()
	l := project.NewLoader(project.OSFS{})
	res, err := Check(l, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Projects) == 0 {
		t.Fatalf("no maturin project found in %s", dir)
	}
	var lines []string
	for _, d := range res.Diagnostics {
		li := span.NewLines(nil)
		if f := res.Files[d.Path]; f != nil {
			li = f.Lines()
		}
		p := li.Chars(d.Range.Start)
		lc := fmt.Sprintf("%d:%d", p.Line+1, p.Character+1)
		rel, _ := filepath.Rel(dir, d.Path)
		lines = append(lines, fmt.Sprintf("%s:%s %s", filepath.ToSlash(rel), lc, d.Code))
	}
	return lines, res.Diagnostics
}

func readExpect(t *testing.T, dir string) []string {
	f, err := os.Open(filepath.Join(dir, "expect"))
	if err != nil {
		t.Fatalf("fail fixture without expect file: %v", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

func checkFail(t *testing.T, dir, code string) {
	got, diags := runFixture(t, dir)
	want := readExpect(t, dir)
	var gotCode []string
	for _, g := range got {
		if strings.HasSuffix(g, " "+code) {
			gotCode = append(gotCode, g)
		}
	}
	sort.Strings(gotCode)
	sort.Strings(want)
	if strings.Join(gotCode, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics of %s:\n got: %q\nwant: %q\nall: %s", code, gotCode, want, describe(diags))
	}
}

func checkPass(t *testing.T, dir, code string) {
	got, diags := runFixture(t, dir)
	for i, g := range got {
		if strings.HasSuffix(g, " "+code) || diags[i].Severity >= Warning {
			t.Errorf("clean fixture reports %s: %s", g, diags[i].Message)
		}
	}
}

func describe(ds []Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "\n  %s %s %v: %s", d.Code, filepath.Base(d.Path), d.Range, d.Message)
	}
	return b.String()
}
