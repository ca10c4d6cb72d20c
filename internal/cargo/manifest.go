// Package cargo reads Cargo.toml manifests (package, lib, bins, dependencies
// including renamed, workspace-inherited and target-specific ones, features,
// profiles, workspace) and Cargo.lock, keeping source ranges.
package cargo

import (
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// Str is a string value with ranges.
type Str = tomldoc.Str

// DepKind is the dependency table a dependency comes from.
type DepKind uint8

const (
	Normal DepKind = iota
	Dev
	Build
)

// Dep is one dependency declaration.
type Dep struct {
	Key             string // the key in the table (the name the crate uses)
	Package         string // the real package name (package = "..." or Key)
	KeyRange        tomldoc.Range
	Entry           *tomldoc.Entry
	Version         *Str
	Features        []Str
	FeaturesEntry   *tomldoc.Entry
	Optional        bool
	DefaultFeatures bool
	Workspace       bool // x.workspace = true
	Path            *Str
	Git             *Str
	Kind            DepKind
	Target          string // cfg(...) or triple for [target.X.dependencies]
}

// Feature is a [features] entry.
type Feature struct {
	Name    string
	Entry   *tomldoc.Entry
	Enables []Str
}

// Manifest is a parsed Cargo.toml.
type Manifest struct {
	Path string
	Doc  *tomldoc.Document

	Package          *tomldoc.Entry
	Name             *Str
	Version          *Str
	VersionWorkspace bool

	Lib        *tomldoc.Entry
	LibName    *Str
	CrateTypes []Str
	LibPath    *Str
	Bins       []*tomldoc.Value

	Deps     []Dep
	Features map[string]*Feature
	Profiles map[string]*tomldoc.Entry

	MetadataMaturin *tomldoc.Entry // [package.metadata.maturin]

	Workspace        *tomldoc.Entry
	Members          []Str
	Exclude          []Str
	WorkspaceDeps    []Dep
	WorkspacePackage *tomldoc.Entry
}

// FromDoc builds the model from a parsed Cargo.toml.
func FromDoc(path string, doc *tomldoc.Document) *Manifest {
	m := &Manifest{Path: path, Doc: doc, Features: map[string]*Feature{}, Profiles: map[string]*tomldoc.Entry{}}
	var sl tomldoc.StrSlab
	strp := sl.Ptr
	root := doc.Root
	if p := root.Get("package"); p != nil && p.Value.IsTable() {
		m.Package = p
		m.Name = strp(p.Value.Get("name"))
		if v := p.Value.Get("version"); v != nil {
			m.Version = strp(v)
			if v.Value.IsTable() {
				if w, ok := tomldoc.BoolOf(v.Value.Get("workspace")); ok && w {
					m.VersionWorkspace = true
				}
			}
		}
		if md := p.Value.Lookup("metadata", "maturin"); md != nil && md.Value.IsTable() {
			m.MetadataMaturin = md
		}
	}
	if l := root.Get("lib"); l != nil && l.Value.IsTable() {
		m.Lib = l
		m.LibName = strp(l.Value.Get("name"))
		m.LibPath = strp(l.Value.Get("path"))
		ct := l.Value.Get("crate-type")
		if ct == nil {
			ct = l.Value.Get("crate_type")
		}
		m.CrateTypes = tomldoc.StrsOf(ct)
	}
	if b := root.Get("bin"); b != nil {
		m.Bins = b.Value.Tables()
	}
	addDeps := func(tbl *tomldoc.Value, target string) {
		for _, kind := range []struct {
			key  string
			kind DepKind
		}{{"dependencies", Normal}, {"dev-dependencies", Dev}, {"dev_dependencies", Dev}, {"build-dependencies", Build}, {"build_dependencies", Build}} {
			if d := tbl.Get(kind.key); d != nil && d.Value.IsTable() {
				m.Deps = append(m.Deps, depsOf(&sl, d.Value, kind.kind, target)...)
			}
		}
	}
	addDeps(root, "")
	if t := root.Get("target"); t != nil && t.Value.IsTable() {
		for _, e := range t.Value.Table.Entries {
			if e.Value.IsTable() {
				addDeps(e.Value, e.Key)
			}
		}
	}
	if f := root.Get("features"); f != nil && f.Value.IsTable() {
		for _, e := range f.Value.Table.Entries {
			m.Features[e.Key] = &Feature{Name: e.Key, Entry: e, Enables: tomldoc.StrsOf(e)}
		}
	}
	if p := root.Get("profile"); p != nil && p.Value.IsTable() {
		for _, e := range p.Value.Table.Entries {
			m.Profiles[e.Key] = e
		}
	}
	if w := root.Get("workspace"); w != nil && w.Value.IsTable() {
		m.Workspace = w
		m.Members = tomldoc.StrsOf(w.Value.Get("members"))
		m.Exclude = tomldoc.StrsOf(w.Value.Get("exclude"))
		if d := w.Value.Get("dependencies"); d != nil && d.Value.IsTable() {
			m.WorkspaceDeps = depsOf(&sl, d.Value, Normal, "")
		}
		if p := w.Value.Get("package"); p != nil && p.Value.IsTable() {
			m.WorkspacePackage = p
		}
	}
	return m
}

func depsOf(sl *tomldoc.StrSlab, tbl *tomldoc.Value, kind DepKind, target string) []Dep {
	out := make([]Dep, 0, len(tbl.Table.Entries))
	for _, e := range tbl.Table.Entries {
		d := Dep{Key: e.Key, Package: e.Key, KeyRange: e.KeyRange, Entry: e, Kind: kind, Target: target, DefaultFeatures: true}
		switch e.Value.Kind {
		case tomldoc.String:
			d.Version = sl.New(Str{Value: e.Value.Str, Range: e.Value.Range, KeyRange: e.KeyRange})
		case tomldoc.Table:
			v := e.Value
			if p, ok := tomldoc.StrOf(v.Get("package")); ok {
				d.Package = p.Value
			}
			d.Version = sl.Ptr(v.Get("version"))
			if fe := v.Get("features"); fe != nil {
				d.Features = tomldoc.StrsOf(fe)
				d.FeaturesEntry = fe
			}
			d.Optional, _ = tomldoc.BoolOf(v.Get("optional"))
			if df, ok := tomldoc.BoolOf(v.Get("default-features")); ok {
				d.DefaultFeatures = df
			} else if df, ok := tomldoc.BoolOf(v.Get("default_features")); ok {
				d.DefaultFeatures = df
			}
			d.Workspace, _ = tomldoc.BoolOf(v.Get("workspace"))
			d.Path = sl.Ptr(v.Get("path"))
			d.Git = sl.Ptr(v.Get("git"))
		default:
			continue
		}
		out = append(out, d)
	}
	return out
}

// EffectiveLibName is the library's crate name: [lib] name, else the package
// name with '-' replaced by '_'.
func (m *Manifest) EffectiveLibName() string {
	if m.LibName != nil {
		return m.LibName.Value
	}
	if m.Name != nil {
		return strings.ReplaceAll(m.Name.Value, "-", "_")
	}
	return ""
}

// HasCrateType reports whether [lib] crate-type contains t.
func (m *Manifest) HasCrateType(t string) bool {
	for _, c := range m.CrateTypes {
		if c.Value == t {
			return true
		}
	}
	return false
}

// FindDeps returns the dependencies whose package is pkg (renamed ones included).
func (m *Manifest) FindDeps(pkg string) []*Dep {
	var out []*Dep
	for i := range m.Deps {
		if m.Deps[i].Package == pkg {
			out = append(out, &m.Deps[i])
		}
	}
	return out
}

// DepByKey returns a normal dependency by its key (the name used in features' dep/feat).
func (m *Manifest) DepByKey(key string) *Dep {
	for i := range m.Deps {
		if m.Deps[i].Key == key && m.Deps[i].Kind == Normal {
			return &m.Deps[i]
		}
	}
	return nil
}

// WorkspaceDep returns [workspace.dependencies] key, or nil.
func (m *Manifest) WorkspaceDep(key string) *Dep {
	for i := range m.WorkspaceDeps {
		if m.WorkspaceDeps[i].Key == key {
			return &m.WorkspaceDeps[i]
		}
	}
	return nil
}
