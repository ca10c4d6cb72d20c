package analysis

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/pyproject"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// Family L: Python package layout and what lands in the wheel.

func init() {
	register(ruleL001, ruleL002, ruleL003, ruleL004, ruleL005, ruleL006)
}

var ruleL001 = &Rule{
	Code: "L001", Name: "python-source-missing", Severity: Error,
	Summary: "python-source names a directory that does not exist",
	Doc: `What: [tool.maturin] python-source is set to a directory that does not exist.

Why: maturin stops: "python-source is set to ` + "`X`" + ` but the directory does not exist. Either create the
directory or remove the ` + "`python-source`" + ` setting from pyproject.toml." (project_layout.rs)

Fix: create the directory (usually "python" holding your package) or correct the path.

Versions: maturin >= 0.12.`,
	Maturin1: true,
	Run:      runL001,
}

func runL001(p *Pass) {
	pp := p.Project.Pyproject
	if pp == nil || pp.PythonSource == nil || p.Project.IsDir(p.Project.PythonRoot) {
		return
	}
	p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: pp.PythonSource.Range},
		Message: fmt.Sprintf("python-source is set to %q but the directory does not exist; maturin stops the build", pp.PythonSource.Value),
		Help:    "create the directory or remove the python-source setting"})
}

// ignoredPackageDirs are directories beside Cargo.toml that are not the project's package.
var ignoredPackageDirs = map[string]bool{"tests": true, "test": true, "docs": true, "doc": true, "examples": true, "benches": true, "bench": true, "scripts": true, "src": true, "python": true, "target": true}

var ruleL002 = &Rule{
	Code: "L002", Name: "python-package-missing", Severity: Error,
	Summary: "The Python package maturin expects is not where it looks",
	Doc: `What: (error) python-source is set but <python-source>/<first module component> is not a
directory; (warning) python-source is not set, no directory is named like the module, but a
Python package named after the project ([project] name, normalised) sits beside pyproject.toml
and is not listed in python-packages.

Why: in the first case maturin stops: "python-source is set to X, but the python module at Y does
not exist" — for every binding type, bin included. In the second it silently builds a pure-Rust
wheel: your Python package is not in it, and "import pkg.helpers" fails after installation. An
[tool.maturin] include pattern for wheels that starts with the package directory
({ path = "pkg/**/*", format = "wheel" }) ships it, and is not reported.

Fix: name the module after the package directory (module-name = "pkg._pkg"), move the package,
or list it in python-packages.

Versions: maturin 1.x (project_layout.rs).`,
	Maturin1: true,
	Run:      runL002,
}

func runL002(p *Pass) {
	in := p.Info()
	pr := p.Project
	pp := pr.Pyproject
	if pp == nil || !in.Module.Set {
		return
	}
	l := in.Layout()
	// python-source without the package stops maturin for every binding
	// type, bin included (maturin's test-crates/wrong-python-source).
	if pp.PythonSource != nil {
		if pr.IsDir(pr.PythonRoot) && !l.Mixed {
			p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: pp.PythonSource.Range},
				Message: fmt.Sprintf("python-source is %q but the Python package %s/ does not exist there; maturin stops the build", pp.PythonSource.Value, pr.Rel(l.PkgDir)),
				Help:    fmt.Sprintf("create %s/__init__.py or fix module-name/python-source", pr.Rel(l.PkgDir))})
		}
		return
	}
	if l.Mixed || pp.Name == nil || in.Bindings == "bin" {
		return
	}
	pkg := pyproject.NormalizeName(pp.Name.Value)
	if pkg == l.FirstPart || ignoredPackageDirs[pkg] {
		return
	}
	for _, x := range pp.PythonPackages {
		if x.Value == pkg {
			return
		}
	}
	dir := filepath.Join(pr.PythonRoot, pkg)
	if !pr.IsFile(filepath.Join(dir, "__init__.py")) || includesIntoWheel(pp.Maturin, pkg) {
		return
	}
	p.Report(Diagnostic{Location: in.Module.Loc, Severity: Warning,
		Message: fmt.Sprintf("the Python package %s/ is not part of the wheel: the module is named %q, so maturin builds a pure-Rust wheel and leaves %s/ out", pr.Rel(dir), in.Module.Full, pkg),
		Help:    fmt.Sprintf("set [tool.maturin] module-name = %q (and name the #[pymodule] %s), or add %q to python-packages", pkg+"."+in.Module.Ext, in.Module.Ext, pkg)})
}

