package analysis

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/pyo3-ls/pyo3-ls/internal/model"
)

// Family N: the extension module name and its #[pymodule].

func init() {
	register(ruleN001, ruleN002, ruleN003, ruleN004, ruleN005, ruleN006, ruleN007)
}

var ruleN006 = &Rule{
	Code: "N006", Name: "pymodule-name-option-too-new", Severity: Error,
	Summary: "#[pymodule(name = ...)] with PyO3 older than 0.22.2",
	Doc: `What: a #[pymodule(name = "...")] option while the resolved PyO3 is older than 0.22.2.

Why: before 0.22.2 the #[pymodule] attribute took no arguments on functions (only
#[pyo3(name = "...")] renamed a module), so the macro fails to compile (pyo3-macros-backend
module.rs; CHANGELOG 0.22.2 #4330).

Fix: write #[pyo3(name = "...")] as a separate attribute, or upgrade PyO3.

Versions: PyO3 < 0.22.2.`,
	PyO3Facts: true,
	Run:       runN006,
}

func runN006(p *Pass) {
	in := p.Info()
	v := in.PyO3Version()
	if v == nil || v.Facts.PymoduleNameOption {
		return
	}
	for _, m := range in.Modules {
		if m.Module.NameSource != "pymodule" {
			continue
		}
		p.Report(Diagnostic{Location: Location{Path: m.File.Path, Range: m.Module.NameRange},
			Message: fmt.Sprintf("#[pymodule(name = ...)] needs PyO3 0.22.2 or newer, but this is %s: the macro fails to compile", v.Describe()),
			Help:    fmt.Sprintf("use #[pyo3(name = %q)] on its own line instead", m.Module.Name)})
	}
}

var ruleN007 = &Rule{
	Code: "N007", Name: "pymodule-feature-gated", Severity: Warning,
	Summary: "The #[pymodule] is compiled only with a feature a plain build does not enable",
	Doc: `What: every #[pymodule] named like the extension is behind a Cargo feature — a #[cfg(feature =
"x")] or #[cfg_attr(feature = "x", pymodule)] on it, or on the ` + "`mod`" + ` declaration that leads to its
file — and neither the crate's default features nor [tool.maturin] features enable that
feature (pure-Rust layouts, where maturin's generated __init__.py imports the extension).

Why: maturin builds with the default features plus [tool.maturin] features. CI often passes
--features x, so the published wheels work, but any build without that flag — pip installing the
sdist on a platform without a wheel, maturin develop — compiles no #[pymodule], and the import
fails with "dynamic module does not define module export function (PyInit_x)".

Fix: add the feature to [tool.maturin] features = ["x"] (or to the crate's default features).

Only predicates made of feature = "...", any(...) and all(...) are evaluated; anything else
(not, target_os…) is assumed to be enabled, so the rule stays quiet. Versions: all.`,
	Run: runN007,
}

func runN007(p *Pass) {
	in := p.Info()
	pr := p.Project
	mn := in.Module
	if !mn.Set || !in.UsesPyO3Bindings() || !pr.RustComplete || in.Layout().Mixed {
		return
	}
	for _, f := range pr.RustFiles {
		for _, pi := range f.Rust.PyInits {
			if pi.Name == mn.Ext {
				return
			}
		}
	}
	on, known := in.PlainBuildFeatures()
	if !known {
		return
	}
	var gated *PyModule
	var gate string
	for i, m := range in.Modules {
		if !m.TopLevel() || m.Module.Name != mn.Ext {
			continue
		}
		preds := append(append([]string(nil), pr.RustGates[m.File.Path]...), m.Module.CfgPredicates...)
		off := ""
		for _, pred := range preds {
			if evalCfg(pred, on) == cfgFalse {
				off = pred
				break
			}
		}
		if off == "" {
			return // compiled (or unknown) in a plain build
		}
		if gated == nil {
			gated, gate = &in.Modules[i], off
		}
	}
	if gated == nil {
		return
	}
	p.Report(Diagnostic{Location: moduleLocIdent(*gated),
		Message: fmt.Sprintf("#[pymodule] %s is compiled only when cfg(%s), which a plain maturin build does not enable (neither default nor [tool.maturin] features): a wheel built without --features (pip install of the sdist, maturin develop) has no PyInit_%s", gated.Module.Ident, gate, mn.Ext),
		Help:    "add the feature to [tool.maturin] features in pyproject.toml"})
}

