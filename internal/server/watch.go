package server

import (
	"context"
	"errors"
	"io/fs"
	"sort"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// The server notices disk changes itself, whatever the client does: Neovim
// 0.7 and Helix never send workspace/didChangeWatchedFiles, Neovim 0.12 only
// when opted in, eglot misses rename-over writes, and the globs a client
// watches never cover everything the rules look at (a README, a license
// file, a python-source package, a stub, a file that does not exist yet).
//
// watcher sits between the loader and the disk and records every path the
// analysis (and discovery) read, stat'ed or listed — found or not — with its
// signature at that time (existence, kind, size, mtime; only existence and
// kind for a path the ConfinedFS answered from a directory listing during a
// pass, see passFS and noteKind, until the first poll fills it in). A poller re-stats
// every recorded path; a changed signature drops the cached parse and
// re-analyses the projects that touched it. Directories are recorded too,
// so a file or package created in a listed directory changes the directory's
// mtime and is seen. Polling was chosen over fsnotify: inotify needs one
// watch per directory (a polars checkout has thousands; the per-user limit
// is often 8,192 and shared with every editor), reports nothing for paths
// that do not exist yet without watching their parents, and the set to watch
// is exactly the set of paths already recorded here. A stat costs about a
// microsecond: a polars-sized workspace (~3,000 recorded paths) polls in a
// few milliseconds; the interval grows with the cost so polling stays under
// 2% of one core.
type watcher struct {
	base project.FS // the disk (confined), below the overlay

	mu   sync.Mutex
	sigs map[string]fileSig
	recs map[*recording]bool
	kick chan struct{}
}

// fileSig is what a stat says about a path.
type fileSig struct {
	exists bool
	dir    bool
	size   int64
	mtime  int64
	mode   fs.FileMode
	err    bool // a stat error other than not-exist
	// kindOnly: only exists and dir are known (a remembered listing told
	// them, noteKind); the poller compares those, and a full signature
	// replaces it when it agrees.
	kindOnly bool
}

// same reports whether a fresh signature b shows no change from a.
func (a fileSig) same(b fileSig) bool {
	if a.kindOnly {
		return a.exists == b.exists && a.dir == b.dir && !b.err
	}
	return a == b
}

func sigOf(st fs.FileInfo, err error) fileSig {
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fileSig{}
		}
		return fileSig{err: true}
	}
	return fileSig{exists: true, dir: st.IsDir(), size: st.Size(), mtime: st.ModTime().UnixNano(), mode: st.Mode()}
}

// recording collects the paths touched while it is active.
type recording struct {
	paths map[string]bool
}

func newWatcher(base project.FS) *watcher {
	return &watcher{base: base, sigs: map[string]fileSig{}, recs: map[*recording]bool{}, kick: make(chan struct{}, 1)}
}

// note records path; the first signature seen is kept until the poller
// replaces it, so a change is never absorbed by a later read.
func (w *watcher) note(path string, st fs.FileInfo, err error) {
	sig := sigOf(st, err)
	w.mu.Lock()
	if old, ok := w.sigs[path]; !ok || old.kindOnly && old.same(sig) {
		w.sigs[path] = sig
	}
	for r := range w.recs {
		r.paths[path] = true
	}
	w.mu.Unlock()
}

// noteKind records path with only what a remembered directory listing
// says of it (ConfinedFS answered without asking the disk): whether it
// exists and is a directory. The poller sees it appear, disappear or change
// kind; a later full signature (a read) replaces it.
func (w *watcher) noteKind(path string, exists, dir bool) {
	w.mu.Lock()
	if _, ok := w.sigs[path]; !ok {
		w.sigs[path] = fileSig{exists: exists, dir: dir, kindOnly: true}
	}
	for r := range w.recs {
		r.paths[path] = true
	}
	w.mu.Unlock()
}

// touch records path for the active recordings without asking the disk
// (passFS answered it again; note took its signature the first time).
func (w *watcher) touch(path string) {
	w.mu.Lock()
	for r := range w.recs {
		r.paths[path] = true
	}
	w.mu.Unlock()
}

// begin starts recording the paths touched from now on.
func (w *watcher) begin() *recording {
	r := &recording{paths: map[string]bool{}}
	w.mu.Lock()
	w.recs[r] = true
	w.mu.Unlock()
	return r
}

// end stops r and returns what it recorded.
func (w *watcher) end(r *recording) map[string]bool {
	w.mu.Lock()
	delete(w.recs, r)
	w.mu.Unlock()
	return r.paths
}

// refresh re-reads path's signature (the client told us of the change, or it
// was saved): the poller then does not report the same change again.
func (w *watcher) refresh(path string) {
	st, err := w.base.Stat(path)
	w.mu.Lock()
	if _, ok := w.sigs[path]; ok {
		w.sigs[path] = sigOf(st, err)
	}
	w.mu.Unlock()
}

