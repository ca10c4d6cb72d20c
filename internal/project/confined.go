package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
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

	// memo (one-shot checks only, see remember): directory listings, by
	// the directory's cleaned absolute path, in two generations so the
	// recent ones and those still in use survive a flush.
	memo          bool
	lists, old    map[string][]fs.DirEntry
	listedEntries int
	// epoch counts RememberListings and ForgetListings: a listing read
	// across one of them is not kept.
	epoch uint64
}

// maxListedEntries bounds the entries of the listings a one-shot ConfinedFS
// keeps per generation (two generations are kept): the walk runs at most a
// few dozen projects ahead of the checks that read their files.
var maxListedEntries = 20_000

// remember makes c keep the directory listings it reads and use them as
// the truth about their entries for its lifetime: an entry listed as a
// directory or a regular file resolves without an lstat and is read
// without a stat before the open (O_NOFOLLOW instead), a name not listed
// does not exist (Stat fails with ENOENT without a system call), and a
// directory is listed once. Only for a one-shot check of a tree that does
// not change under it (StatCache turns it on): a language server must see
// files appear and disappear. Only over OSFS: an overlay may hold
// documents that no listing shows.
func (c *ConfinedFS) remember() {
	if _, ok := c.Base.(OSFS); !ok {
		return
	}
	c.mu.Lock()
	c.memo = true
	c.lists = map[string][]fs.DirEntry{}
	c.mu.Unlock()
}

// RememberListings turns the listing memo (see remember) on over any base
// until ForgetListings: for a language server, during one analysis pass in
// which it takes the tree as unchanged; it calls ForgetListings as soon as
// it learns of a change, and the next pass starts afresh. Open documents of
// an Overlay base that no listing shows are still found. The memo answers
// without asking the base, so a caller that records what an analysis asked
// about (the server's watcher) must record it above c.
func (c *ConfinedFS) RememberListings() {
	c.mu.Lock()
	c.memo = true
	c.lists, c.old, c.listedEntries = map[string][]fs.DirEntry{}, nil, 0
	c.epoch++
	c.mu.Unlock()
}

// ForgetListings turns the listing memo off and drops what it kept.
func (c *ConfinedFS) ForgetListings() {
	c.mu.Lock()
	c.memo = false
	c.lists, c.old, c.listedEntries = nil, nil, 0
	c.epoch++
	c.mu.Unlock()
}

// holdsDoc reports whether the base is an overlay holding path as an open
// document (which no listing of the disk shows).
func (c *ConfinedFS) holdsDoc(path string) bool {
	o, ok := c.Base.(*Overlay)
	return ok && o.holds(path)
}

// listing returns dir's remembered listing (dir cleaned and absolute).
func (c *ConfinedFS) listing(dir string) ([]fs.DirEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.memo {
		return nil, false
	}
	if es, ok := c.lists[dir]; ok {
		return es, true
	}
	es, ok := c.old[dir]
	if ok {
		// still in use (a directory above many projects): keep it
		// through the next flush
		delete(c.old, dir)
		c.lists[dir] = es
		c.listedEntries += len(es) + 1
	}
	return es, ok
}

func (c *ConfinedFS) keepListing(dir string, es []fs.DirEntry, epoch uint64) {
	if !sort.SliceIsSorted(es, func(i, j int) bool { return es[i].Name() < es[j].Name() }) {
		return
	}
	c.mu.Lock()
	if c.memo && c.epoch == epoch {
		if c.listedEntries > maxListedEntries {
			c.old, c.lists, c.listedEntries = c.lists, map[string][]fs.DirEntry{}, 0
		}
		c.lists[dir] = es
		c.listedEntries += len(es) + 1
	}
	c.mu.Unlock()
}

// entryKind is what is known of a path's final component without following
// it: from a remembered listing or an lstat.
type entryKind uint8

const (
	kindUnknown entryKind = iota // not looked at, or a symlink (resolved)
	kindAbsent                   // no such entry
	kindRegular                  // a regular file
	kindDir                      // a directory
	kindOther                    // a FIFO, device, socket...
)

func kindOf(mode fs.FileMode) entryKind {
	switch {
	case mode&fs.ModeSymlink != 0:
		return kindUnknown
	case mode.IsRegular():
		return kindRegular
	case mode.IsDir():
		return kindDir
	}
	return kindOther
}

