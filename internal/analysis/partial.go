package analysis

import (
	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
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

// packageUnread are [package] keys no rule reads.
var packageUnread = map[string]bool{"authors": true, "description": true, "homepage": true, "repository": true,
	"documentation": true, "keywords": true, "categories": true, "exclude": true, "include": true,
	"rust-version": true, "default-run": true, "publish": true}

// projectUnread are [project] sub-tables no rule concludes anything from their absence.
var projectUnread = map[string]bool{"urls": true, "optional-dependencies": true, "scripts": true, "gui-scripts": true, "entry-points": true}

// partialGate returns the rules to keep quiet because a part of a file they
// read was lost to a syntax error, or nil when every file read completely.
func partialGate(p *project.Project) func(code string) bool {
	pyBroken := p.PyprojectFile != nil && lostRelevant(p.PyprojectFile.Doc, pyprojectRelevant)
	cargoBroken := false
	for _, f := range []*project.SourceFile{p.ManifestFile, p.WorkspaceFile} {
		if f != nil && lostRelevant(f.Doc, cargoRelevant) {
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

// lostRelevant reports whether d lost text a rule may read: relevant judges
// each loss by the path of its table and the lost key ("" when the key is
// unknown: the whole table may miss keys).
func lostRelevant(d *tomldoc.Document, relevant func(path []string, key string) bool) bool {
	return d.Partial() && walkLost(d.Root, nil, relevant)
}

func walkLost(v *tomldoc.Value, path []string, relevant func(path []string, key string) bool) bool {
	switch v.Kind {
	case tomldoc.Table:
		if v.Partial() && relevant(path, "") {
			return true
		}
		for _, k := range v.LostKeys() {
			if relevant(path, k) {
				return true
			}
		}
		for _, e := range v.Table.Entries {
			if walkLost(e.Value, append(path[:len(path):len(path)], e.Key), relevant) {
				return true
			}
		}
	case tomldoc.Array:
		for _, x := range v.Arr {
			if walkLost(x, path, relevant) {
				return true
			}
		}
	}
	return false
}

// pyprojectRelevant: [build-system], [project] and [tool.maturin] keys pyo3-ls
// knows, [tool.pyo3-ls]; a lost key rules do not know (an M003 or P006 at
// most) or a table of another tool does not count.
func pyprojectRelevant(path []string, key string) bool {
	if len(path) == 0 {
		return key == "" || key == "build-system" || key == "project" || key == "tool"
	}
	switch path[0] {
	case "build-system":
		_, known := buildSystemKeys[key]
		return key == "" || len(path) > 1 || known
	case "project":
		if len(path) > 1 {
			return !projectUnread[path[1]]
		}
		_, known := projectKeys[key]
		return key == "" || known
	case "tool":
		switch {
		case len(path) == 1:
			return key == "" || key == "maturin" || key == "pyo3-ls"
		case path[1] == "pyo3-ls":
			return true
		case path[1] == "maturin":
			_, known := facts.MaturinKeys[key]
			return key == "" || len(path) > 2 || known
		}
	}
	return false
}

// cargoRelevant: everything but the tables and [package] keys no rule reads.
func cargoRelevant(path []string, key string) bool {
	if len(path) == 0 {
		return key == "" || !cargoIrrelevant[key]
	}
	switch path[0] {
	case "package":
		if len(path) == 1 {
			return key == "" || !packageUnread[key]
		}
		if path[1] == "metadata" {
			return len(path) == 2 && (key == "" || key == "maturin") || len(path) > 2 && path[2] == "maturin"
		}
		return true
	case "lib":
		_, known := cargoLibKeys[key]
		return key == "" || known
	case "profile":
		return len(path) == 1 // profile names (M012); settings inside a profile are not read
	case "bin":
		return false // [[bin]] targets count by their presence
	}
	return !cargoIrrelevant[path[0]]
}