var ruleL003 = &Rule{
	Code: "L003", Name: "extension-shadowed", Severity: Warning,
	Summary: "A Python package directory has the extension's name",
	Doc: `What: in a mixed Rust/Python layout, the directory where maturin puts the extension already has
a package <ext>/ with an __init__.py.

Why: Python's path finder looks for a package directory first, so <ext>/__init__.py shadows the
extension and "import pkg.<ext>" never loads the Rust code. (A <ext>.py file beside the
extension does not shadow it: extension modules are tried before source files — verified with
CPython 3.11 and real maturin wheels — so that case is not reported. A directory without
__init__.py is a namespace portion and loses to the extension too.)

Fix: rename the Python file or package, or the extension (module-name = "pkg._<ext>").

Versions: all.`,
	Maturin1: true,
	Run:      runL003,
}

func runL003(p *Pass) {
	in := p.Info()
	pr := p.Project
	if !in.Module.Set || in.Bindings == "bin" {
		return
	}
	l := in.Layout()
	if !l.Mixed {
		return
	}
	pkgDir := filepath.Join(l.ExtDir, in.Module.Ext)
	if pr.IsFile(filepath.Join(pkgDir, "__init__.py")) {
		p.Report(Diagnostic{Location: in.Module.Loc,
			Message: fmt.Sprintf("%s/__init__.py shadows the extension %q: Python imports the package directory first, not the Rust module", pr.Rel(pkgDir), in.Module.Full),
			Help:    "rename the package directory or the extension"})
		return
	}
}

var ruleL004 = &Rule{
	Code: "L004", Name: "stub-name-mismatch", Severity: Warning,
	Summary: "A .pyi stub at the project root is not named like the module",
	Doc: `What: a pure-Rust layout (no Python package directory) with a *.pyi file beside pyproject.toml
whose name is not <extension>.pyi.

Why: maturin packages only <ext>.pyi as the module's type stubs ("Found type stub file at
<ext>.pyi"); a stub with another name is silently left out, so type checkers see no types.

Fix: rename the stub to <extension>.pyi.

Versions: maturin 1.x.`,
	Maturin1: true,
	Run:      runL004,
}

func runL004(p *Pass) {
	in := p.Info()
	pr := p.Project
	if !in.Module.Set || in.Bindings == "bin" || in.Layout().Mixed {
		return
	}
	entries, err := pr.FS.ReadDir(pr.Dir)
	if err != nil {
		return
	}
	want := in.Module.Ext + ".pyi"
	var stubs []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".pyi") {
			if e.Name() == want {
				return
			}
			stubs = append(stubs, e.Name())
		}
	}
	for _, s := range stubs {
		p.Report(Diagnostic{Location: Location{Path: filepath.Join(pr.Dir, s)},
			Related: []Related{{Location: in.Module.Loc, Message: fmt.Sprintf("the module name %q is set here", in.Module.Full)}},
			Message: fmt.Sprintf("type stub %s is not packaged: maturin only includes %s for the module %q", s, want, in.Module.Full),
			Help:    fmt.Sprintf("rename %s to %s", s, want)})
	}
}

var ruleL005 = &Rule{
	Code: "L005", Name: "python-packages-missing", Severity: Warning,
	Summary: "A python-packages entry names no directory",
	Doc: `What: an entry of [tool.maturin] python-packages has no directory (or file: "helper.py" ships the
single module) of that name in the Python source root.

Why: maturin skips missing entries silently (module_writer), so the package you meant to ship
is not in the wheel.

Fix: correct the name or create the package.

Versions: maturin 1.x.`,
	Maturin1: true,
	Run:      runL005,
}