var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true, "async": true,
	"await": true, "break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true,
	"else": true, "except": true, "finally": true, "for": true, "from": true, "global": true, "if": true,
	"import": true, "in": true, "is": true, "lambda": true, "nonlocal": true, "not": true, "or": true,
	"pass": true, "raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
}

// isPythonIdentifier reports whether s is a valid Python identifier that is not a keyword.
func isPythonIdentifier(s string) bool {
	if s == "" || pythonKeywords[s] {
		return false
	}
	for i, r := range s {
		if r == '_' || unicode.IsLetter(r) {
			continue
		}
		if i > 0 && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)) {
			continue
		}
		return false
	}
	return true
}

var ruleN001 = &Rule{
	Code: "N001", Name: "module-name-mismatch", Severity: Error,
	Summary: "The extension name maturin uses differs from the name the #[pymodule] exports",
	Doc: `What: the extension name — the last component of the module name maturin resolves from
[tool.maturin] module-name, Cargo [lib] name, [project] name or Cargo [package] name, in that
order — must equal the name PyO3 exports from the #[pymodule] item: the fn/mod identifier, or the
name set with #[pyo3(name = "...")] / #[pymodule(name = "...")]. Reported at both ends.

Why: Python imports an extension named "foo" by calling the C symbol PyInit_foo. PyO3 exports
PyInit_<name> for the #[pymodule]. maturin builds the wheel anyway and only warns after the
build ("Couldn't find the symbol PyInit_foo ... Python will fail to import this module"), and
then "import foo" fails with:
  ImportError: dynamic module does not define module export function (PyInit_foo)

Fix: rename one side: set module-name (or [lib] name) to the #[pymodule]'s name, or rename the
#[pymodule] / set its name. Both quick fixes are offered. The Rust one writes
#[pymodule(name = "foo")] when the resolved PyO3 has that option (0.22.2+), else a
#[pyo3(name = "foo")] line BELOW #[pymodule] (every version); above #[pymodule] the crate
does not compile ("cannot find attribute ` + "`pyo3`" + ` in this scope"). No Rust fix is offered for a
#[pymodule] under #[cfg_attr] or for a name PyO3 cannot export (not an identifier, a Rust
keyword). Both fixes change the extension's name: unsafe (applied only with --unsafe-fixes).

Versions: all maturin and PyO3 versions. Nested declarative modules and #[pymodule(submodule)]
export no PyInit_ symbol (PyO3 >= 0.23) and are not counted. When the exported name depends on a
cfg_attr feature the finding is reported at info level.`,
	Maturin1: true,
	Run:      runN001,
}

