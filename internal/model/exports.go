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

// BoundarySide returns Boundary().Side, computed once, without resolving
// the extension's exports (which scans every Rust file for Python items):
// the E rules look at it first and stop when the Python side has nothing to
// compare (no stub, no module importing the extension).
func (in *Project) BoundarySide() *boundary.Side {
	in.sideOnce.Do(func() { in.side = in.computeSide() })
	return in.side
}

// fullModule is the name Python imports the extension as: in a mixed
// layout a one-component module "foo" lands at foo/foo (WheelLocation).
func (in *Project) fullModule() string {
	full := in.Module.Full
	if in.Layout().Mixed && !strings.Contains(full, ".") {
		full += "." + full
	}
	return full
}

// hasBoundary: the module name is known, the bindings are PyO3 and the
// crate has a library.
func (in *Project) hasBoundary() bool {
	p := in.Snapshot
	return in.Module.Set && in.Bindings == "pyo3" && p.Manifest != nil && p.HasLib
}

func (in *Project) computeSide() *boundary.Side {
	if !in.hasBoundary() {
		return nil
	}
	p := in.Snapshot
	l := in.Layout()
	return boundary.ReadSide(p, boundary.Layout{Module: in.fullModule(), Mixed: l.Mixed, PythonRoot: p.PythonRoot, PkgDir: l.PkgDir})
}

func (in *Project) computeBoundary() *Boundary {
	b := &Boundary{}
	if !in.hasBoundary() {
		return b
	}
	b.Index = boundary.NewIndex(in.Snapshot)
	var root *PyModule
	n := 0
	for i := range in.Modules {
		m := &in.Modules[i]
		if m.TopLevel() && m.Module.Name == in.Module.Ext {
			root = m
			n++
		}
	}
	if n == 1 && !root.Module.Cfg && !root.Module.NameCfg {
		b.Root = root
		b.Exports = b.Index.Resolve(root.File, root.Module, in.fullModule())
	}
	b.Side = in.BoundarySide()
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
