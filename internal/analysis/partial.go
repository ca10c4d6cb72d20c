package analysis

import (
	"path/filepath"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// A TOML file with a syntax error is still read (tomldoc recovers like
// taplo and marks the tables that lost text), and rules run on what was
// read. A finding must not come from what could not be read, though: a
// broken [lib] must not make the module name fall back to [project] name
// and give a false N002. So when a part of a file that rules read is
// partial, only the rules that judge a value present in the file run;
// rules that conclude anything from a key being absent, or from facts
// several tables decide (module name, bindings, PyO3 version), stay quiet
// for the project until it parses. T001 says where the file broke.

// presenceRules report only about values that are in the file and wrong on
// their own (a wrong type, an unknown key, a path that does not exist), so
// what the broken region held cannot change their findings.
var presenceRules = map[string]bool{
	"T001": true, "T002": true, "T003": true, "X001": true,
	"M003": true, "M004": true, "M005": true, "M006": true, "M007": true, "M010": true, "M011": true,
	"P002": true, "P003": true, "P005": true, "P006": true, "L001": true,
}

// pyprojectRules read only pyproject.toml: they run when only Cargo files broke.
var pyprojectRules = map[string]bool{"M001": true, "M002": true, "M009": true}

// cargoIrrelevant are Cargo.toml tables no rule reads.
var cargoIrrelevant = map[string]bool{"badges": true, "lints": true, "dev-dependencies": true, "test": true, "bench": true, "example": true}

// pyprojectRelevant are the pyproject.toml tables rules read ([tool] for
// tool.maturin and tool.pyo3-ls).
var pyprojectRelevant = map[string]bool{"build-system": true, "project": true, "tool": true}

// partialGate returns the rules to keep quiet because a part of a file they
// read was lost to a syntax error, or nil when every file read completely.
func partialGate(p *project.Project) func(code string) bool {
	pyBroken := p.PyprojectFile != nil && lostRelevant(p.PyprojectFile, func(k string) bool { return pyprojectRelevant[k] })
	cargoBroken := false
	for _, f := range []*project.SourceFile{p.ManifestFile, p.WorkspaceFile} {
		if f != nil && lostRelevant(f, func(k string) bool { return !cargoIrrelevant[k] }) {
			cargoBroken = true
		}
	}
	lockBroken := p.LockFile != nil && p.LockFile.Doc.Partial()
	if !pyBroken && !cargoBroken && !lockBroken {
		return nil
	}
	return func(code string) bool {
		switch {
		case presenceRules[code]:
			return false
		case pyprojectRules[code]:
			return pyBroken
		}
		return true
	}
}

// lostRelevant reports whether f's document lost text in a top-level table
// that relevant accepts (or at the top level itself, where a lost header
// may have been any table).
func lostRelevant(f *project.SourceFile, relevant func(key string) bool) bool {
	isPyproject := filepath.Base(f.Path) == "pyproject.toml"
	d := f.Doc
	if !d.Partial() {
		return false
	}
	if d.Root.Partial() {
		return true
	}
	for _, e := range d.Root.Table.Entries {
		if !relevant(e.Key) {
			continue
		}
		if e.Key == "tool" && e.Value.IsTable() && isPyproject {
			// [tool.X] of other tools: only [tool] itself and the tables pyo3-ls reads count.
			if e.Value.Partial() || e.Value.LookupValue("maturin").AnyPartial() || e.Value.LookupValue("pyo3-ls").AnyPartial() {
				return true
			}
			continue
		}
		if e.Value.AnyPartial() {
			return true
		}
	}
	return false
}
