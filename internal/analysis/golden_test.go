package analysis

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

// TestGolden pins the full output of every fixture (testdata/rules/<CODE>/*
// and the clean real-layout projects under testdata/projects): each
// diagnostic's position and end, severity, code, name, message, help,
// related locations and every fix with its edits. The golden files live in
// internal/analysis/testdata/golden/ and are reviewed in diffs; after an
// intended change of output run
//
//	go test ./internal/analysis -run Golden -update
//
// and review `git diff internal/analysis/testdata/golden`.
func TestGolden(t *testing.T) {
	repo, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	goldenRoot := filepath.Join("testdata", "golden")
	var dirs []string
	rules, _ := filepath.Glob(filepath.Join(repo, "rules", "*", "*"))
	projects, _ := filepath.Glob(filepath.Join(repo, "projects", "*"))
	for _, d := range append(rules, projects...) {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) < 100 {
		t.Fatalf("only %d fixtures found under %s", len(dirs), repo)
	}
	want := map[string]bool{}
	for _, dir := range dirs {
		rel, _ := filepath.Rel(repo, dir)
		rel = filepath.ToSlash(rel)
		golden := filepath.Join(goldenRoot, filepath.FromSlash(rel)+".golden")
		want[golden] = true
		t.Run(rel, func(t *testing.T) {
			got := goldenOutput(t, dir, rel)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			data, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `go test ./internal/analysis -run Golden -update` and review the new file)", err)
			}
			if string(data) != got {
				t.Errorf("output of testdata/%s differs from %s (if intended: go test ./internal/analysis -run Golden -update, then review the diff)\n%s",
					rel, golden, lineDiff(string(data), got))
			}
		})
	}
	// A golden file without a fixture is stale.
	_ = filepath.Walk(goldenRoot, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || want[path] {
			return nil
		}
		if *update {
			return os.Remove(path)
		}
		t.Errorf("%s has no fixture (remove it, or run with -update)", path)
		return nil
	})
}

// goldenOutput renders a fixture's diagnostics for its golden file. Paths
// are relative to the fixture, positions are 1-based line:column in
// characters (like the expect files), start-end.
func goldenOutput(t *testing.T, dir, rel string) string {
	t.Helper()
	res, err := Check(project.NewLoader(project.OSFS{}), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# pyo3-ls on testdata/%s: %d diagnostic(s)\n", rel, len(res.Diagnostics))
	fmt.Fprintf(&b, "# regenerate: go test ./internal/analysis -run Golden -update\n")
	loc := func(path string, r span.Range) string {
		li := span.NewLines(nil)
		if f := res.Files[path]; f != nil {
			li = f.Lines()
		}
		s, e := li.Chars(r.Start), li.Chars(r.End)
		p, err := filepath.Rel(dir, path)
		if err != nil {
			p = path
		}
		return fmt.Sprintf("%s:%d:%d-%d:%d", filepath.ToSlash(p), s.Line+1, s.Character+1, e.Line+1, e.Character+1)
	}
	for _, d := range res.Diagnostics {
		fmt.Fprintf(&b, "\n%s %s[%s] %s\n", loc(d.Path, d.Range), d.Severity, d.Code, d.Name)
		fmt.Fprintf(&b, "  message: %s\n", d.Message)
		if d.Help != "" {
			fmt.Fprintf(&b, "  help: %s\n", d.Help)
		}
		for _, r := range d.Related {
			fmt.Fprintf(&b, "  related: %s: %s\n", loc(r.Path, r.Range), r.Message)
		}
		for _, f := range d.Fixes {
			var marks []string
			if f.Preferred {
				marks = append(marks, "preferred")
			}
			if f.Safe {
				marks = append(marks, "safe")
			} else {
				marks = append(marks, "unsafe")
			}
			fmt.Fprintf(&b, "  fix: %s (%s)\n", f.Title, strings.Join(marks, ", "))
			for _, e := range f.Edits {
				old := ""
				if sf := res.Files[e.Path]; sf != nil && e.Range.Start >= 0 && e.Range.Start <= e.Range.End && e.Range.End <= len(sf.Src) {
					old = string(sf.Src[e.Range.Start:e.Range.End])
				}
				fmt.Fprintf(&b, "    edit %s: %q -> %q\n", loc(e.Path, e.Range), old, e.NewText)
			}
		}
	}
	return b.String()
}

// lineDiff is a short line-by-line account of how got differs from want.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl == gl {
			continue
		}
		fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
		if n++; n >= 10 {
			b.WriteString("...\n")
			break
		}
	}
	return b.String()
}
