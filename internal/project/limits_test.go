package project

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

const maturinPyproject = "[build-system]\nrequires = [\"maturin>=1.9,<2\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"demo\"\nrequires-python = \">=3.9\"\n"

const demoCargo = "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\nname = \"demo\"\ncrate-type = [\"cdylib\"]\n\n[dependencies]\npyo3 = \"0.25\"\n"

const demoLib = "use pyo3::prelude::*;\n\n#[pymodule]\nfn demo(_m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n"

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeProject(t testing.TB, dir string) {
	writeFile(t, filepath.Join(dir, "pyproject.toml"), maturinPyproject)
	writeFile(t, filepath.Join(dir, "Cargo.toml"), demoCargo)
	writeFile(t, filepath.Join(dir, "src", "lib.rs"), demoLib)
}

// oversize turns path into a sparse file one byte above its cap, MaxSize
// (no disk blocks are written; reads refuse it by size).
func oversize(t *testing.T, path string) {
	t.Helper()
	if err := os.Truncate(path, MaxSize(path)+1); err != nil {
		t.Fatal(err)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func TestOversizedPyprojectIsDiscovered(t *testing.T) {
	dir := t.TempDir()
	writeProject(t, dir)
	oversize(t, filepath.Join(dir, "pyproject.toml"))
	l := NewLoader(OSFS{})
	found, err := Discover(l, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 {
		t.Fatalf("Discover = %v, want the oversized pyproject.toml (to report it)", found)
	}
	p := Load(l, found[0])
	if !errors.Is(p.PyprojectFile.ReadErr, ErrTooLarge) || p.PyprojectFile.Src != nil {
		t.Fatalf("ReadErr = %v, %d bytes read", p.PyprojectFile.ReadErr, len(p.PyprojectFile.Src))
	}
}

func TestOversizedCargoTomlAndLibRS(t *testing.T) {
	for _, name := range []string{"Cargo.toml", filepath.Join("src", "lib.rs")} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeProject(t, dir)
			path := filepath.Join(dir, name)
			oversize(t, path)
			l := NewLoader(OSFS{})
			p := Load(l, filepath.Join(dir, "pyproject.toml"))
			f := p.File(path)
			if f == nil {
				t.Fatalf("%s is not among the project's files %v, so it cannot be reported", name, p.Files())
			}
			if !errors.Is(f.ReadErr, ErrTooLarge) {
				t.Fatalf("ReadErr = %v", f.ReadErr)
			}
			if name != "Cargo.toml" && p.RustComplete {
				t.Error("RustComplete with an unread lib.rs")
			}
		})
	}
}

func TestSymlinkLoops(t *testing.T) {
	dir := t.TempDir()
	writeProject(t, filepath.Join(dir, "proj"))
	// dir/proj/loop -> .. ; dir/a/b -> ../a ; dir/x -> y, dir/y -> x
	for link, target := range map[string]string{
		filepath.Join(dir, "proj", "loop"): "..",
		filepath.Join(dir, "a", "b"):       filepath.Join("..", "a"),
		filepath.Join(dir, "x"):            "y",
		filepath.Join(dir, "y"):            "x",
		filepath.Join(dir, "self"):         ".",
	} {
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("symlinks unsupported: %v", err)
		}
	}
	before := heapInUse()
	l := NewLoader(OSFS{})
	found, err := Discover(l, dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(dir, "proj", "pyproject.toml")}; fmt.Sprint(found) != fmt.Sprint(want) {
		t.Fatalf("Discover = %v, want %v", found, want)
	}
	p := Load(l, found[0])
	if p.Manifest == nil || len(p.RustFiles) != 1 {
		t.Fatalf("incomplete snapshot: manifest %v, %d rust files", p.Manifest != nil, len(p.RustFiles))
	}
	if grown := int64(heapInUse()) - int64(before); grown > 8<<20 {
		t.Errorf("heap grew by %d bytes walking a tree with symlink loops", grown)
	}
	// A root that is itself a loop is an error, not a hang.
	if _, err := Discover(NewLoader(OSFS{}), filepath.Join(dir, "x")); err == nil {
		t.Error("Discover on a symlink loop root: no error")
	}
}

