package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The tests in this file run the built binary, as a user and an editor do.

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// pyo3ls returns the path of a pyo3-ls binary built from this package.
func pyo3ls(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "pyo3-ls-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "pyo3-ls")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = errors.New(string(out))
		}
	})
	if binErr != nil {
		t.Fatalf("go build: %v", binErr)
	}
	return binPath
}

// runBin runs the binary in dir (the test's directory when "") with env
// added to the environment (NO_COLOR removed unless given).
func runBin(t *testing.T, dir string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(pyo3ls(t), args...)
	cmd.Dir = dir
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "NO_COLOR=") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// copyFixture copies testdata/rules/REL into a new temporary directory.
func copyFixture(t *testing.T, rel string) string {
	t.Helper()
	dst := t.TempDir()
	copyDir(t, fixtureDir(t, rel), dst)
	return dst
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if d.Type()&fs.ModeSymlink != 0 {
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, _ := d.Info()
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot maps each regular file under dir to its contents and mode.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			data, _ := os.ReadFile(p)
			info, _ := d.Info()
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = info.Mode().String() + "\n" + string(data)
		}
		return nil
	})
	return out
}

type jsonDiag struct {
	Path     string
	Code     string
	Severity string
	Message  string
	Range    struct {
		Start struct{ Line, Character int }
	}
}

// checkJSON runs check --format json with args in dir and decodes the result.
func checkJSON(t *testing.T, dir string, args ...string) (int, []jsonDiag, string) {
	t.Helper()
	code, out, stderr := runBin(t, dir, nil, append([]string{"check", "--format", "json"}, args...)...)
	var doc struct{ Diagnostics []jsonDiag }
	if code != 2 {
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("check %v: not JSON (%v): %s %s", args, err, out, stderr)
		}
	}
	return code, doc.Diagnostics, stderr
}

func codes(ds []jsonDiag) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Path+":"+d.Code)
	}
	sort.Strings(out)
	return out
}

func TestBinFlagsAnywhere(t *testing.T) {
	dir := fixtureDir(t, "N001/fail-fn-name")
	for _, args := range [][]string{
		{"check", dir, "--format", "json"},
		{"check", "--format=json", dir},
		{"check", dir, "--format=json", "--select", "N001"},
		{"check", "--output-format", "json", "--", dir},
	} {
		code, out, stderr := runBin(t, "", nil, args...)
		if code != 1 || !strings.HasPrefix(out, "{") || !strings.Contains(out, `"N001"`) {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, stderr)
		}
	}
	// After --, a word that looks like a flag is a path.
	code, _, stderr := runBin(t, "", nil, "check", dir, "--", "--format")
	if code != 2 || !strings.Contains(stderr, "--format") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("-- --format: exit %d, stderr %q", code, stderr)
	}
}

func TestBinHelp(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"},
		{"check", "--help"}, {"check", "-h"}, {"check", ".", "--help"}, {"help", "check"},
		{"rules", "--help"}, {"rules", "-h"},
		{"explain", "--help"}, {"explain", "-h"},
		{"serve", "--help"}, {"serve", "-h"},
	} {
		code, out, stderr := runBin(t, "", nil, args...)
		if code != 0 || stderr != "" || !strings.Contains(out, "Usage") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, stderr)
		}
	}
	_, out, _ := runBin(t, "", nil, "check", "--help")
	for _, flag := range []string{"--format", "-o, --output-file", "--select", "--ignore", "--fix", "--unsafe-fixes", "--diff",
		"--exit-zero", "--statistics", "-q, --quiet", "-s, --silent", "--color auto|always|never", "--show-hints", "Columns:"} {
		if !strings.Contains(out, flag) {
			t.Errorf("check --help lacks %q", flag)
		}
	}
}

