package analysis

import (
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

// Inspect returns the facts the rules derive from a project (module name,
// #[pymodule]s, the pyo3 dependency, bindings) for editor features such as
// hovers and go-to-definition. It runs no rule.
func Inspect(p *project.Project) *ProjectInfo { return newInfo(p) }

// ExportedNames returns the names of the PyInit_ symbols the library
// exports: top-level #[pymodule]s and hand-written PyInit_ functions.
func (in *ProjectInfo) ExportedNames() []string { return in.exportedNames() }

// ResolvedPyO3 returns the version of the pyo3 (or pyo3-ffi) dependency the
// rules use (PyO3Version): the one Cargo.lock pins (source "Cargo.lock"), else
// the newest known release the requirement admits (source "requirement"). ok is
// false for a path or git dependency without a lock entry, a requirement that
// does not parse, or a version older than the facts table knows.
func (in *ProjectInfo) ResolvedPyO3() (v versions.Version, source string, ok bool) {
	pv := in.PyO3Version()
	if pv == nil {
		return versions.Version{}, "", false
	}
	if pv.FromLock {
		return pv.Version, "Cargo.lock", true
	}
	return pv.Version, "requirement", true
}

// WheelLocation says where maturin puts the extension inside the wheel
// (binding_generator generate_binding): in a mixed layout beside the Python
// package (pkg/sub/_core for "pkg.sub._core", foo/foo for "foo"); in a
// pure-Rust layout in a generated package named after the extension, with any
// dotted prefix dropped (_core/_core). Path has no file suffix.
func (in *ProjectInfo) WheelLocation() (path string, mixed bool, pkgDir string) {
	if !in.Module.Set {
		return "", false, ""
	}
	l := in.layout()
	parts := strings.Split(in.Module.Full, ".")
	if l.mixed {
		if len(parts) == 1 {
			return parts[0] + "/" + parts[0], true, l.pyModule
		}
		return strings.Join(parts, "/"), true, l.pyModule
	}
	return in.Module.Ext + "/" + in.Module.Ext, false, l.pyModule
}