func runN001(p *Pass) {
	in := p.Info()
	mn := in.Module
	if !mn.Set || !in.UsesPyO3Bindings() || strings.Contains(mn.Ext, "-") || mn.Ext == "" {
		return
	}
	var tops []PyModule
	cfgMatch := false
	for _, m := range in.Modules {
		if !m.TopLevel() {
			continue
		}
		tops = append(tops, m)
		for _, n := range m.Module.CfgNames {
			if n == mn.Ext {
				cfgMatch = true
			}
		}
	}
	for _, n := range in.ExportedNames() {
		if n == mn.Ext {
			return
		}
	}
	if len(tops) == 0 {
		return // N004 reports a library without any #[pymodule]
	}
	sev := Error
	if cfgMatch {
		sev = Info
	}
	names := make([]string, len(tops))
	for i, m := range tops {
		names[i] = "PyInit_" + m.Module.Name
	}
	importErr := fmt.Sprintf("ImportError: dynamic module does not define module export function (PyInit_%s)", mn.Ext)
	var related []Related
	for _, m := range tops {
		related = append(related, Related{Location: moduleLoc(m), Message: fmt.Sprintf("#[pymodule] exports PyInit_%s", m.Module.Name)})
	}
	// The configuration end.
	first := tops[0].Module.Name
	cfgFix := Fix{Title: fmt.Sprintf("Rename the module to %q in %s", replaceExt(mn.Full, first), mn.Source.Label()),
		Edits: []Edit{{Location: mn.Loc, NewText: quoteTOML(replaceExt(mn.Full, first))}}}
	msg := fmt.Sprintf("module name %q (from %s) does not match the #[pymodule], which exports %s; `import %s` will fail with %q",
		mn.Full, mn.Source.Label(), strings.Join(names, ", "), mn.Full, importErr)
	if cfgMatch {
		msg = fmt.Sprintf("module name %q (from %s) matches the #[pymodule] only when a cfg_attr feature renames it; without that feature `import %s` fails", mn.Full, mn.Source.Label(), mn.Full)
	}
	p.Report(Diagnostic{Location: mn.Loc, Severity: sev, Message: msg, Related: related, Fixes: []Fix{cfgFix},
		Help: fmt.Sprintf("set %s to %q, or rename the #[pymodule] to %s", mn.Source.Label(), replaceExt(mn.Full, first), mn.Ext)})
	// The Rust end.
	for _, m := range tops {
		loc := moduleLoc(m)
		var fixes []Fix
		if fix, ok := exportAsFix(in, m, mn.Ext); ok {
			fixes = []Fix{fix}
		}
		p.Report(Diagnostic{Location: loc, Severity: sev,
			Message: fmt.Sprintf("#[pymodule] exports PyInit_%s but maturin names the extension %q (from %s); Python looks for PyInit_%s", m.Module.Name, mn.Ext, mn.Source.Label(), mn.Ext),
			Related: []Related{{Location: mn.Loc, Message: fmt.Sprintf("the module name %q is set here", mn.Full)}},
			Fixes:   fixes,
			Help:    fmt.Sprintf("%s, or change %s", nameOptionHelp(in, mn.Ext), mn.Source.Label())})
	}
}

