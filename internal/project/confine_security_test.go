package project

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 16 item 1: configured paths (manifest-path, [lib] path, #[path],
// readme...) that leave the checked root and its repository are refused,
// whether they get out through "..", or reach /proc, /sys or /dev.
func TestConfinedFSRefusesPathsOutOfRepository(t *testing.T) {
	base := t.TempDir()
	write(t, base, map[string]string{
		"outside/secret.txt":           "SECRET_TOKEN=hunter2\n",
		"outside/Cargo.toml":           "[package]\nname = \"other\"\n",
		"repo/.git/HEAD":               "ref: refs/heads/main\n",
		"repo/Cargo.toml":              "[workspace]\nmembers = [\"py/proj\"]\n",
		"repo/py/proj/pyproject.toml":  "[tool.maturin]\n",
		"repo/py/proj/Cargo.toml":      "[package]\nname = \"proj\"\n",
		"repo/docs/README.md":          "readme\n",
		"plain/Cargo.toml":             "[workspace]\nmembers = [\"proj\"]\n",
		"plain/notes.txt":              "not a manifest\n",
		"plain/proj/pyproject.toml":    "[tool.maturin]\n",
		"plain/proj/Cargo.toml":        "[package]\nname = \"p\"\n",
		"plain/proj/sub/Cargo.toml":    "[package]\nname = \"sub\"\n",
		"plain/proj/sub/src/lib.rs":    "\n",
		"plain/sibling/Cargo.toml":     "[package]\nname = \"s\"\n",
		"plain/sibling/not-cargo.toml": "x = 1\n",
	})
	proj := filepath.Join(base, "repo", "py", "proj")
	c := NewConfinedFS(OSFS{}, []string{proj})
	for _, rel := range []string{"../../../outside/secret.txt", "../../../outside/Cargo.toml"} {
		p := filepath.Join(proj, rel)
		if _, err := c.ReadFile(p); !errors.Is(err, ErrOutsideRoots) {
			t.Errorf("ReadFile(%s) = %v, want ErrOutsideRoots", rel, err)
		}
		if _, err := c.Stat(p); !errors.Is(err, ErrOutsideRoots) {
			t.Errorf("Stat(%s) = %v, want ErrOutsideRoots", rel, err)
		}
	}
	// Inside the repository (the nearest .git) is fine, and not hidden.
	for _, rel := range []string{"../../Cargo.toml", "../../docs/README.md"} {
		p := filepath.Join(proj, rel)
		if _, err := c.ReadFile(p); err != nil {
			t.Errorf("ReadFile(%s) inside the repository: %v", rel, err)
		}
		if c.Hidden(p) {
			t.Errorf("%s inside the repository is hidden", rel)
		}
	}
	// System paths, however they are reached.
	depth := strings.Repeat("../", strings.Count(proj, string(filepath.Separator)))
	for _, p := range []string{"/proc/self/environ", filepath.Join(proj, depth+"proc/self/environ"), "/sys/kernel/mm", "/dev/null", "/dev/tty"} {
		if _, err := c.ReadFile(p); !errors.Is(err, ErrSystemPath) {
			t.Errorf("ReadFile(%s) = %v, want ErrSystemPath", p, err)
		}
	}
	whole := NewConfinedFS(OSFS{}, []string{"/"})
	if _, err := whole.ReadFile("/proc/self/environ"); !errors.Is(err, ErrSystemPath) {
		t.Errorf("root / still refuses /proc: %v", err)
	}

	// No repository: only cargo's upward lookup of a file named exactly
	// Cargo.toml in an ancestor directory is allowed, and it is hidden.
	plain := filepath.Join(base, "plain", "proj")
	c = NewConfinedFS(OSFS{}, []string{plain})
	up := filepath.Join(base, "plain", "Cargo.toml")
	if _, err := c.ReadFile(up); err != nil || !c.Hidden(up) {
		t.Errorf("ancestor Cargo.toml: err=%v hidden=%v, want readable and hidden", err, c.Hidden(up))
	}
	for _, p := range []string{filepath.Join(base, "plain", "notes.txt"), filepath.Join(base, "plain", "sibling", "Cargo.toml"), filepath.Join(base, "plain", "sibling", "not-cargo.toml")} {
		if _, err := c.ReadFile(p); !errors.Is(err, ErrOutsideRoots) {
			t.Errorf("ReadFile(%s) = %v, want ErrOutsideRoots", p, err)
		}
	}
	if in := filepath.Join(plain, "sub", "Cargo.toml"); c.Hidden(in) {
		t.Errorf("a Cargo.toml inside the root is hidden")
	}

	// Through the snapshot: manifest-path and [lib] path out of the repository read nothing.
	write(t, base, map[string]string{
		"repo/a/pyproject.toml": "[project]\nname = \"a\"\n[tool.maturin]\nmanifest-path = \"../../outside/secret.txt\"\n",
		"repo/b/pyproject.toml": "[project]\nname = \"b\"\n[tool.maturin]\n",
		"repo/b/Cargo.toml":     "[package]\nname = \"b\"\n[lib]\npath = \"../../outside/secret.txt\"\n",
		"repo/c/pyproject.toml": "[project]\nname = \"c\"\n[tool.maturin]\n",
		"repo/c/Cargo.toml":     "[package]\nname = \"c\"\n",
		"repo/c/src/lib.rs":     "#[path = \"../../../outside/secret.txt\"]\nmod s;\n",
	})
	for _, name := range []string{"a", "b", "c"} {
		dir := filepath.Join(base, "repo", name)
		l := NewLoader(NewConfinedFS(OSFS{}, []string{dir}))
		p := Load(l, filepath.Join(dir, "pyproject.toml"))
		for _, f := range p.Files() {
			if strings.Contains(string(f.Src), "hunter2") {
				t.Errorf("project %s read %s from outside its repository", name, f.Path)
			}
		}
	}
}

// Issue 16 item 1: a device node is never opened (its type is checked
// first); /dev/tty used to be opened before the check.
func TestOSFSDoesNotOpenDevices(t *testing.T) {
	for _, p := range []string{"/dev/tty", "/dev/null", "/dev/zero"} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if _, err := (OSFS{}).ReadFile(p); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadFile(%s) = %v, want ErrNotRegular before any open", p, err)
		}
	}
}

