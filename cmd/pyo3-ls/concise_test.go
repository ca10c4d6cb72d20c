package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// conciseLines runs check --format concise on the N001 fixture from inside it.
func conciseLines(t *testing.T) (string, []string) {
	t.Helper()
	dir := fixtureDir(t, "N001/fail-fn-name")
	code, out, _ := runBin(t, dir, nil, "check", "--format", "concise")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 1 || len(lines) != 2 {
		t.Fatalf("concise: exit %d\n%s", code, out)
	}
	return dir, lines
}

// TestConciseVSCodeProblemMatcher applies the problem matcher the VS Code
// extension contributes ($pyo3-ls, editors/vscode/package.json) to the
// concise output. Its regexp is in the subset JavaScript and Go (RE2) read
// alike: no lookbehind, no named groups.
func TestConciseVSCodeProblemMatcher(t *testing.T) {
	data, err := os.ReadFile("../../editors/vscode/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Contributes struct {
			ProblemMatchers []struct {
				Name    string
				Pattern struct {
					Regexp                                      string
					File, Line, Column, Severity, Code, Message int
				}
			}
		}
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	if len(pkg.Contributes.ProblemMatchers) != 1 || pkg.Contributes.ProblemMatchers[0].Name != "pyo3-ls" {
		t.Fatalf("problem matchers: %+v", pkg.Contributes.ProblemMatchers)
	}
	p := pkg.Contributes.ProblemMatchers[0].Pattern
	re := regexp.MustCompile(p.Regexp)
	_, lines := conciseLines(t)
	want := [][]string{
		{"Cargo.toml", "7", "8", "error", "N001", `module name "demo" (from Cargo.toml [lib] name) does not match`},
		{"src/lib.rs", "9", "4", "error", "N001", "#[pymodule] exports PyInit_other but"},
	}
	for i, line := range lines {
		m := re.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("the problem matcher does not match %q", line)
		}
		got := []string{m[p.File], m[p.Line], m[p.Column], m[p.Severity], m[p.Code], m[p.Message]}
		for k := range want[i] {
			if k == 5 && strings.HasPrefix(got[k], want[i][k]) || got[k] == want[i][k] {
				continue
			}
			t.Errorf("line %d field %d: %q, want %q", i, k, got[k], want[i][k])
		}
	}
}

// TestConciseVimErrorformat loads the concise output into Vim's quickfix
// list with Vim's default 'errorformat' (vim -u NONE) and checks file, line,
// column and text of each entry.
func TestConciseVimErrorformat(t *testing.T) {
	vim, err := exec.LookPath("vim")
	if err != nil {
		t.Skip("vim not installed (.ci/run installs it)")
	}
	dir, lines := conciseLines(t)
	tmp := t.TempDir()
	out, res := filepath.Join(tmp, "out.txt"), filepath.Join(tmp, "qf.json")
	os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	cmd := exec.Command(vim, "-es", "-u", "NONE", "-i", "NONE", "-N",
		"-c", "cgetfile "+out,
		"-c", `call writefile([json_encode(map(getqflist(), {_, v -> [bufname(v.bufnr), v.lnum, v.col, v.valid, v.text]}))], "`+res+`")`,
		"-c", "qa!")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("vim: %v %s", err, b)
	}
	data, err := os.ReadFile(res)
	if err != nil {
		t.Fatal(err)
	}
	var qf [][]any
	if err := json.Unmarshal(data, &qf); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	want := [][]any{{"Cargo.toml", 7.0, 8.0, 1.0}, {"src/lib.rs", 9.0, 4.0, 1.0}}
	if len(qf) != len(want) {
		t.Fatalf("quickfix list %v", qf)
	}
	for i := range want {
		for k := range want[i] {
			if qf[i][k] != want[i][k] {
				t.Errorf("entry %d field %d: %v, want %v (%v)", i, k, qf[i][k], want[i][k], qf[i])
			}
		}
		if text, _ := qf[i][4].(string); !strings.Contains(text, "error[N001]") {
			t.Errorf("entry %d text %q", i, text)
		}
	}
}
