package analysis

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/boundary"
	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/pysrc"
	"github.com/pyo3-ls/pyo3-ls/internal/rustsrc"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// Family E: the extension's Python-visible exports against the package's Python code and stubs.

func init() {
	register(ruleE001, ruleE002, ruleE003, ruleE004, ruleE005)
}

// E — the boundary between the Python package and the extension module.

// typingOnlyBases mark stub classes that exist only for type checkers.
var typingOnlyBases = []string{"Protocol", "TypedDict", "NamedTuple", "TypeAlias"}

func typingOnly(d *pysrc.Def) bool {
	for _, b := range d.Bases {
		for _, t := range typingOnlyBases {
			if b == t || strings.HasSuffix(b, "."+t) || strings.HasPrefix(b, t+"[") || strings.Contains(b, "."+t+"[") {
				return true
			}
		}
	}
	return false
}

// stubBinds reports whether the stub binds name at module level (a def,
// class, variable or import).
func stubBinds(m *pysrc.Module, name string) bool {
	return m.Def(name) != nil || m.Imported(name)
}

// stubOpen reports whether a stub may declare names it does not spell out.
func stubOpen(m *pysrc.Module) bool {
	if m.Getattr {
		return true
	}
	for _, im := range m.Imports {
		if im.Star {
			return true
		}
	}
	return false
}

// sideToCompare reports whether the Python side has anything the E rules
// compare with the extension's exports: a stub, or (mixed layout) a module
// that imports from the extension, and no Python module shadowing it.
// Without one they report nothing, so the exports are not resolved.
func sideToCompare(p *Pass) bool {
	s := p.Info().BoundarySide()
	return s != nil && !s.Shadowed && (s.Stub != nil || s.Mixed && len(s.Importers) > 0)
}

// closedExports returns the boundary when the extension's export set is
// complete, else nil.
func closedExports(p *Pass) *Boundary {
	if !sideToCompare(p) {
		return nil
	}
	b := p.Info().Boundary()
	if b.Exports == nil || b.Exports.Open || b.Side == nil {
		return nil
	}
	return b
}

func rustLoc(f *project.SourceFile, r span.Range) Location {
	if f == nil {
		return Location{}
	}
	return Location{Path: f.Path, Range: r}
}

var ruleE001 = &Rule{
	Code: "E001", Name: "import-missing-name", Severity: Error,
	Summary: "The Python package imports a name the extension module does not export",
	Doc: `What: a module of the Python package runs ` + "`from ._core import name`" + ` (or ` + "`from pkg._core import name`" + `) at import
time, and the #[pymodule] maturin builds as pkg._core does not add name: no add_function,
add_class, add or add_submodule adds it (functional module), and no #[pyfunction], #[pyclass],
#[pymodule_export] item or nested module of a declarative module is named so (after renames by
#[pyo3(name = ...)], #[pyfunction(name = ...)], #[pyclass(name = ...)]).

Why: importing the package fails: "ImportError: cannot import name 'name' from 'pkg._core'".
Usually a Rust function was renamed, or added to the Rust code but not to the module.

Fix: add the item to the #[pymodule] (m.add_function(wrap_pyfunction!(name, m)?)), fix the
Python name (#[pyo3(name = "...")]), or the import.

pyo3-ls stays quiet when the export set is open: when the module's body does something it cannot
follow (a loop, a computed name, a macro or helper function that receives the module, include!),
when a name comes from an item outside the crate's scanned sources, when an import is guarded
(try/except, if TYPE_CHECKING, inside a function), or when a Python module shadows the extension.

Versions: PyO3 0.15+ module APIs (the Bound and the older &PyModule forms), maturin 1.x.`,
	Run: runE001,
}

