package project

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// skipDirs are never descended into.
var skipDirs = map[string]bool{
	"target": true, ".git": true, ".hg": true, ".svn": true, "node_modules": true,
	".venv": true, "venv": true, ".tox": true, ".nox": true, "__pycache__": true,
	"site-packages": true, ".mypy_cache": true, ".pytest_cache": true, ".ruff_cache": true,
}

// MaxWalkEntries bounds how many directory entries one discovery walk visits.
const MaxWalkEntries = 2_000_000

// Discover returns the pyproject.toml files of maturin projects under root
// (root may also be a pyproject.toml or a file inside a project directory).
// Symlinked directories are not followed, so loops and links out of the tree
// are harmless. The result is sorted.
func Discover(l *Loader, root string) ([]string, error) {
	var out []string
	err := Walk(l, root, func(path string) { out = append(out, path) })
	sort.Strings(out)
	return out, err
}

// Walk calls found for each maturin project's pyproject.toml under root as
// the walk meets it (in walk order, not sorted), so a caller can check the
// first projects while the walk goes on. See Discover.
func Walk(l *Loader, root string, found func(pyproject string)) error {
	return WalkReport(l, root, found, nil)
}

// WalkReport is Walk that also tells skipped (when not nil) about each
// candidate it passes over and why: a pyproject.toml that cannot be read,
// is a symlink or looks like a template, a directory that cannot be listed
// or that a virtualenv's pyvenv.cfg marks. The root itself is never
// skipped: when it is a directory that cannot be listed, WalkReport
// returns the error.
func WalkReport(l *Loader, root string, found func(pyproject string), skipped func(path, reason string)) error {
	return WalkWith(l, root, WalkOptions{Skipped: skipped}, found)
}

// WalkOptions tune a discovery walk. The zero value is the default walk.
type WalkOptions struct {
	// NoRespectGitignore makes the walk look into directories that
	// .gitignore files (and the repository's .git/info/exclude) ignore; by
	// default they are passed over silently, as ruff does (its
	// respect-gitignore setting). Only directories are passed over: a
	// pyproject.toml in a searched directory counts even when a pattern
	// matches it (a tracked file git keeps whatever .gitignore says).
	NoRespectGitignore bool

	// Skipped, when set, hears about each candidate passed over, with the
	// reason (see WalkReport).
	Skipped func(path, reason string)

	// Serial scans every directory on the walking goroutine, none ahead of
	// the walk: for a caller that checks each project inside found while
	// recording what the check reads (the language server), so the walk's
	// reads do not land in that recording and the walk does not parse
	// every pyproject.toml of a large tree ahead of the checks.
	Serial bool
}

// noNewProjects are directory names the walk does not descend into looking
// for projects (below the root): build and distribution output (setuptools'
// build/, wheels and sdists in dist/). A project found elsewhere still reads
// whatever files of them it references.
var noNewProjects = map[string]bool{"build": true, "dist": true}

// WalkWith is WalkReport with options. Besides skipDirs, build/ and dist/
// below the root and, unless opts.NoRespectGitignore, whatever the
// .gitignore files from the repository root (the nearest directory holding
// .git) down ignore are not searched (directories only; see WalkOptions). A .gitignore counts also outside a git
// repository, from the root down (exported snapshots keep their
// .gitignore). The root itself is never skipped, even when ignored.
func WalkWith(l *Loader, root string, opts WalkOptions, found func(pyproject string)) error {
	skipped := opts.Skipped
	if skipped == nil {
		skipped = func(string, string) {}
	}
	root = cleanPath(root)
	st, err := l.FS.Stat(root)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		if filepath.Base(root) == "pyproject.toml" {
			found(root)
			return nil
		}
		root = pathDir(root)
	}
	rootScan := &dirScan{dir: root, done: make(chan struct{})}
	rootScan.claimed.Store(true)
	respect := !opts.NoRespectGitignore
	rootScan.run(l, 0, respect)
	close(rootScan.done)
	if rootScan.err != nil {
		return rootScan.err
	}
	var ignores *ignoreStack
	if respect {
		ignores = repoIgnores(l, root)
	}
	pool := newScanPool(l, respect)
	if opts.Serial {
		pool.serial = true
	}
	defer pool.stop()
	visited := 0
	var walk func(s *dirScan, depth int, ign *ignoreStack)
	walk = func(s *dirScan, depth int, ign *ignoreStack) {
		dir := s.dir
		if depth > 64 || visited > MaxWalkEntries {
			skipped(dir, "too deep or too many entries")
			return
		}
		pool.wait(s, depth)
		entries, err := s.entries, s.err
		if err != nil {
			skipped(dir, "cannot list the directory: "+errText(err))
			return
		}
		visited += len(entries)
		if s.venv {
			for _, x := range entries {
				if x.Name() == "pyproject.toml" {
					skipped(dir, "a virtualenv (pyvenv.cfg), not searched")
				}
			}
			return
		}
		if respect {
			for _, e := range entries {
				if e.Name() == ".git" && depth > 0 {
					// a nested repository: its parents' patterns stop here
					ign = infoExclude(l, dir)
				}
			}
			ign = ign.push(dir, s.gitignore)
		}
		// The directories to descend into, scanned ahead by the pool
		// (listing, .gitignore, pyvenv.cfg, pyproject.toml) while this
		// goroutine walks in order, so found and skipped hear of each
		// path in the same order as a serial walk. Paths are joined only
		// for what is used, not for every entry.
		var subs []*dirScan
		for _, e := range entries {
			name := e.Name()
			if e.Type()&fs.ModeSymlink != 0 || !e.IsDir() || skipDirs[name] || noNewProjects[name] {
				continue
			}
			full := dir + string(filepath.Separator) + name
			if ign != nil && ign.ignored(full, true) {
				continue
			}
			subs = append(subs, &dirScan{dir: full, done: make(chan struct{})})
		}
		if depth+1 <= 64 {
			pool.submit(subs, depth+1)
		}
		next := 0
		for _, e := range entries {
			name := e.Name()
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				if name == "pyproject.toml" {
					skipped(dir+string(filepath.Separator)+name, "a symlink (not followed while looking for projects)")
				}
				continue
			case e.IsDir():
				if next < len(subs) && subs[next].dir[len(dir)+1:] == name {
					walk(subs[next], depth+1, ign)
					next++
				}
			case name == "pyproject.toml":
				// An ignored pyproject.toml in a searched directory is still
				// taken: git keeps tracked files whatever .gitignore says,
				// and that is what such a file usually is (adriangb/pgpq's
				// json/.gitignore ignores "/*" and re-includes the sources
				// but not its tracked pyproject.toml).
				full := dir + string(filepath.Separator) + name
				if s.candidate {
					found(full)
				} else if s.why != "" {
					skipped(full, s.why)
				}
			}
		}
	}
	walk(rootScan, 0, ignores)
	return nil
}

