package analysis

import (
	"fmt"
	"strings"
)

// Family F: free-threaded (3.13t+) builds and gil_used.

func init() {
	register(ruleF001, ruleF002, ruleF003, ruleF004)
}

// gilFix returns the edit that adds gil_used = false to a #[pymodule] attribute.
func gilFix(m PyModule) (Fix, bool) {
	attr := m.Module.AttrRange
	src := m.File.Src
	if attr.End > len(src) || attr.Start >= attr.End {
		return Fix{}, false
	}
	text := string(src[attr.Start:attr.End])
	loc := Location{Path: m.File.Path}
	if i := strings.IndexByte(text, '('); i >= 0 {
		loc.Range = rangeAt(attr.Start + i + 1)
		return Fix{Title: "Declare the module free-threading safe (gil_used = false)", Edits: []Edit{{Location: loc, NewText: "gil_used = false, "}}}, true
	}
	if j := strings.LastIndexByte(text, ']'); j > 0 {
		loc.Range = rangeAt(attr.Start + j)
		return Fix{Title: "Declare the module free-threading safe (gil_used = false)", Edits: []Edit{{Location: loc, NewText: "(gil_used = false)"}}}, true
	}
	return Fix{}, false
}

var ruleF001 = &Rule{
	Code: "F001", Name: "gil-used-on-free-threaded", Severity: Warning,
	Summary: "Free-threaded support declared but a #[pymodule] needs the GIL",
	Doc: `What: the project declares free-threaded support (a "Programming Language :: Python :: Free
Threading :: N - ..." classifier above "1 - Unstable") but a top-level #[pymodule] declares that
it uses the GIL: no gil_used = false on PyO3 0.23–0.27 (where gil_used defaults to true), or an
explicit gil_used = true on any version.

Why: on free-threaded CPython (3.13t/3.14t) importing a module that declares
Py_MOD_GIL_USED re-enables the GIL for the whole process, with "RuntimeWarning: The global
interpreter lock (GIL) has been enabled to load module '...'". The free-threaded wheel you
advertise runs single-threaded.

Fix: audit the module for thread safety and add gil_used = false: #[pymodule(gil_used = false)]
(a quick fix adds it). From PyO3 0.28 the default is false and modules need nothing.

Quick fix: declare gil_used = false — unsafe: it asserts the module is thread-safe, which only its author can tell.

Versions: PyO3 0.23+ (gil_used option); default true up to 0.27, false from 0.28
(pyo3-macros-backend module.rs).`,
	PyO3Facts: true,
	Run:       runF001,
}

func runF001(p *Pass) {
	in := p.Info()
	pp := p.Project.Pyproject
	v := in.PyO3Version()
	if pp == nil || v == nil || !v.Facts.GILUsedOption || !in.UsesPyO3Bindings() {
		return
	}
	cls, ok := pp.FreeThreadedClassifier()
	if !ok {
		return
	}
	related := []Related{{Location: Location{Path: pp.Path, Range: cls.Range}, Message: "free-threaded support is declared here"}}
	for _, m := range in.Modules {
		if !m.TopLevel() {
			continue
		}
		mod := m.Module
		switch {
		case mod.GILUsed != nil && *mod.GILUsed:
			p.Report(Diagnostic{Location: Location{Path: m.File.Path, Range: mod.GILUsedRange}, Related: related,
				Message: fmt.Sprintf("#[pymodule] %s sets gil_used = true although the project declares free-threaded support: importing it on free-threaded CPython re-enables the GIL", mod.Name),
				Help:    "audit the module for thread safety and set gil_used = false",
				Fixes:   []Fix{{Title: "Set gil_used = false", Edits: []Edit{{Location: Location{Path: m.File.Path, Range: mod.GILUsedRange}, NewText: "gil_used = false"}}}}})
		case mod.GILUsed == nil && v.Facts.GILUsedDefault:
			d := Diagnostic{Location: moduleLocIdent(m), Related: related,
				Message: fmt.Sprintf("#[pymodule] %s has no gil_used = false: with %s it declares that it needs the GIL, so importing it on free-threaded CPython re-enables the GIL (RuntimeWarning)", mod.Name, v.Describe()),
				Help:    "add gil_used = false: #[pymodule(gil_used = false)]"}
			if fix, ok := gilFix(m); ok {
				fix.Preferred = true
				d.Fixes = []Fix{fix}
			}
			p.Report(d)
		}
	}
}

func moduleLocIdent(m PyModule) Location {
	return Location{Path: m.File.Path, Range: m.Module.IdentRange}
}