func runE001(p *Pass) {
	b := closedExports(p)
	if b == nil || !b.Side.Mixed || b.Side.Shadowed {
		return
	}
	ex := b.Exports
	for _, imp := range b.Side.Importers {
		for _, im := range imp.Imports {
			if !im.TopLevel || im.TypeChecking || im.Star {
				continue
			}
			for _, n := range im.Names {
				if strings.HasPrefix(n.Name, "__") || ex.Lookup(n.Name) != nil {
					continue
				}
				p.Report(Diagnostic{Location: Location{Path: imp.File.Path, Range: n.Range},
					Message: fmt.Sprintf("cannot import name %q from %q: the extension module does not export it; importing %s raises ImportError", n.Name, ex.Module, imp.Dotted),
					Help:    exportsHelp(ex, n.Name),
					Related: []Related{{Location: rustLoc(ex.RootFile, ex.Root.IdentRange), Message: fmt.Sprintf("the #[pymodule] built as %s", ex.Module)}}})
			}
		}
	}
}

// exportsHelp suggests the nearest exported name (case-insensitive edit
// distance under 4; names over 64 bytes are not compared).
func exportsHelp(ex *boundary.Exports, name string) string {
	best, bd := "", 4
	if len(name) <= 64 {
		for _, n := range ex.Names() {
			if len(n) > 64 {
				continue
			}
			if d := levenshtein(strings.ToLower(n), strings.ToLower(name)); d < bd {
				best, bd = n, d
			}
		}
	}
	if best != "" {
		return fmt.Sprintf("did you mean %q? Otherwise add %s to the #[pymodule]", best, name)
	}
	return fmt.Sprintf("add %s to the #[pymodule] (m.add_function / m.add_class / #[pymodule_export]) or remove the import", name)
}

// stubRel names the stub for messages.
func stubRel(p *Pass, s *boundary.Side) string {
	return p.Project.Rel(s.Stub.Path)
}

// deleteLines returns an edit removing the whole lines of r (and its trailing newline).
func deleteLines(f *project.SourceFile, r span.Range) Edit {
	src := f.Src
	start := r.Start
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := r.End
	for end < len(src) && src[end] != '\n' {
		end++
	}
	if end < len(src) {
		end++
	}
	return Edit{Location: Location{Path: f.Path, Range: span.Range{Start: start, End: end}}}
}

var ruleE002 = &Rule{
	Code: "E002", Name: "stub-name-not-exported", Severity: Warning,
	Summary: "The extension's stub declares a name the extension does not export",
	Doc: `What: the extension's type stub (pkg/_core.pyi, pkg/_core/__init__.pyi, or <ext>.pyi beside
pyproject.toml in a pure-Rust layout) declares a top-level function or class that the #[pymodule]
does not export.

Why: type checkers (mypy, pyright) trust the stub, so they accept ` + "`from pkg._core import name`" + ` and
calls to it, which fail at run time with ImportError or AttributeError. mypy's stubtest reports the
same drift ("is not present at runtime") after a build.

Fix: export the item from the #[pymodule], or remove it from the stub (quick fix).

Private names (a leading underscore) and typing-only classes (Protocol, TypedDict, NamedTuple
subclasses) are not checked; nothing is reported when the export set is open (see E001).

Quick fix: remove the name from the stub — unsafe (it changes what type checkers see).

Versions: all.`,
	Run: runE002,
}

func runE002(p *Pass) {
	b := closedExports(p)
	if b == nil || b.Side.Stub == nil || b.Side.Shadowed {
		return
	}
	ex := b.Exports
	st := b.Side.Stub
	m := st.Python()
	seen := map[string]bool{}
	for _, d := range m.Defs {
		if d.Kind == pysrc.Var || strings.HasPrefix(d.Name, "_") || seen[d.Name] || typingOnly(d) {
			continue
		}
		if ex.Lookup(d.Name) != nil {
			continue
		}
		seen[d.Name] = true
		kind := "function"
		if d.Kind == pysrc.Class {
			kind = "class"
		}
		var fixes []Fix
		var edits []Edit
		for _, x := range m.Named(d.Name) {
			edits = append(edits, deleteLines(st, x.Range))
		}
		fixes = append(fixes, Fix{Title: fmt.Sprintf("Remove %s from %s", d.Name, filepath.Base(st.Path)), Edits: edits})
		p.Report(Diagnostic{Location: Location{Path: st.Path, Range: d.NameRange},
			Message: fmt.Sprintf("the stub declares the %s %s but %s does not export it: type checkers accept code that fails at run time", kind, d.Name, ex.Module),
			Help:    exportsHelp(ex, d.Name),
			Related: []Related{{Location: rustLoc(ex.RootFile, ex.Root.IdentRange), Message: fmt.Sprintf("the #[pymodule] built as %s", ex.Module)}},
			Fixes:   fixes})
	}
}