func TestBinUsageErrors(t *testing.T) {
	dir := fixtureDir(t, "N001/pass")
	for _, tc := range []struct {
		args       []string
		name, help string
	}{
		{[]string{"check", "--bogus", dir}, "--bogus", "pyo3-ls check --help"},
		{[]string{"check", dir, "--bogus"}, "--bogus", "pyo3-ls check --help"},
		{[]string{"check", "-x", dir}, "'x'", "pyo3-ls check --help"},
		{[]string{"check", "--color", "red", dir}, `"red"`, "pyo3-ls check --help"},
		{[]string{"check", "--color=sometimes", dir}, `"sometimes"`, "pyo3-ls check --help"},
		{[]string{"check", "--format", "xml", dir}, `"xml"`, "pyo3-ls check --help"},
		{[]string{"check", dir, "--format"}, "--format", "pyo3-ls check --help"},
		{[]string{"check", "--select", "Z999", dir}, `"Z999"`, "pyo3-ls check --help"},
		{[]string{"check", "--unsafe-fixes", dir}, "--unsafe-fixes", "pyo3-ls check --help"},
		{[]string{"rules", "--bogus"}, "--bogus", "pyo3-ls rules --help"},
		{[]string{"rules", "extra"}, `"extra"`, "pyo3-ls rules --help"},
		{[]string{"explain"}, "rule code", "pyo3-ls explain --help"},
		{[]string{"explain", "--bogus", "N001"}, "--bogus", "pyo3-ls explain --help"},
		{[]string{"serve", "--log-level", "loud"}, `"loud"`, "pyo3-ls serve --help"},
		{[]string{"serve", "extra"}, `"extra"`, "pyo3-ls serve --help"},
		{[]string{"frobnicate"}, `"frobnicate"`, "pyo3-ls --help"},
		{[]string{"--bogus"}, "--bogus", "pyo3-ls --help"},
	} {
		code, out, stderr := runBin(t, "", nil, tc.args...)
		if code != 2 || out != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.name) || !strings.Contains(stderr, "see `"+tc.help+"`") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tc.args, code, out, stderr)
		}
	}
}

func TestBinColor(t *testing.T) {
	dir := fixtureDir(t, "N001/fail-fn-name")
	_, out, _ := runBin(t, "", nil, "check", "--color", "always", dir)
	if !strings.Contains(out, "\x1b[1;31merror[N001]\x1b[0m") {
		t.Errorf("--color always: no color:\n%s", out)
	}
	_, out, _ = runBin(t, "", []string{"NO_COLOR=1"}, "check", "--color=always", dir)
	if !strings.Contains(out, "\x1b[") {
		t.Errorf("--color always must win over NO_COLOR:\n%s", out)
	}
	for _, args := range [][]string{{"--color", "never"}, {"--color", "auto"}, {}} {
		_, out, _ = runBin(t, "", nil, append(append([]string{"check"}, args...), dir)...)
		if strings.Contains(out, "\x1b") {
			t.Errorf("%v into a pipe: colored:\n%s", args, out)
		}
	}
}

