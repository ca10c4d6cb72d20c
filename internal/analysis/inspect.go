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

// ResolvedPyO3 returns the version of the pyo3 (or pyo3-ffi) dependency:
// the one Cargo.lock pins (source "Cargo.lock"), else the lowest version the
// requirement admits (source "requirement"). ok is false for a path or git
// dependency without a lock entry, or a requirement that does not parse.
func (in *ProjectInfo) ResolvedPyO3() (v versions.Version, source string, ok bool) {
	if in.PyO3 == nil {
		return versions.Version{}, "", false
	}
	var req *versions.Req
	if in.PyO3.Version != nil {
		if r, err := versions.ParseReq(in.PyO3.Version.Value); err == nil {
			req = &r
		}
	}
	if lock := in.p.Lock; lock != nil {
		var best *versions.Version
		for _, lp := range lock.Versions(in.PyO3.Package) {
			lv, err := versions.ParseVersion(lp.Version)
			if err != nil || (req != nil && !req.Matches(lv)) {
				continue
			}
			if best == nil || best.Less(lv) {
				x := lv
				best = &x
			}
		}
		if best != nil {
			return *best, "Cargo.lock", true
		}
	}
	if req != nil {
		if lo, ok := req.Lowest(); ok {
			return lo, "requirement", true
		}
	}
	return versions.Version{}, "", false
}
