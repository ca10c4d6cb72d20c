package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/benchgen"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

// copyTree copies the regular files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOutputDeterministic: projects are checked in parallel, but the JSON
// and text reports of a tree with many projects (every rule fixture, most of
// them failing, plus a 200-crate workspace) are byte-for-byte the same
// whatever GOMAXPROCS is and however often they are produced.
func TestOutputDeterministic(t *testing.T) {
	tree := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "testdata", "rules"), filepath.Join(tree, "fixtures"))
	// The default run checks a 40-crate workspace under GOMAXPROCS 1, 4 and
	// 2; the stress run (PYO3_LS_STRESS=1, as in CI) 200 crates, five times.
	crates, procsList := 40, []int{4, 2}
	if testenv.Stress() {
		crates, procsList = 200, []int{2, 2, 4, 1}
	}
	if _, err := benchgen.Monorepo(filepath.Join(tree, "mono"), crates); err != nil {
		t.Fatal(err)
	}
	// A few failing members in the workspace too.
	rlib := fmt.Sprintf("pkg-%04d", crates*3/4)
	os.WriteFile(filepath.Join(tree, "mono", "crates", "pkg-0007", "pyproject.toml"), []byte("[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"other\"\n"), 0o644)
	os.WriteFile(filepath.Join(tree, "mono", "crates", rlib, "Cargo.toml"), []byte("[package]\nname = \""+rlib+"\"\n[lib]\ncrate-type = [\"rlib\"]\n"), 0o644)

	check := func(procs int, format string) []byte {
		t.Helper()
		old := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(old)
		var stdout, stderr bytes.Buffer
		if code := run([]string{"check", "--format", format, "--color", "never", tree}, strings.NewReader(""), &stdout, &stderr); code != 1 {
			t.Fatalf("exit %d, want 1 (diagnostics found); stderr: %s", code, stderr.String())
		}
		return stdout.Bytes()
	}
	for _, format := range []string{"json", "text"} {
		ref := check(1, format)
		if n := bytes.Count(ref, []byte("\n")); n < 50 {
			t.Fatalf("%s: only %d lines of output; the tree should produce many diagnostics", format, n)
		}
		for i, procs := range procsList {
			if got := check(procs, format); !bytes.Equal(got, ref) {
				t.Fatalf("%s output differs between GOMAXPROCS=1 and run %d with GOMAXPROCS=%d", format, i, procs)
			}
		}
	}
}
