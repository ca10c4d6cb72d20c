// Package pyproject reads the parts of pyproject.toml that maturin and
// pyo3-ls use, as typed values that keep their source ranges.
package pyproject

import (
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// Str is a string value with ranges.
type Str = tomldoc.Str

// Feature is one entry of [tool.maturin] features: a plain string or a
// conditional table { feature, python-version, python-implementation }.
type Feature struct {
	Name                 Str
	PythonVersion        *Str
	PythonImplementation *Str
}

// Conditional reports whether the feature applies only to some interpreters.
func (f Feature) Conditional() bool { return f.PythonVersion != nil || f.PythonImplementation != nil }

// File is a parsed pyproject.toml.
type File struct {
	Path string
	Doc  *tomldoc.Document

	BuildSystem  *tomldoc.Entry
	BuildBackend *Str
	Requires     []Str

	Project        *tomldoc.Entry
	Name           *Str
	Version        *Str
	Dynamic        []Str
	RequiresPython *Str
	Classifiers    []Str

	Tool    *tomldoc.Entry // [tool]
	Maturin *tomldoc.Entry // [tool.maturin]

	ModuleName      *Str
	PythonSource    *Str
	ManifestPath    *Str
	Bindings        *Str
	Data            *Str
	Profile         *Str
	EditableProfile *Str
	PythonPackages  []Str
	Features        []Feature

	Config *tomldoc.Entry // [tool.pyo3-ls]
}

// FromDoc builds the model from a parsed document. Values of the wrong type
// are left out (rule T002 reports them).
func FromDoc(path string, doc *tomldoc.Document) *File {
	f := &File{Path: path, Doc: doc}
	var sl tomldoc.StrSlab
	strp := sl.Ptr
	root := doc.Root
	if bs := root.Get("build-system"); bs != nil && bs.Value.IsTable() {
		f.BuildSystem = bs
		f.BuildBackend = strp(bs.Value.Get("build-backend"))
		f.Requires = tomldoc.StrsOf(bs.Value.Get("requires"))
	}
	if p := root.Get("project"); p != nil && p.Value.IsTable() {
		f.Project = p
		pv := p.Value
		f.Name = strp(pv.Get("name"))
		f.Version = strp(pv.Get("version"))
		f.Dynamic = tomldoc.StrsOf(pv.Get("dynamic"))
		f.RequiresPython = strp(pv.Get("requires-python"))
		f.Classifiers = tomldoc.StrsOf(pv.Get("classifiers"))
	}
	if t := root.Get("tool"); t != nil && t.Value.IsTable() {
		f.Tool = t
		if m := t.Value.Get("maturin"); m != nil && m.Value.IsTable() {
			f.Maturin = m
			mv := m.Value
			f.ModuleName = strp(mv.Get("module-name"))
			f.PythonSource = strp(mv.Get("python-source"))
			f.ManifestPath = strp(mv.Get("manifest-path"))
			f.Bindings = strp(mv.Get("bindings"))
			f.Data = strp(mv.Get("data"))
			f.Profile = strp(mv.Get("profile"))
			f.EditableProfile = strp(mv.Get("editable-profile"))
			f.PythonPackages = tomldoc.StrsOf(mv.Get("python-packages"))
			if fe := mv.Get("features"); fe != nil && fe.Value.Kind == tomldoc.Array {
				for _, v := range fe.Value.Arr {
					switch v.Kind {
					case tomldoc.String:
						f.Features = append(f.Features, Feature{Name: Str{Value: v.Str, Range: v.Range}})
					case tomldoc.Table:
						name, ok := tomldoc.StrOf(v.Get("feature"))
						if !ok {
							continue
						}
						f.Features = append(f.Features, Feature{Name: name, PythonVersion: strp(v.Get("python-version")), PythonImplementation: strp(v.Get("python-implementation"))})
					}
				}
			}
		}
		if c := t.Value.Get("pyo3-ls"); c != nil && c.Value.IsTable() {
			f.Config = c
		}
	}
	return f
}

// IsMaturinBackend reports whether build-backend is "maturin".
func (f *File) IsMaturinBackend() bool {
	return f.BuildBackend != nil && f.BuildBackend.Value == "maturin"
}

// IsMaturinProject reports whether maturin builds this project: its
// build-backend is maturin, or it has a [tool.maturin] table.
func (f *File) IsMaturinProject() bool { return f.IsMaturinBackend() || f.Maturin != nil }

// InDynamic reports whether field is listed in [project] dynamic.
func (f *File) InDynamic(field string) (Str, bool) {
	for _, d := range f.Dynamic {
		if d.Value == field {
			return d, true
		}
	}
	return Str{}, false
}

// NormalizeName is PEP 503 normalisation with '_' as separator, as used for
// package directories: runs of -, _, . become _, lower-cased.
func NormalizeName(name string) string {
	var b strings.Builder
	prevSep := false
	for _, r := range strings.ToLower(name) {
		if r == '-' || r == '_' || r == '.' {
			if !prevSep {
				b.WriteByte('_')
			}
			prevSep = true
			continue
		}
		prevSep = false
		b.WriteRune(r)
	}
	return b.String()
}

// FreeThreadedClassifier returns the first "Programming Language :: Python ::
// Free Threading :: N - ..." classifier above "1 - Unstable", if any.
func (f *File) FreeThreadedClassifier() (Str, bool) {
	const prefix = "Programming Language :: Python :: Free Threading :: "
	for _, c := range f.Classifiers {
		rest, ok := strings.CutPrefix(c.Value, prefix)
		if !ok || rest == "" {
			continue
		}
		if rest[0] >= '2' && rest[0] <= '9' {
			return c, true
		}
	}
	return Str{}, false
}
