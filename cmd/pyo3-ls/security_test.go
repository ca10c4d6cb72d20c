package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 16 item 1: nothing read from outside the project reaches a report.
// A malicious pull request pointing manifest-path, [lib] path or #[path] at
// /proc/self/environ or a file outside the repository must not put its
// contents (CI secrets) into the output of any format.
func TestNoOutsideContentsInReports(t *testing.T) {
	const secret = "s3cr3t-value-from-the-environment"
	t.Setenv("PYO3LS_TEST_SECRET_TOKEN", secret)
	base := t.TempDir()
	up := strings.Repeat("../", strings.Count(base, string(filepath.Separator))+4)
	pyproject := func(name, extra string) string {
		return "[build-system]\nrequires = [\"maturin>=1.0,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"" + name + "\"\nversion = \"0.1.0\"\n\n[tool.maturin]\n" + extra
	}
	cargo := func(name, extra string) string {
		return "[package]\nname = \"" + name + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\ncrate-type = [\"cdylib\"]\n" + extra + "\n[dependencies]\npyo3 = \"0.27\"\n"
	}
	files := map[string]string{
		"outside/secret.toml": "SECRET_TOKEN=" + secret + "\n",
		"repo/.git/HEAD":      "ref: refs/heads/main\n",

		"repo/environ/pyproject.toml": pyproject("environ", "manifest-path = \""+up+"proc/self/environ\"\n"),
		"repo/outfile/pyproject.toml": pyproject("outfile", "manifest-path = \"../../outside/secret.toml\"\n"),

		"repo/libpath/pyproject.toml": pyproject("libpath", ""),
		"repo/libpath/Cargo.toml":     cargo("libpath", "path = \"../../outside/secret.toml\"\n"),

		"repo/modpath/pyproject.toml": pyproject("modpath", ""),
		"repo/modpath/Cargo.toml":     cargo("modpath", ""),
		"repo/modpath/src/lib.rs":     "use pyo3::prelude::*;\n#[path = \"../../../outside/secret.toml\"]\nmod s;\n#[pymodule]\nfn modpath(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n",
	}
	root := filepath.Join(base, "w")
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"text", "concise", "json", "sarif", "github"} {
		code, out, errOut := runCLI(t, filepath.Join(root, "repo"), "check", "--format", format, ".")
		if strings.Contains(out+errOut, secret) || strings.Contains(out+errOut, "SECRET_TOKEN") {
			t.Errorf("--format %s (exit %d) shows a file from outside the repository:\n%s%s", format, code, out, errOut)
		}
		if code != 1 {
			t.Errorf("--format %s: exit %d, want 1 (the refused paths are findings)", format, code)
		}
	}
	_, out, _ := runCLI(t, filepath.Join(root, "repo"), "check", "--format", "concise", ".")
	if !strings.Contains(out, "outside") {
		t.Errorf("a refused manifest-path should say it leads outside:\n%s", out)
	}
}

// Issue 16 item 1: quoted tokens in messages are capped (T001 used to quote
// a whole line of an unquoted value).
func TestQuotedTokensCapped(t *testing.T) {
	long := strings.Repeat("A", 500)
	dir := writeProject(t, map[string]string{
		"pyproject.toml": "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"x\"\nversion = " + long + "\n",
	})
	for _, format := range []string{"concise", "json", "github"} {
		_, out, _ := runCLI(t, dir, "check", "--format", format, ".")
		if strings.Contains(out, strings.Repeat("A", 41)) {
			t.Errorf("--format %s quotes more than 40 characters of a token:\n%s", format, out)
		}
		if !strings.Contains(out, "T001") {
			t.Errorf("--format %s: no T001:\n%s", format, out)
		}
	}
}

// Issue 16 item 4: one file read both as TOML and as Rust used to panic.
func TestSameFileTOMLAndRustNoPanic(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"lib-path-cargo": {
			"pyproject.toml": "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"x\"\nversion = \"0.1.0\"\n",
			"Cargo.toml":     "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[lib]\npath = \"Cargo.toml\"\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.27\"\n",
		},
		"path-attr-pyproject": {
			"pyproject.toml": "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"x\"\nversion = \"0.1.0\"\n",
			"Cargo.toml":     "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[lib]\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.27\"\n",
			"src/lib.rs":     "#[path = \"../pyproject.toml\"]\nmod cfg;\n#[path = \"../Cargo.toml\"]\nmod cargo;\n",
		},
	} {
		dir := writeProject(t, files)
		for _, format := range []string{"text", "json"} {
			code, _, errOut := runCLI(t, dir, "check", "--format", format, ".")
			if code > 1 || strings.Contains(errOut, "panic") {
				t.Errorf("%s --format %s: exit %d\n%s", name, format, code, errOut)
			}
		}
	}
}

