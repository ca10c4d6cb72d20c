package analysis

import (
	"io/fs"
	"path"
	"path/filepath"
	"strconv"

	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

func rangeAt(off int) span.Range { return span.Range{Start: off, End: off} }

// lineIndent returns the whitespace that starts the line containing off.
func lineIndent(src []byte, off int) string {
	if off > len(src) {
		off = len(src)
	}
	start := off
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := start
	for end < off && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// quoteTOML renders s as a TOML basic string.
func quoteTOML(s string) string { return strconv.Quote(s) }

func boolKey(v *tomldoc.Value, key string) (bool, bool) { return tomldoc.BoolOf(v.Get(key)) }

// dirCache lists each directory once (errors included) for the glob
// matching of one rule run.
type dirCache struct {
	fs interface {
		ReadDir(string) ([]fs.DirEntry, error)
	}
	m map[string]dirListing
}

type dirListing struct {
	entries []fs.DirEntry
	err     error
}

func newDirCache(fsys interface {
	ReadDir(string) ([]fs.DirEntry, error)
}) *dirCache {
	return &dirCache{fs: fsys, m: map[string]dirListing{}}
}

// ReadDir implements the listing globWalk needs.
func (c *dirCache) ReadDir(dir string) ([]fs.DirEntry, error) {
	if l, ok := c.m[dir]; ok {
		return l.entries, l.err
	}
	e, err := c.fs.ReadDir(dir)
	c.m[dir] = dirListing{e, err}
	return e, err
}

// globWalk matches pattern segments against directory entries read through fsys.
func globWalk(fsys interface {
	ReadDir(string) ([]fs.DirEntry, error)
}, dir string, segs []string) bool {
	if len(segs) == 0 {
		return false
	}
	entries, err := fsys.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		ok, err := path.Match(segs[0], e.Name())
		if err != nil || !ok {
			continue
		}
		if len(segs) == 1 {
			if !e.IsDir() {
				return true
			}
			continue
		}
		if e.IsDir() && globWalk(fsys, filepath.Join(dir, e.Name()), segs[1:]) {
			return true
		}
	}
	return false
}
