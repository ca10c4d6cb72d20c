package project

import (
	"sync"

	"github.com/pyo3-ls/pyo3-ls/internal/pysrc"
)

// pythonFiles are the Python sources and stubs a project's rules read, in
// the order first read.
type pythonFiles struct {
	loader *Loader
	mu     sync.Mutex
	files  []*SourceFile
	seen   map[string]bool
}

// Python returns the file's Python reading (parsed once; nil for an unreadable file).
func (f *SourceFile) Python() *pysrc.Module {
	if f == nil || f.ReadErr != nil {
		return nil
	}
	f.pyOnce.Do(func() { f.py = pysrc.Parse(f.Src) })
	return f.py
}

// PythonImports returns a module with only the file's imports
// (pysrc.ParseImports: the same Imports as Python's, much cheaper to get),
// parsed once.
func (f *SourceFile) PythonImports() *pysrc.Module {
	if f == nil || f.ReadErr != nil {
		return nil
	}
	f.pyImpOnce.Do(func() { f.pyImp = pysrc.ParseImports(f.Src) })
	return f.pyImp
}

// Python reads a Python file (cached like every other file).
func (l *Loader) Python(path string) *SourceFile { return l.read(path, 'p').file }

// PythonSource reads a Python file through the loader (cached) without
// recording it among the project's files; nil when it cannot be read.
func (p *Project) PythonSource(path string) *SourceFile {
	if p.python.loader == nil {
		return nil
	}
	f := p.python.loader.Python(path)
	if f.ReadErr != nil {
		return nil
	}
	return f
}

// PythonFile reads a .py or .pyi file of the project through the loader and
// records it among the project's files (so diagnostics in it carry
// positions). It returns nil when the file cannot be read.
func (p *Project) PythonFile(path string) *SourceFile {
	var f *SourceFile
	if p.python.loader != nil {
		f = p.python.loader.Python(path)
	} else {
		src, err := p.FS.ReadFile(path)
		f = &SourceFile{Path: path, Src: src, ReadErr: err}
	}
	if f.ReadErr != nil {
		return nil
	}
	pf := &p.python
	pf.mu.Lock()
	if pf.seen == nil {
		pf.seen = map[string]bool{}
	}
	if !pf.seen[f.Path] {
		pf.seen[f.Path] = true
		pf.files = append(pf.files, f)
	}
	pf.mu.Unlock()
	return f
}

// PythonFiles returns the Python files read so far.
func (p *Project) PythonFiles() []*SourceFile {
	pf := &p.python
	pf.mu.Lock()
	defer pf.mu.Unlock()
	return append([]*SourceFile(nil), pf.files...)
}