// exportAsFix makes the #[pymodule] m export PyInit_<ext>. PyO3 reads a
// name option from #[pymodule(name = "…")] (0.22.2+) or from a
// #[pyo3(name = "…")] placed AFTER #[pymodule] (every version: the
// attribute macro sees and strips the attributes below it). Written above
// #[pymodule], #[pyo3] is an unknown attribute and the crate does not compile
// ("cannot find attribute `pyo3` in this scope", PyO3 0.27). Real builds of
// both forms: docs/groundtruth.md.
//
// When the name is already set, its string is replaced. A #[pymodule] that
// exists only under #[cfg_attr(…)] gets no fix: a #[pyo3] helper would not
// compile when the condition is off. ext must be a Rust identifier too.
func exportAsFix(in *ProjectInfo, m PyModule, ext string) (Fix, bool) {
	fix := Fix{Title: fmt.Sprintf("Export the module as %q", ext)}
	if !isPythonIdentifier(ext) || rustKeywords[ext] || !isASCII(ext) {
		return Fix{}, false
	}
	if !m.Module.NameRange.IsZero() {
		fix.Edits = []Edit{{Location: moduleLoc(m), NewText: fmt.Sprintf("%q", ext)}}
		return fix, true
	}
	src, a := m.File.Src, m.Module.AttrRange
	if a.IsZero() || a.End > len(src) || a.Start >= a.End {
		return Fix{}, false
	}
	attr := string(src[a.Start:a.End])
	inner := strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(attr, "]"), "#"))
	inner = strings.TrimSpace(strings.TrimPrefix(inner, "["))
	if strings.HasPrefix(inner, "cfg_attr") || !strings.HasSuffix(attr, "]") {
		return Fix{}, false
	}
	path := inner
	if i := strings.IndexByte(inner, '('); i >= 0 {
		path = strings.TrimSpace(inner[:i])
	}
	if path != "pymodule" && !strings.HasSuffix(path, "::pymodule") {
		return Fix{}, false
	}
	v := in.PyO3Version()
	if v != nil && v.Facts != nil && v.Facts.PymoduleNameOption {
		// #[pymodule] -> #[pymodule(name = "x")]; #[pymodule(a)] -> #[pymodule(a, name = "x")]
		body := strings.TrimSuffix(attr, "]")
		end := a.Start + len(body)
		switch {
		case strings.HasSuffix(strings.TrimSpace(body), "()"):
			close := a.Start + strings.LastIndexByte(body, ')')
			fix.Edits = []Edit{{Location: Location{Path: m.File.Path, Range: rangeAt(close)}, NewText: fmt.Sprintf("name = %q", ext)}}
		case strings.HasSuffix(strings.TrimSpace(body), ")"):
			close := a.Start + strings.LastIndexByte(body, ')')
			fix.Edits = []Edit{{Location: Location{Path: m.File.Path, Range: rangeAt(close)}, NewText: fmt.Sprintf(", name = %q", ext)}}
		default:
			fix.Edits = []Edit{{Location: Location{Path: m.File.Path, Range: rangeAt(end)}, NewText: fmt.Sprintf("(name = %q)", ext)}}
		}
		return fix, true
	}
	// #[pyo3(name = "x")] on the line after #[pymodule] (or right after it on the same line).
	text := fmt.Sprintf(" #[pyo3(name = %q)]", ext)
	if rest := src[a.End:]; len(rest) == 0 || rest[0] == '\n' || rest[0] == '\r' {
		text = "\n" + lineIndent(src, a.Start) + fmt.Sprintf("#[pyo3(name = %q)]", ext)
	}
	fix.Edits = []Edit{{Location: Location{Path: m.File.Path, Range: rangeAt(a.End)}, NewText: text}}
	return fix, true
}

// nameOptionHelp says how to set the exported name with the resolved PyO3.
func nameOptionHelp(in *ProjectInfo, ext string) string {
	if v := in.PyO3Version(); v != nil && v.Facts != nil && v.Facts.PymoduleNameOption {
		return fmt.Sprintf("use #[pymodule(name = %q)]", ext)
	}
	return fmt.Sprintf("add #[pyo3(name = %q)] below #[pymodule]", ext)
}