// TestBinDiscovery: check run inside a project, or given a subdirectory or a
// file of one, finds the project by walking up and reports only what lies in
// the given paths.
func TestBinDiscovery(t *testing.T) {
	proj := copyFixture(t, "N001/fail-fn-name")
	os.MkdirAll(filepath.Join(proj, "src", "deep", "er"), 0o755)
	cases := []struct {
		dir  string
		args []string
		want []string
		exit int
	}{
		{proj, nil, []string{"Cargo.toml:N001", "src/lib.rs:N001"}, 1},
		{filepath.Join(proj, "src"), nil, []string{"lib.rs:N001"}, 1},
		{filepath.Join(proj, "src", "deep", "er"), nil, nil, 0},
		{filepath.Join(proj, "src", "deep", "er"), []string{"../.."}, []string{"../../lib.rs:N001"}, 1},
		{filepath.Join(proj, "src", "deep", "er"), []string{"../../.."}, []string{"../../../Cargo.toml:N001", "../../lib.rs:N001"}, 1},
		{proj, []string{"src/lib.rs"}, []string{"src/lib.rs:N001"}, 1},
		{proj, []string{"src"}, []string{"src/lib.rs:N001"}, 1},
		{proj, []string{"Cargo.toml"}, []string{"Cargo.toml:N001"}, 1},
		{proj, []string{"pyproject.toml"}, nil, 0},
		{proj, []string{"pyproject.toml", "src/lib.rs"}, []string{"src/lib.rs:N001"}, 1},
		{filepath.Join(proj, "src"), []string{"lib.rs", "../Cargo.toml"}, []string{"../Cargo.toml:N001", "lib.rs:N001"}, 1},
	}
	for _, tc := range cases {
		code, ds, stderr := checkJSON(t, tc.dir, tc.args...)
		if code != tc.exit || strings.Join(codes(ds), " ") != strings.Join(tc.want, " ") {
			t.Errorf("in %s, check %v: exit %d, %v; want %d, %v; stderr %s", tc.dir, tc.args, code, codes(ds), tc.exit, tc.want, stderr)
		}
		if strings.Contains(stderr, "no maturin project") {
			t.Errorf("in %s, check %v: %s", tc.dir, tc.args, stderr)
		}
	}
	// The text summary counts the project found above.
	_, _, stderr := runBin(t, filepath.Join(proj, "src"), nil, "check")
	if !strings.Contains(stderr, "checked 1 project(s): 1 error(s)") {
		t.Errorf("summary: %s", stderr)
	}
	// Nowhere near a project: a warning on stderr, nothing on stdout, exit 0.
	empty := t.TempDir()
	for _, format := range []string{"text", "json"} {
		code, out, stderr := runBin(t, empty, nil, "check", "--format", format)
		if code != 0 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "warning: no maturin project found") {
			t.Errorf("%s, no project: exit %d, stdout %q, stderr %q", format, code, out, stderr)
		}
		if format == "text" && out != "" {
			t.Errorf("text, no project: stdout %q", out)
		}
	}
	if code, _, stderr := runBin(t, empty, nil, "check", "-q"); code != 0 || stderr != "" {
		t.Errorf("-q, no project: exit %d, stderr %q", code, stderr)
	}
}

// TestBinUnhideable: T001 shows and fails whatever selection,
// configuration or suppression says.
func TestBinUnhideable(t *testing.T) {
	proj := copyFixture(t, "T001/fail-pyproject-syntax")
	pp := filepath.Join(proj, "pyproject.toml")
	data, _ := os.ReadFile(pp)
	src := strings.Replace(string(data), "requires-python = >=3.9", "requires-python = >=3.9 # pyo3-ls: ignore[T001]", 1) +
		"\n[tool.pyo3-ls]\nselect = [\"N\"]\nignore = [\"T\"]\nseverity = { T001 = \"info\" }\n"
	os.WriteFile(pp, []byte(src), 0o644)
	for _, args := range [][]string{nil, {"--select", "N"}, {"--ignore", "T001"}, {"--ignore", "T", "--select", "M"}} {
		code, ds, stderr := checkJSON(t, proj, args...)
		found := false
		for _, d := range ds {
			if d.Code == "T001" && d.Severity == "error" {
				found = true
			}
		}
		if code != 1 || !found {
			t.Errorf("%v: exit %d, %v %s", args, code, codes(ds), stderr)
		}
	}
	if code, _, _ := runBin(t, proj, nil, "check", "--ignore", "T", "--exit-zero"); code != 0 {
		t.Errorf("--exit-zero: exit %d", code)
	}
}

