package cargo

import (
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
	"os"
	"path/filepath"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

func addSeeds(f *testing.F, name string) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "*", "*", name))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "*", "*", "*", name))
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

// FuzzFromDoc parses arbitrary bytes as TOML and builds the Cargo.toml model
// (and its query helpers): no input may panic.
func FuzzFromDoc(f *testing.F) {
	addSeeds(f, "Cargo.toml")
	f.Add([]byte("[package]\nname = 1\n[lib]\ncrate-type = \"cdylib\"\npath = []\n[dependencies]\npyo3 = 3\nx = { package = 1, features = \"a\", workspace = \"yes\" }\n[target.'cfg(unix)'.dependencies]\npyo3.workspace = true\n"))
	f.Add([]byte("[workspace]\nmembers = \"crates/*\"\nexclude = [1]\n[workspace.dependencies]\npyo3 = { version = [] }\n[features]\ndefault = \"x\"\nx = [1, \"dep:pyo3\", \"pyo3/abi3\"]\n[[bin]]\nname = 2\n[profile]\nrelease = 1\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		testenv.Budget(t, "cargo.FromDoc", func() {
			doc, err := tomldoc.Parse(src)
			if err != nil {
				return
			}
			m := FromDoc("Cargo.toml", doc)
			if m == nil {
				t.Fatal("FromDoc returned nil for a parsed document")
			}
			m.EffectiveLibName()
			m.HasCrateType("cdylib")
			m.FindDeps("pyo3")
			m.DepByKey("pyo3")
			m.WorkspaceDep("pyo3")
			for _, d := range m.Deps {
				if !d.KeyRange.Valid() || d.KeyRange.End > len(src) {
					t.Fatalf("dependency %q key range %+v outside %d bytes", d.Key, d.KeyRange, len(src))
				}
			}
		})
	})
}

// FuzzLockFromDoc parses arbitrary bytes as TOML and builds the Cargo.lock
// model and its queries: no input may panic.
func FuzzLockFromDoc(f *testing.F) {
	addSeeds(f, "Cargo.lock")
	f.Add([]byte("version = 4\n[[package]]\nname = \"pyo3\"\nversion = \"0.25.1\"\ndependencies = [\"pyo3-ffi 0.25.1 (registry+x)\", \"a\", 1]\n[[package]]\nname = 1\n"))
	f.Add([]byte("package = [{name = \"demo\", dependencies = [\"demo\"]}, 1, \"x\"]\n"))
	f.Add([]byte("package = 3\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		testenv.Budget(t, "cargo.LockFromDoc", func() {
			doc, err := tomldoc.Parse(src)
			if err != nil {
				return
			}
			l := LockFromDoc("Cargo.lock", doc)
			l.Versions("pyo3")
			l.Versions("pyo3-ffi")
			l.Reachable("demo")
			for _, p := range l.Packages {
				l.Reachable(p.Name)
			}
		})
	})
}