var ruleE003 = &Rule{
	Code: "E003", Name: "stub-missing-name", Severity: Warning,
	Summary: "The extension exports a public name its stub does not declare",
	Doc: `What: the #[pymodule] exports a public function, class or constant (no leading underscore)
that the extension's type stub does not declare.

Why: type checkers trust the stub: ` + "`from pkg._core import name`" + ` is rejected ("Module has no
attribute"), though it works at run time. mypy's stubtest reports it after a build ("is not
present in stub").

Fix: add the entry to the stub; the quick fix writes one from the Rust signature.

Items present only under a #[cfg] and stubs with a module-level __getattr__ or a star import are
not checked.

Quick fix: add a declaration written from the Rust signature to the stub (for a class, its
constructor, methods, getters and attributes, typed as object where Rust types have no Python
spelling yet) — unsafe: review it.

Versions: all.`,
	Run: runE003,
}

func runE003(p *Pass) {
	b, st := stubbedBoundary(p)
	if st == nil {
		return
	}
	m := st.Python()
	if stubOpen(m) {
		return
	}
	for _, it := range b.Exports.Items {
		if strings.HasPrefix(it.Name, "_") || it.Cfg || it.Kind == boundary.Submodule || stubBinds(m, it.Name) {
			continue
		}
		entry := ""
		switch it.Kind {
		case boundary.Function:
			entry = boundary.StubDef(it.Name, it.Func.Sig, 0, "")
		case boundary.Class:
			entry = boundary.StubClass(it.Name, it.Class)
		case boundary.Const:
			entry = it.Name + ": object\n"
		}
		insert := len(st.Src)
		prefix := "\n"
		if insert > 0 && st.Src[insert-1] != '\n' {
			prefix = "\n\n"
		}
		p.Report(Diagnostic{Location: rustLoc(it.File, it.At),
			Message: fmt.Sprintf("%s exports the %s %s but the stub %s does not declare it: type checkers reject code that works", b.Exports.Module, it.Kind, it.Name, stubRel(p, b.Side)),
			Help:    stubAddHelp(entry, it.Name, stubRel(p, b.Side)),
			Related: []Related{{Location: Location{Path: st.Path}, Message: "the extension's stub"}},
			Fixes: []Fix{{Title: fmt.Sprintf("Add %s to %s", it.Name, filepath.Base(st.Path)),
				Edits: []Edit{{Location: Location{Path: st.Path, Range: span.Range{Start: insert, End: insert}}, NewText: prefix + entry}}}}})
	}
}

// stubAddHelp says what to add: a one-line entry quoted, a class with its
// members by name (the quick fix writes them).
func stubAddHelp(entry, name, stub string) string {
	entry = strings.TrimSpace(entry)
	if strings.Contains(entry, "\n") {
		return fmt.Sprintf("add a \"class %s\" declaration with its members to %s (the quick fix writes it from the Rust signatures)", name, stub)
	}
	return fmt.Sprintf("add %q to %s", entry, stub)
}

