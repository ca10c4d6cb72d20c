package analysis

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/rustsrc"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// edit replaces the first occurrence of old in files[rel].
func edit(t *testing.T, files map[string]string, rel, old, new string) map[string]string {
	t.Helper()
	if !strings.Contains(files[rel], old) {
		t.Fatalf("%q not in %s", old, rel)
	}
	out := map[string]string{}
	for k, v := range files {
		out[k] = v
	}
	out[rel] = strings.Replace(files[rel], old, new, 1)
	return out
}

func TestSuppressionComment(t *testing.T) {
	if got := SuppressionComment(LangTOML, "N001"); got != "# pyo3-ls: ignore[N001]" {
		t.Errorf("toml: %q", got)
	}
	if got := SuppressionComment(LangRust, "N001", "M003"); got != "// pyo3-ls: ignore[N001, M003]" {
		t.Errorf("rust: %q", got)
	}
	if got := SuppressionComment(LangTOML); got != "# pyo3-ls: ignore" {
		t.Errorf("bare: %q", got)
	}
}

func TestSuppressInline(t *testing.T) {
	base := n001Tree(t)
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"toml trailing", edit(t, base, "Cargo.toml", "name = \"demo\"\ncrate", "name = \"demo\"  # pyo3-ls: ignore[N001]\ncrate"),
			[]string{"src/lib.rs:9:4 N001 error"}},
		{"toml trailing lower-case", edit(t, base, "Cargo.toml", "name = \"demo\"\ncrate", "name = \"demo\" # pyo3-ls: ignore[n001]\ncrate"),
			[]string{"src/lib.rs:9:4 N001 error"}},
		{"toml own line", edit(t, base, "Cargo.toml", "[lib]\nname", "[lib]\n# pyo3-ls: ignore[N001]\n\nname"),
			[]string{"src/lib.rs:9:4 N001 error"}},
		{"toml bare", edit(t, base, "Cargo.toml", "name = \"demo\"\ncrate", "name = \"demo\"  # pyo3-ls: ignore\ncrate"),
			[]string{"src/lib.rs:9:4 N001 error"}},
		{"toml after other comment text", edit(t, base, "Cargo.toml", "name = \"demo\"\ncrate", "name = \"demo\"  # keep: ABI name  # pyo3-ls: ignore[N001]\ncrate"),
			[]string{"src/lib.rs:9:4 N001 error"}},
		{"rust trailing", edit(t, base, "src/lib.rs", "fn other(m: &Bound<'_, PyModule>) -> PyResult<()> {", "fn other(m: &Bound<'_, PyModule>) -> PyResult<()> { // pyo3-ls: ignore[N001]"),
			[]string{"Cargo.toml:7:8 N001 error"}},
		{"rust line above the item", edit(t, base, "src/lib.rs", "#[pymodule]\nfn other", "#[pymodule]\n// pyo3-ls: ignore[N001]\nfn other"),
			[]string{"Cargo.toml:7:8 N001 error"}},
		{"rust above the attribute", edit(t, base, "src/lib.rs", "#[pymodule]\nfn other", "// pyo3-ls: ignore[N001]\n#[pymodule]\nfn other"),
			[]string{"Cargo.toml:7:8 N001 error"}},
		{"ignore-file", edit(t, base, "src/lib.rs", "use pyo3", "// pyo3-ls: ignore-file[N001]\nuse pyo3"),
			[]string{"Cargo.toml:7:8 N001 error"}},
		{"bare ignore-file", edit(t, base, "Cargo.toml", "[package]", "# pyo3-ls: ignore-file\n[package]"),
			[]string{"src/lib.rs:9:4 N001 error"}},
		{"prose is not a directive", edit(t, base, "Cargo.toml", "name = \"demo\"\ncrate", "name = \"demo\"  # pyo3-ls: ignored on purpose\ncrate"),
			[]string{"Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error"}},
		{"doc comment is not a directive", edit(t, base, "src/lib.rs", "#[pymodule]\nfn other", "/// pyo3-ls: ignore[N001]\n#[pymodule]\nfn other"),
			[]string{"Cargo.toml:7:8 N001 error", "src/lib.rs:10:4 N001 error"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := check(t, writeTree(t, c.files), Options{})
			expectDiags(t, got, c.want...)
		})
	}
}