// dirScan is what the walk needs of one directory, read ahead of it by a
// scanPool: its listing, whether a pyvenv.cfg marks it as a virtualenv,
// its .gitignore patterns and whether its pyproject.toml is a maturin
// candidate (maturinCandidate, which also parses and keeps it).
type dirScan struct {
	dir     string
	claimed atomic.Bool   // taken by a pool worker or by the walk itself
	done    chan struct{} // closed when the fields below are set
	worker  bool          // a pool worker scanned it (counted in scanPool.ahead)

	entries   []fs.DirEntry
	err       error
	venv      bool
	gitignore []ignorePattern
	candidate bool   // pyproject.toml is a maturin project's
	why       string // why not, when it is worth saying
}

// run scans s.dir (at depth below the walk's root).
func (s *dirScan) run(l *Loader, depth int, respect bool) {
	s.entries, s.err = l.FS.ReadDir(s.dir)
	if s.err != nil {
		return
	}
	sep := string(filepath.Separator)
	if depth > 0 {
		for _, e := range s.entries {
			if e.Name() == "pyvenv.cfg" && isVenvConfig(l, s.dir+sep+e.Name()) {
				s.venv = true
				return
			}
		}
	}
	for _, e := range s.entries {
		switch name := e.Name(); {
		case respect && name == ".gitignore" && e.Type().IsRegular():
			if src, err := l.FS.ReadFile(s.dir + sep + name); err == nil {
				s.gitignore = parseIgnore(string(src))
			}
		case name == "pyproject.toml" && e.Type()&fs.ModeSymlink == 0 && !e.IsDir():
			s.candidate, s.why = maturinCandidate(l, s.dir+sep+name)
		}
	}
}

// scanPool scans directories ahead of the walk on a few goroutines: the
// walk submits the subdirectories it will descend into and then waits for
// (or, when no worker has started it, runs itself) each in turn.
type scanPool struct {
	l       *Loader
	respect bool
	mu      sync.Mutex
	cond    *sync.Cond
	stack   []scanJob // last in, first out: the walk is depth-first
	closed  bool
	workers int
	serial  bool // no workers: the walk scans each directory itself
	ahead   int  // scans done by workers and not yet taken by the walk
}

// maxScansAhead bounds how far the workers run ahead of the walk: a scan
// keeps its directory's parsed pyproject.toml in the loader until its
// project is checked and released.
const maxScansAhead = 64

type scanJob struct {
	s     *dirScan
	depth int
}

