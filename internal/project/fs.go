// Package project discovers maturin projects and builds the Snapshot every
// rule reads: parsed pyproject.toml, Cargo manifests (crate and workspace),
// Cargo.lock, scanned Rust sources and the Python layout, read through a
// file-system view with an overlay of open editor buffers.
package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// MaxFileSize is the largest pyproject.toml, Cargo.toml or other file
// pyo3-ls reads; larger files are skipped and reported (T003). Cargo.lock
// and Rust sources have their own caps (MaxSize).
const MaxFileSize = 10 << 20

// MaxLockFileSize caps Cargo.lock: real monorepos have 12 MB locks (50,000
// packages), which the light reader (cargo.ReadLock) reads in ~40 MB.
const MaxLockFileSize = 128 << 20

// MaxRustFileSize caps a Rust source: generated bindings run to several MB.
const MaxRustFileSize = 32 << 20

// MaxSize is the cap for the file at path, by its kind.
func MaxSize(path string) int64 {
	base := filepath.Base(path)
	switch {
	case base == "Cargo.lock":
		return MaxLockFileSize
	case strings.HasSuffix(base, ".rs"):
		return MaxRustFileSize
	}
	return MaxFileSize
}

// ErrTooLarge is returned for files above MaxFileSize.
var ErrTooLarge = errors.New("file too large")

// ErrNotRegular is returned for a path that is not a regular file (a FIFO,
// a device node, a socket).
var ErrNotRegular = errors.New("not a regular file")

// FS is the file-system view analysis reads through.
type FS interface {
	ReadFile(path string) ([]byte, error)
	Stat(path string) (fs.FileInfo, error)
	ReadDir(path string) ([]fs.DirEntry, error)
}

// typer is implemented by file systems that can tell a path's type (what
// Stat's Mode().Type() says, following symlinks) more cheaply than a Stat
// (ConfinedFS and StatCache from their remembered listings and stats; a
// wrapper over one of them passes it through, as the language server's
// does).
type typer interface {
	StatType(path string) (fs.FileMode, error)
}

// statType returns the type of path (following symlinks) as Stat would.
func statType(fsys FS, path string) (fs.FileMode, error) {
	if t, ok := fsys.(typer); ok {
		return t.StatType(path)
	}
	st, err := fsys.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Mode().Type(), nil
}

// StatType is statType for other packages: fsys's StatType when it has one,
// else Stat's Mode().Type().
func StatType(fsys FS, path string) (fs.FileMode, error) { return statType(fsys, path) }

// OSFS reads the real disk, refusing files above their MaxSize.
type OSFS struct{}

// ReadFile implements FS.
//
// The file's type is checked before it is opened, so a device node
// (/dev/tty, a tape drive) or a FIFO is never opened, and again on the open
// file, so a file swapped for a device between the two is refused too.
func (OSFS) ReadFile(path string) ([]byte, error) {
	pre, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !pre.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	return readOpen(path, false, pre)
}

// regularReader is implemented by file systems that can read a file
// already known to be a regular file and not a symlink (from a directory
// listing's entry type or an lstat, see ConfinedFS): no fresh stat before
// opening it, and a final symlink is not followed (on unix the open fails
// with ELOOP, see isLoop). The open file is still checked to be regular.
type regularReader interface {
	readRegular(path string) ([]byte, error)
}

func (OSFS) readRegular(path string) ([]byte, error) { return readOpen(path, true, nil) }

// RegularStatReader is regularReader for file systems outside this package
// that also want the file's Stat (taken on the open file, before reading
// it): the language server's watcher, which keeps each read file's
// signature, implements it over OSFS's, and an Overlay passes it through.
type RegularStatReader interface {
	ReadRegularStat(path string) ([]byte, fs.FileInfo, error)
}

// ReadRegularStat implements RegularStatReader: readRegular that also
// returns the open file's stat (as os.Stat would say it).
func (OSFS) ReadRegularStat(path string) ([]byte, fs.FileInfo, error) {
	return readOpenStat(path, true, nil)
}

// IsLoop reports whether err is ReadRegularStat's failure on a symlink
// (O_NOFOLLOW), after which ConfinedFS checks the path again and reads it
// with ReadFile.
func IsLoop(err error) bool { return isLoop(err) }

// Stat implements FS (following symlinks).
func (OSFS) Stat(path string) (fs.FileInfo, error) { return os.Stat(path) }

// ReadDir implements FS.
func (OSFS) ReadDir(path string) ([]fs.DirEntry, error) { return readDir(path) }

