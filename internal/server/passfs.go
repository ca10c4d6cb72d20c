package server

import (
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// passFS sits between the loader and the confined view of the buffers and
// the disk, and answers a Stat or a directory listing asked again with what
// the first asking got, until the next change: the rules and the loader ask
// the same paths many times per project (is lib.rs a file, is there a
// .pyi, the config lookup's pyproject.toml in every ancestor for every
// project), and each asking cost an lstat (ConfinedFS) and a stat (the
// watcher's signature). At 1,000 projects the loader asked 22,000 Stats of
// 7,000 paths and listed 2,000 directories 3,000 times.
//
// What passFS remembers is dropped at the start and the end of every pass
// and whenever anything changes (an edit, a disk change, a workspace folder),
// so an analysis never sees an older state than one it was told about; an
// answer fetched before a change is not kept after it (epoch). A repeated
// asking still counts as touching the path for the recording project
// (watcher.touch), so dependency tracking sees every path each project asked
// about. File contents are not kept here (the loader caches parses).
type passFS struct {
	base  project.FS // the ConfinedFS over the overlay and the watcher
	watch *watcher

	mu    sync.Mutex
	epoch uint64
	stats map[string]statMemo
	dirs  map[string]dirMemo
	size  int // entries kept (stats + listed entries)
}

// maxPassEntries bounds what passFS keeps (the repetitions are mostly
// within one project and across the ancestors every project shares).
const maxPassEntries = 20_000

type statMemo struct {
	size  int64
	mtime time.Time
	mode  fs.FileMode
	err   error
}

type dirMemo struct {
	es  []fs.DirEntry
	err error
}

func newPassFS(base project.FS, w *watcher) *passFS {
	return &passFS{base: base, watch: w, stats: map[string]statMemo{}, dirs: map[string]dirMemo{}}
}

// reset forgets everything (a pass starts or ends, something changed).
func (p *passFS) reset() {
	p.mu.Lock()
	p.epoch++
	p.dropLocked()
	p.mu.Unlock()
}

// roomLocked makes space for n more entries (p.mu held).
func (p *passFS) roomLocked(n int) {
	if p.size+n > maxPassEntries {
		p.dropLocked()
	}
	p.size += n
}

// dropLocked forgets every entry, keeping the maps' room (a keystroke's
// pass asks about the same few dozen paths as the one before).
func (p *passFS) dropLocked() {
	if p.size > 0 {
		clear(p.stats)
		clear(p.dirs)
		p.size = 0
	}
}

// ReadFile implements project.FS (not remembered).
func (p *passFS) ReadFile(path string) ([]byte, error) { return p.base.ReadFile(path) }

// Hidden implements project.Hider (ConfinedFS's verdict; not remembered).
func (p *passFS) Hidden(path string) bool { return project.IsHidden(p.base, path) }

// Stat implements project.FS.
func (p *passFS) Stat(path string) (fs.FileInfo, error) {
	p.mu.Lock()
	m, ok := p.stats[path]
	e := p.epoch
	p.mu.Unlock()
	if ok {
		p.watch.touch(path)
		if m.err != nil {
			return nil, m.err
		}
		return memoInfo{name: filepath.Base(path), m: m}, nil
	}
	st, err := p.base.Stat(path)
	m = statMemo{err: err}
	if err == nil {
		m.size, m.mtime, m.mode = st.Size(), st.ModTime(), st.Mode()
	}
	p.mu.Lock()
	if p.epoch == e {
		p.roomLocked(1)
		p.stats[path] = m
	}
	p.mu.Unlock()
	return st, err
}

// ReadDir implements project.FS. Callers get the same slice: they must not
// change it (none does; os.ReadDir's order is kept).
func (p *passFS) ReadDir(path string) ([]fs.DirEntry, error) {
	p.mu.Lock()
	m, ok := p.dirs[path]
	e := p.epoch
	p.mu.Unlock()
	if ok {
		p.watch.touch(path)
		return m.es, m.err
	}
	es, err := p.base.ReadDir(path)
	p.mu.Lock()
	if p.epoch == e {
		p.roomLocked(1 + len(es))
		p.dirs[path] = dirMemo{es, err}
	}
	p.mu.Unlock()
	return es, err
}

// memoInfo is the fs.FileInfo of a remembered Stat.
type memoInfo struct {
	name string
	m    statMemo
}

func (i memoInfo) Name() string       { return i.name }
func (i memoInfo) Size() int64        { return i.m.size }
func (i memoInfo) Mode() fs.FileMode  { return i.m.mode }
func (i memoInfo) ModTime() time.Time { return i.m.mtime }
func (i memoInfo) IsDir() bool        { return i.m.mode.IsDir() }
func (i memoInfo) Sys() any           { return nil }
