package pyproject

import (
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
	"os"
	"path/filepath"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// FuzzFromDoc parses arbitrary bytes as TOML and builds the pyproject model
// from whatever parses: no input may panic, and every range the model keeps
// must lie inside the source.
func FuzzFromDoc(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "*", "*", "pyproject.toml"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("[project]\nname = 1\ndynamic = [1, {a = 2}]\n[tool.maturin]\nfeatures = \"x\"\npython-source = []\n"))
	f.Add([]byte("[tool]\nmaturin = 3\n[build-system]\nrequires = \"maturin\"\nbuild-backend = [\"maturin\"]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		testenv.Budget(t, "pyproject.FromDoc", func() {
			doc, err := tomldoc.Parse(src)
			if err != nil {
				return
			}
			pf := FromDoc("pyproject.toml", doc)
			if pf == nil {
				t.Fatal("FromDoc returned nil for a parsed document")
			}
			pf.IsMaturinProject()
			pf.FreeThreadedClassifier()
			for _, k := range []string{"version", "name", "dependencies", "readme"} {
				pf.InDynamic(k)
			}
			if pf.Name != nil {
				if r := pf.Name.Range; !r.Valid() || r.End > len(src) {
					t.Fatalf("name range %+v outside source of %d bytes", r, len(src))
				}
				NormalizeName(pf.Name.Value)
			}
		})
	})
}