// listedKind returns what dir's remembered listing says of name
// (kindUnknown when dir is not remembered or name is a symlink).
func (c *ConfinedFS) listedKind(dir, name string) entryKind {
	es, ok := c.listing(dir)
	if !ok {
		return kindUnknown
	}
	i := sort.Search(len(es), func(i int) bool { return es[i].Name() >= name })
	if i == len(es) || es[i].Name() != name {
		return kindAbsent
	}
	return kindOf(es[i].Type())
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
		r = cleanPath(r)
		if abs, err := filepath.Abs(r); err == nil {
			r = abs
		}
		if st, err := os.Stat(r); err == nil && !st.IsDir() {
			r = pathDir(r)
		}
		res := r
		if e, err := filepath.EvalSymlinks(r); err == nil {
			res = cleanPath(e)
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
		if _, err := os.Lstat(pathJoin(dir, ".git")); err == nil {
			if isSystemPath(dir) || dir == string(filepath.Separator) {
				return "" // never widen the region to the whole disk or a system tree
			}
			return dir
		}
		parent := pathDir(dir)
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
	if parent := pathDir(dir); parent == dir || !filepath.IsAbs(dir) {
		if e, err := filepath.EvalSymlinks(dir); err == nil {
			r = e
		}
	} else if rp := c.resolvedDir(parent); rp != "" {
		full := joinPath(rp, filepath.Base(dir))
		switch c.listedKind(parent, filepath.Base(dir)) {
		case kindAbsent:
			// r stays "": does not resolve
		case kindDir, kindRegular, kindOther:
			r = full
		default:
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
	return path == root || root == string(filepath.Separator) ||
		len(path) > len(root) && path[len(root)] == filepath.Separator && path[:len(root)] == root
}

// joinPath is filepath.Join of a clean absolute directory and a name.
func joinPath(dir, name string) string {
	if dir == string(filepath.Separator) {
		return dir + name
	}
	return dir + string(filepath.Separator) + name
}

// resolve returns path with its directory's symlinks and a final symlink
// resolved; ok is false when it cannot be resolved (a missing directory, a
// dangling or looping link), in which case the read itself fails. kind is
// what path's final component is when it is not a symlink (fresh: from an
// lstat, not a remembered listing).
func (c *ConfinedFS) resolve(path string, fresh bool) (full string, kind entryKind, ok bool) {
	dir := pathDir(path)
	base := filepath.Base(path)
	if path == dir {
		base = ""
	}
	resolved := c.resolvedDir(dir)
	if resolved == "" {
		if !fresh && c.listedKind(pathDir(dir), filepath.Base(dir)) == kindAbsent {
			return "", kindAbsent, false // below a directory that does not exist
		}
		return "", kindUnknown, false
	}
	if base == "" {
		return resolved, kindDir, true
	}
	full = joinPath(resolved, base)
	if !fresh {
		if k := c.listedKind(dir, base); k != kindUnknown {
			return full, k, true
		}
	}
	st, err := os.Lstat(full)
	switch {
	case err != nil:
		return full, kindAbsent, true
	case st.Mode()&fs.ModeSymlink != 0:
		target, err := filepath.EvalSymlinks(full)
		if err != nil {
			return "", kindUnknown, false
		}
		return target, kindUnknown, true
	}
	return full, kindOf(st.Mode()), true
}

// listedInside is check's answer without a system call or a new string:
// when path's directory has been resolved and listed (a one-shot check)
// and its final component is not a symlink, path lies inside a region when
// its resolved directory does (and is not / nor a system path, so the
// final component cannot make it one).
func (c *ConfinedFS) listedInside(path string) (entryKind, bool) {
	i := strings.LastIndexByte(path, filepath.Separator)
	if i <= 0 || i == len(path)-1 {
		return kindUnknown, false
	}
	dir, base := path[:i], path[i+1:]
	c.mu.Lock()
	if !c.memo {
		c.mu.Unlock()
		return kindUnknown, false
	}
	rd, resolved := c.dirs[dir]
	regions := c.regions
	c.mu.Unlock()
	if !resolved || rd == "" || rd == string(filepath.Separator) || isSystemPath(rd) {
		return kindUnknown, false
	}
	inside := false
	for _, r := range regions {
		if within(rd, r) {
			inside = true
			break
		}
	}
	if !inside {
		return kindUnknown, false
	}
	kind := c.listedKind(dir, base)
	return kind, kind != kindUnknown
}

// check returns nil when path may be read, and whether its text must be
// hidden; clean is path cleaned and absolute, kind what is known of its
// final component (see resolve).
func (c *ConfinedFS) check(path string, fresh bool) (clean string, kind entryKind, hidden bool, err error) {
	path = cleanPath(path)
	if !filepath.IsAbs(path) {
		if abs, e := filepath.Abs(path); e == nil {
			path = abs
		}
	}
	if isSystemPath(path) {
		return path, kindUnknown, false, &fs.PathError{Op: "open", Path: path, Err: ErrSystemPath}
	}
	if !fresh {
		if kind, ok := c.listedInside(path); ok {
			return path, kind, false, nil
		}
	}
	full, kind, ok := c.resolve(path, fresh)
	if !ok {
		// Nothing to read there; still refuse what would be outside, so a
		// missing path is reported the same whatever lies above it.
		full = path
	}
	if isSystemPath(full) {
		return path, kindUnknown, false, &fs.PathError{Op: "open", Path: path, Err: ErrSystemPath}
	}
	c.mu.Lock()
	roots, given, regions := c.roots, c.given, c.regions
	c.mu.Unlock()
	if len(roots) == 0 {
		return path, kind, false, nil
	}
	for _, r := range regions {
		if within(full, r) {
			return path, kind, false, nil
		}
	}
	// cargo's upward lookup: <ancestor of a root>/Cargo.toml, reached without
	// a symlink out of the way.
	if filepath.Base(path) == "Cargo.toml" && filepath.Base(full) == "Cargo.toml" {
		dir, rdir := pathDir(path), pathDir(full)
		for i := range roots {
			if (within(given[i], dir) && dir == rdir) || within(roots[i], rdir) {
				return path, kind, true, nil
			}
		}
	}
	return path, kindUnknown, false, &fs.PathError{Op: "open", Path: path, Err: ErrOutsideRoots}
}

// Hidden reports whether path may be read only as cargo's upward workspace
// lookup (a Cargo.toml above the checked trees and their repositories):
// rules may use its model, but its text is never shown.
func (c *ConfinedFS) Hidden(path string) bool {
	_, _, h, err := c.check(path, false)
	return err == nil && h
}

// ReadFile implements FS. A path whose final component is known to be a
// regular file (an lstat or a remembered listing) is opened with
// O_NOFOLLOW and no stat before it; should it have become a symlink since,
// it is checked again afresh.
func (c *ConfinedFS) ReadFile(path string) ([]byte, error) {
	_, kind, _, err := c.check(path, false)
	if err != nil {
		return nil, err
	}
	if rr, ok := c.Base.(regularReader); ok && kind == kindRegular {
		data, err := rr.readRegular(path)
		if !isLoop(err) {
			return data, err
		}
		if _, _, _, err := c.check(path, true); err != nil {
			return nil, err
		}
	}
	return c.Base.ReadFile(path)
}

// Stat implements FS.
func (c *ConfinedFS) Stat(path string) (fs.FileInfo, error) {
	if _, kind, _, err := c.check(path, false); err != nil {
		return nil, err
	} else if kind == kindAbsent && c.remembers() && !c.holdsDoc(path) {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: syscall.ENOENT}
	}
	return c.Base.Stat(path)
}

// StatType is Stat's Mode().Type() (following symlinks), answered from a
// remembered listing when it can.
func (c *ConfinedFS) StatType(path string) (fs.FileMode, error) {
	if typ, absent, ok := c.listedType(path); ok {
		if absent {
			return 0, errNotListed
		}
		return typ, nil
	}
	st, err := c.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Mode().Type(), nil
}

// errNotListed is StatType's error for a name its directory's remembered
// listing does not show (Stat's is an fs.PathError with ENOENT).
var errNotListed = fmt.Errorf("not in its directory's listing: %w", fs.ErrNotExist)

// listedType tells, when a remembered listing says what path is (a
// directory, a regular file, nothing: absent) and path is not refused,
// its type; ok is false otherwise.
func (c *ConfinedFS) listedType(path string) (typ fs.FileMode, absent, ok bool) {
	if !c.remembers() {
		return 0, false, false
	}
	_, kind, _, err := c.check(path, false)
	if err != nil {
		return 0, false, false
	}
	switch kind {
	case kindAbsent:
		if c.holdsDoc(path) {
			return 0, false, false
		}
		return 0, true, true
	case kindRegular:
		return 0, false, true
	case kindDir:
		return fs.ModeDir, false, true
	}
	return 0, false, false
}

func (c *ConfinedFS) remembers() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.memo
}

// ReadDir implements FS.
func (c *ConfinedFS) ReadDir(path string) ([]fs.DirEntry, error) {
	clean, _, _, err := c.check(path, false)
	if err != nil {
		return nil, err
	}
	if es, ok := c.listing(clean); ok {
		return es, nil
	}
	c.mu.Lock()
	epoch := c.epoch
	c.mu.Unlock()
	es, err := c.Base.ReadDir(path)
	if err == nil {
		c.keepListing(clean, es, epoch)
	}
	return es, err
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
