package analysis

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// TestUnhideable: T001 and T003 survive --select/--ignore, the editor's
// Enabled filter, [tool.pyo3-ls] select/ignore/severity/exclude and
// suppression comments, and keep their default severity.
func TestUnhideable(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"pyproject.toml": "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"demo\"\ndynamic = [\"version\"]\n\n[tool.pyo3-ls]\nselect = [\"N\"]\nignore = [\"T\"]\nseverity = { T001 = \"hint\", T003 = \"hint\" }\nexclude = [\"Cargo.toml\", \"src/**\"]\n",
		// pyo3-ls: ignore[T001] on the broken line itself
		"Cargo.toml": "[package]\nname = \"demo\"\nversion = = \"0.1.0\" # pyo3-ls: ignore\n",
		"src/lib.rs": "use pyo3::prelude::*;\n",
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := Options{CLISelect: []string{"M"}, CLIIgnore: []string{"T001"}, Enabled: func(string) bool { return false },
		Severity: map[string]Severity{"T001": Hint}}
	res, err := Check(project.NewLoader(project.OSFS{}), []string{root}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, d.Code)
		if d.Code == "T001" && d.Severity != Error {
			t.Errorf("T001 severity %v, want error", d.Severity)
		}
	}
	if len(got) != 1 || got[0] != "T001" {
		t.Errorf("diagnostics %v, want [T001]", got)
	}
	if !Unhideable("T001") || !Unhideable("T003") || Unhideable("N001") {
		t.Error("Unhideable")
	}
}
