package project

import (
	"bytes"
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
	// Hidden is true for a file read only as cargo's upward workspace lookup
	// outside the checked trees and their repositories (ConfinedFS): rules
	// may use it, but reports never show its text.
	Hidden bool
	// LightLock marks a Cargo.lock in cargo's own shape read by
	// cargo.ReadLock: valid TOML without a suppression comment (ReadLock
	// leaves those to the TOML parser), but Doc is nil (none is built).
	LightLock bool

	linesOnce sync.Once
	lines     *span.Lines

	pyOnce sync.Once
	py     *pysrc.Module
	// imports only (PythonImports), for files read just to find imports
	pyImpOnce sync.Once
	pyImp     *pysrc.Module

	directiveOnce sync.Once
	directive     bool
}

// MayHaveDirective reports whether the text contains "pyo3-ls:", the start
// of every suppression comment; it looks once per file, since a workspace's
// Cargo.lock and Cargo.toml belong to every member project.
func (f *SourceFile) MayHaveDirective() bool {
	f.directiveOnce.Do(func() { f.directive = bytes.Contains(f.Src, []byte("pyo3-ls:")) })
	return f.directive
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
	files map[fileKey]*entry

	// configs remembers, per directory, the [tool.pyo3-ls] files above it
	// (one-shot checks only, see findConfigFiles)
	configs map[string][]configHit
}

// fileKey names one reading of a file: the same path may be read both as
// TOML and as Rust (`[lib] path = "Cargo.toml"`, `#[path = "../pyproject.toml"]`),
// and each reading gets its own SourceFile so Doc or Rust is never nil for it.
type fileKey struct {
	path string
	kind byte
}

type entry struct {
	once sync.Once
	file *SourceFile

	// models derived from the document, each built once (one file may be
	// asked for as two models: manifest-path = "pyproject.toml")
	pyOnce, manOnce, lockOnce sync.Once
	pyproject                 *pyproject.File
	manifest                  *cargo.Manifest
	lock                      *cargo.Lock
	light                     *cargo.Lock // a Cargo.lock read by cargo.ReadLock (set under once)
}

// NewLoader returns a loader reading through fsys.
func NewLoader(fsys FS) *Loader { return &Loader{FS: fsys, files: map[fileKey]*entry{}} }

func (l *Loader) entry(path string, kind byte) *entry {
	k := fileKey{cleanPath(path), kind}
	l.mu.Lock()
	e := l.files[k]
	if e == nil {
		e = &entry{}
		l.files[k] = e
	}
	l.mu.Unlock()
	return e
}

// Invalidate drops the cached parse of path (after an edit or a disk change).
func (l *Loader) Invalidate(path string) {
	l.mu.Lock()
	path = cleanPath(path)
	delete(l.files, fileKey{path, 't'})
	delete(l.files, fileKey{path, 'r'})
	delete(l.files, fileKey{path, 'l'}) // Cargo.lock (Lock)
	delete(l.files, fileKey{path, 'p'}) // Python sources and stubs (python.go)
	l.mu.Unlock()
}

// InvalidateAll drops every cached file.
func (l *Loader) InvalidateAll() {
	l.mu.Lock()
	l.files = map[fileKey]*entry{}
	l.configs = nil
	l.mu.Unlock()
}

// cached reports whether path has been read through the loader (and not
// invalidated since).
func (l *Loader) cached(path string) bool {
	l.mu.Lock()
	_, ok := l.files[fileKey{cleanPath(path), 't'}]
	l.mu.Unlock()
	return ok
}

// seed makes the loader use src, just read from l.FS, as path's contents
// when path is first parsed (discovery reads a pyproject.toml to look for
// "maturin" before deciding to parse it; this keeps it from reading twice).
func (l *Loader) seed(path string, src []byte) {
	e := l.entry(path, 't')
	e.once.Do(func() { e.file = l.load(path, 't', src, true) })
}

