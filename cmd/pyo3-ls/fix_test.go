package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// TestBinFix: --diff prints the unsafe N001 fix only with --unsafe-fixes and
// writes nothing; --fix writes it atomically with the file's mode kept,
// re-checks and exits by what remains.
func TestBinFix(t *testing.T) {
	proj := copyFixture(t, "N001/fail-fn-name")
	cargo := filepath.Join(proj, "Cargo.toml")
	os.Chmod(cargo, 0o600)
	before := snapshot(t, proj)

	// Safe fixes only: N001's are unsafe, nothing to do.
	code, out, stderr := runBin(t, proj, nil, "check", "--diff")
	if code != 0 || out != "" || !strings.Contains(stderr, "would fix 0 diagnostic(s)") {
		t.Errorf("--diff (safe): exit %d, %q %q", code, out, stderr)
	}
	code, out, stderr = runBin(t, proj, nil, "check", "--fix")
	if code != 1 || !strings.Contains(out, "error[N001]") || !strings.Contains(stderr, "2 fixable with --fix --unsafe-fixes") {
		t.Errorf("--fix (safe): exit %d, %q %q", code, out, stderr)
	}
	// --diff --unsafe-fixes: one end of the mismatch is renamed (not both).
	code, out, _ = runBin(t, proj, nil, "check", "--diff", "--unsafe-fixes")
	want := "--- a/Cargo.toml\n+++ b/Cargo.toml\n@@ -4,7 +4,7 @@\n edition = \"2021\"\n \n [lib]\n-name = \"demo\"\n+name = \"other\"\n crate-type = [\"cdylib\"]\n \n [dependencies]\n"
	if code != 1 || out != want {
		t.Errorf("--diff --unsafe-fixes: exit %d\n%s\nwant:\n%s", code, out, want)
	}
	if after := snapshot(t, proj); !equalMaps(before, after) {
		t.Fatal("--diff or --fix without applicable fixes changed the tree")
	}
	// The diff applies with patch -p1 and gives what --fix writes.
	patched := t.TempDir()
	copyDir(t, proj, patched)
	if _, err := exec.LookPath("patch"); err == nil {
		cmd := exec.Command("patch", "-p1", "--quiet")
		cmd.Dir = patched
		cmd.Stdin = strings.NewReader(out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch: %v %s", err, b)
		}
	}
	code, out, stderr = runBin(t, proj, nil, "check", "--fix", "--unsafe-fixes")
	if code != 0 || out != "" || !strings.Contains(stderr, "fixed 1 diagnostic(s) in 1 file(s)") {
		t.Errorf("--fix --unsafe-fixes: exit %d, %q %q", code, out, stderr)
	}
	st, _ := os.Stat(cargo)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", st.Mode())
	}
	after := snapshot(t, proj)
	if len(after) != len(before) {
		t.Errorf("files added or removed (a temporary file left?): %d -> %d", len(before), len(after))
	}
	if _, err := exec.LookPath("patch"); err == nil && !equalMaps(after, snapshot(t, patched)) {
		t.Error("--diff applied with patch differs from --fix")
	}
	// A second run has nothing left to fix.
	if code, out, _ := runBin(t, proj, nil, "check", "--diff", "--unsafe-fixes"); code != 0 || out != "" {
		t.Errorf("second --diff: exit %d %q", code, out)
	}
}

// TestBinFixSafe: a safe fix (X002, an unused suppression) is applied by
// plain --fix; -q keeps stderr empty; the exit code reflects what remains.
func TestBinFixSafe(t *testing.T) {
	proj := copyFixture(t, "N001/fail-fn-name")
	lib := filepath.Join(proj, "src", "lib.rs")
	data, _ := os.ReadFile(lib)
	os.WriteFile(lib, []byte("// pyo3-ls: ignore[F001]\n"+string(data)), 0o644)
	os.Chmod(lib, 0o755)
	code, ds, _ := checkJSON(t, proj)
	if code != 1 || !strings.Contains(strings.Join(codes(ds), " "), "src/lib.rs:X002") {
		t.Fatalf("setup: %v", codes(ds))
	}
	// JSON names the fix --fix would apply, and whether it is safe
	_, js, _ := runBin(t, proj, nil, "check", "--format", "json")
	if !strings.Contains(js, `"fix": {
        "title": "Remove the suppression comment",
        "applicability": "safe"
      }`) || !strings.Contains(js, `"applicability": "unsafe"`) {
		t.Errorf("JSON fix fields:\n%s", js)
	}
	code, out, stderr := runBin(t, proj, nil, "check", "--fix", "-q", "--format", "concise")
	if code != 1 || stderr != "" || strings.Contains(out, "X002") || strings.Count(out, "N001") != 2 {
		t.Errorf("--fix -q: exit %d\n%s%s", code, out, stderr)
	}
	got, _ := os.ReadFile(lib)
	if string(got) != string(data) {
		t.Errorf("lib.rs after --fix:\n%s", got)
	}
	if st, _ := os.Stat(lib); st.Mode().Perm() != 0o755 {
		t.Errorf("mode %v, want 0755 kept", st.Mode())
	}
	// Only the N001 errors remain: --fix --exit-zero exits 0.
	if code, _, _ := runBin(t, proj, nil, "check", "--fix", "--exit-zero"); code != 0 {
		t.Errorf("--fix --exit-zero: exit %d", code)
	}
}

