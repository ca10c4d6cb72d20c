package analysis

import (
	"runtime"
	"sync"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// Result is the outcome of checking some paths.
type Result struct {
	Diagnostics []Diagnostic
	// Files maps every path a diagnostic (or related location) may name to its contents.
	Files    map[string]*project.SourceFile
	Projects []*project.Project
}

// Check discovers the maturin projects under roots and checks each, in
// parallel on a bounded pool; the result does not depend on scheduling.
func Check(l *project.Loader, roots []string, opts Options) (*Result, error) {
	var paths []string
	seen := map[string]bool{}
	for _, root := range roots {
		found, err := project.Discover(l, root)
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
				projects[i] = project.Load(l, pyprojects[i])
				diags[i] = Run(projects[i], opts)
			}
		}()
	}
	for i := range pyprojects {
		next <- i
	}
	close(next)
	wg.Wait()

	res := &Result{Files: map[string]*project.SourceFile{}, Projects: projects}
	type key struct {
		path       string
		start, end int
		code, msg  string
	}
	dup := map[key]bool{}
	for i, p := range projects {
		for _, f := range p.Files() {
			res.Files[f.Path] = f
		}
		for _, d := range diags[i] {
			k := key{d.Path, d.Range.Start, d.Range.End, d.Code, d.Message}
			if dup[k] {
				continue
			}
			dup[k] = true
			res.Diagnostics = append(res.Diagnostics, d)
		}
	}
	Sort(res.Diagnostics)
	return res
}
