package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// n001Tree is the N001/fail-fn-name fixture as a file map: Cargo.toml's
// [lib] name "demo" (line 7) disagrees with `fn other` (src/lib.rs line 9).
func n001Tree(t *testing.T) map[string]string {
	t.Helper()
	base := filepath.Join("..", "..", "testdata", "rules", "N001", "fail-fn-name")
	out := map[string]string{}
	for _, rel := range []string{"pyproject.toml", "Cargo.toml", "src/lib.rs"} {
		b, err := os.ReadFile(filepath.Join(base, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		out[rel] = string(b)
	}
	return out
}

// writeTree writes files (relative '/' paths) under a fresh directory that is
// a repository root (it has .git), and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// check runs the analysis on dir and returns "path:line:col CODE severity"
// lines (1-based, paths relative to dir), sorted.
func check(t *testing.T, dir string, opts Options) ([]string, *Result) {
	t.Helper()
	res, err := Check(project.NewLoader(project.OSFS{}), []string{dir}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range res.Diagnostics {
		pos := res.Files[d.Path].Lines().Chars(d.Range.Start)
		rel, _ := filepath.Rel(dir, d.Path)
		out = append(out, fmt.Sprintf("%s:%d:%d %s %s", filepath.ToSlash(rel), pos.Line+1, pos.Character+1, d.Code, d.Severity))
	}
	sort.Strings(out)
	return out, res
}

func expectDiags(t *testing.T, got []string, want ...string) {
	t.Helper()
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n got: %q\nwant: %q", got, want)
	}
}

func withConfig(files map[string]string, rel, table string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		out[k] = v
	}
	out[rel] += "\n[tool.pyo3-ls]\n" + table
	return out
}

func TestConfigBaseline(t *testing.T) {
	got, _ := check(t, writeTree(t, n001Tree(t)), Options{})
	expectDiags(t, got, "Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error")
}

func TestConfigIgnoreSelectSeverity(t *testing.T) {
	cases := []struct {
		name, table string
		opts        Options
		want        []string
	}{
		{"ignore code", `ignore = ["N001"]`, Options{}, nil},
		{"ignore prefix", `ignore = ["n"]`, Options{}, nil},
		{"select other family", `select = ["M", "F003"]`, Options{}, nil},
		{"select family", `select = ["N"]`, Options{}, []string{"Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error"}},
		{"severity", `severity = { N001 = "warning" }`, Options{}, []string{"Cargo.toml:7:8 N001 warning", "src/lib.rs:9:4 N001 warning"}},
		{"severity prefix, code wins", `severity = { N = "hint", N001 = "info" }`, Options{}, []string{"Cargo.toml:7:8 N001 info", "src/lib.rs:9:4 N001 info"}},
		{"CLI select overrides file ignore", `ignore = ["N001"]`, Options{CLISelect: []string{"N001"}}, []string{"Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error"}},
		{"CLI ignore on top of file select", `select = ["N"]`, Options{CLIIgnore: []string{"N001"}}, nil},
		{"editor severity beats file", `severity = { N001 = "warning" }`, Options{Severity: map[string]Severity{"N001": Hint}}, []string{"Cargo.toml:7:8 N001 hint", "src/lib.rs:9:4 N001 hint"}},
		{"exclude file", `exclude = ["src/lib.rs"]`, Options{}, []string{"Cargo.toml:7:8 N001 error"}},
		{"exclude dir glob", `exclude = ["./src/**/*.rs"]`, Options{}, []string{"Cargo.toml:7:8 N001 error"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := check(t, writeTree(t, withConfig(n001Tree(t), "pyproject.toml", c.table)), c.opts)
			expectDiags(t, got, c.want...)
		})
	}
}

func TestConfigInvalid(t *testing.T) {
	table := `select = ["N", "Q9"]
ignore = "N001"
severity = { N001 = "fatal", ZZ1 = "error", M001 = 3 }
exclude = ["[bad"]
colour = true
`
	got, res := check(t, writeTree(t, withConfig(n001Tree(t), "pyproject.toml", table)), Options{})
	expectDiags(t, got,
		"Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error",
		"pyproject.toml:13:16 X001 error", // "Q9"
		"pyproject.toml:14:10 X001 error", // ignore = "N001"
		"pyproject.toml:15:21 X001 error", // "fatal"
		"pyproject.toml:15:30 X001 error", // ZZ1
		"pyproject.toml:15:52 X001 error", // 3
		"pyproject.toml:16:12 X001 error", // "[bad"
		"pyproject.toml:17:1 X001 error",  // colour
	)
	for _, d := range res.Diagnostics {
		if d.Code == "X001" && strings.Contains(d.Message, "colour") && !strings.Contains(d.Message, "select, ignore, severity, exclude") {
			t.Errorf("unknown-key message should list the keys: %s", d.Message)
		}
	}
}

func TestConfigNotATable(t *testing.T) {
	files := n001Tree(t)
	files["pyproject.toml"] = strings.Replace(files["pyproject.toml"], "[build-system]", "tool.pyo3-ls = 1\n[build-system]", 1)
	got, _ := check(t, writeTree(t, files), Options{})
	expectDiags(t, got, "Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error", "pyproject.toml:1:16 X001 error")
}

// A workspace-level pyproject.toml (not a maturin project) at the repository
// root configures the projects below it; the nearest file wins per key.
func TestConfigWorkspaceLevel(t *testing.T) {
	nest := func(extraRoot, extraProject string) map[string]string {
		files := map[string]string{"pyproject.toml": "[project]\nname = \"monorepo\"\n\n[tool.pyo3-ls]\n" + extraRoot}
		for k, v := range n001Tree(t) {
			files["crates/demo/"+k] = v
		}
		if extraProject != "" {
			files = withConfig(files, "crates/demo/pyproject.toml", extraProject)
		}
		return files
	}
	got, res := check(t, writeTree(t, nest(`ignore = ["N001"]`, "")), Options{})
	expectDiags(t, got)
	if len(res.Projects) != 1 || len(res.Projects[0].ConfigFiles) != 1 {
		t.Fatalf("projects %d, config files %v", len(res.Projects), res.Projects[0].ConfigFiles)
	}

	// The project's own ignore wins over the root's.
	got, _ = check(t, writeTree(t, nest(`ignore = ["N001"]`, `ignore = ["M"]`)), Options{})
	expectDiags(t, got, "crates/demo/Cargo.toml:7:8 N001 error", "crates/demo/src/lib.rs:9:4 N001 error")

	// Severity merges per code: root sets N001, project sets something else.
	got, _ = check(t, writeTree(t, nest(`severity = { N001 = "info" }`, `severity = { M001 = "hint" }`)), Options{})
	expectDiags(t, got, "crates/demo/Cargo.toml:7:8 N001 info", "crates/demo/src/lib.rs:9:4 N001 info")

	// Root exclude skips the project entirely.
	for _, pat := range []string{"crates/demo", "crates/**", "crates/*/pyproject.toml"} {
		got, _ = check(t, writeTree(t, nest(fmt.Sprintf("exclude = [%q]", pat), "")), Options{})
		expectDiags(t, got)
	}

	// An invalid root config is reported in the root file.
	got, _ = check(t, writeTree(t, nest(`ignore = ["N001", "BOGUS"]`, "")), Options{})
	expectDiags(t, got, "pyproject.toml:5:19 X001 error")
}

// Config files above the repository root (the directory with .git) are not read.
func TestConfigStopsAtRepositoryRoot(t *testing.T) {
	outer := t.TempDir()
	if err := os.WriteFile(filepath.Join(outer, "pyproject.toml"), []byte("[tool.pyo3-ls]\nignore = [\"N\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(outer, "repo")
	files := n001Tree(t)
	files[".git/HEAD"] = "ref: refs/heads/main\n"
	for rel, content := range files {
		p := filepath.Join(repo, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
	}
	got, _ := check(t, repo, Options{})
	expectDiags(t, got, "Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error")
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pat, rel string
		want     bool
	}{
		{"vendor", "vendor/a/pyproject.toml", true},
		{"vendor/**", "vendor/a/pyproject.toml", true},
		{"**/fixtures", "a/b/fixtures/x/Cargo.toml", true},
		{"*.rs", "lib.rs", true},
		{"*.rs", "src/lib.rs", false},
		{"src/*.rs", "src/lib.rs", true},
		{"src/**/*.rs", "src/lib.rs", true},
		{"src/**/*.rs", "src/a/b/lib.rs", true},
		{"vendored", "vendor/x", false},
		{".", "anything", true},
	}
	for _, c := range cases {
		if got := matchUnder(cleanPattern(c.pat), c.rel); got != c.want {
			t.Errorf("matchUnder(%q, %q) = %v", c.pat, c.rel, got)
		}
	}
}
