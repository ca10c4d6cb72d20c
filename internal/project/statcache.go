package project

import (
	"io/fs"
	"path/filepath"
	"sync"
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
	m    map[string]statResult
}

type statResult struct {
	info fs.FileInfo
	err  error
}

// NewStatCache returns a StatCache over base.
func NewStatCache(base FS) *StatCache {
	return &StatCache{Base: base, m: map[string]statResult{}}
}

// Stat implements FS.
func (c *StatCache) Stat(path string) (fs.FileInfo, error) {
	path = filepath.Clean(path)
	c.mu.Lock()
	r, ok := c.m[path]
	c.mu.Unlock()
	if ok {
		return r.info, r.err
	}
	info, err := c.Base.Stat(path)
	c.mu.Lock()
	c.m[path] = statResult{info, err}
	c.mu.Unlock()
	return info, err
}

// ReadFile implements FS.
func (c *StatCache) ReadFile(path string) ([]byte, error) { return c.Base.ReadFile(path) }

// ReadDir implements FS.
func (c *StatCache) ReadDir(path string) ([]fs.DirEntry, error) { return c.Base.ReadDir(path) }

// Hidden implements Hider when the base does.
func (c *StatCache) Hidden(path string) bool { return IsHidden(c.Base, path) }
