package boundary

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/pysrc"
)

// Layout says where the extension lives on the Python side.
type Layout struct {
	Module     string // "pkg._core"
	Mixed      bool   // a Python package directory exists (mixed Rust/Python layout)
	PythonRoot string // where maturin looks for the package
	PkgDir     string // <PythonRoot>/<first component> in a mixed layout
}

// Side is what the Python side says about the extension.
type Side struct {
	Layout
	// Stub is the extension's .pyi (nil if none); StubPath is where it is
	// looked for first.
	Stub     *project.SourceFile
	StubPath string
	// PyTyped: the package (or, in a pure layout, maturin) ships py.typed.
	PyTyped bool
	// Shadowed: a Python module or package of the same name sits where the
	// extension goes (L003 reports it); imports then do not reach the extension.
	Shadowed bool
	// Importers are the package's .py files that import from the extension.
	Importers []Importer
	// Truncated: the package has more files than were read.
	Truncated bool
}

// Importer is one Python file importing names from the extension.
type Importer struct {
	File    *project.SourceFile
	Dotted  string // the importing module's dotted name
	Imports []*pysrc.Import
}

// maxPyFiles bounds the package files read per project.
const maxPyFiles = 5000

// ReadSide reads the Python side of the extension described by l.
func ReadSide(p *project.Project, l Layout) *Side {
	s := &Side{Layout: l}
	parts := strings.Split(l.Module, ".")
	ext := parts[len(parts)-1]
	if !l.Mixed {
		s.StubPath = filepath.Join(p.Dir, ext+".pyi")
		if p.IsFile(s.StubPath) {
			s.Stub = p.PythonFile(s.StubPath)
			s.PyTyped = s.Stub != nil
		}
		return s
	}
	dir := filepath.Join(append([]string{l.PythonRoot}, parts[:len(parts)-1]...)...)
	if len(parts) == 1 {
		dir = l.PkgDir
	}
	s.StubPath = filepath.Join(dir, ext+".pyi")
	for _, c := range []string{s.StubPath, filepath.Join(dir, ext, "__init__.pyi")} {
		if p.IsFile(c) {
			s.Stub, s.StubPath = p.PythonFile(c), c
			break
		}
	}
	if p.IsFile(filepath.Join(dir, ext+".py")) || p.IsFile(filepath.Join(dir, ext, "__init__.py")) {
		s.Shadowed = true
	}
	s.PyTyped = p.IsFile(filepath.Join(l.PkgDir, "py.typed"))
	s.readImporters(p)
	return s
}

// readImporters walks the package for .py files that import from the extension.
func (s *Side) readImporters(p *project.Project) {
	parts := strings.Split(s.Module, ".")
	extName := parts[len(parts)-1]
	ext := []byte(extName)
	count := 0
	var walk func(dir, dotted string, depth int)
	walk = func(dir, dotted string, depth int) {
		if depth > 32 || count >= maxPyFiles {
			s.Truncated = s.Truncated || count >= maxPyFiles
			return
		}
		entries, err := p.FS.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") || name == "__pycache__" {
				continue
			}
			path := filepath.Join(dir, name)
			if e.IsDir() || e.Type()&fs.ModeSymlink != 0 && p.IsDir(path) {
				if e.Type()&fs.ModeSymlink != 0 || !isIdent(name) {
					continue
				}
				walk(path, dotted+"."+name, depth+1)
				continue
			}
			if !strings.HasSuffix(name, ".py") {
				continue
			}
			count++
			if count > maxPyFiles {
				s.Truncated = true
				return
			}
			// Cheap filter: a file that never mentions the extension's name
			// cannot import from it.
			var src []byte
			if f := p.PythonSource(path); f != nil {
				src = f.Src
			} else if b, err := p.FS.ReadFile(path); err == nil {
				src = b
			}
			if !bytes.Contains(src, ext) {
				continue
			}
			// Outside a package directory named like the extension, a
			// from-import reaches it only through a module path ending in
			// its name (`from ._core import`, `from pkg._core import`):
			// skip parsing files that have none.
			if inExt := dotted == s.Module || strings.HasPrefix(dotted, s.Module+"."); !inExt && !pysrc.MayImportFrom(src, extName) {
				continue
			}
			f := p.PythonFile(path)
			if f == nil {
				continue
			}
			mod := dotted
			isInit := name == "__init__.py"
			if !isInit {
				mod = dotted + "." + strings.TrimSuffix(name, ".py")
			}
			var imps []*pysrc.Import
			// Only the imports matter here: the definitions are parsed
			// when something asks for them (f.Python()).
			m := f.PythonImports()
			for i := range m.Imports {
				im := &m.Imports[i]
				if !im.From {
					continue
				}
				if resolveFrom(mod, isInit, im) == s.Module {
					imps = append(imps, im)
				}
			}
			if len(imps) > 0 {
				s.Importers = append(s.Importers, Importer{File: f, Dotted: mod, Imports: imps})
			}
		}
	}
	walk(s.PkgDir, parts[0], 0)
	sort.Slice(s.Importers, func(i, j int) bool { return s.Importers[i].File.Path < s.Importers[j].File.Path })
}

// resolveFrom returns the absolute module a from-import names, written in
// module mod (a package when isInit).
func resolveFrom(mod string, isInit bool, im *pysrc.Import) string {
	if im.Level == 0 {
		return im.Module
	}
	base := strings.Split(mod, ".")
	if !isInit {
		base = base[:len(base)-1]
	}
	up := im.Level - 1
	if up > len(base) || up < 0 {
		return ""
	}
	base = base[:len(base)-up]
	if len(base) == 0 {
		return ""
	}
	out := strings.Join(base, ".")
	if im.Module != "" {
		out += "." + im.Module
	}
	return out
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// ModuleOf returns the dotted module name of a .py/.pyi file under the
// package directory (isInit for a package's __init__), ok false outside it.
func (s *Side) ModuleOf(path string) (dotted string, isInit bool, ok bool) {
	if !s.Mixed || s.PkgDir == "" {
		return "", false, false
	}
	rel, err := filepath.Rel(s.PythonRoot, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", false, false
	}
	rel = filepath.ToSlash(rel)
	base := strings.TrimSuffix(strings.TrimSuffix(rel, ".pyi"), ".py")
	if base == rel {
		return "", false, false
	}
	parts := strings.Split(base, "/")
	if parts[len(parts)-1] == "__init__" {
		return strings.Join(parts[:len(parts)-1], "."), true, len(parts) > 1
	}
	return strings.Join(parts, "."), false, true
}

// ImportsExtension reports whether the from-import im, written in the
// module file at path, imports from the extension.
func (s *Side) ImportsExtension(path string, im *pysrc.Import) bool {
	if !im.From {
		return false
	}
	if im.Level == 0 {
		return im.Module == s.Module
	}
	mod, isInit, ok := s.ModuleOf(path)
	if !ok {
		return false
	}
	return resolveFrom(mod, isInit, im) == s.Module
}

// IsStub reports whether path is the extension's stub.
func (s *Side) IsStub(path string) bool { return s.Stub != nil && s.Stub.Path == filepath.Clean(path) }