// applyFix applies a fix's edits to the files on disk under dir.
func applyFix(t *testing.T, f Fix) {
	t.Helper()
	byPath := map[string][]Edit{}
	for _, e := range f.Edits {
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	for path, edits := range byPath {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(edits, func(i, j int) bool { return edits[i].Range.Start > edits[j].Range.Start })
		for _, e := range edits {
			src = append(src[:e.Range.Start:e.Range.Start], append([]byte(e.NewText), src[e.Range.End:]...)...)
		}
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func x002(t *testing.T, res *Result) []Diagnostic {
	var out []Diagnostic
	for _, d := range res.Diagnostics {
		if d.Code == "X002" {
			out = append(out, d)
		}
	}
	return out
}

func TestUnusedSuppression(t *testing.T) {
	base := n001Tree(t)
	cases := []struct {
		name      string
		rel       string
		old, new  string
		want      []string // all diagnostics
		msg       string   // in the X002 message
		rangeText string   // the X002 range's text
		fixed     string   // the file's text after the fix replaces new
	}{
		{"unused code, whole comment", "Cargo.toml", "version = \"0.1.0\"\n", "version = \"0.1.0\"  # pyo3-ls: ignore[N001]\n",
			[]string{"Cargo.toml:3:20 X002 warning", "Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error"},
			"no N001 diagnostic on this line", "# pyo3-ls: ignore[N001]", "version = \"0.1.0\"\n"},
		{"unused own-line comment", "Cargo.toml", "version = \"0.1.0\"\n", "# pyo3-ls: ignore[N001]\nversion = \"0.1.0\"\n",
			[]string{"Cargo.toml:3:1 X002 warning", "Cargo.toml:8:8 N001 error", "src/lib.rs:9:4 N001 error"},
			"on the next line", "# pyo3-ls: ignore[N001]", "version = \"0.1.0\"\n"},
		{"unknown code beside a used one", "Cargo.toml", "name = \"demo\"\ncrate", "name = \"demo\"  # pyo3-ls: ignore[N001, Z999]\ncrate",
			[]string{"Cargo.toml:7:40 X002 warning", "src/lib.rs:9:4 N001 error"},
			`unknown rule code "Z999"`, "Z999", "name = \"demo\"  # pyo3-ls: ignore[N001]\ncrate"},
		{"unused bare", "src/lib.rs", "fn add(a: i64, b: i64) -> i64 {", "fn add(a: i64, b: i64) -> i64 { // pyo3-ls: ignore",
			[]string{"Cargo.toml:7:8 N001 error", "src/lib.rs:4:33 X002 warning", "src/lib.rs:9:4 N001 error"},
			"no diagnostic on this line", "// pyo3-ls: ignore", "fn add(a: i64, b: i64) -> i64 {"},
		{"unused after other text", "Cargo.toml", "version = \"0.1.0\"\n", "version = \"0.1.0\"  # bump on release  # pyo3-ls: ignore[M003]\n",
			[]string{"Cargo.toml:3:41 X002 warning", "Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error"},
			"no M003 diagnostic", "pyo3-ls: ignore[M003]", "version = \"0.1.0\"  # bump on release\n"},
		{"malformed", "Cargo.toml", "version = \"0.1.0\"\n", "version = \"0.1.0\"  # pyo3-ls: ignore[N001\n",
			[]string{"Cargo.toml:3:20 X002 warning", "Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error"},
			"malformed", "# pyo3-ls: ignore[N001", "version = \"0.1.0\"\n"},
		{"unused ignore-file", "src/lib.rs", "use pyo3", "// pyo3-ls: ignore-file[C003]\nuse pyo3",
			[]string{"Cargo.toml:7:8 N001 error", "src/lib.rs:1:1 X002 warning", "src/lib.rs:10:4 N001 error"},
			"in this file", "// pyo3-ls: ignore-file[C003]", "use pyo3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeTree(t, edit(t, base, c.rel, c.old, c.new))
			got, res := check(t, dir, Options{})
			expectDiags(t, got, c.want...)
			xs := x002(t, res)
			if len(xs) != 1 {
				t.Fatalf("want one X002, got %d", len(xs))
			}
			d := xs[0]
			src := res.Files[d.Path].Src
			if !strings.Contains(d.Message, c.msg) {
				t.Errorf("message %q lacks %q", d.Message, c.msg)
			}
			if rt := string(src[d.Range.Start:d.Range.End]); rt != c.rangeText {
				t.Errorf("range text %q, want %q", rt, c.rangeText)
			}
			if len(d.Fixes) != 1 {
				t.Fatalf("want one fix, got %v", d.Fixes)
			}
			applyFix(t, d.Fixes[0])
			after, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.rel)))
			if want := strings.Replace(string(src), c.new, c.fixed, 1); string(after) != want {
				t.Errorf("after the fix:\n%s\nwant:\n%s", after, want)
			}
			got, res = check(t, dir, Options{})
			if len(x002(t, res)) != 0 {
				t.Errorf("X002 remains after its fix: %v", got)
			}
		})
	}
}

