package analysis

import (
	"path/filepath"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// BenchmarkKeystrokeStub: the language server's work after one edit of the
// extension's .pyi stub on a warm Loader (E rules included): the stub comes
// from the overlay and is re-read; everything else is cached.
func BenchmarkKeystrokeStub(b *testing.B) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "rules", "E005", "pass"))
	if err != nil {
		b.Fatal(err)
	}
	py := filepath.Join(dir, "pyproject.toml")
	stub := filepath.Join(dir, "demo", "_core.pyi")
	ov := project.NewOverlay(project.OSFS{})
	l := project.NewLoader(ov)
	src, err := project.OSFS{}.ReadFile(stub)
	if err != nil {
		b.Fatal(err)
	}
	mustClean(b, CheckProjects(l, []string{py}, Options{}), 1)
	edits := [2][]byte{append([]byte{}, src...), append(append([]byte{}, src...), "\n# edited\n"...)}
	b.ReportAllocs()
	defer reportCPU(b, cpuTime())
	i := 0
	for b.Loop() {
		ov.Set(stub, edits[i&1])
		i++
		l.Invalidate(stub)
		res := CheckProjects(l, []string{py}, Options{})
		mustClean(b, res, 1)
	}
}