func newScanPool(l *Loader, respect bool) *scanPool {
	p := &scanPool{l: l, respect: respect}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// scanWorkers is how many goroutines scan ahead of a walk. Listing a
// directory is mostly waiting on system calls, so a few more than the
// cores help.
func scanWorkers() int { return runtime.GOMAXPROCS(0) + 1 }

// submit queues subs (in walk order) for scanning at depth.
func (p *scanPool) submit(subs []*dirScan, depth int) {
	if len(subs) == 0 || p.serial {
		return
	}
	p.mu.Lock()
	for i := len(subs) - 1; i >= 0; i-- {
		p.stack = append(p.stack, scanJob{subs[i], depth})
	}
	if p.workers < scanWorkers() {
		p.workers++
		go p.work()
	}
	p.cond.Broadcast()
	p.mu.Unlock()
}

func (p *scanPool) work() {
	for {
		p.mu.Lock()
		for (len(p.stack) == 0 || p.ahead >= maxScansAhead) && !p.closed {
			p.cond.Wait()
		}
		if p.closed {
			p.mu.Unlock()
			return
		}
		j := p.stack[len(p.stack)-1]
		p.stack[len(p.stack)-1] = scanJob{}
		p.stack = p.stack[:len(p.stack)-1]
		p.mu.Unlock()
		if j.s.claimed.CompareAndSwap(false, true) {
			j.s.run(p.l, j.depth, p.respect)
			j.s.worker = true
			p.mu.Lock()
			p.ahead++
			p.mu.Unlock()
			close(j.s.done)
		}
	}
}

// wait returns when s is scanned, scanning it here if no worker has
// started it.
func (p *scanPool) wait(s *dirScan, depth int) {
	if s.claimed.CompareAndSwap(false, true) {
		s.run(p.l, depth, p.respect)
		close(s.done)
		return
	}
	<-s.done
	if !s.worker {
		return
	}
	p.mu.Lock()
	p.ahead--
	p.cond.Broadcast()
	p.mu.Unlock()
}

// stop ends the workers; scans not started are dropped.
func (p *scanPool) stop() {
	p.mu.Lock()
	p.closed = true
	p.stack = nil
	p.cond.Broadcast()
	p.mu.Unlock()
}

// isVenvConfig reports whether a pyvenv.cfg is a virtualenv's: it names
// the interpreter's home (an empty or unrelated file does not hide a tree).
func isVenvConfig(l *Loader, path string) bool {
	src, err := l.FS.ReadFile(path)
	if err != nil {
		return false
	}
	for _, line := range bytes.Split(src, []byte("\n")) {
		k, _, ok := bytes.Cut(line, []byte("="))
		if ok && string(bytes.TrimSpace(k)) == "home" {
			return true
		}
	}
	return false
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

var maturinWord = []byte("maturin")

// IsMaturinPyproject reports whether path is a pyproject.toml maturin builds:
// build-backend "maturin" or a [tool.maturin] table. A file that does not
// parse counts when it mentions maturin, so its syntax error gets reported.
// A file that does not contain the word "maturin" is rejected without
// parsing it and without keeping it in the loader.
func IsMaturinPyproject(l *Loader, path string) bool {
	ok, _ := maturinCandidate(l, path)
	return ok
}

// maturinCandidate is IsMaturinPyproject with, for a file that mentions
// maturin but is not taken, the reason (empty for files that are simply
// not maturin projects).
func maturinCandidate(l *Loader, path string) (bool, string) {
	if !l.cached(path) {
		src, err := l.FS.ReadFile(path)
		switch {
		case errors.Is(err, ErrTooLarge):
			return true, "" // reported as T003
		case err != nil:
			return false, "cannot be read: " + errText(err)
		case !bytes.Contains(src, maturinWord):
			return false, ""
		case isTemplate(src):
			return false, "looks like a template ({{ … }}), not a project"
		}
		l.seed(path, src)
	}
	f, pp := l.Pyproject(path)
	if f.ReadErr == nil && !bytes.Contains(f.Src, maturinWord) {
		// as when read above: already loaded (a workspace-level
		// configuration another project looked up) must not change the
		// answer, nor whether a reason is given
		return false, ""
	}
	if f.ReadErr == nil && isTemplate(f.Src) {
		return false, "looks like a template ({{ … }}), not a project"
	}
	if pp != nil && (f.TOMLErr == nil || pp.IsMaturinProject()) {
		return pp.IsMaturinProject(), ""
	}
	if errors.Is(f.ReadErr, ErrTooLarge) {
		return true, "" // reported as T003
	}
	if f.ReadErr != nil {
		return false, "cannot be read: " + errText(f.ReadErr)
	}
	return bytes.Contains(f.Src, maturinWord), ""
}

// isTemplate reports whether a pyproject.toml is a template (cookiecutter,
// copier, jinja, polars' runtime template): its names contain placeholders.
func isTemplate(src []byte) bool {
	return bytes.Contains(src, []byte("{{")) && (bytes.Contains(src, []byte("}}")) || bytes.Contains(src, []byte("%}")))
}

// FindEnclosing returns the pyproject.toml of the nearest maturin project
// at or above path (a file or directory), walking up to the filesystem root
// the way cargo looks for Cargo.toml and ruff for its configuration, or ""
// when there is none. A non-maturin pyproject.toml on the way (a Python
// package inside a maturin repository) does not stop the walk.
func FindEnclosing(l *Loader, path string) string {
	dir := cleanPath(path)
	if st, err := l.FS.Stat(dir); err != nil || !st.IsDir() {
		dir = pathDir(dir)
	}
	for i := 0; i < 256; i++ {
		cand := pathJoin(dir, "pyproject.toml")
		if st, err := l.FS.Stat(cand); err == nil && !st.IsDir() && IsMaturinPyproject(l, cand) {
			return cand
		}
		parent := pathDir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return ""
}