var ruleE004 = &Rule{
	Code: "E004", Name: "stub-signature-mismatch", Severity: Warning,
	Summary: "A stub function's parameters disagree with the #[pyfunction]",
	Doc: `What: a function in the extension's stub has parameters that differ from the Python signature
PyO3 generates for the #[pyfunction]: a missing or extra parameter, a different name or order, a
default where Rust requires the argument (or the reverse), *args/**kwargs, or the / and * markers.
The Rust side is #[pyo3(signature = (...))] when given, else the Rust parameters without
` + "`py: Python`" + ` and module arguments.

Why: type checkers check calls against the stub: they reject calls that work, or accept calls that
raise TypeError. stubtest reports the same differences after a build.

Fix: make the stub match the Rust signature (hover shows it), or change #[pyo3(signature)].

When the Rust item has #[pyo3(text_signature = "...")], the stub is compared with that text
signature (what inspect.signature and stubtest see), and not at all when it does not read as one.
A stub that only narrows what type checkers accept (a positional-only or keyword-only parameter
for a positional-or-keyword one, a required parameter where Rust has a default) is stub style
and not reported: it rejects calls that work but never accepts one that fails.

Overloaded stubs (@overload) are not compared. Trailing Option<T> parameters without a signature
option get an implicit None default in PyO3 < 0.22 (deprecated 0.22, removed later), so their
default is not compared.

Versions: signature option PyO3 0.18+; "/" in signatures PyO3 0.19+.`,
	Run: runE004,
}

func runE004(p *Pass) {
	b, st := stubbedBoundary(p)
	if st == nil {
		return
	}
	m := st.Python()
	for _, it := range b.Exports.Items {
		if it.Kind != boundary.Function || it.Func == nil {
			continue
		}
		d := singleDef(m, it.Name)
		if d == nil || d.Kind != pysrc.Func || d.BadParams {
			continue
		}
		diffs := boundary.Compare(it.Func.Sig, boundary.StubParams(d, false))
		if len(diffs) == 0 {
			continue
		}
		p.Report(Diagnostic{Location: Location{Path: st.Path, Range: d.NameRange},
			Message: fmt.Sprintf("the stub of %s disagrees with the #[pyfunction]: %s", it.Name, strings.Join(diffs, "; ")),
			Help:    fmt.Sprintf("PyO3's signature is %s%s", it.Name, boundary.PySignature(it.Func.Sig, "")),
			Related: []Related{{Location: rustLoc(it.File, it.Func.IdentRange), Message: "the #[pyfunction]"}}})
	}
}

// stubbedBoundary returns the project's boundary and the extension's stub
// when the E rules that compare the two can run: the #[pymodule]'s exports
// are known and a stub exists that no Python package shadows (st is nil
// otherwise; so is b when there is no such stub, as the exports are then not
// resolved).
func stubbedBoundary(p *Pass) (*model.Boundary, *project.SourceFile) {
	if s := p.Info().BoundarySide(); s == nil || s.Stub == nil || s.Shadowed {
		return nil, nil
	}
	b := p.Info().Boundary()
	if b.Exports == nil || b.Side == nil || b.Side.Stub == nil || b.Side.Shadowed {
		return b, nil
	}
	return b, b.Side.Stub
}

// singleDef returns the only definition named name, nil when there is none,
// several (overloads, version branches) or an @overload.
func singleDef(m *pysrc.Module, name string) *pysrc.Def {
	var out *pysrc.Def
	for _, d := range m.Named(name) {
		if out != nil || d.HasDecorator("overload") || d.Conditional {
			return nil
		}
		out = d
	}
	return out
}

var ruleE005 = &Rule{
	Code: "E005", Name: "stub-class-mismatch", Severity: Warning,
	Summary: "A stub class disagrees with the #[pyclass] and its #[pymethods]",
	Doc: `What: a class in the extension's stub declares a method or attribute that the #[pyclass] does
not have (no #[pymethods] method, #[getter]/#[setter], #[classattr], get/set field or enum
variant of that name), a method whose parameters differ from the Rust method (as E004; #[new]
is compared with __new__ or __init__), or lacks a public method the #[pymethods] define.

Why: type checkers trust the stub: they accept attribute accesses that raise AttributeError, and
reject ones that work. stubtest reports the same after a build.

Fix: make the stub match the Rust class.

Dunder methods (other than __new__/__init__) and private names are not checked; nothing is
reported for a class whose members may come from elsewhere (extends = a base class, dict, a
macro that receives the type, several classes of that name).

Versions: all.`,
	Run: runE005,
}