var ruleF002 = &Rule{
	Code: "F002", Name: "free-threading-needs-newer-pyo3", Severity: Error,
	Summary: "Free-threading declared or gil_used used with PyO3 older than 0.23",
	Doc: `What: free-threaded support is declared (classifier above "1 - Unstable"), or a #[pymodule] uses
the gil_used option, while the resolved PyO3 is older than 0.23.

Why: PyO3 0.22.2–0.22.6 refuse free-threaded interpreters: "the Python interpreter was built
with the GIL disabled, which is not yet supported by PyO3"; older releases do not know the
build at all. The gil_used option does not exist before 0.23, so the macro fails to compile.

Fix: upgrade PyO3 to 0.23 or newer (0.28+ supports free-threading by default).

Versions: PyO3 < 0.23. (PyO3 0.29 also dropped 3.13t; maturin 1.14 only builds free-threaded
wheels for 3.14t+ anyway, so that case is not reported.)`,
	PyO3Facts: true,
	Run:       runF002,
}

func runF002(p *Pass) {
	in := p.Info()
	pp := p.Project.Pyproject
	v := in.PyO3Version()
	if pp == nil || v == nil || v.Facts.GILUsedOption {
		return
	}
	if cls, ok := pp.FreeThreadedClassifier(); ok {
		p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: cls.Range},
			Message: fmt.Sprintf("free-threaded support is declared but %s does not support free-threaded CPython (0.22.2+ stops: \"built with the GIL disabled, which is not yet supported by PyO3\")", v.Describe()),
			Help:    "upgrade PyO3 to 0.23 or newer"})
	}
	for _, m := range in.Modules {
		if m.Module.GILUsed != nil {
			p.Report(Diagnostic{Location: Location{Path: m.File.Path, Range: m.Module.GILUsedRange},
				Message: fmt.Sprintf("gil_used does not exist in %s (added in 0.23): the #[pymodule] macro fails to compile (PyO3 0.22: \"expected one of: name, crate, module, submodule\")", v.Describe()),
				Help:    "upgrade PyO3 to 0.23 or newer, or remove the option"})
		}
	}
}

var ruleF003 = &Rule{
	Code: "F003", Name: "abi3-and-free-threaded", Severity: Info,
	Summary: "abi3 wheels cannot serve free-threaded CPython",
	Doc: `What: the project builds abi3 wheels and declares free-threaded support.

Why: free-threaded CPython (3.13t, 3.14t) cannot load abi3 wheels. maturin drops free-threaded
interpreters from abi3 builds (or builds a version-specific cp3XYt wheel when one is requested
explicitly), and PyO3 warns "The free-threaded build of CPython does not yet support abi3 so the
build artifacts will be version-specific". Free-threaded users need those extra wheels.

Fix: also build version-specific wheels for 3.14t (maturin build -i python3.14t), or on Python
3.15+ use the abi3t stable ABI (PyO3 0.29, maturin 1.14).

Versions: PyO3 0.23+, maturin 1.x.`,
	PyO3Facts: true,
	Run:       runF003,
}

func runF003(p *Pass) {
	in := p.Info()
	pp := p.Project.Pyproject
	a := in.Abi3()
	if pp == nil || !a.Enabled {
		return
	}
	cls, ok := pp.FreeThreadedClassifier()
	if !ok {
		return
	}
	p.Report(Diagnostic{Location: a.Loc,
		Related: []Related{{Location: Location{Path: pp.Path, Range: cls.Range}, Message: "free-threaded support is declared here"}},
		Message: "abi3 wheels cannot be loaded by free-threaded CPython: build version-specific cp3XYt wheels as well (or abi3t on Python 3.15+)"})
}

var ruleF004 = &Rule{
	Code: "F004", Name: "ffi-bindings-no-free-threading", Severity: Warning,
	Summary: "Free-threaded support declared with cffi or uniffi bindings",
	Doc: `What: free-threaded support is declared but the project builds with cffi or uniffi bindings.

Why: maturin's cffi and uniffi bridges do not support free-threaded builds
(BridgeModel::supports_free_threaded is false for them), so maturin never discovers or builds
for free-threaded interpreters: the classifier promises wheels that are never made.

Fix: drop the classifier, or move to PyO3 bindings.

Versions: maturin 1.x.`,
	PyO3Facts: true,
	Run:       runF004,
}

func runF004(p *Pass) {
	in := p.Info()
	pp := p.Project.Pyproject
	if pp == nil || (in.Bindings != "cffi" && in.Bindings != "uniffi") {
		return
	}
	if cls, ok := pp.FreeThreadedClassifier(); ok {
		p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: cls.Range},
			Message: fmt.Sprintf("free-threaded support is declared but maturin's %s bindings do not support free-threaded builds", in.Bindings)})
	}
}