// A code whose rule is turned off is not reported as unused, nor is
// anything when X002 itself is off.
func TestUnusedSuppressionDisabledRules(t *testing.T) {
	dir := writeTree(t, edit(t, n001Tree(t), "Cargo.toml", "version = \"0.1.0\"\n", "version = \"0.1.0\"  # pyo3-ls: ignore[M003]\n"))
	got, _ := check(t, dir, Options{CLIIgnore: []string{"M003"}})
	expectDiags(t, got, "Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error")
	got, _ = check(t, dir, Options{CLISelect: []string{"N"}})
	expectDiags(t, got, "Cargo.toml:7:8 N001 error", "src/lib.rs:9:4 N001 error")
}

// Suppressions work in a workspace-level config file and in config
// diagnostics; X002 is not reported in files other projects share.
func TestSuppressConfigDiagnostic(t *testing.T) {
	files := withConfig(n001Tree(t), "pyproject.toml", "ignore = [\"N001\", \"Q1\"]  # pyo3-ls: ignore[X001]\n")
	got, _ := check(t, writeTree(t, files), Options{})
	expectDiags(t, got)
}

// SuppressFix produces exactly what the parser reads: applying it removes
// the diagnostic and leaves no unused suppression.
func TestSuppressFix(t *testing.T) {
	dir := writeTree(t, n001Tree(t))
	_, res := check(t, dir, Options{})
	if len(res.Diagnostics) != 2 {
		t.Fatalf("want 2 diagnostics, got %v", res.Diagnostics)
	}
	for _, d := range res.Diagnostics {
		fix, ok := SuppressFix(res.Files[d.Path], d)
		if !ok {
			t.Fatalf("no suppress fix for %s", d.Code)
		}
		if !strings.Contains(fix.Title, "N001") {
			t.Errorf("title %q", fix.Title)
		}
		applyFix(t, fix)
	}
	got, _ := check(t, dir, Options{})
	expectDiags(t, got)
	lib, _ := os.ReadFile(filepath.Join(dir, "src", "lib.rs"))
	if !strings.Contains(string(lib), "fn other(m: &Bound<'_, PyModule>) -> PyResult<()> {  // pyo3-ls: ignore[N001]\n") {
		t.Errorf("lib.rs after fix:\n%s", lib)
	}
}

func TestSuppressFixAddsToExistingDirective(t *testing.T) {
	src := "[lib]\nname = \"demo\"  # pyo3-ls: ignore[M003]\n"
	doc, err := tomldoc.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	f := &project.SourceFile{Path: "/x/Cargo.toml", Src: []byte(src), Doc: doc}
	at := strings.Index(src, "\"demo\"")
	fix, ok := SuppressFix(f, Diagnostic{Location: Location{Path: f.Path, Range: span.Range{Start: at, End: at + 6}}, Code: "N001"})
	if !ok || len(fix.Edits) != 1 {
		t.Fatalf("fix = %+v %v", fix, ok)
	}
	e := fix.Edits[0]
	got := src[:e.Range.Start] + e.NewText + src[e.Range.End:]
	if got != "[lib]\nname = \"demo\"  # pyo3-ls: ignore[M003, N001]\n" {
		t.Errorf("got %q", got)
	}
}

// A trailing comment after the first line of a multi-line string would be
// part of the string: the fix goes on its own line above instead.
func TestSuppressFixMultilineString(t *testing.T) {
	src := "[project]\n  description = \"\"\"first\nsecond\"\"\"\n"
	doc, err := tomldoc.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	f := &project.SourceFile{Path: "/x/pyproject.toml", Src: []byte(src), Doc: doc}
	at := strings.Index(src, "description")
	fix, ok := SuppressFix(f, Diagnostic{Location: Location{Path: f.Path, Range: span.Range{Start: at, End: at + 11}}, Code: "M001"})
	if !ok {
		t.Fatal("no fix")
	}
	e := fix.Edits[0]
	got := src[:e.Range.Start] + e.NewText + src[e.Range.End:]
	if got != "[project]\n  # pyo3-ls: ignore[M001]\n  description = \"\"\"first\nsecond\"\"\"\n" {
		t.Errorf("got %q", got)
	}
}

func TestSuppressFixRustRawString(t *testing.T) {
	src := "fn f() {\n    let s = r#\"a\nb\"#;\n}\n"
	f := &project.SourceFile{Path: "/x/src/lib.rs", Src: []byte(src), Rust: rustsrc.Scan([]byte(src))}
	at := strings.Index(src, "let")
	fix, ok := SuppressFix(f, Diagnostic{Location: Location{Path: f.Path, Range: span.Range{Start: at, End: at + 3}}, Code: "N001"})
	if !ok {
		t.Fatal("no fix")
	}
	e := fix.Edits[0]
	got := src[:e.Range.Start] + e.NewText + src[e.Range.End:]
	if got != "fn f() {\n    // pyo3-ls: ignore[N001]\n    let s = r#\"a\nb\"#;\n}\n" {
		t.Errorf("got %q", got)
	}
}
