package project

import (
	"path/filepath"
	"sync"

	"github.com/pyo3-ls/pyo3-ls/internal/cargo"
	"github.com/pyo3-ls/pyo3-ls/internal/pyproject"
	"github.com/pyo3-ls/pyo3-ls/internal/pysrc"
	"github.com/pyo3-ls/pyo3-ls/internal/rustsrc"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// SourceFile is one file read for analysis.
type SourceFile struct {
	Path    string
	Src     []byte
	ReadErr error          // the file could not be read (missing, too large, permission...)
	TOMLErr *tomldoc.Error // the first syntax error of a TOML file that does not parse (all: Doc.Errors)
	// Doc is the parsed TOML file; when TOMLErr is set, it holds what could
	// be read around the errors (tomldoc.Parse recovers like taplo).
	Doc  *tomldoc.Document
	Rust *rustsrc.File

	linesOnce sync.Once
	lines     *span.Lines

	pyOnce sync.Once
	py     *pysrc.Module
}

// Lines returns the file's line index (built once).
func (f *SourceFile) Lines() *span.Lines {
	f.linesOnce.Do(func() { f.lines = span.NewLines(f.Src) })
	return f.lines
}

// Loader reads and parses each file once, however many projects ask for it.
// It is safe for concurrent use.
type Loader struct {
	FS FS

	mu    sync.Mutex
	files map[string]*entry
}

type entry struct {
	once sync.Once
	file *SourceFile

	// models derived from the document, built once
	modelOnce sync.Once
	pyproject *pyproject.File
	manifest  *cargo.Manifest
	lock      *cargo.Lock
}

// NewLoader returns a loader reading through fsys.
func NewLoader(fsys FS) *Loader { return &Loader{FS: fsys, files: map[string]*entry{}} }

func (l *Loader) entry(path string) *entry {
	path = filepath.Clean(path)
	l.mu.Lock()
	e := l.files[path]
	if e == nil {
		e = &entry{}
		l.files[path] = e
	}
	l.mu.Unlock()
	return e
}

// Invalidate drops the cached parse of path (after an edit or a disk change).
func (l *Loader) Invalidate(path string) {
	l.mu.Lock()
	delete(l.files, filepath.Clean(path))
	l.mu.Unlock()
}

// InvalidateAll drops every cached file.
func (l *Loader) InvalidateAll() {
	l.mu.Lock()
	l.files = map[string]*entry{}
	l.mu.Unlock()
}

// cached reports whether path has been read through the loader (and not
// invalidated since).
func (l *Loader) cached(path string) bool {
	l.mu.Lock()
	_, ok := l.files[filepath.Clean(path)]
	l.mu.Unlock()
	return ok
}

// seed makes the loader use src, just read from l.FS, as path's contents
// when path is first parsed (discovery reads a pyproject.toml to look for
// "maturin" before deciding to parse it; this keeps it from reading twice).
func (l *Loader) seed(path string, src []byte) {
	e := l.entry(path)
	e.once.Do(func() { e.file = l.load(path, 't', src, true) })
}

// load reads (unless have) and parses path.
func (l *Loader) load(path string, kind byte, src []byte, have bool) *SourceFile {
	f := &SourceFile{Path: filepath.Clean(path), Src: src}
	if !have {
		f.Src, f.ReadErr = l.FS.ReadFile(path)
	}
	if f.ReadErr == nil {
		switch kind {
		case 't':
			f.Doc, f.TOMLErr = tomldoc.Parse(f.Src)
		case 'r':
			f.Rust = rustsrc.Scan(f.Src)
		}
	}
	return f
}

func (l *Loader) read(path string, kind byte) *entry {
	e := l.entry(path)
	e.once.Do(func() {
		e.file = l.load(path, kind, nil, false)
	})
	return e
}

// TOML reads and parses a TOML file.
func (l *Loader) TOML(path string) *SourceFile { return l.read(path, 't').file }

// Rust reads and scans a Rust file.
func (l *Loader) Rust(path string) *SourceFile { return l.read(path, 'r').file }

// Pyproject returns the pyproject model of path (nil if unreadable or invalid).
func (l *Loader) Pyproject(path string) (*SourceFile, *pyproject.File) {
	e := l.read(path, 't')
	if e.file.Doc == nil || e.file.TOMLErr != nil {
		return e.file, nil
	}
	e.modelOnce.Do(func() { e.pyproject = pyproject.FromDoc(e.file.Path, e.file.Doc) })
	return e.file, e.pyproject
}

// Manifest returns the Cargo manifest model of path (nil if unreadable or invalid).
func (l *Loader) Manifest(path string) (*SourceFile, *cargo.Manifest) {
	e := l.read(path, 't')
	if e.file.Doc == nil || e.file.TOMLErr != nil {
		return e.file, nil
	}
	e.modelOnce.Do(func() { e.manifest = cargo.FromDoc(e.file.Path, e.file.Doc) })
	return e.file, e.manifest
}

// Lock returns the Cargo.lock model of path (nil if unreadable or invalid).
func (l *Loader) Lock(path string) (*SourceFile, *cargo.Lock) {
	e := l.read(path, 't')
	if e.file.Doc == nil || e.file.TOMLErr != nil {
		return e.file, nil
	}
	e.modelOnce.Do(func() { e.lock = cargo.LockFromDoc(e.file.Path, e.file.Doc) })
	return e.file, e.lock
}
