package project

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ErrOutsideRoots is returned for a path that reaches, through a symlink, a
// file outside the trees being checked.
var ErrOutsideRoots = fmt.Errorf("symlink leads outside the checked tree")

// ConfinedFS refuses paths that a symlink leads out of the roots being
// checked. Paths that involve no symlink are allowed anywhere, so cargo-style
// lookups of a workspace Cargo.toml above the checked directory still work.
type ConfinedFS struct {
	Base FS

	mu    sync.Mutex
	given []string          // roots as given
	roots []string          // resolved roots
	dirs  map[string]string // directory → its resolved path ("" if it does not resolve)
}

// NewConfinedFS confines base to roots (directories or files).
func NewConfinedFS(base FS, roots []string) *ConfinedFS {
	c := &ConfinedFS{Base: base}
	c.SetRoots(roots)
	return c
}

// SetRoots replaces the roots (e.g. when an editor's workspace folders change).
func (c *ConfinedFS) SetRoots(roots []string) {
	var rs, given []string
	for _, r := range roots {
		given = append(given, filepath.Clean(r))
		if res, err := filepath.EvalSymlinks(r); err == nil {
			rs = append(rs, filepath.Clean(res))
		} else {
			rs = append(rs, filepath.Clean(r))
		}
	}
	c.mu.Lock()
	c.roots = rs
	c.given = given
	c.dirs = map[string]string{}
	c.mu.Unlock()
}

func (c *ConfinedFS) resolvedDir(dir string) string {
	c.mu.Lock()
	r, ok := c.dirs[dir]
	c.mu.Unlock()
	if ok {
		return r
	}
	r, err := filepath.EvalSymlinks(dir)
	if err != nil {
		r = ""
	}
	c.mu.Lock()
	c.dirs[dir] = r
	c.mu.Unlock()
	return r
}

func within(path, root string) bool {
	return path == root || strings.HasPrefix(path, root+string(filepath.Separator))
}

// check returns nil when path may be read: a path inside a root must resolve
// inside a root; a path outside every root (a workspace Cargo.toml above the
// checked directory) is not reached through the tree's symlinks and is allowed.
func (c *ConfinedFS) check(path string) error {
	path = filepath.Clean(path)
	c.mu.Lock()
	roots, given := c.roots, c.given
	c.mu.Unlock()
	inTree := false
	for i := range given {
		if within(path, given[i]) || within(path, roots[i]) {
			inTree = true
		}
	}
	if !inTree {
		return nil
	}
	dir, base := filepath.Split(path)
	dir = filepath.Clean(dir)
	resolved := c.resolvedDir(dir)
	if resolved == "" {
		return nil // a missing directory: the read itself reports it
	}
	full := filepath.Join(resolved, base)
	if st, err := os.Lstat(full); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(full)
		if err != nil {
			return nil // dangling or looping: the read reports it
		}
		full = target
	}
	for _, r := range roots {
		if within(full, r) {
			return nil
		}
	}
	return &fs.PathError{Op: "open", Path: path, Err: ErrOutsideRoots}
}

// ReadFile implements FS.
func (c *ConfinedFS) ReadFile(path string) ([]byte, error) {
	if err := c.check(path); err != nil {
		return nil, err
	}
	return c.Base.ReadFile(path)
}

// Stat implements FS.
func (c *ConfinedFS) Stat(path string) (fs.FileInfo, error) {
	if err := c.check(path); err != nil {
		return nil, err
	}
	return c.Base.Stat(path)
}

// ReadDir implements FS.
func (c *ConfinedFS) ReadDir(path string) ([]fs.DirEntry, error) {
	if err := c.check(path); err != nil {
		return nil, err
	}
	return c.Base.ReadDir(path)
}
