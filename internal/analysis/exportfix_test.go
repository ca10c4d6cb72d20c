package analysis

import (
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/rustsrc"
	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

// TestExportAsFix checks the Rust-side N001 fix on each way a #[pymodule]
// can be written: #[pymodule(name)] where the PyO3 version has it, else a
// #[pyo3(name)] BELOW #[pymodule] (above it, PyO3 0.27 fails to compile:
// "cannot find attribute `pyo3` in this scope"), nothing under cfg_attr.
func TestExportAsFix(t *testing.T) {
	v027 := &PyO3Version{Version: versions.MustParseVersion("0.27.2")}
	v027.Facts = facts.Lookup(v027.Version)
	v020 := &PyO3Version{Version: versions.MustParseVersion("0.20.3")}
	v020.Facts = facts.Lookup(v020.Version)
	cases := []struct {
		src  string
		ver  *PyO3Version
		want string // the source after the fix; "" = no fix
	}{
		{"#[pymodule]\nfn other() {}\n", v027, "#[pymodule(name = \"demo\")]\nfn other() {}\n"},
		{"#[pymodule(gil_used = false)]\nfn other() {}\n", v027, "#[pymodule(gil_used = false, name = \"demo\")]\nfn other() {}\n"},
		{"#[pymodule()]\nfn other() {}\n", v027, "#[pymodule(name = \"demo\")]\nfn other() {}\n"},
		{"#[pyo3::pymodule]\nfn other() {}\n", v027, "#[pyo3::pymodule(name = \"demo\")]\nfn other() {}\n"},
		{"    #[pymodule]\n    fn other() {}\n", v020, "    #[pymodule]\n    #[pyo3(name = \"demo\")]\n    fn other() {}\n"},
		{"#[pymodule] fn other() {}\n", v020, "#[pymodule] #[pyo3(name = \"demo\")] fn other() {}\n"},
		{"#[pymodule]\nfn other() {}\n", nil, "#[pymodule]\n#[pyo3(name = \"demo\")]\nfn other() {}\n"},
		{"#[pymodule]\n#[pyo3(name = \"x\")]\nfn other() {}\n", v020, "#[pymodule]\n#[pyo3(name = \"demo\")]\nfn other() {}\n"},
		{"#[cfg_attr(feature = \"py\", pymodule)]\nfn other() {}\n", v027, ""},
	}
	for _, c := range cases {
		f := &project.SourceFile{Path: "lib.rs", Src: []byte(c.src)}
		f.Rust = rustsrc.Scan(f.Src)
		if len(f.Rust.Modules) != 1 {
			t.Fatalf("%q: %d modules", c.src, len(f.Rust.Modules))
		}
		in := &ProjectInfo{Project: model.WithPyO3Version(c.ver)}
		fix, ok := exportAsFix(in, PyModule{File: f, Module: &f.Rust.Modules[0]}, "demo")
		got := ""
		if ok {
			out, err := applyEdits(f.Src, fix.Edits)
			if err != nil {
				t.Fatal(err)
			}
			got = string(out)
		}
		if got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.src, got, c.want)
		}
	}
	in := &ProjectInfo{Project: model.WithPyO3Version(nil)}
	f := &project.SourceFile{Path: "lib.rs", Src: []byte("#[pymodule]\nfn other() {}\n")}
	f.Rust = rustsrc.Scan(f.Src)
	for _, bad := range []string{"type", "1x", "a-b", "é"} {
		if _, ok := exportAsFix(in, PyModule{File: f, Module: &f.Rust.Modules[0]}, bad); ok {
			t.Errorf("fix offered for the name %q, which PyO3 cannot export", bad)
		}
	}
}