// Issue 16 item 4: one file read both as TOML and as Rust used to give a
// nil-pointer panic ([lib] path = "Cargo.toml", #[path = "../pyproject.toml"]).
func TestSameFileAsTOMLAndRust(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"pyproject.toml": "[build-system]\nbuild-backend = \"maturin\"\n[project]\nname = \"x\"\n",
		"Cargo.toml":     "[package]\nname = \"x\"\n[lib]\npath = \"Cargo.toml\"\n",
	})
	l := NewLoader(NewConfinedFS(OSFS{}, []string{dir}))
	p := Load(l, filepath.Join(dir, "pyproject.toml"))
	if p.Manifest == nil || len(p.RustFiles) != 1 || p.RustFiles[0].Rust == nil {
		t.Fatalf("manifest %v, rust files %v", p.Manifest, p.RustFiles)
	}
	// and the other way round, through the same loader
	write(t, dir, map[string]string{"src/lib.rs": "#[path = \"../pyproject.toml\"]\nmod cfg;\n"})
	l2 := NewLoader(NewConfinedFS(OSFS{}, []string{dir}))
	l2.Rust(filepath.Join(dir, "pyproject.toml"))
	if _, pp := l2.Pyproject(filepath.Join(dir, "pyproject.toml")); pp == nil {
		t.Fatal("pyproject.toml read as Rust first then has no model")
	}
	if f := l2.Rust(filepath.Join(dir, "pyproject.toml")); f.Rust == nil {
		t.Fatal("Rust reading of a TOML file has no scan")
	}
	// one TOML file asked for as two models
	if _, m := l2.Manifest(filepath.Join(dir, "pyproject.toml")); m == nil {
		t.Fatal("a file asked for as pyproject then as manifest has no manifest model")
	}
}