// load reads (unless have) and parses path.
func (l *Loader) load(path string, kind byte, src []byte, have bool) *SourceFile {
	f := &SourceFile{Path: cleanPath(path), Src: src}
	if !have {
		f.Src, f.ReadErr = l.FS.ReadFile(path)
	}
	f.Hidden = f.ReadErr == nil && IsHidden(l.FS, path)
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
	e := l.entry(path, kind)
	e.once.Do(func() {
		e.file = l.load(path, kind, nil, false)
	})
	return e
}

// TOML reads and parses a TOML file.
func (l *Loader) TOML(path string) *SourceFile { return l.read(path, 't').file }

// Rust reads and scans a Rust file.
func (l *Loader) Rust(path string) *SourceFile { return l.read(path, 'r').file }

// Pyproject returns the pyproject model of path (nil if unreadable; built from what could be read when the TOML has errors).
func (l *Loader) Pyproject(path string) (*SourceFile, *pyproject.File) {
	e := l.read(path, 't')
	if e.file.Doc == nil {
		return e.file, nil
	}
	e.pyOnce.Do(func() { e.pyproject = pyproject.FromDoc(e.file.Path, e.file.Doc) })
	return e.file, e.pyproject
}

// Manifest returns the Cargo manifest model of path (nil if unreadable; built from what could be read when the TOML has errors).
func (l *Loader) Manifest(path string) (*SourceFile, *cargo.Manifest) {
	e := l.read(path, 't')
	if e.file.Doc == nil {
		return e.file, nil
	}
	e.manOnce.Do(func() { e.manifest = cargo.FromDoc(e.file.Path, e.file.Doc) })
	return e.file, e.manifest
}

// Lock returns the Cargo.lock model of path (nil if unreadable; built from
// what could be read when the TOML has errors). A lock in cargo's own shape
// — every lock cargo writes — is read by cargo.ReadLock straight into the
// model (its SourceFile is LightLock, with no Doc); anything else is parsed
// as TOML, so syntax errors are reported as before.
func (l *Loader) Lock(path string) (*SourceFile, *cargo.Lock) {
	e := l.entry(path, 'l')
	e.once.Do(func() {
		f := l.load(path, 'l', nil, false)
		if f.ReadErr == nil {
			if lk, ok := cargo.ReadLock(f.Path, f.Src); ok {
				f.LightLock = true
				e.file, e.light = f, lk
				return
			}
		}
		if f.ReadErr == nil {
			f.Doc, f.TOMLErr = tomldoc.Parse(f.Src)
		}
		e.file = f
	})
	if e.light != nil { // written under e.once, read-only after it
		return e.file, e.light
	}
	if e.file.Doc == nil {
		return e.file, nil
	}
	e.lockOnce.Do(func() { e.lock = cargo.LockFromDoc(e.file.Path, e.file.Doc) })
	return e.file, e.lock
}

// Release drops from l the parsed files only p reads, once p's snapshot is
// not kept (the CLI after checking a project, the language server for a
// project with no open document): its pyproject.toml (unless it holds
// [tool.pyo3-ls] for projects below), its Cargo.toml (unless it is a
// workspace root), its Cargo.lock when it has no workspace, its Rust
// sources and the Python files it read. Files shared by the members of a
// workspace stay cached; a project that reads a released file after all
// just reads it again.
func (l *Loader) Release(p *Project) {
	if p == nil {
		return
	}
	if f := p.PyprojectFile; f != nil && (f.Doc == nil || f.Doc.Root.Lookup("tool", "pyo3-ls") == nil) {
		l.Invalidate(f.Path)
	}
	wsRoot := p.Manifest != nil && p.Manifest.Workspace != nil
	if p.ManifestFile != nil && !wsRoot {
		l.Invalidate(p.ManifestFile.Path)
	}
	if p.LockFile != nil && !wsRoot && p.WorkspaceFile == nil {
		l.Invalidate(p.LockFile.Path)
	}
	for _, f := range p.RustFiles {
		l.Invalidate(f.Path)
	}
	for _, f := range p.SkippedRust {
		l.Invalidate(f.Path)
	}
	for _, f := range p.PythonFiles() {
		l.Invalidate(f.Path)
	}
}