// No symlink is followed out of the tree being checked: a symlinked
// directory or pyproject.toml pointing at a maturin project outside is not
// analysed.
func TestSymlinksOutOfTreeNotFollowed(t *testing.T) {
	outside := t.TempDir()
	writeProject(t, filepath.Join(outside, "ext"))
	tree := t.TempDir()
	writeProject(t, filepath.Join(tree, "proj"))
	if err := os.Symlink(filepath.Join(outside, "ext"), filepath.Join(tree, "linked-dir")); err != nil {
		t.Skipf("symlinks unsupported: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(tree, "linked-file"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "ext", "pyproject.toml"), filepath.Join(tree, "linked-file", "pyproject.toml")); err != nil {
		t.Fatal(err)
	}
	l := NewLoader(OSFS{})
	found, err := Discover(l, tree)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(tree, "proj", "pyproject.toml")}; fmt.Sprint(found) != fmt.Sprint(want) {
		t.Fatalf("Discover = %v, want only %v", found, want)
	}
	for _, f := range Load(l, found[0]).Files() {
		if rel, err := filepath.Rel(tree, f.Path); err != nil || rel == ".." || filepath.IsAbs(rel) || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
			t.Errorf("read %s outside the tree", f.Path)
		}
	}
}

// A 100,000-file tree is walked in bounded memory: Discover keeps one
// directory listing at a time and only remembers pyproject.toml paths.
// A stress test: runs only with PYO3_LS_STRESS=1 (CI sets it).
func TestHugeTree(t *testing.T) {
	testenv.SkipUnlessStress(t, "creates 100,000 files")
	dir := t.TempDir()
	const dirs, perDir = 100, 1000
	for d := 0; d < dirs; d++ {
		sub := filepath.Join(dir, fmt.Sprintf("pkg%03d", d), "data")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < perDir; i++ {
			f, err := os.Create(filepath.Join(sub, fmt.Sprintf("f%04d.txt", i)))
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
	}
	writeProject(t, filepath.Join(dir, "pkg050"))
	writeFile(t, filepath.Join(dir, "pkg051", "pyproject.toml"), "[project]\nname = \"not-maturin\"\n")

	before := heapInUse()
	var peak uint64
	l := NewLoader(OSFS{})
	found, err := Discover(l, dir)
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	peak = ms.HeapInuse
	if len(found) != 1 {
		t.Fatalf("Discover found %v", found)
	}
	t.Logf("100,000 files: heap in use %d KB before, %d KB after the walk; %d KB allocated in total",
		before>>10, peak>>10, ms.TotalAlloc>>10)
	if peak > before+32<<20 {
		t.Errorf("heap in use grew by %d MB walking 100,000 files", (peak-before)>>20)
	}
}

// TestBigCargoLockIsChecked: a real monorepo's lock (50,000 packages, 12 MB,
// above the 10 MB cap of other files) is read, by the light reader; a lock
// above MaxLockFileSize is still refused unread.
func TestBigCargoLockIsChecked(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 12 MB file")
	}
	dir := t.TempDir()
	writeProject(t, dir)
	var b strings.Builder
	b.WriteString("# This file is automatically @generated by Cargo.\nversion = 4\n\n")
	b.WriteString("[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\ndependencies = [\n \"pyo3\",\n]\n\n")
	b.WriteString("[[package]]\nname = \"pyo3\"\nversion = \"0.25.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"" + strings.Repeat("ab", 32) + "\"\n\n")
	for i := 0; b.Len() <= MaxFileSize+(1<<20); i++ {
		fmt.Fprintf(&b, "[[package]]\nname = \"crate-%d\"\nversion = \"1.%d.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"%064x\"\ndependencies = [\n \"crate-%d\",\n]\n\n", i, i%50, i, i/2)
	}
	lock := filepath.Join(dir, "Cargo.lock")
	writeFile(t, lock, b.String())
	p := Load(NewLoader(OSFS{}), filepath.Join(dir, "pyproject.toml"))
	if p.LockFile == nil || p.LockFile.ReadErr != nil || p.Lock == nil {
		t.Fatalf("lock not read: %+v", p.LockFile)
	}
	if n := len(p.Lock.Packages); n < 40000 || p.Lock.Packages[1].Name != "pyo3" || p.Lock.Packages[1].Version != "0.25.1" {
		t.Fatalf("%d packages, second %+v", n, p.Lock.Packages[1])
	}
	oversize(t, lock)
	p = Load(NewLoader(OSFS{}), filepath.Join(dir, "pyproject.toml"))
	if p.LockFile == nil || !errors.Is(p.LockFile.ReadErr, ErrTooLarge) {
		t.Fatalf("oversized lock: %+v", p.LockFile)
	}
}