func runE005(p *Pass) {
	b, st := stubbedBoundary(p)
	if st == nil {
		return
	}
	m := st.Python()
	for _, it := range b.Exports.Items {
		if it.Kind != boundary.Class || it.Class == nil {
			continue
		}
		d := singleDef(m, it.Name)
		if d == nil || d.Kind != pysrc.Class {
			continue
		}
		checkClass(p, st, d, it.Class)
	}
}

func checkClass(p *Pass, st *project.SourceFile, d *pysrc.Def, c *boundary.ClassInfo) {
	stubNames := map[string][]*pysrc.Def{}
	for _, x := range d.Members {
		stubNames[x.Name] = append(stubNames[x.Name], x)
	}
	related := []Related{{Location: rustLoc(c.File, c.IdentRange), Message: "the #[pyclass]"}}
	for _, x := range d.Members {
		name := x.Name
		if strings.HasPrefix(name, "_") && name != "__new__" && name != "__init__" {
			continue
		}
		ms := c.Lookup(name)
		if name == "__init__" {
			ms = c.Lookup("__new__")
		}
		if len(ms) == 0 {
			if c.Open || name == "__new__" || name == "__init__" || len(stubNames[name]) > 1 && x != stubNames[name][0] {
				continue
			}
			p.Report(Diagnostic{Location: Location{Path: st.Path, Range: x.NameRange},
				Message: fmt.Sprintf("the stub declares %s.%s but the #[pyclass] %s has no such member: type checkers accept code that raises AttributeError", d.Name, name, c.Ident),
				Related: related})
			continue
		}
		if x.Kind != pysrc.Func || len(ms) != 1 || len(stubNames[name]) != 1 || x.HasDecorator("overload") || x.BadParams {
			continue
		}
		rm := ms[0]
		switch rm.Kind {
		case rustsrc.Method, rustsrc.StaticMethod, rustsrc.ClassMethod, rustsrc.New:
		default:
			continue
		}
		if x.HasDecorator("property") {
			continue
		}
		diffs := boundary.Compare(rm.Sig, boundary.StubParams(x, true))
		if len(diffs) == 0 {
			continue
		}
		p.Report(Diagnostic{Location: Location{Path: st.Path, Range: x.NameRange},
			Message: fmt.Sprintf("the stub of %s.%s disagrees with the Rust method %s: %s", d.Name, name, rm.Ident, strings.Join(diffs, "; ")),
			Help:    fmt.Sprintf("PyO3's signature is %s%s", name, boundary.PySignature(rm.Sig, receiverOf(rm.Kind))),
			Related: []Related{{Location: rustLoc(rm.File, rm.IdentRange), Message: "the Rust method"}}})
	}
	// Public Rust methods the stub class lacks.
	if stubClassOpen(d) {
		return
	}
	var missing []string
	seen := map[string]bool{}
	for _, rm := range c.Members {
		if rm.Cfg || strings.HasPrefix(rm.Name, "_") || seen[rm.Name] {
			continue
		}
		switch rm.Kind {
		case rustsrc.Method, rustsrc.StaticMethod, rustsrc.ClassMethod:
		default:
			continue
		}
		seen[rm.Name] = true
		if len(stubNames[rm.Name]) == 0 {
			missing = append(missing, rm.Name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		p.Report(Diagnostic{Location: Location{Path: st.Path, Range: d.NameRange},
			Message: fmt.Sprintf("the stub class %s lacks the method(s) %s that the #[pymethods] of %s define: type checkers reject code that works", d.Name, strings.Join(missing, ", "), c.Ident),
			Related: related})
	}
}

// stubClassOpen reports whether a stub class may have members it does not list.
func stubClassOpen(d *pysrc.Def) bool {
	for _, b := range d.Bases {
		if b != "object" && !strings.HasPrefix(b, "metaclass") {
			return true // members may be inherited from the stub's base class
		}
	}
	for _, x := range d.Members {
		if x.Name == "__getattr__" {
			return true
		}
	}
	return false
}

func receiverOf(k rustsrc.MemberKind) string {
	switch k {
	case rustsrc.Method:
		return "self"
	case rustsrc.ClassMethod, rustsrc.New:
		return "cls"
	}
	return ""
}
