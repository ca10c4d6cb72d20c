package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fixtureDir(t *testing.T, rel string) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "..", "testdata", "rules", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCheckFormatGitHub(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"check", "--format", "github", fixtureDir(t, "N001/fail-fn-name")}, nil, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 annotations, got:\n%s", out.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error file=") || !strings.Contains(l, "title=N001 (module-name-mismatch)::") {
			t.Errorf("bad annotation %q", l)
		}
	}
	if !strings.Contains(lines[0], "Cargo.toml,line=7,col=8,endLine=7,endColumn=14,") {
		t.Errorf("position of %q", lines[0])
	}
}

func TestCheckFormatSARIFOutputFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "out.sarif")
	var out, errb bytes.Buffer
	code := run([]string{"check", "--format", "sarif", "--output-file", file, fixtureDir(t, "N001/fail-fn-name")}, nil, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout not empty with --output-file: %s", out.String())
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct{ Name, Version string }
			}
			Results []struct{ RuleID, Level string }
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || log.Runs[0].Tool.Driver.Version != Version() || len(log.Runs[0].Results) != 2 ||
		log.Runs[0].Results[0].RuleID != "N001" || log.Runs[0].Results[0].Level != "error" {
		t.Errorf("unexpected SARIF: %s", data)
	}
}

func TestCheckFormatClean(t *testing.T) {
	for _, f := range []string{"sarif", "github", "concise", "json"} {
		var out, errb bytes.Buffer
		if code := run([]string{"check", "--format", f, fixtureDir(t, "N001/pass")}, nil, &out, &errb); code != 0 {
			t.Errorf("%s: exit %d on a clean fixture: %s %s", f, code, out.String(), errb.String())
		}
	}
}

func TestCheckUnknownFormat(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"check", "--format", "xml", fixtureDir(t, "N001/pass")}, nil, &out, &errb); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(errb.String(), `invalid argument "xml" for "--format"`) || !strings.Contains(errb.String(), "sarif") || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("stderr: %s", errb.String())
	}
}

// The project's [tool.pyo3-ls] reaches the CLI: a severity lowered to info
// no longer fails the check, and --select on the command line wins over the
// file's ignore.
func TestCheckHonoursConfig(t *testing.T) {
	dir := t.TempDir()
	src := fixtureDir(t, "N001/fail-fn-name")
	for _, rel := range []string{"pyproject.toml", "Cargo.toml", "src/lib.rs"} {
		data, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		if rel == "pyproject.toml" {
			data = append(data, "\n[tool.pyo3-ls]\nseverity = { N001 = \"info\" }\nignore = [\"N001\"]\n"...)
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"check", "--format", "concise", dir}, nil, &out, &errb); code != 0 || out.Len() != 0 {
		t.Fatalf("ignored N001: exit %d, output %s", code, out.String())
	}
	out.Reset()
	if code := run([]string{"check", "--format", "concise", "--select", "N001", dir}, nil, &out, &errb); code != 0 || strings.Count(out.String(), "info[N001]") != 2 {
		t.Fatalf("--select N001 over the file's ignore, severity info: exit %d, output %s", code, out.String())
	}
}
