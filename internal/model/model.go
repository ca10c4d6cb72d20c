// Package model computes, once per snapshot, what a maturin project is:
// the module name and its source, the #[pymodule]s, the bindings, the PyO3
// dependency with its resolved version and source, the abi3 floor, the
// enabled features, the layout and the wheel location, and the extension's
// Python-visible exports (exports.go). Values are typed; nothing here
// reports a finding.
//
// The pipeline: files (internal/project: snapshot) → parse (tomldoc,
// rustsrc, pysrc, cargo, pyproject) → model (this package) → rules
// (internal/analysis) → report (internal/report) / server (internal/server).
package model

import (
	"path/filepath"
	"strings"
	"sync"

	"github.com/pyo3-ls/pyo3-ls/internal/boundary"
	"github.com/pyo3-ls/pyo3-ls/internal/cargo"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/rustsrc"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// Location is a range in a file.
type Location struct {
	Path  string
	Range span.Range
}

func boolKey(v *tomldoc.Value, key string) (bool, bool) { return tomldoc.BoolOf(v.Get(key)) }

// ModuleSource is where the module name comes from, in maturin's order of
// precedence (project_layout.rs).
type ModuleSource string

const (
	FromModuleName  ModuleSource = "tool.maturin.module-name"
	FromLibName     ModuleSource = "lib.name"
	FromProjectName ModuleSource = "project.name"
	FromPackageName ModuleSource = "package.name"
)

// Label names the source for messages: "[tool.maturin] module-name"...
func (s ModuleSource) Label() string {
	switch s {
	case FromModuleName:
		return "[tool.maturin] module-name"
	case FromLibName:
		return "Cargo.toml [lib] name"
	case FromProjectName:
		return "[project] name"
	case FromPackageName:
		return "Cargo.toml [package] name"
	}
	return string(s)
}

// Bindings is the bridge maturin builds with ([tool.maturin] bindings or
// detected from the manifest, bridge/detection.rs); "" when unknown. An
// explicit value maturin does not know is kept as written.
type Bindings string

const (
	BindingsPyO3    Bindings = "pyo3"
	BindingsPyO3FFI Bindings = "pyo3-ffi"
	BindingsUniFFI  Bindings = "uniffi"
	BindingsCFFI    Bindings = "cffi"
	BindingsBin     Bindings = "bin"
)

// ModuleName is the Python module name maturin resolves, and where it came from.
type ModuleName struct {
	Full   string // e.g. "pkg._core"
	Ext    string // the extension name: the last dotted component
	Source ModuleSource
	Loc    Location
	Set    bool // false when nothing names the module
}

// PyModule is one #[pymodule] found in the library's sources.
type PyModule struct {
	File   *project.SourceFile
	Module *rustsrc.Module
}

// TopLevel reports whether PyO3 exports a PyInit_ symbol for it.
func (m PyModule) TopLevel() bool { return !m.Module.Submodule && !m.Module.Nested }

// PyO3Dep is the crate's dependency on pyo3 (or pyo3-ffi), merged with the
// workspace's [workspace.dependencies] entry when inherited.
type PyO3Dep struct {
	Dep       *cargo.Dep // the crate's own declaration
	WSDep     *cargo.Dep // [workspace.dependencies] entry when Dep.Workspace
	Manifest  *project.SourceFile
	Package   string // "pyo3" or "pyo3-ffi"
	Version   *tomldoc.Str
	VersionIn *project.SourceFile
	Features  []FeatureRef
	Path, Git bool
}

// FeatureRef is a feature name with where it was enabled.
type FeatureRef struct {
	Name string
	Loc  Location
}

// Project is what a maturin project is, computed once per snapshot from
// its files: the module name and where it comes from, the #[pymodule]s, the
// PyO3 dependency and resolved version, the bindings, the abi3 floor, the
// enabled features, the layout and the wheel location, and (Exports) the
// Python-visible exports of the extension with the package's Python side.
// The rules (internal/analysis) and the server's hovers read it; neither
// recomputes these facts.
type Project struct {
	Snapshot *project.Project
	Module   ModuleName
	Modules  []PyModule
	PyO3     *PyO3Dep // pyo3 if present, else pyo3-ffi, else nil
	// Bindings is the bridge maturin would use: explicit [tool.maturin]
	// bindings, or detected: pyo3 / pyo3-ffi / uniffi / cffi / bin; "" unknown.
	Bindings         Bindings
	BindingsExplicit bool

	versionOnce sync.Once
	version     *PyO3Version
	featOnce    sync.Once
	features    []FeatureUse
	layoutOnce  sync.Once
	lay         Layout
	bndOnce     sync.Once
	bnd         *Boundary
	sideOnce    sync.Once
	side        *boundary.Side
	reachOnce   sync.Once
	reach       []*cargo.LockPackage
}

// Reachable returns the Cargo.lock packages reachable from the crate
// (cargo.Lock.Reachable of its package name), computed once; nil without a
// lock or a package name.
func (in *Project) Reachable() []*cargo.LockPackage {
	in.reachOnce.Do(func() {
		if p := in.Snapshot; p.Lock != nil && p.Manifest != nil && p.Manifest.Name != nil {
			in.reach = p.Lock.Reachable(p.Manifest.Name.Value)
		}
	})
	return in.reach
}

// New computes the model of a snapshot.
func New(p *project.Project) *Project {
	in := &Project{Snapshot: p}
	in.Module = resolveModuleName(p)
	for _, f := range p.RustFiles {
		for i := range f.Rust.Modules {
			in.Modules = append(in.Modules, PyModule{File: f, Module: &f.Rust.Modules[i]})
		}
	}
	in.PyO3 = findPyO3(p)
	in.Bindings, in.BindingsExplicit = detectBindings(p, in.PyO3)
	return in
}

// resolveModuleName follows maturin's precedence (project_layout.rs):
// [tool.maturin] module-name › explicit Cargo [lib] name › [project] name › [package] name.
func resolveModuleName(p *project.Project) ModuleName {
	var mn ModuleName
	set := func(s *tomldoc.Str, src ModuleSource, f *project.SourceFile) bool {
		if s == nil || f == nil {
			return false
		}
		mn = ModuleName{Full: s.Value, Source: src, Loc: Location{Path: f.Path, Range: s.Range}, Set: true}
		return true
	}
	pp := p.Pyproject
	m := p.Manifest
	switch {
	case pp != nil && set(pp.ModuleName, FromModuleName, p.PyprojectFile):
	case m != nil && set(m.LibName, FromLibName, p.ManifestFile):
	case pp != nil && set(pp.Name, FromProjectName, p.PyprojectFile):
	case m != nil && set(m.Name, FromPackageName, p.ManifestFile):
	}
	if mn.Set {
		mn.Ext = mn.Full
		if i := strings.LastIndexByte(mn.Full, '.'); i >= 0 {
			mn.Ext = mn.Full[i+1:]
		}
	}
	return mn
}

func findPyO3(p *project.Project) *PyO3Dep {
	m := p.Manifest
	if m == nil {
		return nil
	}
	for _, pkg := range []string{"pyo3", "pyo3-ffi"} {
		for _, d := range m.FindDeps(pkg) {
			if d.Kind != cargo.Normal {
				continue
			}
			pd := &PyO3Dep{Dep: d, Manifest: p.ManifestFile, Package: pkg, Version: d.Version, VersionIn: p.ManifestFile}
			for _, f := range d.Features {
				pd.Features = append(pd.Features, FeatureRef{f.Value, Location{p.ManifestFile.Path, f.Range}})
			}
			pd.Path, pd.Git = d.Path != nil, d.Git != nil
			// The workspace root may be this very manifest ([workspace] and
			// [package] in one file): p.Workspace is nil then.
			ws, wsFile := p.Workspace, p.WorkspaceFile
			if ws == nil && m.Workspace != nil {
				ws, wsFile = m, p.ManifestFile
			}
			if d.Workspace && ws != nil && wsFile != nil {
				if w := ws.WorkspaceDep(d.Key); w != nil {
					pd.WSDep = w
					pd.Version, pd.VersionIn = w.Version, wsFile
					pd.Path, pd.Git = w.Path != nil, w.Git != nil
					for _, f := range w.Features {
						pd.Features = append(pd.Features, FeatureRef{f.Value, Location{wsFile.Path, f.Range}})
					}
				}
			}
			return pd
		}
	}
	return nil
}

// detectBindings mirrors maturin's bridge detection (bridge/detection.rs) as
// far as the manifest shows it.
func detectBindings(p *project.Project, py *PyO3Dep) (Bindings, bool) {
	if pp := p.Pyproject; pp != nil && pp.Bindings != nil {
		return Bindings(pp.Bindings.Value), true
	}
	m := p.Manifest
	if m == nil {
		return "", false
	}
	if py != nil {
		if !m.HasCrateType("cdylib") && HasBinTarget(p) {
			return BindingsBin, false
		}
		return Bindings(py.Package), false
	}
	if len(m.FindDeps("uniffi")) > 0 {
		return BindingsUniFFI, false
	}
	if m.HasCrateType("cdylib") {
		return BindingsCFFI, false
	}
	if HasBinTarget(p) {
		return BindingsBin, false
	}
	return "", false
}

// UsesPyO3Bindings reports whether maturin builds a PyO3 extension module.
func (in *Project) UsesPyO3Bindings() bool {
	return in.Bindings == BindingsPyO3 || in.Bindings == BindingsPyO3FFI
}

// HasFeature reports whether the pyo3 dependency enables feature f directly
// (in its features list) or through [tool.maturin] features ("pyo3/f").
func (in *Project) HasFeature(f string) bool {
	if in.PyO3 == nil {
		return false
	}
	for _, x := range in.PyO3.Features {
		if x.Name == f {
			return true
		}
	}
	return false
}

// HasBinTarget reports whether the crate has a binary target: a [[bin]] table
// or cargo's auto-discovered src/main.rs (unless autobins = false).
func HasBinTarget(p *project.Project) bool {
	m := p.Manifest
	if len(m.Bins) > 0 {
		return true
	}
	if m.Package != nil {
		if ab, ok := tomldoc.BoolOf(m.Package.Value.Get("autobins")); ok && !ab {
			return false
		}
	}
	return p.IsFile(filepath.Join(filepath.Dir(p.ManifestPath), "src", "main.rs"))
}
