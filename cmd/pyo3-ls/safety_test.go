package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

func write(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// treeState lists every path under dir with its size and modification time.
func treeState(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out[path] = fmt.Sprintf("%v %d %v", info.ModTime(), info.Size(), info.Mode())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCheckRunsNothing: pyo3-ls never runs project code, build scripts,
// cargo, rustc, maturin or Python. The project below has a build.rs and a
// proc-macro that would write files, and fake cargo/rustc/python/maturin/pip/
// uv/sh executables first on PATH write a marker when started; after a check
// (and the rules and explain commands) no marker exists and the project tree
// is unchanged.
func TestCheckRunsNothing(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell-script fakes")
	}
	proj := t.TempDir()
	markers := t.TempDir()
	bin := t.TempDir()
	write(t, filepath.Join(proj, "pyproject.toml"), `[build-system]
requires = ["maturin>=1.9.4,<2.0"]
build-backend = "maturin"

[project]
name = "demo"
requires-python = ">=3.9"
dynamic = ["version"]

[tool.maturin]
features = ["pyo3/extension-module"]
`, 0o644)
	write(t, filepath.Join(proj, "Cargo.toml"), `[package]
name = "demo"
version = "0.1.0"
edition = "2021"
build = "build.rs"

[lib]
name = "demo"
crate-type = ["cdylib"]

[dependencies]
pyo3 = "0.25"
demo-macros = { path = "macros" }

[build-dependencies]
pyo3-build-config = "0.25"
`, 0o644)
	write(t, filepath.Join(proj, "build.rs"), `use std::fs;
fn main() {
    fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/BUILD_RS_RAN"), "build.rs ran").unwrap();
    std::process::Command::new("python3").arg("-c").arg("open('PYTHON_RAN','w')").status().unwrap();
    pyo3_build_config::use_pyo3_cfgs();
}
`, 0o644)
	write(t, filepath.Join(proj, "src", "lib.rs"), `use pyo3::prelude::*;

/// Expanding this macro writes a file (if anything ever expanded it).
demo_macros::write_file!("MACRO_RAN");

include!(concat!(env!("OUT_DIR"), "/generated.rs"));

#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

#[pymodule]
fn demo(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    Ok(())
}
`, 0o644)
	write(t, filepath.Join(proj, "macros", "Cargo.toml"), "[package]\nname = \"demo-macros\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\nproc-macro = true\n", 0o644)
	write(t, filepath.Join(proj, "macros", "src", "lib.rs"), `use proc_macro::TokenStream;
#[proc_macro]
pub fn write_file(input: TokenStream) -> TokenStream {
    std::fs::write(input.to_string().trim_matches('"'), "proc macro ran").unwrap();
    TokenStream::new()
}
`, 0o644)
	write(t, filepath.Join(proj, "demo", "__init__.py"), "open('IMPORT_RAN', 'w')\nfrom .demo import *\n", 0o644)
	write(t, filepath.Join(proj, "setup.py"), "open('SETUP_PY_RAN', 'w')\n", 0o644)
	tools := []string{"cargo", "rustc", "rustup", "python", "python3", "maturin", "pip", "pip3", "uv", "sh", "bash", "env", "git", "cc", "gcc", "ld"}
	for _, tool := range tools {
		write(t, filepath.Join(bin, tool), "#!/bin/sh\necho \"$0 $*\" > '"+filepath.Join(markers, tool)+"'\n", 0o755)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	// Sanity: the fakes work, so an exec would be caught.
	if err := exec.Command("cargo", "--version").Run(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(markers, "cargo")); err != nil {
		t.Fatal("the fake cargo did not write its marker")
	}
	os.Remove(filepath.Join(markers, "cargo"))

	before := treeState(t, proj)
	for _, args := range [][]string{
		{"check", proj},
		{"check", "--format", "json", proj},
		{"check", "--format", "sarif", proj},
		{"rules"},
		{"explain", "N001"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(args, strings.NewReader(""), &stdout, &stderr)
		if code == 2 {
			t.Fatalf("%v: exit 2: %s", args, stderr.String())
		}
	}
	if after := treeState(t, proj); len(after) != len(before) {
		t.Errorf("the check changed the project tree: %d paths before, %d after", len(before), len(after))
	} else {
		for p, s := range before {
			if after[p] != s {
				t.Errorf("%s changed", p)
			}
		}
	}
	left, _ := os.ReadDir(markers)
	for _, m := range left {
		b, _ := os.ReadFile(filepath.Join(markers, m.Name()))
		t.Errorf("a process was started: %s", b)
	}
}

// TestNoProcessSpawningCode: neither the pyo3-ls binary nor its internal
// packages import os/exec or plugin, and their sources call no
// os.StartProcess, syscall.Exec or ForkExec.
func TestNoProcessSpawningCode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "os/exec" || dep == "plugin" {
			t.Errorf("pyo3-ls depends on %s", dep)
		}
	}
	root := filepath.Join("..", "..")
	for _, dir := range []string{filepath.Join(root, "internal"), "."} {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			src, _ := os.ReadFile(path)
			for _, bad := range []string{"os.StartProcess", "syscall.Exec", "syscall.ForkExec", "exec.Command"} {
				if bytes.Contains(src, []byte(bad)) {
					t.Errorf("%s uses %s", path, bad)
				}
			}
			return nil
		})
	}
}

// TestOversizedFilesReportedT003: a pyproject.toml, Cargo.toml or lib.rs
// above its cap (project.MaxSize) is skipped unread and reported as T003,
// without a crash.
func TestOversizedFilesReportedT003(t *testing.T) {
	for _, name := range []string{"pyproject.toml", "Cargo.toml", filepath.Join("src", "lib.rs")} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "pyproject.toml"), "[build-system]\nrequires = [\"maturin>=1.9,<2\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"demo\"\nrequires-python = \">=3.9\"\ndynamic = [\"version\"]\n", 0o644)
			write(t, filepath.Join(dir, "Cargo.toml"), "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\nname = \"demo\"\ncrate-type = [\"cdylib\"]\n\n[dependencies]\npyo3 = \"0.25\"\n", 0o644)
			write(t, filepath.Join(dir, "src", "lib.rs"), "use pyo3::prelude::*;\n\n#[pymodule]\nfn demo(_m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n", 0o644)
			if err := os.Truncate(filepath.Join(dir, name), project.MaxSize(name)+1); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := run([]string{"check", "--format", "json", dir}, strings.NewReader(""), &stdout, &stderr)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr: %s", code, stderr.String())
			}
			var out struct {
				Diagnostics []struct {
					Path, Code, Message string
				}
			}
			if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, d := range out.Diagnostics {
				if d.Code == "T003" && strings.HasSuffix(d.Path, filepath.ToSlash(name)) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no T003 for %s in %+v", name, out.Diagnostics)
			}
		})
	}
}
