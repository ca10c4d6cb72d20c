package project

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ErrOutsideRoots is returned for a path that leads (through "..", an
// absolute configured path or a symlink) outside the trees being checked and
// their repositories.
var ErrOutsideRoots = errors.New("path leads outside the checked tree and its repository")

// ErrSystemPath is returned for paths under /proc, /sys and /dev, which are
// never read whatever the roots are.
var ErrSystemPath = errors.New("system path (/proc, /sys, /dev) is never read")

// systemDirs are refused whatever the roots: their files are not project
// files and reading them can leak the environment or block.
var systemDirs = []string{"/proc", "/sys", "/dev"}

// ConfinedFS confines every read to a region: the roots being checked and,
// for each root, the repository holding it (the nearest ancestor directory
// with a .git entry). A path is resolved first — "..", then every symlink —
// and refused (ErrOutsideRoots) when the result lies outside the region.
// Paths under /proc, /sys and /dev are refused whatever the region
// (ErrSystemPath).
//
// The one exception is cargo's upward workspace lookup: a file named exactly
// Cargo.toml in a directory that is an ancestor of a root may be read even
// outside the region. Hidden reports true for such a file: its text must
// never be shown (no source snippet, no quoted token, not published).
//
// With no roots (a language server before it knows its workspace folders)
// nothing is refused except the system paths.
type ConfinedFS struct {
	Base FS

	mu      sync.Mutex
	given   []string          // roots as given (cleaned; a file root is replaced by its directory)
	roots   []string          // resolved roots
	regions []string          // resolved roots and their repository roots
	dirs    map[string]string // directory → its resolved path ("" if it does not resolve)
}

// NewConfinedFS confines base to roots (directories or files).
func NewConfinedFS(base FS, roots []string) *ConfinedFS {
	c := &ConfinedFS{Base: base}
	c.SetRoots(roots)
	return c
}

// SetRoots replaces the roots (e.g. when an editor's workspace folders change).
func (c *ConfinedFS) SetRoots(roots []string) {
	var rs, given, regions []string
	for _, r := range roots {
		r = filepath.Clean(r)
		if abs, err := filepath.Abs(r); err == nil {
			r = abs
		}
		if st, err := os.Stat(r); err == nil && !st.IsDir() {
			r = filepath.Dir(r)
		}
		res := r
		if e, err := filepath.EvalSymlinks(r); err == nil {
			res = filepath.Clean(e)
		}
		given = append(given, r)
		rs = append(rs, res)
		regions = append(regions, res)
		if repo := repoRoot(res); repo != "" && repo != res {
			regions = append(regions, repo)
		}
	}
	c.mu.Lock()
	c.roots = rs
	c.given = given
	c.regions = regions
	c.dirs = map[string]string{}
	c.mu.Unlock()
}

// repoRoot returns the nearest directory at or above dir holding a .git
// entry (directory or file, as in a worktree or submodule), or "".
func repoRoot(dir string) string {
	for i := 0; i < 256; i++ {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			if isSystemPath(dir) || dir == string(filepath.Separator) {
				return "" // never widen the region to the whole disk or a system tree
			}
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	return ""
}

func isSystemPath(path string) bool {
	for _, d := range systemDirs {
		if within(path, d) {
			return true
		}
	}
	return false
}

func (c *ConfinedFS) resolvedDir(dir string) string {
	c.mu.Lock()
	r, ok := c.dirs[dir]
	c.mu.Unlock()
	if ok {
		return r
	}
	// Resolve from the parent's cached resolution: one lstat per new
	// directory instead of one per component of its path (EvalSymlinks).
	// Same result: the parent resolved, then the last component, followed
	// fully when it is a symlink.
	r = ""
	if parent := filepath.Dir(dir); parent == dir || !filepath.IsAbs(dir) {
		if e, err := filepath.EvalSymlinks(dir); err == nil {
			r = e
		}
	} else if rp := c.resolvedDir(parent); rp != "" {
		full := filepath.Join(rp, filepath.Base(dir))
		if st, err := os.Lstat(full); err == nil {
			r = full
			if st.Mode()&fs.ModeSymlink != 0 {
				r = ""
				if e, err := filepath.EvalSymlinks(full); err == nil {
					r = e
				}
			}
		}
	}
	c.mu.Lock()
	if len(c.dirs) > 100_000 {
		c.dirs = map[string]string{} // bounded: a long-lived server sees many directories
	}
	c.dirs[dir] = r
	c.mu.Unlock()
	return r
}

func within(path, root string) bool {
	return path == root || strings.HasPrefix(path, root+string(filepath.Separator)) ||
		root == string(filepath.Separator)
}

// resolve returns path with its directory's symlinks and a final symlink
// resolved; ok is false when it cannot be resolved (a missing directory, a
// dangling or looping link), in which case the read itself fails.
func (c *ConfinedFS) resolve(path string) (string, bool) {
	dir, base := filepath.Split(path)
	dir = filepath.Clean(dir)
	resolved := c.resolvedDir(dir)
	if resolved == "" {
		return "", false
	}
	full := filepath.Join(resolved, base)
	if st, err := os.Lstat(full); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(full)
		if err != nil {
			return "", false
		}
		full = target
	}
	return full, true
}

// check returns nil when path may be read, and whether its text must be hidden.
func (c *ConfinedFS) check(path string) (hidden bool, err error) {
	path = filepath.Clean(path)
	if abs, e := filepath.Abs(path); e == nil {
		path = abs
	}
	if isSystemPath(path) {
		return false, &fs.PathError{Op: "open", Path: path, Err: ErrSystemPath}
	}
	full, ok := c.resolve(path)
	if !ok {
		// Nothing to read there; still refuse what would be outside, so a
		// missing path is reported the same whatever lies above it.
		full = path
	}
	if isSystemPath(full) {
		return false, &fs.PathError{Op: "open", Path: path, Err: ErrSystemPath}
	}
	c.mu.Lock()
	roots, given, regions := c.roots, c.given, c.regions
	c.mu.Unlock()
	if len(roots) == 0 {
		return false, nil
	}
	for _, r := range regions {
		if within(full, r) {
			return false, nil
		}
	}
	// cargo's upward lookup: <ancestor of a root>/Cargo.toml, reached without
	// a symlink out of the way.
	if filepath.Base(path) == "Cargo.toml" && filepath.Base(full) == "Cargo.toml" {
		dir, rdir := filepath.Dir(path), filepath.Dir(full)
		for i := range roots {
			if (within(given[i], dir) && dir == rdir) || within(roots[i], rdir) {
				return true, nil
			}
		}
	}
	return false, &fs.PathError{Op: "open", Path: path, Err: ErrOutsideRoots}
}

// Hidden reports whether path may be read only as cargo's upward workspace
// lookup (a Cargo.toml above the checked trees and their repositories):
// rules may use its model, but its text is never shown.
func (c *ConfinedFS) Hidden(path string) bool {
	h, err := c.check(path)
	return err == nil && h
}

// ReadFile implements FS.
func (c *ConfinedFS) ReadFile(path string) ([]byte, error) {
	if _, err := c.check(path); err != nil {
		return nil, err
	}
	return c.Base.ReadFile(path)
}

// Stat implements FS.
func (c *ConfinedFS) Stat(path string) (fs.FileInfo, error) {
	if _, err := c.check(path); err != nil {
		return nil, err
	}
	return c.Base.Stat(path)
}

// ReadDir implements FS.
func (c *ConfinedFS) ReadDir(path string) ([]fs.DirEntry, error) {
	if _, err := c.check(path); err != nil {
		return nil, err
	}
	return c.Base.ReadDir(path)
}

// Hider is implemented by file systems that can say a file's text must not
// be shown (ConfinedFS, and the wrappers that pass it through).
type Hider interface {
	Hidden(path string) bool
}

// IsHidden reports whether fsys says path's text must not be shown.
func IsHidden(fsys FS, path string) bool {
	h, ok := fsys.(Hider)
	return ok && h.Hidden(path)
}
