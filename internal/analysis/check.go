package analysis

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// Result is the outcome of checking some paths.
type Result struct {
	Diagnostics []Diagnostic
	// Files maps every path a diagnostic (or related location) may name to its contents.
	Files    map[string]*project.SourceFile
	Projects []*project.Project
	// ProjectCount is how many projects were checked (len(Projects), or
	// the count CheckLean keeps instead of the snapshots).
	ProjectCount int
	// Panics are the panics recovered while checking (bugs in pyo3-ls),
	// sorted by project and rule; the diagnostics hold everything else.
	Panics []Panic
}

// panicCollector gathers the panics of a concurrent check.
type panicCollector struct {
	mu     sync.Mutex
	panics []Panic
}

// options returns opts with OnPanic also recording into c.
func (c *panicCollector) options(opts Options) Options {
	user := opts.OnPanic
	opts.OnPanic = func(p Panic) {
		c.mu.Lock()
		c.panics = append(c.panics, p)
		c.mu.Unlock()
		if user != nil {
			user(p)
		}
	}
	return opts
}

// load loads and checks one project, recovering a panic of the loader.
func (c *panicCollector) load(l *project.Loader, path string, opts Options) (p *project.Project, diags []Diagnostic) {
	defer func() {
		if v := recover(); v != nil {
			p, diags = &project.Project{Dir: filepath.Dir(path), FS: l.FS}, nil
			opts.panicked(path, "", v)
		}
	}()
	p = project.Load(l, path)
	return p, Run(p, opts)
}

// loadWithin is load under opts.ProjectTimeout (none when it is 0): a
// project still being analysed at the deadline is recorded like a panic
// (not a finding: the CLI reports it and exits 2) and an empty project is
// returned, so one project cannot stop the others. The abandoned goroutine
// stops at the next rule (opts.Context) or runs on until the process ends.
//
// r is the calling worker's runner: the projects run on its goroutine,
// which outlives each project, so the stack the parsers grow is grown once
// per worker rather than once per project (a fresh goroutine per project
// spent ~4% of the CLI's CPU in stack growth). A project past its deadline
// keeps that goroutine; the next one gets a new runner.
func (c *panicCollector) loadWithin(r *loadRunner, l *project.Loader, path string, opts Options) (*project.Project, []Diagnostic) {
	if opts.ProjectTimeout <= 0 {
		return c.load(l, path, opts)
	}
	parent := opts.Context
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithTimeout(parent, opts.ProjectTimeout)
	defer cancel()
	opts.Context = ctx
	out := r.start(c, l, path, opts)
	select {
	case res := <-out:
		return res.p, res.diags
	case <-ctx.Done():
		r.abandon()
		if opts.OnPanic != nil {
			opts.OnPanic(Panic{Project: path, Value: fmt.Sprintf("analysis did not finish within %v; the project was not checked", opts.ProjectTimeout)})
		}
		return &project.Project{Dir: filepath.Dir(path), FS: l.FS}, nil
	}
}

// loadRunner is one worker's goroutine for loadWithin.
type loadRunner struct {
	jobs chan loadJob   // nil until the first project
	out  chan loadedRes // buffered, so an abandoned goroutine never blocks on it
}

type loadJob struct {
	c    *panicCollector
	l    *project.Loader
	path string
	opts Options
}

type loadedRes struct {
	p     *project.Project
	diags []Diagnostic
}

// start hands the project to the runner's goroutine (starting one if
// needed) and returns where its result arrives.
func (r *loadRunner) start(c *panicCollector, l *project.Loader, path string, opts Options) <-chan loadedRes {
	if r.jobs == nil {
		jobs, out := make(chan loadJob), make(chan loadedRes, 1)
		r.jobs, r.out = jobs, out
		go func() {
			for j := range jobs {
				p, diags := j.c.load(j.l, j.path, j.opts)
				out <- loadedRes{p, diags}
			}
		}()
	}
	r.jobs <- loadJob{c, l, path, opts}
	return r.out
}

// abandon leaves the runner's goroutine to finish its project alone (it
// then exits); the next project starts a new one.
func (r *loadRunner) abandon() {
	if r.jobs != nil {
		close(r.jobs)
		r.jobs, r.out = nil, nil
	}
}

func (c *panicCollector) sorted() []Panic {
	c.mu.Lock()
	defer c.mu.Unlock()
	sort.Slice(c.panics, func(i, j int) bool {
		if c.panics[i].Project != c.panics[j].Project {
			return c.panics[i].Project < c.panics[j].Project
		}
		return c.panics[i].Code < c.panics[j].Code
	})
	return c.panics
}

func (o Options) walkOptions() project.WalkOptions {
	return project.WalkOptions{Skipped: o.Skipped, NoRespectGitignore: o.NoRespectGitignore}
}

// Check discovers the maturin projects under roots and checks each, in
// parallel on a bounded pool; the result does not depend on scheduling.
func Check(l *project.Loader, roots []string, opts Options) (*Result, error) {
	var paths []string
	seen := map[string]bool{}
	for _, root := range roots {
		var found []string
		err := project.WalkWith(l, root, opts.walkOptions(), func(p string) { found = append(found, p) })
		sort.Strings(found)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if !seen[f] {
				seen[f] = true
				paths = append(paths, f)
			}
		}
	}
	return CheckProjects(l, paths, opts), nil
}

