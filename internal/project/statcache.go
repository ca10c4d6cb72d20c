package project

import (
	"errors"
	"io/fs"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// StatCache is an FS that remembers Stat results (found or not) for its
// lifetime; reads and directory listings pass through. Discovery, the
// workspace and configuration lookups and the rules stat the same parent
// directories for every project of a tree (about half of the Stat calls of
// a 1,000-project workspace), so a one-shot check (the CLI) should read
// through a StatCache. A long-lived server must not: it would not see files
// appear or disappear.
type StatCache struct {
	Base FS
	mu   sync.Mutex
	m    map[string]StatRecord
}

// StatRecord is a compact copy of a Stat result (a 10,000-project tree
// caches some 200,000 of them): the size, mode and time of a found file, or
// the error number of a missing one. StatCache keeps them, and so does the
// language server's per-pass memory.
type StatRecord struct {
	size  int64
	mtime int64 // UnixNano
	mode  fs.FileMode
	errno syscall.Errno // non-zero: the stat failed with this error number
	err   error         // another error, kept as returned
}

// CompactStat records what Stat returned.
func CompactStat(info fs.FileInfo, err error) StatRecord {
	if err != nil {
		var pe *fs.PathError
		var no syscall.Errno
		if errors.As(err, &pe) && pe.Op == "stat" && errors.As(pe.Err, &no) && pe.Err == no {
			return StatRecord{errno: no}
		}
		return StatRecord{err: err}
	}
	return StatRecord{size: info.Size(), mtime: info.ModTime().UnixNano(), mode: info.Mode()}
}

// Info gives back the Stat result of path that r records.
func (r StatRecord) Info(path string) (fs.FileInfo, error) {
	switch {
	case r.errno != 0:
		return nil, &fs.PathError{Op: "stat", Path: path, Err: r.errno}
	case r.err != nil:
		return nil, r.err
	}
	return cachedInfo{name: filepath.Base(path), r: r}, nil
}

// cachedInfo is the fs.FileInfo of a cached Stat.
type cachedInfo struct {
	name string
	r    StatRecord
}

func (c cachedInfo) Name() string       { return c.name }
func (c cachedInfo) Size() int64        { return c.r.size }
func (c cachedInfo) Mode() fs.FileMode  { return c.r.mode }
func (c cachedInfo) ModTime() time.Time { return time.Unix(0, c.r.mtime) }
func (c cachedInfo) IsDir() bool        { return c.r.mode.IsDir() }
func (c cachedInfo) Sys() any           { return nil }

// NewStatCache returns a StatCache over base.
//
// Over a ConfinedFS (over OSFS), the ConfinedFS also remembers the
// directory listings it reads for its lifetime (see ConfinedFS.remember):
// base must then be used for this one-shot check only.
func NewStatCache(base FS) *StatCache {
	if cf, ok := base.(*ConfinedFS); ok {
		cf.remember()
	}
	return &StatCache{Base: base, m: map[string]StatRecord{}}
}

// Stat implements FS.
func (c *StatCache) Stat(path string) (fs.FileInfo, error) {
	path = cleanPath(path)
	c.mu.Lock()
	r, ok := c.m[path]
	c.mu.Unlock()
	if ok {
		return r.Info(path)
	}
	if cf, ok := c.Base.(*ConfinedFS); ok {
		// A name a listing does not show, or a refused path: no system
		// call and nothing to remember here.
		if _, absent, ok := cf.listedType(path); ok && absent {
			return nil, &fs.PathError{Op: "stat", Path: path, Err: syscall.ENOENT}
		}
	}
	info, err := c.Base.Stat(path)
	c.mu.Lock()
	c.m[path] = CompactStat(info, err)
	c.mu.Unlock()
	return info, err
}

// StatType is Stat(path).Mode().Type() without a system call when a cached
// Stat or a remembered listing knows it.
func (c *StatCache) StatType(path string) (fs.FileMode, error) {
	path = cleanPath(path)
	c.mu.Lock()
	r, ok := c.m[path]
	c.mu.Unlock()
	if ok {
		if r.errno != 0 || r.err != nil {
			_, err := r.Info(path)
			return 0, err
		}
		return r.mode.Type(), nil
	}
	if cf, ok := c.Base.(*ConfinedFS); ok {
		if typ, absent, ok := cf.listedType(path); ok {
			if absent {
				return 0, errNotListed
			}
			return typ, nil
		}
	}
	info, err := c.Stat(path)
	if err != nil {
		return 0, err
	}
	return info.Mode().Type(), nil
}

// ReadFile implements FS.
func (c *StatCache) ReadFile(path string) ([]byte, error) { return c.Base.ReadFile(path) }

// ReadDir implements FS.
func (c *StatCache) ReadDir(path string) ([]fs.DirEntry, error) { return c.Base.ReadDir(path) }

// Hidden implements Hider when the base does.
func (c *StatCache) Hidden(path string) bool { return IsHidden(c.Base, path) }
