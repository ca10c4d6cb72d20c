package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	if dir != "" {
		old, _ := os.Getwd()
		if err := os.Chdir(dir); err != nil {
			t.Fatal(err)
		}
		defer os.Chdir(old)
	}
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// A mismatch whose module name sits after non-ASCII text on its line, so
// UTF-16 columns, character columns and byte offsets all differ.
var mismatch = map[string]string{
	"pyproject.toml": "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"demo\"\ndynamic = [\"version\"]\n\n[tool.maturin]\n\"módulo😀\" = 1; module-name = \"wrong\"\n",
	"Cargo.toml":     "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\ncrate-type = [\"cdylib\"]\n\n[dependencies]\npyo3 = \"0.27\"\n",
	"src/lib.rs":     "use pyo3::prelude::*;\n\n#[pymodule]\nfn demo(_m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n",
}

func TestCheckJSONContract(t *testing.T) {
	files := map[string]string{}
	for k, v := range mismatch {
		files[k] = v
	}
	// a valid TOML line: the inline key/value is not TOML, so use two lines
	files["pyproject.toml"] = strings.Replace(files["pyproject.toml"], "\"módulo😀\" = 1; module-name = \"wrong\"\n", "module-name = \"wrong\" # módulo😀\n", 1)
	files["pyproject.toml"] = strings.Replace(files["pyproject.toml"], "[tool.maturin]\n", "[tool.maturin]\n\"é😀\" = 1\n", 1)
	root := writeProject(t, files)
	code, out, stderr := runCLI(t, root, "check", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	var doc struct {
		Version     int `json:"version"`
		Diagnostics []struct {
			Path  string `json:"path"`
			Range struct {
				Start struct{ Line, Character int } `json:"start"`
				End   struct{ Line, Character int } `json:"end"`
			} `json:"range"`
			Severity, Code, Name, Message string
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.Version != 1 {
		t.Errorf("version = %d", doc.Version)
	}
	var sawUnknown, sawN001py, sawN001rs bool
	for _, d := range doc.Diagnostics {
		switch {
		case d.Code == "M003" && d.Path == "pyproject.toml":
			// "é😀" = 1 on line 9 (0-based): the key starts at 0, its quotes included, é is 1 unit, 😀 is 2.
			if d.Range.Start.Line != 9 || d.Range.Start.Character != 0 || d.Range.End.Character != 5 {
				t.Errorf("M003 range = %+v, want line 9, chars 0..5 (UTF-16)", d.Range)
			}
			sawUnknown = true
		case d.Code == "N001" && d.Path == "pyproject.toml":
			if d.Range.Start.Line != 10 || d.Range.Start.Character != 14 || d.Range.End.Character != 21 {
				t.Errorf("N001 range in pyproject.toml = %+v", d.Range)
			}
			if d.Severity != "error" || d.Name != "module-name-mismatch" {
				t.Errorf("N001 = %+v", d)
			}
			sawN001py = true
		case d.Code == "N001" && d.Path == "src/lib.rs":
			if d.Range.Start.Line != 3 || d.Range.Start.Character != 3 || d.Range.End.Character != 7 {
				t.Errorf("N001 range in lib.rs = %+v", d.Range)
			}
			sawN001rs = true
		}
	}
	if !sawUnknown || !sawN001py || !sawN001rs {
		t.Errorf("missing diagnostics in %s", out)
	}
	for i := 1; i < len(doc.Diagnostics); i++ {
		a, b := doc.Diagnostics[i-1], doc.Diagnostics[i]
		if a.Path > b.Path || a.Path == b.Path && a.Range.Start.Line > b.Range.Start.Line {
			t.Errorf("not sorted: %s:%d before %s:%d", a.Path, a.Range.Start.Line, b.Path, b.Range.Start.Line)
		}
	}
}

func TestCheckTextOutput(t *testing.T) {
	root := writeProject(t, mismatch)
	files := map[string]string{"pyproject.toml": strings.Replace(mismatch["pyproject.toml"], "\"módulo😀\" = 1; module-name = \"wrong\"\n", "module-name = \"wrong\"\n", 1)}
	for k, v := range files {
		os.WriteFile(filepath.Join(root, k), []byte(v), 0o644)
	}
	code, out, _ := runCLI(t, root, "check", "--color", "never")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	want := "pyproject.toml:10:15: error[N001] module name \"wrong\""
	if !strings.Contains(out, want) {
		t.Errorf("text output lacks %q:\n%s", want, out)
	}
	if !strings.Contains(out, "10 | module-name = \"wrong\"\n   |               ^^^^^^^\n") {
		t.Errorf("no source line with caret:\n%s", out)
	}
	if !strings.Contains(out, "= help: ") || !strings.Contains(out, "= note: src/lib.rs:4:4:") {
		t.Errorf("no help/note lines:\n%s", out)
	}
}

func TestExitCodes(t *testing.T) {
	clean := writeProject(t, map[string]string{
		"pyproject.toml": strings.Replace(mismatch["pyproject.toml"], "\"módulo😀\" = 1; module-name = \"wrong\"\n", "", 1),
		"Cargo.toml":     mismatch["Cargo.toml"],
		"src/lib.rs":     mismatch["src/lib.rs"],
	})
	if code, out, stderr := runCLI(t, "", "check", clean); code != 0 {
		t.Errorf("clean project: exit %d\n%s%s", code, out, stderr)
	}
	if code, _, stderr := runCLI(t, "", "check", filepath.Join(clean, "does-not-exist")); code != 2 || strings.Count(stderr, "\n") != 1 {
		t.Errorf("missing path: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "", "check", "--select", "Z999", clean); code != 2 {
		t.Errorf("unknown selector: exit %d", code)
	}
	if code, _, _ := runCLI(t, "", "check", "--bogus", clean); code != 2 {
		t.Errorf("unknown flag: exit %d", code)
	}
	if code, _, _ := runCLI(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d", code)
	}
	// --select/--ignore change the outcome.
	bad := writeProject(t, map[string]string{
		"pyproject.toml": strings.Replace(mismatch["pyproject.toml"], "\"módulo😀\" = 1; module-name = \"wrong\"\n", "module-name = \"wrong\"\n", 1),
		"Cargo.toml":     mismatch["Cargo.toml"],
		"src/lib.rs":     mismatch["src/lib.rs"],
	})
	if code, _, _ := runCLI(t, "", "check", "--ignore", "N", bad); code != 0 {
		t.Errorf("--ignore N: exit %d, want 0", code)
	}
	if code, _, _ := runCLI(t, "", "check", "--select", "N001", bad); code != 1 {
		t.Errorf("--select N001: exit %d, want 1", code)
	}
}

func TestExplainRulesVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "explain", "n001")
	if code != 0 || !strings.Contains(out, "module-name-mismatch") || !strings.Contains(out, "PyInit_") {
		t.Errorf("explain N001: %d %s", code, out)
	}
	if code, _, stderr := runCLI(t, "", "explain", "Q123"); code != 2 || stderr == "" {
		t.Errorf("explain unknown: exit %d", code)
	}
	code, out, _ = runCLI(t, "", "rules")
	if code != 0 || !strings.Contains(out, "N001") || !strings.Contains(out, "F001") {
		t.Errorf("rules: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "--version"); code != 0 || !strings.HasPrefix(out, "pyo3-ls ") {
		t.Errorf("--version: %d %q", code, out)
	}
}

func TestExplainShowsFacts(t *testing.T) {
	_, out, _ := runCLI(t, "", "explain", "F001")
	for _, want := range []string{"PyO3 facts this rule uses", "0.28.0   3.7-3.14", "def. false", "0.25.0   3.7-3.14    3.9-3.11    3.13t,3.14t  def. true py37-py314"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain F001 lacks %q:\n%s", want, out)
		}
	}
	if _, out, _ := runCLI(t, "", "explain", "N001"); strings.Contains(out, "PyO3 facts") {
		t.Error("N001 does not depend on the facts table")
	}
}

// TestGCSettings: with nothing set a check collects only near its 100 MiB
// soft limit; the percentage is never turned off without that limit.
func TestGCSettings(t *testing.T) {
	for _, c := range []struct {
		env     map[string]string
		percent int
		limit   int64
	}{
		{map[string]string{}, -1, 100 << 20},
		{map[string]string{"GOGC": "100"}, 0, 100 << 20},
		{map[string]string{"GOMEMLIMIT": "off"}, 400, 0},
		{map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}, 0, 0},
	} {
		p, l := gcSettings(func(k string) string { return c.env[k] })
		if p != c.percent || l != c.limit {
			t.Errorf("%v: gcSettings = %d, %d; want %d, %d", c.env, p, l, c.percent, c.limit)
		}
		if p < 0 && l == 0 {
			t.Errorf("%v: GC off without a memory limit", c.env)
		}
	}
}
