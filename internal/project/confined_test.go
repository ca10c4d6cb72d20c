package project

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestConfinedFSRefusesSymlinksOut(t *testing.T) {
	outside := t.TempDir()
	write(t, outside, map[string]string{"Cargo.toml": "[package]\nname = \"secret\"\n", "src/lib.rs": "// outside\n"})
	parent := t.TempDir()
	write(t, parent, map[string]string{
		"Cargo.toml":          "[workspace]\nmembers = [\"proj\"]\n",
		"proj/pyproject.toml": "[tool.maturin]\n",
		"proj/inside/lib.rs":  "// inside\n",
	})
	proj := filepath.Join(parent, "proj")
	if err := os.Symlink(filepath.Join(outside, "Cargo.toml"), filepath.Join(proj, "Cargo.toml")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	os.Symlink(filepath.Join(outside, "src"), filepath.Join(proj, "src"))
	os.Symlink(filepath.Join(proj, "inside"), filepath.Join(proj, "alias"))

	c := NewConfinedFS(OSFS{}, []string{proj})
	if _, err := c.ReadFile(filepath.Join(proj, "Cargo.toml")); !errors.Is(err, ErrOutsideRoots) {
		t.Errorf("symlinked Cargo.toml pointing outside: err = %v", err)
	}
	if _, err := c.ReadFile(filepath.Join(proj, "src", "lib.rs")); !errors.Is(err, ErrOutsideRoots) {
		t.Errorf("file under a symlinked dir pointing outside: err = %v", err)
	}
	if _, err := c.ReadFile(filepath.Join(proj, "alias", "lib.rs")); err != nil {
		t.Errorf("symlink that stays inside the root: %v", err)
	}
	if _, err := c.ReadFile(filepath.Join(parent, "Cargo.toml")); err != nil {
		t.Errorf("a workspace manifest above the root reached without symlinks must stay readable: %v", err)
	}
	// Through the whole snapshot: the project sees no manifest.
	p := Load(NewLoader(c), filepath.Join(proj, "pyproject.toml"))
	if p.Manifest != nil {
		t.Errorf("manifest read through a symlink out of the tree: %+v", p.Manifest.Name)
	}
}
