package server

import (
	"errors"
	"io/fs"
	"path/filepath"
	"sort"
	"sync"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// passFS sits between the loader and the confined view of the buffers and
// the disk. During a pass (start … reset) it turns on the ConfinedFS's
// listing memo (ConfinedFS.RememberListings: a name a directory's listing
// does not show does not exist, a listed file or directory needs no lstat,
// each directory is listed once) and answers a Stat, a StatType or a
// listing asked again with what the first asking got. The rules and the
// loader ask the same paths many times per project (is lib.rs a file, is
// there a .pyi, the config lookup's pyproject.toml in every ancestor for
// every project), and each asking cost an lstat (ConfinedFS) and a stat
// (the watcher's signature).
//
// What passFS remembers (and the listing memo) is dropped at the end of
// every pass and whenever anything changes (an edit, a disk change, a
// workspace folder), so an analysis never sees an older state than one it
// was told about; an answer fetched before a change is not kept after it
// (epoch). Every asking is recorded for the asking project (watcher.touch),
// and a path the listing memo answered gets a kind-only signature
// (watcher.noteKind), so the poller sees it appear or disappear as it saw
// paths it stat'ed. File contents are not kept here (the loader caches
// parses).
type passFS struct {
	base  project.FS // the ConfinedFS over the overlay and the watcher
	watch *watcher
	// remember and forget turn the ConfinedFS's listing memo on and off
	// (ConfinedFS.RememberListings, ForgetListings); called with mu held,
	// so a reset and a start never interleave.
	remember, forget func()

	mu    sync.Mutex
	epoch uint64
	// listAhead: between start (of a pass that walks) and reset, see
	// listParent.
	listAhead bool
	stats     map[string]project.StatRecord
	types     map[string]typeMemo
	dirs      map[string]dirMemo
	size      int // entries kept (stats + listed entries)
}

// maxPassEntries bounds what passFS keeps (the repetitions are mostly
// within one project and across the ancestors every project shares).
const maxPassEntries = 20_000

type dirMemo struct {
	es  []fs.DirEntry
	err error
}

func newPassFS(base project.FS, w *watcher) *passFS {
	return &passFS{base: base, watch: w, stats: map[string]project.StatRecord{}, types: map[string]typeMemo{}, dirs: map[string]dirMemo{}}
}

// reset forgets everything (a pass ends, something changed), and turns
// the ConfinedFS's listing memo off.
func (p *passFS) reset() {
	p.mu.Lock()
	p.epoch++
	p.listAhead = false
	p.dropLocked()
	if p.forget != nil {
		p.forget()
	}
	p.mu.Unlock()
}

// start begins a pass: a fresh memory, and the ConfinedFS's listing memo
// on (a name its listing of the directory does not show does not exist,
// an entry listed as a file or a directory needs no lstat) until the next
// reset. walks: the pass walks the workspace (discovery), see listParent.
func (p *passFS) start(walks bool) {
	p.mu.Lock()
	p.epoch++
	p.listAhead = walks
	p.dropLocked()
	if p.remember != nil {
		p.remember()
	}
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
		clear(p.types)
		clear(p.dirs)
		p.size = 0
	}
}

// listParent lists path's directory first during a pass when its own
// parent's listing (this pass) shows it as a directory: the ConfinedFS's
// listing memo then answers path without an lstat. The server's walk finds
// a project before it lists the project's subdirectories (it analyses the
// project inside the walk), so the first askings about src/lib.rs would
// each cost an lstat (three per project: the type, the confinement check
// of the read, Hidden) although the walk lists src/ right after anyway.
func (p *passFS) listParent(path string) {
	dir := filepath.Dir(path)
	up := filepath.Dir(dir)
	if dir == path || up == dir {
		return
	}
	p.mu.Lock()
	if !p.listAhead {
		p.mu.Unlock()
		return
	}
	_, listed := p.dirs[dir]
	m, upListed := p.dirs[up]
	p.mu.Unlock()
	if listed || !upListed || m.err != nil {
		return
	}
	name := filepath.Base(dir)
	i := sort.Search(len(m.es), func(i int) bool { return m.es[i].Name() >= name })
	if i < len(m.es) && m.es[i].Name() == name && m.es[i].Type() == fs.ModeDir {
		p.ReadDir(dir)
	}
}

// ReadFile implements project.FS (not remembered).
func (p *passFS) ReadFile(path string) ([]byte, error) {
	p.listParent(path)
	return p.base.ReadFile(path)
}

// Hidden implements project.Hider (ConfinedFS's verdict; not remembered).
func (p *passFS) Hidden(path string) bool {
	p.listParent(path)
	return project.IsHidden(p.base, path)
}

// Stat implements project.FS.
func (p *passFS) Stat(path string) (fs.FileInfo, error) {
	p.mu.Lock()
	m, ok := p.stats[path]
	e := p.epoch
	p.mu.Unlock()
	if ok {
		p.watch.touch(path)
		return m.Info(path)
	}
	p.listParent(path)
	st, err := p.base.Stat(path)
	m = project.CompactStat(st, err)
	var mode fs.FileMode
	if err == nil {
		mode = st.Mode()
	}
	p.noteKind(path, err, mode)
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
	p.noteKind(path, err, fs.ModeDir)
	p.mu.Lock()
	if p.epoch == e {
		p.roomLocked(1 + len(es))
		p.dirs[path] = dirMemo{es, err}
	}
	p.mu.Unlock()
	return es, err
}

// StatType implements the loader's cheaper Stat(path).Mode().Type() (the
// ConfinedFS answers it from a remembered listing when it can).
func (p *passFS) StatType(path string) (fs.FileMode, error) {
	p.mu.Lock()
	m, ok := p.stats[path]
	t, tok := p.types[path]
	e := p.epoch
	p.mu.Unlock()
	switch {
	case ok:
		p.watch.touch(path)
		info, err := m.Info(path)
		if err != nil {
			return 0, err
		}
		return info.Mode().Type(), nil
	case tok:
		p.watch.touch(path)
		return t.typ, t.err
	}
	p.listParent(path)
	typ, err := project.StatType(p.base, path)
	p.noteKind(path, err, typ)
	p.mu.Lock()
	if p.epoch == e {
		p.roomLocked(1)
		p.types[path] = typeMemo{typ, err}
	}
	p.mu.Unlock()
	return typ, err
}

// noteKind records what the ConfinedFS said of path for the watcher, which
// has no signature of it when a remembered listing answered (a path that
// already has one is only recorded for the asking project). A refused
// path (outside the workspace, a system path) is not recorded, as the disk
// was never asked.
func (p *passFS) noteKind(path string, err error, mode fs.FileMode) {
	switch {
	case err == nil:
		p.watch.noteKind(path, true, mode.IsDir())
	case errors.Is(err, fs.ErrNotExist):
		p.watch.noteKind(path, false, false)
	}
}

type typeMemo struct {
	typ fs.FileMode
	err error
}
