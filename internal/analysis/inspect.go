package analysis

import (
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
// the lowest version the requirement admits (source "requirement"). ok is
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