// TestBinFixEveryFixture applies --fix, then --fix --unsafe-fixes, to a copy
// of every failing rule fixture. No fix may leave invalid TOML or add a
// diagnostic (a code in a file that did not have it), and running the same
// --fix again must change nothing.
func TestBinFixEveryFixture(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "rules"))
	dirs, _ := filepath.Glob(filepath.Join(root, "*", "fail*"))
	if len(dirs) < 40 {
		t.Fatalf("only %d failing fixtures", len(dirs))
	}
	fixed := map[string]int{}
	for _, dir := range dirs {
		rel, _ := filepath.Rel(root, dir)
		for _, mode := range [][]string{{"--fix"}, {"--fix", "--unsafe-fixes"}} {
			name := rel + "/" + strings.Join(mode, "")
			t.Run(name, func(t *testing.T) {
				proj := t.TempDir()
				copyDir(t, dir, proj)
				_, before, _ := checkJSON(t, proj)
				had := map[string]bool{}
				for _, c := range codes(before) {
					had[c] = true
				}
				orig := snapshot(t, proj)
				code, out, stderr := runBin(t, proj, nil, append([]string{"check", "--format", "json"}, mode...)...)
				if code == 2 || strings.Contains(stderr, "did not converge") {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				_ = out
				_, after, _ := checkJSON(t, proj)
				for _, c := range codes(after) {
					if issue := knownFixIssues[rel+" "+strings.Join(mode, " ")+" "+c]; issue != "" {
						t.Logf("known issue, left to its owner: %s", issue)
						continue
					}
					if !had[c] {
						t.Errorf("%v added %s (before: %v)", mode, c, codes(before))
					}
					if strings.HasSuffix(c, ":T001") && !had[c] {
						t.Errorf("%v broke the TOML: %s", mode, c)
					}
				}
				once := snapshot(t, proj)
				if !equalMaps(orig, once) {
					fixed[strings.Join(mode, "")]++
				}
				runBin(t, proj, nil, append([]string{"check"}, mode...)...)
				if twice := snapshot(t, proj); !equalMaps(once, twice) {
					t.Errorf("a second %v changed files again", mode)
				}
				if len(after) > len(before) {
					t.Errorf("%v: %d diagnostics before, %d after", mode, len(before), len(after))
				}
			})
		}
	}
	t.Logf("fixtures changed: %v of %d", fixed, len(dirs))
	if fixed["--fix"] < 3 || fixed["--fix--unsafe-fixes"] <= fixed["--fix"] {
		t.Errorf("too few fixtures fixed: %v", fixed)
	}
}

// knownFixIssues are unsafe fixes known to add a diagnostic, keyed by
// "fixture mode path:code", each with the issue (reported on the board to
// the rule's owner). Safe fixes have none.
var knownFixIssues = map[string]string{}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestUnifiedDiff checks the diff writer on its own: context, several
// hunks, insertions at the start and end, and a missing final newline.
func TestUnifiedDiff(t *testing.T) {
	var a, b []string
	for i := 1; i <= 20; i++ {
		a = append(a, "l"+strings.Repeat("x", i%3)+"\n")
	}
	b = append([]string{"new first\n"}, a...)
	b[5] = "changed\n"
	b = append(b, "no newline")
	got := unifiedDiff("a/f", "b/f", []byte(strings.Join(a, "")), []byte(strings.Join(b, "")))
	want := "--- a/f\n+++ b/f\n@@ -1,8 +1,9 @@\n+new first\n lx\n lxx\n l\n lx\n-lxx\n+changed\n l\n lx\n lxx\n" +
		"@@ -18,3 +19,4 @@\n l\n lx\n lxx\n+no newline\n\\ No newline at end of file\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// patch agrees
	if _, err := exec.LookPath("patch"); err == nil {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "f"), []byte(strings.Join(a, "")), 0o644)
		cmd := exec.Command("patch", "-p1", "--quiet")
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(got)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch: %v %s", err, out)
		}
		if data, _ := os.ReadFile(filepath.Join(dir, "f")); string(data) != strings.Join(b, "") {
			t.Errorf("patched:\n%s", data)
		}
	}
}