// pollNow asks the poller for a round at once (after a save).
func (w *watcher) pollNow() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// ReadFile implements project.FS: the signature is taken before the read,
// so a change during the read is seen by the next poll.
func (w *watcher) ReadFile(path string) ([]byte, error) {
	st, err := w.base.Stat(path)
	w.note(path, st, err)
	return w.base.ReadFile(path)
}

// ReadRegularStat implements project.RegularStatReader (ConfinedFS knows
// path is a regular file, not a symlink): the signature is the open file's
// fstat, taken before the read, instead of a stat of its own.
func (w *watcher) ReadRegularStat(path string) ([]byte, fs.FileInfo, error) {
	// Only over the disk itself: a wrapper that embeds OSFS (tests) would
	// have its ReadFile bypassed.
	rs, ok := w.base.(project.OSFS)
	if !ok {
		data, err := w.ReadFile(path)
		return data, nil, err
	}
	data, st, err := rs.ReadRegularStat(path)
	switch {
	case project.IsLoop(err):
		// a symlink after all: ConfinedFS checks it again and reads it
		// with ReadFile, which takes the signature
	case st != nil:
		w.note(path, st, nil)
	default:
		pst, perr := w.base.Stat(path)
		w.note(path, pst, perr)
	}
	return data, st, err
}

// Stat implements project.FS.
func (w *watcher) Stat(path string) (fs.FileInfo, error) {
	st, err := w.base.Stat(path)
	w.note(path, st, err)
	return st, err
}

// ReadDir implements project.FS. Over the disk itself the signature is the
// open directory's fstat, taken before the listing, instead of a stat of
// its own.
func (w *watcher) ReadDir(path string) ([]fs.DirEntry, error) {
	if rs, ok := w.base.(project.OSFS); ok {
		es, st, err := rs.ReadDirStat(path)
		if st != nil {
			w.note(path, st, nil)
			return es, err
		}
		// not opened (missing, not a directory...): the signature says why
		pst, perr := w.base.Stat(path)
		w.note(path, pst, perr)
		return es, err
	}
	st, err := w.base.Stat(path)
	w.note(path, st, err)
	return w.base.ReadDir(path)
}

// poll stats every recorded path and returns those whose signature changed.
func (w *watcher) poll(ctx context.Context) []string {
	w.mu.Lock()
	paths := make([]string, 0, len(w.sigs))
	for p := range w.sigs {
		paths = append(paths, p)
	}
	w.mu.Unlock()
	var changed []string
	for i, p := range paths {
		if i%256 == 0 && ctx.Err() != nil {
			return nil
		}
		sig := sigOf(w.base.Stat(p))
		w.mu.Lock()
		old, ok := w.sigs[p]
		if ok && !old.same(sig) {
			w.sigs[p] = sig
			changed = append(changed, p)
		} else if ok && old.kindOnly {
			w.sigs[p] = sig // from now on the full signature
		}
		w.mu.Unlock()
	}
	sort.Strings(changed)
	return changed
}

// minPoll is the shortest interval between polls: a disk edit is seen in
// well under a second.
const minPoll = 250 * time.Millisecond

// maxPollDelay is the longest a running pass holds the poller back.
const maxPollDelay = 10 * time.Second

// poller polls until ctx ends. interval < 0 disables it.
func (s *Server) poller(ctx context.Context, interval time.Duration) {
	defer s.recoverLog("poller")
	if interval < 0 {
		return
	}
	if interval == 0 {
		interval = minPoll
	}
	wait := interval
	lastPoll := time.Now()
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.watch.kick:
			t.Stop()
		case <-t.C:
		}
		s.mu.Lock()
		ready := s.state == stateInitialized && !s.closed
		s.mu.Unlock()
		if !ready {
			wait = interval
			continue
		}
		// While a pass runs, the signatures it is taking are fresh: a
		// change made meanwhile is still seen by the first poll after it
		// (they were taken at read time). Waiting keeps the initial
		// analysis of a large workspace from re-stating every path it has
		// read so far, several times over; a long pass still gets a poll
		// every maxPollDelay.
		if s.passing.Load() && time.Since(lastPoll) < maxPollDelay {
			wait = interval / 5
			continue
		}
		start := time.Now()
		lastPoll = start
		changed := s.watch.poll(ctx)
		took := time.Since(start)
		// Keep polling under 2% of a core, however many paths there are.
		wait = max(interval, 50*took)
		for _, p := range changed {
			s.diskChanged(p)
		}
		if len(changed) > 0 {
			s.log.Debug("disk changes", zap.Int("paths", len(changed)), zap.Duration("poll", took))
		}
	}
}

// diskChanged handles a path whose signature changed on disk.
func (s *Server) diskChanged(path string) {
	if _, open := s.overlay.Get(path); open {
		return // the buffer wins over the disk
	}
	if st, err := s.watch.base.Stat(path); err == nil && st.IsDir() {
		// An entry was added or removed: a new project or package may have
		// appeared below it (discovery records what it lists, so new
		// directories are watched from then on).
		s.mu.Lock()
		inRoots := s.coveredByRootLocked(path)
		s.mu.Unlock()
		if inRoots {
			s.discover([]string{path})
		}
	}
	s.fileChanged(path)
}