func TestBinOptions(t *testing.T) {
	dir := fixtureDir(t, "N001/fail-fn-name")
	// --exit-zero
	if code, out, _ := runBin(t, "", nil, "check", "--exit-zero", dir); code != 0 || !strings.Contains(out, "N001") {
		t.Errorf("--exit-zero: exit %d\n%s", code, out)
	}
	// --statistics: a count per code instead of the diagnostics
	code, out, _ := runBin(t, "", nil, "check", "--statistics", dir)
	if code != 1 || strings.TrimSpace(out) != "2\tN001\t    module-name-mismatch" {
		t.Errorf("--statistics: exit %d %q", code, out)
	}
	code, out, _ = runBin(t, "", nil, "check", "--statistics", "--format", "json", dir)
	var stats []struct {
		Code  string
		Count int
	}
	if err := json.Unmarshal([]byte(out), &stats); err != nil || code != 1 || len(stats) != 1 || stats[0].Code != "N001" || stats[0].Count != 2 {
		t.Errorf("--statistics --format json: exit %d %s", code, out)
	}
	// -q: the diagnostics, nothing on stderr
	code, out, stderr := runBin(t, "", nil, "check", "-q", dir)
	if code != 1 || !strings.Contains(out, "error[N001]") || stderr != "" {
		t.Errorf("-q: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	// -s: nothing at all, the exit code tells
	for _, args := range [][]string{{"-s"}, {"--silent"}, {"-s", "--format", "json"}, {"-qs"}} {
		code, out, stderr = runBin(t, "", nil, append(append([]string{"check"}, args...), dir)...)
		if code != 1 || out != "" || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, stderr)
		}
	}
	// -o FILE
	file := filepath.Join(t.TempDir(), "report.json")
	code, out, _ = runBin(t, "", nil, "check", dir, "-o", file, "--format", "json")
	data, err := os.ReadFile(file)
	if code != 1 || out != "" || err != nil || !strings.Contains(string(data), `"N001"`) {
		t.Errorf("-o: exit %d, stdout %q, file %s %v", code, out, data, err)
	}
}

// TestBinCaretWideCharacters: the caret sits under the span after emoji
// and CJK characters (two terminal columns each).
func TestBinCaretWideCharacters(t *testing.T) {
	proj := copyFixture(t, "N001/fail-fn-name")
	cargo := filepath.Join(proj, "Cargo.toml")
	data, _ := os.ReadFile(cargo)
	// an inline table puts wide characters on the span's line, before it
	lib := "lib = { \"é😀名\" = 1, name = \"demo\", crate-type = [\"cdylib\"] }\n"
	os.WriteFile(cargo, []byte(lib+strings.Replace(string(data), "[lib]\nname = \"demo\"\ncrate-type = [\"cdylib\"]\n", "", 1)), 0o644)
	code, out, stderr := runBin(t, proj, nil, "check", "--select", "N001", "--color", "never")
	// lib = { "é😀名" = 1, name =  is 28 columns wide (é 1, 😀 2, 名 2), 24 characters
	want := "1 | " + lib + "  | " + strings.Repeat(" ", 28) + "^^^^^^\n"
	if code != 1 || !strings.Contains(out, want) {
		t.Errorf("exit %d\n%s%s\nwant:\n%s", code, out, stderr, want)
	}
}

// TestBinHintsCountedApart: with --show-hints the summary counts hints as
// hints, not as info (issue 13).
func TestBinHintsCountedApart(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pyproject.toml", "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"demo\"\nrequires-python = \">=3.9\"\ndynamic = [\"version\"]\n")
	write("Cargo.toml", "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\nname = \"demo\"\ncrate-type = [\"cdylib\"]\n\n[dependencies]\npyo3 = { version = \"0.28\", features = [\"extension-module\"] }\n")
	write("src/lib.rs", "use pyo3::prelude::*;\n\n#[pymodule]\nfn demo(_m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n")
	_, stdout, stderr := runBin(t, dir, nil, "check", "--show-hints", ".")
	out := stdout + stderr
	if !strings.Contains(out, "0 info, 1 hint(s)") {
		t.Errorf("summary should count the C003 hint as a hint:\n%s", out)
	}
	_, stdout, stderr = runBin(t, dir, nil, "check", ".")
	out = stdout + stderr
	if !strings.Contains(out, "0 info\n") || strings.Contains(out, "hint") {
		t.Errorf("without --show-hints there is no hint to count:\n%s", out)
	}
}