// rustKeywords cannot be PyO3 module names (PyO3 parses the name as an identifier).
var rustKeywords = map[string]bool{
	"as": true, "break": true, "const": true, "continue": true, "crate": true, "else": true, "enum": true,
	"extern": true, "false": true, "fn": true, "for": true, "if": true, "impl": true, "in": true, "let": true,
	"loop": true, "match": true, "mod": true, "move": true, "mut": true, "pub": true, "ref": true, "return": true,
	"self": true, "Self": true, "static": true, "struct": true, "super": true, "trait": true, "true": true,
	"type": true, "unsafe": true, "use": true, "where": true, "while": true, "async": true, "await": true,
	"dyn": true, "abstract": true, "become": true, "box": true, "do": true, "final": true, "macro": true,
	"override": true, "priv": true, "typeof": true, "unsized": true, "virtual": true, "yield": true, "try": true,
	"gen": true,
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// moduleLoc is where a #[pymodule]'s exported name is written: the name
// option's string if set, else the identifier.
func moduleLoc(m PyModule) Location {
	if !m.Module.NameRange.IsZero() {
		return Location{Path: m.File.Path, Range: m.Module.NameRange}
	}
	return Location{Path: m.File.Path, Range: m.Module.IdentRange}
}

func replaceExt(full, ext string) string {
	if i := strings.LastIndexByte(full, '.'); i >= 0 {
		return full[:i+1] + ext
	}
	return ext
}

var ruleN002 = &Rule{
	Code: "N002", Name: "module-name-has-dash", Severity: Error,
	Summary: "The extension name contains a '-'",
	Doc: `What: the extension name (the last component of the resolved module name) contains a minus.
This happens most often with [project] name = "my-pkg" and neither [lib] name nor
[tool.maturin] module-name set: maturin then takes the project name verbatim.

Why: a '-' cannot appear in a Python import name or a PyInit_ symbol. maturin stops the build:
  The module name must not contain a minus ` + "`-`" + ` (Make sure you have set an appropriate [lib] name
  or [tool.maturin] module-name in your pyproject.toml)
(maturin src/build_context/builder.rs; bin bindings are exempt.)

Fix: set [tool.maturin] module-name (or Cargo [lib] name) to a name with underscores, matching
the #[pymodule].

Quick fix: replace '-' with '_' in module-name or [lib] name — safe (maturin refuses the current name, and the #[pymodule] must already use underscores).

Versions: all maturin 1.x.`,
	Maturin1: true,
	Run:      runN002,
}

func runN002(p *Pass) {
	in := p.Info()
	mn := in.Module
	if !mn.Set || in.Bindings == "bin" || !strings.Contains(mn.Ext, "-") {
		return
	}
	fixed := strings.ReplaceAll(mn.Ext, "-", "_")
	d := Diagnostic{Location: mn.Loc,
		Message: fmt.Sprintf("the extension name %q (from %s) contains '-': maturin stops with \"The module name must not contain a minus `-`\"", mn.Ext, mn.Source.Label()),
		Help:    fmt.Sprintf("set [tool.maturin] module-name = %q", replaceExt(mn.Full, fixed))}
	if mn.Source == model.FromModuleName || mn.Source == model.FromLibName {
		d.Fixes = []Fix{{Title: fmt.Sprintf("Use %q", replaceExt(mn.Full, fixed)), Edits: []Edit{{Location: mn.Loc, NewText: quoteTOML(replaceExt(mn.Full, fixed))}}, Preferred: true, Safe: true}}
	}
	p.Report(d)
}

var ruleN003 = &Rule{
	Code: "N003", Name: "module-name-not-identifier", Severity: Error,
	Summary: "A component of the module name is not a Python identifier",
	Doc: `What: each dotted component of the resolved module name must be a Python identifier: letters,
digits and '_', not starting with a digit, not a keyword, not empty (no leading, trailing or
double dot).

Why: maturin only rejects a '-' in the last component (N002); any other invalid name builds a
wheel whose module cannot be imported ("import 1fast" is a SyntaxError, "pkg..core" names an
empty package) — the failure appears only for the users of the wheel.

Fix: rename the module in [tool.maturin] module-name (and the #[pymodule] to match).

Versions: all maturin and PyO3 versions.`,
	Maturin1: true,
	Run:      runN003,
}

func runN003(p *Pass) {
	in := p.Info()
	mn := in.Module
	if !mn.Set || in.Bindings == "bin" {
		return
	}
	parts := strings.Split(mn.Full, ".")
	for i, part := range parts {
		if i == len(parts)-1 && strings.Contains(part, "-") {
			continue // N002
		}
		if !isPythonIdentifier(part) {
			why := "is not a Python identifier"
			switch {
			case part == "":
				why = "is empty (a leading, trailing or double dot)"
			case pythonKeywords[part]:
				why = "is a Python keyword"
			case unicode.IsDigit([]rune(part)[0]):
				why = "starts with a digit"
			}
			p.Report(Diagnostic{Location: mn.Loc,
				Message: fmt.Sprintf("module name %q (from %s): component %q %s, so the module cannot be imported", mn.Full, mn.Source.Label(), part, why),
				Help:    "use letters, digits and underscores, not starting with a digit"})
			return
		}
	}
}

var ruleN004 = &Rule{
	Code: "N004", Name: "no-pymodule", Severity: Warning,
	Summary: "PyO3 bindings but the library defines no #[pymodule]",
	Doc: `What: the project builds with PyO3 bindings, every source file of the library was found and
scanned, and none has a #[pymodule] (or #[pyo3::pymodule]), a hand-written PyInit_ function
(pyo3-ffi projects write one), or a "pub use other_crate::*" that could bring one in.

Why: without a #[pymodule] the shared library exports no PyInit_ symbol. maturin builds the wheel
and warns "Couldn't find the symbol PyInit_<name> ... Python will fail to import this module";
the import then fails with "dynamic module does not define module export function".

Fix: add a #[pymodule] named like the extension to the library.

Only pure-Rust layouts are checked: there maturin's generated __init__.py imports the extension,
so the failure is certain. In a mixed layout your own Python code decides whether the library
is imported as a module at all (polars plugins, for example, load it with ctypes).

The scanner does not expand macros, so a library that uses include!(…), defines a
macro_rules! macro or invokes a macro at item level (where it may expand to the #[pymodule]) is
not reported.

Versions: all. Nested and submodule #[pymodule]s do not count as top-level.`,
	Maturin1: true,
	Run:      runN004,
}

func runN004(p *Pass) {
	in := p.Info()
	pr := p.Project
	if !in.UsesPyO3Bindings() || !pr.RustComplete || len(pr.RustFiles) == 0 || !in.Module.Set || in.Layout().Mixed {
		return
	}
	for _, m := range in.Modules {
		if m.TopLevel() {
			return
		}
	}
	for _, f := range pr.RustFiles {
		if len(f.Rust.GlobUses) > 0 || len(f.Rust.PyInits) > 0 || itemMacros(f.Src) {
			return
		}
	}
	lib := pr.RustFiles[0]
	p.Report(Diagnostic{Location: Location{Path: lib.Path, Range: firstLine(lib.Src)},
		Related: []Related{{Location: in.Module.Loc, Message: fmt.Sprintf("the module name %q is set here", in.Module.Full)}},
		Message: fmt.Sprintf("no top-level #[pymodule] in %s or the modules it declares: the extension %q exports no PyInit_%s and will not import", pr.Rel(lib.Path), in.Module.Ext, in.Module.Ext),
		Help:    fmt.Sprintf("add `#[pymodule] fn %s(m: &Bound<'_, PyModule>) -> PyResult<()>` to %s", in.Module.Ext, pr.Rel(lib.Path))})
}

var ruleN005 = &Rule{
	Code: "N005", Name: "several-pymodules", Severity: Info,
	Summary: "More than one top-level #[pymodule] in the library",
	Doc: `What: the library has more than one top-level #[pymodule] (not nested, not submodule).

Why: each exports its own PyInit_ symbol, but the wheel contains one extension file named after
the module name, so Python only ever calls the PyInit_ of that name; the others are dead code
(or were meant to be submodules).

Modules whose identifier is used elsewhere in the library (wrap_pymodule!(x), x(py, &m)...) are
taken to be submodules and not reported.

Fix: keep one top-level module named like the extension; mark the others #[pymodule(submodule)]
and add them with add_submodule, or nest them in a declarative #[pymodule] mod.

Versions: nested declarative modules stopped exporting PyInit_ in PyO3 0.23.`,
	Maturin1: true,
	Run:      runN005,
}

func runN005(p *Pass) {
	in := p.Info()
	if !in.UsesPyO3Bindings() {
		return
	}
	var tops []PyModule
	for _, m := range in.Modules {
		if m.TopLevel() && !m.Module.Cfg {
			tops = append(tops, m)
		}
	}
	if len(tops) < 2 {
		return
	}
	for _, m := range tops {
		if in.Module.Set && m.Module.Name == in.Module.Ext {
			continue
		}
		if in.identReferenced(m.Module.Ident, m) {
			continue // used through wrap_pymodule!/add_submodule: a submodule
		}
		p.Report(Diagnostic{Location: moduleLoc(m),
			Message: fmt.Sprintf("#[pymodule] %s is one of %d top-level modules; Python imports only PyInit_%s, so PyInit_%s is never called", m.Module.Name, len(tops), in.Module.Ext, m.Module.Name),
			Help:    "mark it #[pymodule(submodule)] and add it with add_submodule"})
	}
}

// identReferenced reports whether ident occurs as a word in the library's
// sources anywhere but at the definition of m.
func (in *ProjectInfo) identReferenced(ident string, m PyModule) bool {
	for _, f := range in.Snapshot.RustFiles {
		src := f.Src
		for off := 0; off < len(src); {
			i := bytes.Index(src[off:], []byte(ident))
			if i < 0 {
				break
			}
			start := off + i
			end := start + len(ident)
			off = end
			if start > 0 && isIdentByte(src[start-1]) || end < len(src) && isIdentByte(src[end]) {
				continue
			}
			if f == m.File && start == m.Module.IdentRange.Start {
				continue
			}
			return true
		}
	}
	return false
}

func isIdentByte(b byte) bool { return b == '_' || isAlnum(b) || b >= 0x80 }

// itemMacros reports whether src may define items through macros: code the
// scanner cannot expand. A line matches (itemMacroAt) when it is include!(…)
// or macro_rules! after optional blanks, or when it starts, with no
// indentation, with a macro invocation — item position at the top of a file
// (`make_module!(demo);`, `pyo3_stub::define! { … }`).
func itemMacros(src []byte) bool {
	for start := 0; start < len(src); {
		line := src[start:]
		if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
			line = line[:nl]
			start += nl + 1
		} else {
			start = len(src)
		}
		n := itemMacroAt(line)
		if n == 0 {
			continue
		}
		if itemMacroMatters(src, strings.TrimSpace(string(line[:n]))) {
			return true
		}
	}
	return false
}

