package project

import (
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// countingFS counts reads per path.
type countingFS struct {
	OSFS
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingFS) ReadFile(path string) ([]byte, error) {
	c.mu.Lock()
	c.reads[path]++
	c.mu.Unlock()
	return c.OSFS.ReadFile(path)
}

func crate(name string) map[string]string {
	return map[string]string{
		"crates/" + name + "/pyproject.toml":      "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n[project]\nname = \"" + name + "\"\ndynamic = [\"version\"]\n",
		"crates/" + name + "/Cargo.toml":          "[package]\nname = \"" + name + "\"\nversion.workspace = true\n[lib]\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = { workspace = true, features = [\"abi3-py39\"] }\n",
		"crates/" + name + "/src/lib.rs":          "mod inner;\nuse pyo3::prelude::*;\n#[pymodule]\nfn " + name + "(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n",
		"crates/" + name + "/src/inner.rs":        "mod deeper;\n",
		"crates/" + name + "/src/inner/deeper.rs": "// nothing\n",
	}
}

func TestWorkspaceDiscoveryAndSingleRead(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"Cargo.toml":                    "[workspace]\nmembers = [\"crates/*\"]\nexclude = [\"crates/skipped\"]\n[workspace.package]\nversion = \"1.0.0\"\n[workspace.dependencies]\npyo3 = { version = \"0.25\", features = [\"extension-module\"] }\n",
		"Cargo.lock":                    "version = 4\n[[package]]\nname = \"pyo3\"\nversion = \"0.25.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
		"target/debug/pyproject.toml":   "[tool.maturin]\n",
		"node_modules/x/pyproject.toml": "[tool.maturin]\n",
		".venv/pyvenv.cfg":              "",
		".venv/lib/pyproject.toml":      "[tool.maturin]\n",
		"other/pyproject.toml":          "[project]\nname = \"not-maturin\"\n",
		"template/pyproject.toml":       "[tool.maturin]\nmodule-name = \"{{ cookiecutter.name }}\"\n",
	}
	for _, n := range []string{"alpha", "beta", "gamma"} {
		for k, v := range crate(n) {
			files[k] = v
		}
	}
	write(t, root, files)
	cfs := &countingFS{reads: map[string]int{}}
	l := NewLoader(cfs)
	found, err := Discover(l, root)
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, f := range found {
		r, _ := filepath.Rel(root, f)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := []string{"crates/alpha/pyproject.toml", "crates/beta/pyproject.toml", "crates/gamma/pyproject.toml"}
	if len(rel) != len(want) || rel[0] != want[0] || rel[1] != want[1] || rel[2] != want[2] {
		t.Fatalf("Discover = %v, want %v", rel, want)
	}
	var projects []*Project
	for _, f := range found {
		projects = append(projects, Load(l, f))
	}
	for _, p := range projects {
		if p.Workspace == nil || p.Lock == nil {
			t.Fatalf("%s: workspace or lock not found", p.Dir)
		}
		if len(p.RustFiles) != 3 || !p.RustComplete {
			t.Errorf("%s: rust files %d complete %v, want lib.rs, inner.rs, inner/deeper.rs", p.Dir, len(p.RustFiles), p.RustComplete)
		}
	}
	// Every file was read once, however many projects share it.
	var paths []string
	for path, n := range cfs.reads {
		if n != 1 {
			t.Errorf("%s read %d times", path, n)
		}
		paths = append(paths, path)
	}
	sort.Strings(paths)
	if cfs.reads[filepath.Join(root, "Cargo.toml")] != 1 || cfs.reads[filepath.Join(root, "Cargo.lock")] != 1 {
		t.Errorf("workspace files not read exactly once: %v", paths)
	}
}

func TestSrcLayoutAndManifestPath(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"a/pyproject.toml":         "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n[project]\nname = \"my-pkg\"\n",
		"a/rust/Cargo.toml":        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
		"a/rust/src/lib.rs":        "",
		"a/src/my_pkg/__init__.py": "",
		"b/pyproject.toml":         "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n[tool.maturin]\nmanifest-path = \"native/Cargo.toml\"\npython-source = \"python\"\n",
		"b/native/Cargo.toml":      "[package]\nname = \"y\"\nversion = \"0.1.0\"\n[lib]\npath = \"lib/root.rs\"\n",
		"b/native/lib/root.rs":     "#[path = \"other/x.rs\"]\nmod x;\n",
		"b/native/lib/other/x.rs":  "",
	})
	l := NewLoader(OSFS{})
	a := Load(l, filepath.Join(root, "a", "pyproject.toml"))
	if a.ManifestPath != filepath.Join(root, "a", "rust", "Cargo.toml") || a.PythonRoot != filepath.Join(root, "a", "src") {
		t.Errorf("src layout: manifest %s python root %s", a.ManifestPath, a.PythonRoot)
	}
	b := Load(l, filepath.Join(root, "b", "pyproject.toml"))
	if !b.ManifestFromConfig || b.Manifest == nil || b.PythonRoot != filepath.Join(root, "b", "python") {
		t.Errorf("manifest-path: %+v", b)
	}
	if len(b.RustFiles) != 2 || !b.RustComplete {
		t.Errorf("[lib] path and #[path] not followed: %d files", len(b.RustFiles))
	}
}

func TestMissingModuleFileMakesRustIncomplete(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"pyproject.toml": "[tool.maturin]\n",
		"Cargo.toml":     "[package]\nname = \"z\"\nversion = \"0.1.0\"\n",
		"src/lib.rs":     "mod gone;\n#[cfg(feature = \"x\")]\nmod optional_gone;\n",
	})
	p := Load(NewLoader(OSFS{}), filepath.Join(root, "pyproject.toml"))
	if p.RustComplete {
		t.Error("a missing `mod gone;` file must make the scan incomplete")
	}
}

func TestOverlayShadowsDisk(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"pyproject.toml": "[project]\nname = \"x\"\n"})
	o := NewOverlay(OSFS{})
	path := filepath.Join(root, "pyproject.toml")
	o.Set(path, []byte("[tool.maturin]\n"))
	l := NewLoader(o)
	if !IsMaturinPyproject(l, path) {
		t.Fatal("overlay contents not used")
	}
	o.Delete(path)
	l.Invalidate(path)
	if IsMaturinPyproject(l, path) {
		t.Fatal("after closing the buffer the disk contents must count again")
	}
	if _, err := o.Stat(filepath.Join(root, "nope")); !os.IsNotExist(err) {
		t.Fatalf("Stat of a missing file: err = %v, want not-exist", err)
	}
}

// A [lib] path naming Cargo.toml makes the loader read one file as TOML and
// as Rust; the Rust read must be scanned (it once came back nil and crashed).
func TestLibPathIsCargoToml(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte("[build-system]\nrequires = [\"maturin>=1,<2\"]\nbuild-backend = \"maturin\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "Cargo.toml"), []byte("[package]\nname = \"p\"\nversion = \"0.1.0\"\n[lib]\npath = \"Cargo.toml\"\n"), 0o644)
	p := Load(NewLoader(OSFS{}), filepath.Join(dir, "pyproject.toml"))
	if len(p.RustFiles) != 1 || p.RustFiles[0].Rust == nil || p.ManifestFile.Doc == nil {
		t.Fatalf("lib root %+v", p.RustFiles)
	}
}