// TestInsideProject: fixes may edit files in the project's or the crate's
// directory, not a file a symlink leads out of them.
func TestInsideProject(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "lib.rs"), []byte("x"), 0o644)
	proj := t.TempDir()
	os.MkdirAll(filepath.Join(proj, "src"), 0o755)
	os.WriteFile(filepath.Join(proj, "src", "own.rs"), []byte("x"), 0o644)
	os.Symlink(filepath.Join(outside, "lib.rs"), filepath.Join(proj, "src", "lib.rs"))
	p := &project.Project{Dir: proj, ManifestPath: filepath.Join(proj, "Cargo.toml")}
	if !insideProject(p, filepath.Join(proj, "src", "own.rs")) {
		t.Error("own file refused")
	}
	if insideProject(p, filepath.Join(proj, "src", "lib.rs")) || insideProject(p, filepath.Join(outside, "lib.rs")) {
		t.Error("a file outside the project allowed")
	}
}

// TestApplyEditsConflicts: overlapping edits are refused, not merged.
func TestApplyEditsConflicts(t *testing.T) {
	e := func(s, end int, text string) analysis.Edit {
		var x analysis.Edit
		x.Range.Start, x.Range.End, x.NewText = s, end, text
		return x
	}
	if out, err := analysis.ApplyEdits([]byte("abcdef"), []analysis.Edit{e(4, 5, "E"), e(0, 1, "A")}); err != nil || string(out) != "AbcdEf" {
		t.Errorf("%q %v", out, err)
	}
	for _, es := range [][]analysis.Edit{{e(0, 3, ""), e(2, 4, "")}, {e(1, 1, "x"), e(1, 1, "y")}, {e(0, 9, "")}} {
		if _, err := analysis.ApplyEdits([]byte("abcdef"), es); err == nil {
			t.Errorf("%v: no error", es)
		}
	}
}

// TestBinFixNeverOutsideProject: a project file that is a symlink to a file
// outside the project's directory (here elsewhere in the same repository,
// which pyo3-ls may read) is never written by --fix: the fix that would edit
// it is skipped with a warning, the others apply.
func TestBinFixNeverOutsideProject(t *testing.T) {
	repo := t.TempDir()
	os.Mkdir(filepath.Join(repo, ".git"), 0o755) // the repository: pyo3-ls reads within it
	proj := filepath.Join(repo, "proj")
	os.MkdirAll(proj, 0o755)
	copyDir(t, fixtureDir(t, "N001/fail-fn-name"), proj)
	shared := filepath.Join(repo, "shared", "Cargo.toml")
	os.MkdirAll(filepath.Dir(shared), 0o755)
	os.Rename(filepath.Join(proj, "Cargo.toml"), shared)
	if err := os.Symlink(filepath.Join("..", "shared", "Cargo.toml"), filepath.Join(proj, "Cargo.toml")); err != nil {
		t.Skip(err)
	}
	before, _ := os.ReadFile(shared)
	code, out, stderr := runBin(t, proj, nil, "check", "--fix", "--unsafe-fixes")
	if after, _ := os.ReadFile(shared); string(after) != string(before) {
		t.Errorf("a file outside the project was written:\n%s", after)
	}
	if st, err := os.Lstat(filepath.Join(proj, "Cargo.toml")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v %v", st, err)
	}
	if !strings.Contains(stderr, "outside the project; not applied") || !strings.Contains(stderr, "fixed 1 diagnostic(s) in 1 file(s)") {
		t.Errorf("exit %d\n%s%s", code, out, stderr)
	}
	lib, _ := os.ReadFile(filepath.Join(proj, "src", "lib.rs"))
	if !strings.Contains(string(lib), `#[pymodule(name = "demo")]`) {
		t.Errorf("the fix inside the project was not applied:\n%s", lib)
	}
}