// ReadDirStat is ReadDir that also returns the directory's Stat (as
// os.Stat would say it), taken on the open directory before it is listed
// (the language server's watcher keeps it as the directory's signature); the
// stat is nil when the directory could not be opened.
func (OSFS) ReadDirStat(path string) ([]fs.DirEntry, fs.FileInfo, error) {
	return readDirStat(path, true)
}

// Overlay is an FS whose open documents (editor buffers) shadow the disk.
type Overlay struct {
	Base     FS
	mu       sync.RWMutex
	docs     map[string][]byte
	tooLarge map[string]bool // open documents above MaxFileSize
}

// NewOverlay returns an overlay on base.
func NewOverlay(base FS) *Overlay { return &Overlay{Base: base, docs: map[string][]byte{}} }

// Set records the contents of an open document. A document above its
// MaxSize is not kept: it reads as ErrTooLarge, like such a file on disk.
func (o *Overlay) Set(path string, data []byte) {
	if int64(len(data)) > MaxSize(path) {
		o.SetTooLarge(path)
		return
	}
	o.mu.Lock()
	o.docs[cleanPath(path)] = data
	delete(o.tooLarge, cleanPath(path))
	o.mu.Unlock()
}

// SetTooLarge records an open document above MaxFileSize: reads of it fail
// with ErrTooLarge (T003) instead of falling back to the disk.
func (o *Overlay) SetTooLarge(path string) {
	o.mu.Lock()
	delete(o.docs, cleanPath(path))
	if o.tooLarge == nil {
		o.tooLarge = map[string]bool{}
	}
	o.tooLarge[cleanPath(path)] = true
	o.mu.Unlock()
}

// Delete forgets an open document.
func (o *Overlay) Delete(path string) {
	o.mu.Lock()
	delete(o.docs, cleanPath(path))
	delete(o.tooLarge, cleanPath(path))
	o.mu.Unlock()
}

// Get returns an open document's contents.
func (o *Overlay) Get(path string) ([]byte, bool) {
	o.mu.RLock()
	d, ok := o.docs[cleanPath(path)]
	o.mu.RUnlock()
	return d, ok
}

// ReadFile implements FS.
func (o *Overlay) ReadFile(path string) ([]byte, error) {
	if d, ok := o.Get(path); ok {
		return d, nil
	}
	o.mu.RLock()
	big := o.tooLarge[cleanPath(path)]
	o.mu.RUnlock()
	if big {
		return nil, fmt.Errorf("%s: %w (open in the editor, limit %d)", path, ErrTooLarge, MaxSize(path))
	}
	return o.Base.ReadFile(path)
}

func (o *Overlay) readRegular(path string) ([]byte, error) {
	if d, ok := o.Get(path); ok {
		return d, nil
	}
	if rr, ok := o.Base.(regularReader); ok {
		o.mu.RLock()
		big := o.tooLarge[cleanPath(path)]
		o.mu.RUnlock()
		if !big {
			return rr.readRegular(path)
		}
	} else if rs, ok := o.Base.(RegularStatReader); ok {
		o.mu.RLock()
		big := o.tooLarge[cleanPath(path)]
		o.mu.RUnlock()
		if !big {
			data, _, err := rs.ReadRegularStat(path)
			return data, err
		}
	}
	return o.ReadFile(path)
}

// holds reports whether path is an open document (kept or too large).
func (o *Overlay) holds(path string) bool {
	o.mu.RLock()
	defer o.mu.RUnlock()
	path = filepath.Clean(path)
	_, ok := o.docs[path]
	return ok || o.tooLarge[path]
}

// Stat implements FS.
func (o *Overlay) Stat(path string) (fs.FileInfo, error) {
	if d, ok := o.Get(path); ok {
		return memInfo{name: filepath.Base(path), size: int64(len(d))}, nil
	}
	return o.Base.Stat(path)
}

// Hidden implements Hider when the base does.
func (o *Overlay) Hidden(path string) bool { return IsHidden(o.Base, path) }

// ReadDir implements FS.
func (o *Overlay) ReadDir(path string) ([]fs.DirEntry, error) { return o.Base.ReadDir(path) }

type memInfo struct {
	name string
	size int64
}

func (m memInfo) Name() string       { return m.name }
func (m memInfo) Size() int64        { return m.size }
func (m memInfo) Mode() fs.FileMode  { return 0o644 }
func (m memInfo) ModTime() time.Time { return time.Time{} }
func (m memInfo) IsDir() bool        { return false }
func (m memInfo) Sys() any           { return nil }
