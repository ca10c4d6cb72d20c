package project

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// With RememberListings over an overlay, an open document that no listing
// of the disk shows is still found; a name neither listed nor open does
// not exist; ForgetListings asks the disk again.
func TestRememberListingsOverOverlay(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.toml"), []byte("a = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ov := NewOverlay(OSFS{})
	c := NewConfinedFS(ov, []string{dir})
	doc := filepath.Join(dir, "unsaved.toml")
	ov.Set(doc, []byte("x = 1\n"))
	c.RememberListings()
	if _, err := c.ReadDir(dir); err != nil {
		t.Fatal(err)
	}
	if st, err := c.Stat(doc); err != nil || st.Size() != 6 {
		t.Errorf("Stat of an open document not on disk: %v %v", st, err)
	}
	if typ, err := c.StatType(doc); err != nil || typ.IsDir() {
		t.Errorf("StatType of an open document not on disk: %v %v", typ, err)
	}
	if data, err := c.ReadFile(doc); err != nil || string(data) != "x = 1\n" {
		t.Errorf("ReadFile of an open document: %q %v", data, err)
	}
	missing := filepath.Join(dir, "b.toml")
	if err := os.WriteFile(missing, nil, 0o644); err != nil { // after the listing
		t.Fatal(err)
	}
	if _, err := c.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat of a name the remembered listing does not show: %v, want not-exist", err)
	}
	c.ForgetListings()
	if _, err := c.Stat(missing); err != nil {
		t.Errorf("Stat after ForgetListings: %v", err)
	}
}
