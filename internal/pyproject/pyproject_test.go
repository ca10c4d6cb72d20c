package pyproject

import (
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

const src = `[build-system]
requires = ["maturin>=1.9.4,<2.0"]
build-backend = "maturin"

[project]
name = "My.Package"
dynamic = ["version"]
requires-python = ">=3.9"
classifiers = [
  "Programming Language :: Python :: Free Threading :: 1 - Unstable",
  "Programming Language :: Python :: Free Threading :: 2 - Beta",
]

[tool.maturin]
module-name = "my_package._core"
python-source = "python"
features = ["pyo3/abi3-py39", { feature = "fast", python-version = ">=3.11" }, { python-version = ">=3.9" }]
python-packages = ["extra"]

[tool.pyo3-ls]
ignore = ["F003"]
`

func TestModel(t *testing.T) {
	doc, err := tomldoc.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	f := FromDoc("pyproject.toml", doc)
	if !f.IsMaturinBackend() || !f.IsMaturinProject() || len(f.Requires) != 1 {
		t.Errorf("build-system: %+v", f.BuildBackend)
	}
	if f.Name.Value != "My.Package" || f.RequiresPython.Value != ">=3.9" {
		t.Errorf("project: %+v", f.Name)
	}
	if _, ok := f.InDynamic("version"); !ok {
		t.Error("version should be dynamic")
	}
	if f.ModuleName.Value != "my_package._core" || f.PythonSource.Value != "python" || len(f.PythonPackages) != 1 {
		t.Errorf("tool.maturin: %+v", f.ModuleName)
	}
	if got := string(doc.Src[f.ModuleName.Range.Start:f.ModuleName.Range.End]); got != `"my_package._core"` {
		t.Errorf("module-name range covers %q", got)
	}
	if len(f.Features) != 2 || f.Features[0].Conditional() || !f.Features[1].Conditional() || f.Features[1].Name.Value != "fast" {
		t.Errorf("features (a table without feature is skipped): %+v", f.Features)
	}
	c, ok := f.FreeThreadedClassifier()
	if !ok || c.Value != "Programming Language :: Python :: Free Threading :: 2 - Beta" {
		t.Errorf("free-threaded classifier above 1 - Unstable: %+v %v", c, ok)
	}
	if f.Config == nil {
		t.Error("[tool.pyo3-ls] not found")
	}
	if got := NormalizeName("My.Package--x__y"); got != "my_package_x_y" {
		t.Errorf("NormalizeName = %q", got)
	}
}

func TestNotMaturin(t *testing.T) {
	doc, err := tomldoc.Parse([]byte("[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n[project]\nname = \"x\"\nclassifiers = [\"Programming Language :: Python :: Free Threading :: 1 - Unstable\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	f := FromDoc("pyproject.toml", doc)
	if f.IsMaturinProject() {
		t.Error("setuptools project counted as maturin")
	}
	if _, ok := f.FreeThreadedClassifier(); ok {
		t.Error("1 - Unstable does not declare support")
	}
}
