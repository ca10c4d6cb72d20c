package model

import (
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/boundary"
)

// The extension's Python-visible side. Boundary (computed once) holds what
// the #[pymodule] maturin builds exports (internal/boundary resolves it)
// and what the Python package and its stubs expect; ExportedNames lists the
// PyInit_ symbols. Further export facts belong here.

// Boundary is both sides of the extension's boundary (package boundary):
// what the #[pymodule] maturin builds exports, and what the Python package
// and the stub expect.
type Boundary struct {
	Index *boundary.Index
	// Exports is nil when no single top-level #[pymodule] matches the
	// extension name (N001/N004/N005 say why).
	Exports *boundary.Exports
	Root    *PyModule
	Side    *boundary.Side // nil when the module name is unknown or bindings are not pyo3
}

// Boundary returns the project's boundary, computed once.
func (in *Project) Boundary() *Boundary {
	in.bndOnce.Do(func() { in.bnd = in.computeBoundary() })
	return in.bnd
}

func (in *Project) computeBoundary() *Boundary {
	b := &Boundary{}
	p := in.Snapshot
	if !in.Module.Set || in.Bindings != "pyo3" || p.Manifest == nil || !p.HasLib {
		return b
	}
	b.Index = boundary.NewIndex(p)
	var root *PyModule
	n := 0
	for i := range in.Modules {
		m := &in.Modules[i]
		if m.TopLevel() && m.Module.Name == in.Module.Ext {
			root = m
			n++
		}
	}
	l := in.Layout()
	// The name Python imports the extension as: in a mixed layout a
	// one-component module "foo" lands at foo/foo (WheelLocation).
	full := in.Module.Full
	if l.Mixed && !strings.Contains(full, ".") {
		full += "." + full
	}
	if n == 1 && !root.Module.Cfg && !root.Module.NameCfg {
		b.Root = root
		b.Exports = b.Index.Resolve(root.File, root.Module, full)
	}
	b.Side = boundary.ReadSide(p, boundary.Layout{Module: full, Mixed: l.Mixed, PythonRoot: p.PythonRoot, PkgDir: l.PkgDir})
	return b
}

// exportedNames returns the PyInit_ names the library exports: top-level
// #[pymodule]s and hand-written PyInit_ functions.
func (in *Project) exportedNamesList() []string {
	var out []string
	for _, m := range in.Modules {
		if m.TopLevel() {
			out = append(out, m.Module.Name)
		}
	}
	for _, f := range in.Snapshot.RustFiles {
		for _, pi := range f.Rust.PyInits {
			out = append(out, pi.Name)
		}
	}
	return out
}

// ExportedNames returns the names of the PyInit_ symbols the library
// exports: top-level #[pymodule]s and hand-written PyInit_ functions.
func (in *Project) ExportedNames() []string { return in.exportedNamesList() }