// Issue 16 item 5: control characters from directory names and from TOML
// or Rust values never reach a terminal raw, in any format.
func TestOutputEscapesControlCharacters(t *testing.T) {
	base := t.TempDir()
	evil := "p\x1b[2J\x1b]0;pwned\x07\u009b31m\nx"
	dir := filepath.Join(base, evil)
	files := map[string]string{
		"pyproject.toml": "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"x\"\nversion = \"0.1.0\"\n[tool.maturin]\nmodule-name = \"a\\u001b[2Jb\\u009b\"\ninclude = [\"\\u001b]8;;http://x\\u0007\"]\n",
		"Cargo.toml":     "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[lib]\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.27\"\n",
		"src/lib.rs":     "use pyo3::prelude::*;\n#[pymodule]\n#[pyo3(name = \"q\\u{1b}[2J\")]\nfn x(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n#[cfg(feature = \"f\x1b[31m\")]\nfn g() {}\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Skip("file system refuses control characters in names:", err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{"text", "concise", "json", "sarif", "github"} {
		_, out, errOut := runCLI(t, base, "check", "--format", format, ".")
		if !strings.Contains(out, "N001") {
			t.Errorf("--format %s: expected the module-name mismatch:\n%s", format, out)
		}
		for _, bad := range []string{"\x1b", "\x07", "\u009b", "\r"} {
			if strings.Contains(out, bad) || strings.Contains(errOut, bad) {
				t.Errorf("--format %s prints a raw %q:\n%q", format, bad, out)
			}
		}
		if format == "text" || format == "concise" || format == "github" {
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, "x/") || strings.HasPrefix(line, "x:") {
					t.Errorf("--format %s: a newline in a directory name starts a new line: %q", format, line)
				}
			}
		}
	}
}

// Issue 16 item 3: a "**" glob bomb in workspace members/exclude or in
// [tool.pyo3-ls] exclude hung check forever.
func TestGlobBombFinishes(t *testing.T) {
	bomb := strings.Repeat("**/", 5000) + "x"
	dir := writeProject(t, map[string]string{
		"Cargo.toml":                     "[workspace]\nmembers = [\"" + bomb + "\"]\nexclude = [\"" + bomb + "\"]\n",
		"a/b/c/d/e/f/g/h/pyproject.toml": "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n[project]\nname = \"x\"\nversion = \"0.1.0\"\n[tool.pyo3-ls]\nexclude = [\"" + bomb + "\"]\n",
		"a/b/c/d/e/f/g/h/Cargo.toml":     "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[lib]\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.27\"\n",
		"a/b/c/d/e/f/g/h/src/lib.rs":     "use pyo3::prelude::*;\n#[pymodule]\nfn x(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n",
	})
	if code, out, errOut := runCLI(t, dir, "check", "."); code > 1 {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// Issue 16 item 9: candidates used to be skipped silently ("no maturin
// project found", exit 0); each is now found or named with its reason.
func TestSkippedCandidatesReported(t *testing.T) {
	py := "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n[project]\nname = \"x\"\nversion = \"0.1.0\"\n"
	cargo := "[package]\nname = \"x\"\nversion = \"0.1.0\"\n[lib]\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.27\"\n"
	lib := "use pyo3::prelude::*;\n#[pymodule]\nfn x(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n"

	// An empty pyvenv.cfg does not hide the tree under it.
	dir := writeProject(t, map[string]string{"pyvenv.cfg": "", "sub/pyvenv.cfg": "", "sub/p/pyproject.toml": py, "sub/p/Cargo.toml": cargo, "sub/p/src/lib.rs": lib})
	if _, out, errOut := runCLI(t, dir, "check", "--format", "concise", "."); strings.Contains(errOut, "no maturin project") {
		t.Errorf("empty pyvenv.cfg hid the project:\n%s%s", out, errOut)
	}
	// A template is named as skipped.
	dir = writeProject(t, map[string]string{"tpl/pyproject.toml": py + "description = \"{{ cookiecutter.description }}\"\n"})
	if _, _, errOut := runCLI(t, dir, "check", "."); !strings.Contains(errOut, "skipped tpl/pyproject.toml") || !strings.Contains(errOut, "template") {
		t.Errorf("template not reported as skipped:\n%s", errOut)
	}
	// A symlinked pyproject.toml is named as skipped.
	dir = writeProject(t, map[string]string{"real/pyproject.toml": py, "link/Cargo.toml": cargo})
	if err := os.Symlink(filepath.Join(dir, "real", "pyproject.toml"), filepath.Join(dir, "link", "pyproject.toml")); err == nil {
		if _, _, errOut := runCLI(t, dir, "check", "."); !strings.Contains(errOut, "skipped link/pyproject.toml") || !strings.Contains(errOut, "symlink") {
			t.Errorf("symlinked pyproject.toml not reported:\n%s", errOut)
		}
	}
	if os.Geteuid() == 0 {
		t.Log("running as root: permissions do not stop reads, the unreadable cases are not tested")
		return
	}
	// An unreadable pyproject.toml is named; an unreadable explicit root exits 2.
	dir = writeProject(t, map[string]string{"p/pyproject.toml": py})
	os.Chmod(filepath.Join(dir, "p", "pyproject.toml"), 0)
	defer os.Chmod(filepath.Join(dir, "p", "pyproject.toml"), 0o644)
	if _, _, errOut := runCLI(t, dir, "check", "."); !strings.Contains(errOut, "skipped p/pyproject.toml") {
		t.Errorf("unreadable pyproject.toml not reported:\n%s", errOut)
	}
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0)
	defer os.Chmod(locked, 0o755)
	if code, _, errOut := runCLI(t, dir, "check", "locked"); code != 2 {
		t.Errorf("unreadable explicit directory: exit %d, want 2\n%s", code, errOut)
	}
}