func runL005(p *Pass) {
	pr := p.Project
	pp := pr.Pyproject
	if pp == nil || !pr.IsDir(pr.PythonRoot) {
		return
	}
	for _, e := range pp.PythonPackages {
		// maturin ships every file under python-source/<entry> (module_writer
		// write_python_part: absolute.starts_with(package)), so a single
		// module file such as "helper.py" is shipped too.
		if at := filepath.Join(pr.PythonRoot, filepath.FromSlash(e.Value)); pr.IsDir(at) || pr.IsFile(at) {
			continue
		}
		p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: e.Range},
			Message: fmt.Sprintf("python-packages entry %q: no directory %s; maturin silently leaves it out of the wheel", e.Value, pr.Rel(filepath.Join(pr.PythonRoot, e.Value)))})
	}
}

var ruleL006 = &Rule{
	Code: "L006", Name: "dotted-name-without-package", Severity: Error,
	Summary: "A dotted module name without its Python package",
	Doc: `What: module-name = "pkg._core" (a dotted name) but there is no pkg/ Python package in the
Python source root.

Why: without the package directory maturin uses a pure-Rust layout and drops the prefix
(binding_generator generate_binding): the wheel ships a top-level "_core" package, and
"import pkg._core" fails with ModuleNotFoundError: No module named 'pkg'.

Fix: create pkg/__init__.py (usually "from ._core import *"), or set python-source to where
pkg/ lives, or use an undotted module name.

Versions: maturin 1.x.`,
	Maturin1: true,
	Run:      runL006,
}

func runL006(p *Pass) {
	in := p.Info()
	pr := p.Project
	if pr.Pyproject == nil || pr.Pyproject.PythonSource != nil || !in.Module.Set || !strings.Contains(in.Module.Full, ".") || in.Bindings == "bin" {
		return
	}
	l := in.Layout()
	if l.Mixed {
		return
	}
	p.Report(Diagnostic{Location: in.Module.Loc,
		Message: fmt.Sprintf("module name %q is dotted but there is no %s/ package: maturin drops the prefix and installs a top-level %q, so `import %s` fails", in.Module.Full, pr.Rel(l.PkgDir), in.Module.Ext, in.Module.Full),
		Help:    fmt.Sprintf("create %s/__init__.py, or set python-source to the directory holding %s/", pr.Rel(l.PkgDir), l.FirstPart)})
}

// includesIntoWheel reports whether a [tool.maturin] include pattern that
// applies to wheels (a plain string, or a table whose format names "wheel")
// starts with a segment matching the top-level directory pkg: maturin then
// ships pkg's files through include even though the layout leaves it out.
func includesIntoWheel(mat *tomldoc.Entry, pkg string) bool {
	if mat == nil || !mat.Value.IsTable() {
		return false
	}
	inc := mat.Value.Get("include")
	if inc == nil || inc.Value.Kind != tomldoc.Array {
		return false
	}
	for _, v := range inc.Value.Arr {
		pat, ok := v.AsString()
		if !ok && v.IsTable() {
			var ps tomldoc.Str
			ps, ok = tomldoc.StrOf(v.Get("path"))
			pat = ps.Value
			f := v.Get("format")
			if !ok || f == nil || v.Get("from") != nil {
				continue
			}
			wheel := false
			if s, isStr := f.Value.AsString(); isStr {
				wheel = s == "wheel"
			} else if f.Value.Kind == tomldoc.Array {
				for _, x := range f.Value.Arr {
					if s, _ := x.AsString(); s == "wheel" {
						wheel = true
					}
				}
			}
			if !wheel {
				continue
			}
		}
		if !ok {
			continue
		}
		first, rest, _ := strings.Cut(pat, "/")
		if first == "**" {
			return true
		}
		if m, err := path.Match(first, pkg); err == nil && m && rest != "" {
			return true
		}
	}
	return false
}