// itemMacroMatters reports whether the item-position macro invocation m
// (its path and "!", with the opening delimiter, trimmed) may expand to a
// #[pymodule] in src: a local macro_rules! only when src spells one out, a
// std or PyO3 helper macro never.
func itemMacroMatters(src []byte, m string) bool {
	if m == "macro_rules!" {
		// a local macro can only expand to a #[pymodule] the file spells out
		return bytes.Contains(src, []byte("pymodule")) || bytes.Contains(src, []byte("PyInit_"))
	}
	// std macros that cannot define a #[pymodule]
	name := strings.TrimRight(m, "!({[ \t")
	if i := strings.LastIndex(name, "::"); i >= 0 {
		name = name[i+2:]
	}
	switch name {
	case "println", "print", "eprintln", "eprint", "format", "write", "writeln", "vec", "assert", "assert_eq", "assert_ne",
		"debug_assert", "debug_assert_eq", "panic", "unreachable", "todo", "unimplemented", "dbg", "wrap_pyfunction", "wrap_pymodule",
		"pyo3_build_config", "intern", "matches", "log", "info", "warn", "debug", "trace", "error":
		return false
	}
	return true
}

// itemMacroAt returns the length of the macro at the start of line (a line
// without its newline), 0 when there is none. It is the regular expression
//
//	^(?:[ \t]*(?:include!|macro_rules!)|(?:[A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*![ \t]*[({\[])
//
// matched by hand (the regexp's backtracking was most of N004's time).
func itemMacroAt(line []byte) int {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	if bytes.HasPrefix(line[i:], []byte("include!")) {
		return i + len("include!")
	}
	if bytes.HasPrefix(line[i:], []byte("macro_rules!")) {
		return i + len("macro_rules!")
	}
	if i > 0 {
		return 0 // an invocation must start the line
	}
	for {
		if i >= len(line) || !isMacroIdentStart(line[i]) {
			return 0
		}
		for i++; i < len(line) && (isMacroIdentStart(line[i]) || line[i] >= '0' && line[i] <= '9'); i++ {
		}
		if i+2 < len(line) && line[i] == ':' && line[i+1] == ':' && isMacroIdentStart(line[i+2]) {
			i += 2
			continue
		}
		break
	}
	if i >= len(line) || line[i] != '!' {
		return 0
	}
	for i++; i < len(line) && (line[i] == ' ' || line[i] == '\t'); i++ {
	}
	if i < len(line) && (line[i] == '(' || line[i] == '{' || line[i] == '[') {
		return i + 1
	}
	return 0
}

func isMacroIdentStart(b byte) bool { return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
