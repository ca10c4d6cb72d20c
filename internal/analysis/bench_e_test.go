package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
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
	defer reportCPU(b, testenv.CPUTime())
	i := 0
	for b.Loop() {
		ov.Set(stub, edits[i&1])
		i++
		l.Invalidate(stub)
		res := CheckProjects(l, []string{py}, Options{})
		mustClean(b, res, 1)
	}
}

// polarsSized writes a project the size of polars' bindings: 120 Rust files
// with 3,600 #[pyfunction]s and 600 #[pyclass]es with #[pymethods] (2,400
// methods), one functional #[pymodule] adding them all, a Python package of
// 700 modules (~5 MB; 100 of them import from the extension) and a stub
// declaring every export.
func polarsSized(b *testing.B) string {
	dir := b.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("pyproject.toml", "[build-system]\nrequires = [\"maturin>=1.9.4,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"bigpkg\"\nrequires-python = \">=3.9\"\ndynamic = [\"version\"]\n\n[tool.maturin]\nmodule-name = \"bigpkg._core\"\npython-source = \"python\"\n")
	write("Cargo.toml", "[package]\nname = \"bigpkg\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\nname = \"_core\"\ncrate-type = [\"cdylib\"]\n\n[dependencies]\npyo3 = \"0.27\"\n")
	var lib, stub, adds strings.Builder
	lib.WriteString("use pyo3::prelude::*;\n\n")
	for m := 0; m < 120; m++ {
		fmt.Fprintf(&lib, "mod m%d;\n", m)
		var f strings.Builder
		f.WriteString("use pyo3::prelude::*;\n\n")
		for i := 0; i < 30; i++ {
			fmt.Fprintf(&f, "/// Function %d.\n#[pyfunction]\n#[pyo3(signature = (x, y = None, *, scale = 1.0))]\npub fn f%d_%d(x: &str, y: Option<i64>, scale: f64) -> PyResult<String> {\n    Ok(format!(\"{x}{y:?}{scale}\"))\n}\n\n", i, m, i)
			fmt.Fprintf(&adds, "    m.add_function(wrap_pyfunction!(m%d::f%d_%d, m)?)?;\n", m, m, i)
			fmt.Fprintf(&stub, "def f%d_%d(x: str, y: int | None = None, *, scale: float = 1.0) -> str: ...\n", m, i)
		}
		for c := 0; c < 5; c++ {
			fmt.Fprintf(&f, "#[pyclass]\npub struct C%d_%d {\n    #[pyo3(get)]\n    value: i64,\n}\n\n#[pymethods]\nimpl C%d_%d {\n    #[new]\n    fn new(value: i64) -> Self {\n        Self { value }\n    }\n", m, c, m, c)
			fmt.Fprintf(&stub, "class C%d_%d:\n    value: int\n    def __new__(cls, value: int) -> C%d_%d: ...\n", m, c, m, c)
			for k := 0; k < 4; k++ {
				fmt.Fprintf(&f, "    fn method%d(&self, a: i64, b: Option<i64>) -> i64 {\n        self.value + a + b.unwrap_or(0)\n    }\n", k)
				fmt.Fprintf(&stub, "    def method%d(self, a: int, b: int | None = None) -> int: ...\n", k)
			}
			f.WriteString("}\n\n")
			fmt.Fprintf(&adds, "    m.add_class::<m%d::C%d_%d>()?;\n", m, m, c)
		}
		write(fmt.Sprintf("src/m%d.rs", m), f.String())
	}
	lib.WriteString("\n#[pymodule]\nfn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {\n" + adds.String() + "    Ok(())\n}\n")
	write("src/lib.rs", lib.String())
	write("python/bigpkg/_core.pyi", stub.String())
	write("python/bigpkg/py.typed", "")
	body := strings.Repeat("def helper(x: int, y: int = 2) -> int:\n    \"\"\"Docstring.\"\"\"\n    return x + y  # comment\n\n", 90)
	for i := 0; i < 700; i++ {
		head := "import os\n"
		if i%7 == 0 {
			head = fmt.Sprintf("from .._core import f%d_0, f%d_1, C%d_0\n", i%120, i%120, i%120)
		}
		write(fmt.Sprintf("python/bigpkg/sub%d/mod%d.py", i%20, i), head+body)
		if i < 20 {
			write(fmt.Sprintf("python/bigpkg/sub%d/__init__.py", i), "")
		}
	}
	write("python/bigpkg/__init__.py", "from ._core import f0_0, C0_0\n")
	return dir
}

// BenchmarkCheckPolarsSized: `pyo3-ls check` of a polars-sized project on a
// fresh Loader (cold: every file read and parsed), E rules included.
func BenchmarkCheckPolarsSized(b *testing.B) {
	dir := polarsSized(b)
	b.ReportAllocs()
	defer reportCPU(b, testenv.CPUTime())
	for b.Loop() {
		l := project.NewLoader(project.OSFS{})
		res, err := Check(l, []string{dir}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		mustClean(b, res, 1)
		if bd := Inspect(res.Projects[0]).Boundary(); bd.Exports == nil || bd.Exports.Open || len(bd.Exports.Items) != 4200 || len(bd.Side.Importers) != 101 {
			b.Fatalf("boundary not read: items %d importers %d open %v", len(bd.Exports.Items), len(bd.Side.Importers), bd.Exports.Open)
		}
	}
}

// BenchmarkCheckPolarsSizedNoE is BenchmarkCheckPolarsSized without the E
// rules: the difference is the boundary's cost.
func BenchmarkCheckPolarsSizedNoE(b *testing.B) {
	dir := polarsSized(b)
	b.ReportAllocs()
	defer reportCPU(b, testenv.CPUTime())
	opts := Options{CLIIgnore: []string{"E"}}
	for b.Loop() {
		l := project.NewLoader(project.OSFS{})
		res, err := Check(l, []string{dir}, opts)
		if err != nil {
			b.Fatal(err)
		}
		mustClean(b, res, 1)
	}
}
