package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeRuleTable keeps README.md's rule table identical to the one
// generated from the rules (run `go run ./cmd/pyo3-ls rules --markdown`).
func TestReadmeRuleTable(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	start := strings.Index(s, "<!-- rules:start -->\n")
	end := strings.Index(s, "<!-- rules:end -->")
	if start < 0 || end < start {
		t.Fatal("README.md lacks the rules:start/rules:end markers")
	}
	got := s[start+len("<!-- rules:start -->\n") : end]
	if want := rulesMarkdown(); got != want {
		t.Errorf("README rule table is stale; regenerate with `pyo3-ls rules --markdown`.\ngot:\n%s\nwant:\n%s", got, want)
	}
}

// docFiles are the documents whose examples must run as written.
func docFiles(t *testing.T) []string {
	files, _ := filepath.Glob("../../docs/*.md")
	return append([]string{"../../README.md"}, files...)
}

// codeBlocks returns the fenced code blocks of a Markdown file with their info strings.
func codeBlocks(src string) (infos, bodies []string) {
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "```") {
			continue
		}
		info := strings.TrimPrefix(lines[i], "```")
		var body []string
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
		}
		infos = append(infos, info)
		bodies = append(bodies, strings.Join(body, "\n"))
	}
	return
}

// TestReadmeTranscripts runs every `$ ./pyo3-ls ...` or `$ pyo3-ls ...`
// transcript in README.md and docs/*.md from the repository root and
// compares its output (stdout, then stderr) with the lines shown.
func TestReadmeTranscripts(t *testing.T) {
	n := 0
	for _, file := range docFiles(t) {
		data, _ := os.ReadFile(file)
		_, bodies := codeBlocks(string(data))
		for _, body := range bodies {
			lines := strings.Split(body, "\n")
			for i := 0; i < len(lines); i++ {
				cmdline, ok := strings.CutPrefix(lines[i], "$ ")
				if !ok || !(strings.HasPrefix(cmdline, "./pyo3-ls ") || strings.HasPrefix(cmdline, "pyo3-ls ")) {
					continue
				}
				var want []string
				for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "$ ") {
					i++
					want = append(want, lines[i])
				}
				args := strings.Fields(cmdline)[1:]
				_, out, stderr := runBin(t, "../..", nil, args...)
				n++
				if got := strings.TrimRight(out+stderr, "\n"); got != strings.TrimRight(strings.Join(want, "\n"), "\n") {
					t.Errorf("%s: `%s` prints:\n%s\nthe document shows:\n%s", file, cmdline, got, strings.Join(want, "\n"))
				}
			}
		}
	}
	if n == 0 {
		t.Error("no transcript found in README.md")
	}
}

// TestDocCommandsParse runs every `pyo3-ls check ...` command written in a
// code block of README.md and docs/*.md (CI steps, hooks, examples) on a
// copy of a fixture and requires that its arguments are accepted: exit 0
// or 1, not 2.
func TestDocCommandsParse(t *testing.T) {
	proj := copyFixture(t, "N001/fail-fn-name")
	n := 0
	seen := map[string]bool{}
	for _, file := range docFiles(t) {
		data, _ := os.ReadFile(file)
		infos, bodies := codeBlocks(string(data))
		for b, body := range bodies {
			for _, line := range strings.Split(body, "\n") {
				i := strings.Index(line, "pyo3-ls check")
				if i < 0 || infos[b] == "text" && !strings.HasPrefix(line, "$ ") {
					continue // a usage synopsis, not a command
				}
				cmdline := line[i:]
				for _, stop := range []string{" #", " ||", " &&", " |", "`", ";", `"`} {
					if j := strings.Index(cmdline, stop); j >= 0 {
						cmdline = cmdline[:j]
					}
				}
				args := strings.Fields(cmdline)[1:]
				for k, a := range args {
					if strings.HasPrefix(a, "testdata/") {
						args[k] = filepath.Join("..", "..", a)
						args[k], _ = filepath.Abs(args[k])
					}
				}
				if seen[strings.Join(args, " ")] {
					continue
				}
				seen[strings.Join(args, " ")] = true
				n++
				code, _, stderr := runBin(t, proj, nil, args...)
				if code != 0 && code != 1 {
					t.Errorf("%s: `%s` exits %d: %s", file, cmdline, code, stderr)
				}
			}
		}
	}
	t.Logf("%d distinct commands", n)
	if n < 8 {
		t.Errorf("only %d commands found", n)
	}
}
