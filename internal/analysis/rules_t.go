package analysis

import (
	"errors"
	"fmt"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// Family T: files that cannot be read or parsed.

func init() {
	register(ruleT001, ruleT002, ruleT003)
}

var ruleT001 = &Rule{
	Code: "T001", Name: "invalid-toml", Severity: Error,
	Summary: "pyproject.toml, Cargo.toml or Cargo.lock is not valid TOML",
	Doc: `What: a TOML file of the project does not parse as TOML 1.0 (syntax errors, duplicate keys,
tables defined twice, invalid escapes...). The diagnostic points at the offending text; the
parser resumes on the next line (or the next table header), so each separate mistake of a
file is reported. The rest of the file is still read: rules that judge a value present in the
file (unknown keys, wrong types, missing paths) still report, while rules that would conclude
something from what could not be read (a module name falling back to [project] name because
[lib] broke, a missing pyo3 dependency) stay quiet for the project until it parses.

Why: maturin ("pyproject.toml at ... is invalid") and cargo ("could not parse input as TOML")
stop at the first parse error; nothing else in the file can be checked until it parses.

Fix: correct the syntax at the reported position.

Versions: TOML 1.0, which maturin (toml crate) and cargo (toml_edit) implement.`,
	Run: runT001,
}

func runT001(p *Pass) {
	for _, f := range p.Project.Files() {
		if f.TOMLErr == nil {
			continue
		}
		errs := []*tomldoc.Error{f.TOMLErr}
		if f.Doc != nil && len(f.Doc.Errors) > 0 {
			errs = f.Doc.Errors // the parser recovers: one error per mistake
		}
		for _, e := range errs {
			p.Report(Diagnostic{Location: Location{Path: f.Path, Range: e.Range}, Message: "invalid TOML: " + e.Msg})
		}
	}
}

var ruleT003 = &Rule{
	Code: "T003", Name: "file-unreadable", Severity: Warning,
	Summary: "A project file is too large or cannot be read",
	Doc: `What: a file the project needs (pyproject.toml, Cargo.toml, Cargo.lock, a Rust source) is
larger than pyo3-ls's limit (10 MB) or cannot be read (permissions, not a regular file).

Why: pyo3-ls skips such files instead of reading them, so checks that need them are not run
for this project; the diagnostic says so rather than staying silent.

Fix: make the file readable; a 10 MB manifest or source file is almost always a mistake
(a generated file, a binary committed by accident).

Versions: all.`,
	Run: runT003,
}

func runT003(p *Pass) {
	for _, f := range p.Project.Files() {
		if f.ReadErr == nil {
			continue
		}
		msg := fmt.Sprintf("%s was skipped: %v", p.Project.Rel(f.Path), f.ReadErr)
		if errors.Is(f.ReadErr, project.ErrTooLarge) {
			msg = fmt.Sprintf("%s was skipped: larger than %d MB", p.Project.Rel(f.Path), project.MaxFileSize>>20)
		}
		p.Report(Diagnostic{Location: Location{Path: f.Path, Range: span.Range{}}, Message: msg})
	}
}

// valueType is the expected shape of a known key.
type valueType uint8

const (
	tString valueType = iota + 1
	tBool
	tInt
	tStrings      // array of strings
	tTable        // any table
	tStrOrTable   // string or table (readme, license)
	tStrOrStrings // string or array of strings
	tArray        // array of anything
	tStrOrBool    // string or bool
	tAny
)

func (t valueType) matches(v *tomldoc.Value) bool {
	switch t {
	case tString:
		return v.Kind == tomldoc.String
	case tBool:
		return v.Kind == tomldoc.Bool
	case tInt:
		return v.Kind == tomldoc.Integer
	case tStrings:
		if v.Kind != tomldoc.Array {
			return false
		}
		for _, x := range v.Arr {
			if x.Kind != tomldoc.String {
				return false
			}
		}
		return true
	case tTable:
		return v.Kind == tomldoc.Table
	case tStrOrTable:
		return v.Kind == tomldoc.String || v.Kind == tomldoc.Table
	case tStrOrStrings:
		return v.Kind == tomldoc.String || tStrings.matches(v)
	case tArray:
		return v.Kind == tomldoc.Array
	case tStrOrBool:
		return v.Kind == tomldoc.String || v.Kind == tomldoc.Bool
	}
	return true
}

func (t valueType) String() string {
	return [...]string{"", "a string", "a boolean", "an integer", "an array of strings", "a table", "a string or a table", "a string or an array of strings", "an array", "a string or a boolean", "anything"}[t]
}

// buildSystemKeys and projectKeys are PEP 518 / PEP 621 (as maturin's
// pyproject-toml crate deserialises them).
var buildSystemKeys = map[string]valueType{"requires": tStrings, "build-backend": tString, "backend-path": tStrings}

var projectKeys = map[string]valueType{
	"name": tString, "version": tString, "description": tString, "readme": tStrOrTable,
	"requires-python": tString, "license": tStrOrTable, "license-files": tStrings, "authors": tArray,
	"maintainers": tArray, "keywords": tStrings, "classifiers": tStrings, "urls": tTable,
	"scripts": tTable, "gui-scripts": tTable, "entry-points": tTable, "dependencies": tStrings,
	"optional-dependencies": tTable, "dynamic": tStrings, "import-names": tStrings, "import-namespaces": tStrings,
}

var cargoPackageKeys = map[string]valueType{
	"name": tString, "version": tAny, "edition": tAny, "build": tStrOrBool, "links": tString,
	"autobins": tBool, "autolib": tBool, "publish": tAny, "description": tAny, "readme": tAny,
}

var cargoLibKeys = map[string]valueType{
	"name": tString, "path": tString, "crate-type": tStrings, "crate_type": tStrings,
	"test": tBool, "doctest": tBool, "bench": tBool, "doc": tBool, "harness": tBool, "proc-macro": tBool,
}

var ruleT002 = &Rule{
	Code: "T002", Name: "wrong-type", Severity: Error,
	Summary: "A known key has a value of the wrong type",
	Doc: `What: a key that maturin, cargo or PEP 621 defines has a value of the wrong TOML type: e.g.
requires = "maturin" (must be an array), [tool.maturin] features = "abi3" (must be an array),
strip = "yes" (must be a boolean), [lib] crate-type = "cdylib".

Why: maturin deserialises pyproject.toml with serde and stops: "pyproject.toml at ... is invalid"
with "invalid type: string, expected a sequence"; cargo reports the same for Cargo.toml.

Fix: write the value with the type shown in the message.

Versions: maturin 1.x, Cargo.`,
	Run: runT002,
}

func runT002(p *Pass) {
	pr := p.Project
	if pp := pr.Pyproject; pp != nil {
		if pp.BuildSystem != nil {
			checkTypes(p, pp.Path, pp.BuildSystem.Value, "build-system", buildSystemKeys)
		}
		if pp.Project != nil {
			checkTypes(p, pp.Path, pp.Project.Value, "project", projectKeys)
		}
		if pp.Tool != nil {
			if e := pp.Tool.Value.Get("maturin"); e != nil && !e.Value.IsTable() {
				p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: e.Value.Range}, Message: fmt.Sprintf("tool.maturin must be a table, found %s", e.Value.TypeName())})
			}
		}
		reportMaturin(p, "T002") // [tool.maturin], walked once with M003/M004
	}
	if m := pr.Manifest; m != nil {
		if m.Package != nil {
			checkTypes(p, m.Path, m.Package.Value, "package", cargoPackageKeys)
		}
		if m.Lib != nil {
			checkTypes(p, m.Path, m.Lib.Value, "lib", cargoLibKeys)
		}
	}
}

func checkTypes(p *Pass, path string, tbl *tomldoc.Value, where string, keys map[string]valueType) {
	for _, e := range tbl.Table.Entries {
		t, ok := keys[e.Key]
		if !ok || t == tAny || t.matches(e.Value) {
			continue
		}
		p.Report(Diagnostic{Location: Location{Path: path, Range: e.Value.Range},
			Message: fmt.Sprintf("%s.%s must be %s, found %s", where, e.Key, t, e.Value.TypeName())})
	}
}