// CheckProjects checks the projects whose pyproject.toml files are given.
func CheckProjects(l *project.Loader, pyprojects []string, opts Options) *Result {
	projects := make([]*project.Project, len(pyprojects))
	diags := make([][]Diagnostic, len(pyprojects))
	var pc panicCollector
	opts = pc.options(opts)
	workers := runtime.GOMAXPROCS(0)
	if workers > len(pyprojects) {
		workers = len(pyprojects)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				projects[i], diags[i] = pc.load(l, pyprojects[i], opts)
			}
		}()
	}
	for i := range pyprojects {
		next <- i
	}
	close(next)
	wg.Wait()

	res := &Result{Files: map[string]*project.SourceFile{}, Projects: projects, ProjectCount: len(projects)}
	for _, p := range projects {
		if p == nil {
			continue // its loader panicked (Result.Panics)
		}
		for _, f := range p.Files() {
			if !f.Hidden { // a Cargo.toml outside the checked trees: its text is never shown
				res.Files[f.Path] = f
			}
		}
	}
	res.Diagnostics = dedup(func(yield func([]Diagnostic)) {
		for _, ds := range diags {
			yield(ds)
		}
	})
	Sort(res.Diagnostics)
	res.Panics = pc.sorted()
	return res
}

// dedup concatenates the projects' diagnostics, in the order given, keeping
// the first of those with the same path, range, code and message (a file
// several projects read, such as a workspace Cargo.toml, is checked by each).
func dedup(each func(yield func([]Diagnostic))) []Diagnostic {
	type key struct {
		path       string
		start, end int
		code, msg  string
	}
	var out []Diagnostic
	dup := map[key]bool{}
	each(func(ds []Diagnostic) {
		for _, d := range ds {
			k := key{d.Path, d.Range.Start, d.Range.End, d.Code, d.Message}
			if dup[k] {
				continue
			}
			dup[k] = true
			out = append(out, d)
		}
	})
	return out
}

// CheckLean is Check for a one-shot run (the CLI): the walk and the checks
// run at the same time (projects are checked as the walk finds them), and
// each project's snapshot is dropped once its rules ran. Result.Projects
// stays nil (ProjectCount counts them) and Result.Files holds only the files
// the diagnostics name, with their path and text but no parsed document.
// Diagnostics are the same, in the same order, as Check's.
func CheckLean(l *project.Loader, roots []string, opts Options) (*Result, error) {
	type found struct {
		root int
		path string
	}
	type done struct {
		found
		diags []Diagnostic
		files map[string]*project.SourceFile // slim copies of the files diags name
		read  []string                       // every file the project read
	}
	jobs := make(chan found, 64)
	results := make(chan done, 64)
	var pc panicCollector
	opts = pc.options(opts)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r loadRunner
			defer r.abandon()
			for j := range jobs {
				p, diags := pc.loadWithin(&r, l, j.path, opts)
				d := done{found: j, diags: diags}
				all := p.Files()
				d.read = make([]string, 0, len(all))
				for _, f := range all {
					d.read = append(d.read, f.Path)
				}
				for _, path := range namedPaths(d.diags) {
					for _, f := range all {
						if f.Path == path {
							if f.Hidden {
								break // a Cargo.toml outside the checked trees: its text is never shown
							}
							if d.files == nil {
								d.files = map[string]*project.SourceFile{}
							}
							d.files[path] = slim(f)
							break
						}
					}
				}
				l.Release(p)
				results <- d
			}
		}()
	}
	var walkErr error
	go func() {
		defer close(jobs)
		seen := map[string]bool{}
		for i, root := range roots {
			err := project.WalkWith(l, root, opts.walkOptions(), func(path string) {
				if !seen[path] {
					seen[path] = true
					jobs <- found{i, path}
				}
			})
			if err != nil {
				walkErr = err
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var all []done
	for d := range results {
		all = append(all, d)
	}
	if walkErr != nil {
		return nil, walkErr
	}
	// The order Check uses: roots in order, each root's projects sorted.
	sort.Slice(all, func(i, j int) bool {
		if all[i].root != all[j].root {
			return all[i].root < all[j].root
		}
		return all[i].path < all[j].path
	})
	res := &Result{Files: map[string]*project.SourceFile{}, ProjectCount: len(all), Panics: pc.sorted()}
	read := map[string]bool{}
	for _, d := range all {
		for _, p := range d.read {
			read[p] = true
		}
		for p, f := range d.files {
			res.Files[p] = f
		}
	}
	res.Diagnostics = dedup(func(yield func([]Diagnostic)) {
		for _, d := range all {
			yield(d.diags)
		}
	})
	// A diagnostic may name a file another project read: give it that file.
	for _, path := range namedPaths(res.Diagnostics) {
		if res.Files[path] == nil && read[path] && !project.IsHidden(l.FS, path) {
			f := &project.SourceFile{Path: path}
			f.Src, f.ReadErr = l.FS.ReadFile(path)
			res.Files[path] = f
		}
	}
	Sort(res.Diagnostics)
	return res, nil
}

// namedPaths lists the paths diagnostics point into (locations, related
// locations and fix edits), without duplicates.
func namedPaths(ds []Diagnostic) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, d := range ds {
		add(d.Path)
		for _, r := range d.Related {
			add(r.Path)
		}
		for _, f := range d.Fixes {
			for _, e := range f.Edits {
				add(e.Path)
			}
		}
	}
	return out
}

// slim is what output needs of a file: its path and text.
func slim(f *project.SourceFile) *project.SourceFile {
	return &project.SourceFile{Path: f.Path, Src: f.Src, ReadErr: f.ReadErr, TOMLErr: f.TOMLErr}
}
