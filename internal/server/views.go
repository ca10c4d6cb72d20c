package server

import (
	"context"
	"sort"
	"time"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// view is one project as an analysis saw it, with its findings.
type view struct {
	proj  *project.Project
	diags []analysis.Diagnostic
}

// maxViewWait bounds how long a request waits for the worker before it
// loads the project itself.
const maxViewWait = 2 * time.Second

// views returns the projects path belongs to (those whose files include it,
// else those whose directories hold it) from their latest analysis, so
// requests never run the rules again and never queue behind a re-parse of a
// large buffer.
//
// strict requests (code actions, rename: their edits must apply to the text
// the client has) wait until every change made before the request has been
// analysed. Others (hover, completion, definition) take the latest snapshot
// as soon as it holds the current text of path itself; other files may lag
// by one pass. Either waits at most maxViewWait (and ctx), then loads — and,
// when strict, analyses — the project itself.
func (s *Server) views(ctx context.Context, path string, strict bool) []view {
	wctx, cancel := context.WithTimeout(ctx, maxViewWait)
	defer cancel()
	var direct []string
	var gen0 []uint64
	for {
		s.mu.Lock()
		direct, gen0 = s.projectsForLocked(path)
		pending := len(direct) == 0 && (len(s.rediscover) > 0 || s.discovering)
		ch := s.analysed
		s.mu.Unlock()
		if !pending {
			break
		}
		// Discovery has not run yet (a request right after initialize).
		select {
		case <-ch:
			continue
		case <-wctx.Done():
		}
		break
	}
	return s.viewsOf(wctx, path, strict, direct, gen0)
}

// projectsForLocked returns the projects path belongs to and their gens.
func (s *Server) projectsForLocked(path string) ([]string, []uint64) {
	var direct, near []string
	for pp, ps := range s.projects {
		if ps.hasFile(path) {
			direct = append(direct, pp)
			continue
		}
		for _, d := range ps.dirs {
			if within(d, path) {
				near = append(near, pp)
				break
			}
		}
	}
	if len(direct) == 0 {
		direct = near
	}
	sort.Strings(direct)
	gen0 := make([]uint64, len(direct))
	for i, pp := range direct {
		gen0[i] = s.projects[pp].gen
	}
	return direct, gen0
}

// viewsOf waits (until wctx ends) for the analyses views needs, then falls
// back to loading the projects itself.
func (s *Server) viewsOf(wctx context.Context, path string, strict bool, direct []string, gen0 []uint64) []view {

	for {
		s.mu.Lock()
		out := make([]view, 0, len(direct))
		var reload []string // analysed, but the snapshot was not kept
		ready := true
		for i, pp := range direct {
			ps := s.projects[pp]
			if ps == nil {
				continue // removed meanwhile
			}
			analysed := ps.snap != nil || ps.snapGen > 0
			if analysed && (ps.snapGen >= gen0[i] || !strict && s.fileCurrent(ps, path)) {
				if ps.snap == nil {
					reload = append(reload, pp)
					out = append(out, view{})
					continue
				}
				out = append(out, view{ps.snap, ps.raw})
				continue
			}
			ready = false
		}
		ch := s.analysed
		s.mu.Unlock()
		if ready {
			if len(reload) == 0 {
				return out
			}
			// Projects without an open document keep no snapshot: load
			// them again (their analysis is reproducible from the disk).
			loaded := s.load(reload, strict)
			k := 0
			for i := range out {
				if out[i].proj == nil {
					out[i] = loaded[k]
					k++
				}
			}
			return out
		}
		select {
		case <-ch:
			continue
		case <-wctx.Done():
		}
		break
	}
	// The worker did not catch up in time: load (and check) here.
	return s.load(direct, strict)
}

// load loads (and, when strict, checks) projects for a request.
func (s *Server) load(pyprojects []string, strict bool) []view {
	opts := s.analysisOptions()
	out := make([]view, 0, len(pyprojects))
	for _, pp := range pyprojects {
		p := project.Load(s.loader, pp)
		var diags []analysis.Diagnostic
		if strict {
			diags = analysis.Run(p, opts)
		}
		out = append(out, view{p, diags})
	}
	return out
}

// fileCurrent reports (s.mu held) whether ps's snapshot holds the current
// text of path: no edit or disk change to it since the snapshot was loaded.
func (s *Server) fileCurrent(ps *projState, path string) bool {
	return s.lastChange[path] <= ps.snapSeq
}
