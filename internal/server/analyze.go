package server

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/ruledocs"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// kickLocked asks the worker for a pass. Without a debounce the pass starts
// at once (the leading edge of a burst of edits); edits that arrive while it
// runs leave one more kick, so a trailing pass analyses the final text. Stale
// results are dropped (analyzeProject compares generations), so a burst costs
// at most two passes per project and never publishes an older text last.
// With a debounce (Options.Debounce > 0) the pass waits for a quiet period.
func (s *Server) kickLocked() {
	if s.closed || s.state == stateShutdown {
		return
	}
	if s.opts.Debounce <= 0 {
		s.fire()
		return
	}
	if s.timer == nil {
		s.timer = time.AfterFunc(s.opts.Debounce, s.fire)
		return
	}
	s.timer.Reset(s.opts.Debounce)
}

func (s *Server) fire() {
	select {
	case s.workerKick <- struct{}{}:
	default:
	}
}

// scheduleAll marks every project for re-analysis (settings changed).
func (s *Server) scheduleAll() {
	s.mu.Lock()
	for _, ps := range s.projects {
		ps.gen++
		s.dirty[ps.path] = true
	}
	s.kickLocked()
	s.mu.Unlock()
}

// worker runs analysis passes one at a time, so publishes go out in the
// order the passes ran.
func (s *Server) worker(ctx context.Context) {
	defer close(s.workerDone)
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.workerKick:
			func() {
				defer s.recoverLog("analysis pass")
				s.runPass(ctx)
			}()
		}
	}
}

type publishItem struct {
	path  string
	diags []protocol.Diagnostic
}

func (s *Server) runPass(ctx context.Context) {
	if s.analyzeHook != nil {
		s.analyzeHook()
	}
	s.mu.Lock()
	roots := s.rediscover
	s.rediscover = nil
	s.discovering = len(roots) > 0
	removals := s.pendingRemovals
	s.pendingRemovals = nil
	s.analyzeGen++
	s.mu.Unlock()
	s.passing.Store(true)
	defer s.passing.Store(false)
	s.pass.start(len(roots) > 0)
	defer s.pass.reset()
	defer s.abandonRunner()

	if len(removals) > 0 {
		s.mu.Lock()
		var paths []string
		for _, r := range removals {
			for p := range r.diags {
				paths = append(paths, p)
			}
		}
		items := s.mergeLocked(paths)
		s.mu.Unlock()
		s.publish(ctx, items)
	}

	var gc *passGC
	if len(roots) > 0 {
		gc = startPassGC() // see gc.go
		defer gc.stop()
	}
	for _, root := range roots {
		// Each new project is analysed as the walk finds it (as the CLI
		// does), so its parsed files are released before the walk goes on
		// instead of all the pyproject.toml files discovery parsed staying
		// in memory until the walk ends.
		// Serial: no directory is scanned ahead of the walk, so no read of
		// the walk lands in the recording of the analysis running inside
		// the callback (watcher recordings are not per goroutine).
		err := project.WalkWith(s.loader, root, project.WalkOptions{Serial: true}, func(pyproject string) {
			if ctx.Err() != nil {
				return
			}
			s.mu.Lock()
			var gen uint64
			if s.projects[pyproject] == nil {
				ps := s.addProjectLocked(pyproject)
				delete(s.dirty, pyproject)
				gen = ps.gen
			}
			s.mu.Unlock()
			if gen != 0 {
				s.analyzeProject(ctx, pyproject, gen, s.analysisOptions())
				gc.tick()
			}
		})
		if err != nil {
			s.log.Warn("discover", zap.String("root", root), zap.Error(err))
		}
	}
	s.mu.Lock()
	if s.discovering {
		s.discovering = false
		s.analysedLocked() // requests waiting for discovery look again
		s.log.Info("discovered", zap.Strings("roots", roots), zap.Int("projects", len(s.projects)))
	}
	s.mu.Unlock()

	s.mu.Lock()
	type job struct {
		path string
		gen  uint64
	}
	var jobs []job
	for pp := range s.dirty {
		if ps := s.projects[pp]; ps != nil {
			jobs = append(jobs, job{pp, ps.gen})
		}
	}
	s.dirty = map[string]bool{}
	s.mu.Unlock()
	sort.Slice(jobs, func(i, j int) bool { return jobs[i].path < jobs[j].path })
	opts := s.analysisOptions()
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		s.analyzeProject(ctx, j.path, j.gen, opts)
	}
}

// analyzeProject loads and checks one project and publishes the result
// unless a newer change made it stale.
func (s *Server) analyzeProject(ctx context.Context, pyproject string, gen uint64, opts analysis.Options) {
	start := time.Now()
	s.mu.Lock()
	seq := s.changeSeq // the load reads every change numbered up to seq
	s.mu.Unlock()
	p, diags, touched, ok := s.checkWithin(ctx, pyproject, gen, opts)
	if !ok {
		return // stale, or past its deadline, or the server is stopping
	}
	byPath, files, dirs := s.convert(p, diags)

	s.mu.Lock()
	ps := s.projects[pyproject]
	if ps == nil || ps.gen != gen {
		// Not published (a newer text is on its way), but requests that
		// wait for a change older than gen may read it.
		keep := ps != nil && s.keepSnapLocked(ps)
		if ps != nil && gen > ps.snapGen {
			ps.snapGen, ps.snapSeq = gen, seq
			ps.snap, ps.raw = nil, nil
			if keep {
				ps.snap, ps.raw = p, diags
			}
			s.analysedLocked()
		}
		s.mu.Unlock()
		if !keep {
			s.loader.Release(p)
		}
		s.log.Debug("stale analysis dropped", zap.String("project", pyproject))
		return
	}
	var paths []string
	for path := range ps.diags {
		paths = append(paths, path)
	}
	for path := range byPath {
		paths = append(paths, path)
	}
	s.indexLocked(ps, false)
	ps.diags, ps.dirs, ps.done = byPath, dirs, gen
	ps.files = files
	ps.touched = make([]string, 0, len(touched)+len(files))
	for path := range touched {
		ps.touched = append(ps.touched, path)
	}
	for _, path := range files {
		if !touched[path] {
			ps.touched = append(ps.touched, path)
		}
	}
	s.indexLocked(ps, true)
	keep := s.keepSnapLocked(ps)
	ps.snapGen, ps.snapSeq = gen, seq
	ps.snap, ps.raw = nil, nil
	if keep {
		ps.snap, ps.raw = p, diags
	}
	s.analysedLocked()
	items := s.mergeLocked(paths)
	s.mu.Unlock()
	if !keep {
		s.loader.Release(p)
	}
	s.log.Debug("analysed", zap.String("project", pyproject), zap.Int("diagnostics", len(diags)), zap.Duration("took", time.Since(start)))
	s.publish(ctx, items)
}

// keepSnapLocked reports whether ps's latest snapshot is kept for
// requests: only while a document is open in one of its files or below its
// directories (hovers, completion, code actions and rename ask about open
// documents). Other projects keep what publishing needs (diagnostics per
// path, the paths they read): at 10,000 projects the snapshots and their
// parsed documents were three quarters of the server's heap. A request
// about a project without a snapshot loads it again (views.go).
func (s *Server) keepSnapLocked(ps *projState) bool {
	for path := range s.docs {
		if ps.hasFile(path) {
			return true
		}
		for _, d := range ps.dirs {
			if within(d, path) {
				return true
			}
		}
	}
	return false
}

// stale reports whether the project changed after generation gen.
func (s *Server) stale(pyproject string, gen uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := s.projects[pyproject]
	return ps == nil || ps.gen != gen
}

// analysedLocked wakes requests waiting for a project's analysis.
func (s *Server) analysedLocked() {
	close(s.analysed)
	s.analysed = make(chan struct{})
}

// checkWithin loads and checks the project under the analysis deadline
// (Options.AnalysisTimeout) and the server's context: ok is false when the
// project went stale while loading or when the deadline or the context ends
// first; then the caller moves on without waiting for the abandoned
// analysis, so one project cannot stop the others and `exit` is honoured
// whatever the analysis is doing.
func (s *Server) checkWithin(ctx context.Context, pyproject string, gen uint64, opts analysis.Options) (*project.Project, []analysis.Diagnostic, map[string]bool, bool) {
	actx, cancel := context.WithTimeout(ctx, s.opts.AnalysisTimeout)
	defer cancel()
	opts.Context = actx
	type result struct {
		p       *project.Project
		diags   []analysis.Diagnostic
		touched map[string]bool
	}
	done := make(chan result, 1) // buffered: an abandoned analysis never blocks
	s.run(func() {
		rec := s.watch.begin()
		defer func() {
			if r := recover(); r != nil {
				s.watch.end(rec)
				s.log.Error("panic in analysis", zap.String("project", pyproject), zap.Any("panic", r), zap.Stack("stack"))
				done <- result{}
			}
		}()
		p := project.Load(s.loader, pyproject)
		if s.stale(pyproject, gen) {
			s.watch.end(rec)
			done <- result{} // an edit arrived while loading: the next pass analyses it
			return
		}
		diags := analysis.Run(p, opts)
		touched := s.watch.end(rec)
		done <- result{p, diags, touched}
	})
	select {
	case r := <-done:
		return r.p, r.diags, r.touched, r.p != nil
	case <-actx.Done():
		s.abandonRunner() // it finishes that analysis alone, then exits
		if ctx.Err() == nil {
			s.log.Warn("analysis exceeded its deadline; skipped", zap.String("project", pyproject), zap.Duration("deadline", s.opts.AnalysisTimeout))
		}
		return nil, nil, nil, false
	}
}

// run runs f on the pass's analysis goroutine, starting one if needed:
// one goroutine for all the projects of a pass instead of one each (a new
// goroutine grows its stack again for every project). Only the worker
// goroutine (runPass) calls it.
func (s *Server) run(f func()) {
	if s.runner == nil {
		jobs := make(chan func())
		s.runner = jobs
		go func() {
			for f := range jobs {
				f()
			}
		}()
	}
	s.runner <- f
}

// abandonRunner lets the analysis goroutine exit after what it is doing
// (the end of a pass, or an analysis past its deadline: the next project
// gets a new goroutine).
func (s *Server) abandonRunner() {
	if s.runner != nil {
		close(s.runner)
		s.runner = nil
	}
}

// convert turns a project's diagnostics into LSP diagnostics per path.
// It also returns the paths of the files the project read and its
// directories. Most projects have no diagnostics: nothing is built for them
// but those lists.
func (s *Server) convert(p *project.Project, diags []analysis.Diagnostic) (map[string][]protocol.Diagnostic, []string, []string) {
	all := p.Files()
	read := make([]string, 0, len(all))
	for _, f := range all {
		read = append(read, f.Path)
	}
	slices.Sort(read)
	read = slices.Compact(read) // a file may serve twice (a manifest that is its workspace's root)
	byPath := map[string][]protocol.Diagnostic{}
	var files map[string]*project.SourceFile
	if len(diags) > 0 {
		files = make(map[string]*project.SourceFile, len(all))
		for _, f := range all {
			files[f.Path] = f
		}
	}
	dirs := []string{p.Dir}
	if p.ManifestPath != "" {
		if d := filepath.Dir(p.ManifestPath); d != p.Dir {
			dirs = append(dirs, d)
		}
	}
	lines := func(path string) *span.Lines {
		if f := files[path]; f != nil {
			return f.Lines()
		}
		var f *project.SourceFile
		if isTOML(path) {
			f = s.loader.TOML(path)
		} else {
			f = s.loader.Rust(path)
		}
		files[path] = f
		return f.Lines()
	}
	for _, d := range diags {
		if !s.inWorkspace(d.Path, p) {
			continue // never published: a file outside the workspace folders
		}
		ld := toLSP(d, lines, s.uriFor)
		byPath[d.Path] = append(byPath[d.Path], ld)
	}
	return byPath, read, dirs
}

func toLSPRange(l *span.Lines, r span.Range) protocol.Range {
	a, b := l.UTF16(r.Start), l.UTF16(r.End)
	return protocol.Range{
		Start: protocol.Position{Line: uint32(a.Line), Character: uint32(a.Character)},
		End:   protocol.Position{Line: uint32(b.Line), Character: uint32(b.Character)},
	}
}

func toSeverity(s analysis.Severity) protocol.DiagnosticSeverity {
	switch s {
	case analysis.Error:
		return protocol.DiagnosticSeverityError
	case analysis.Warning:
		return protocol.DiagnosticSeverityWarning
	case analysis.Info:
		return protocol.DiagnosticSeverityInformation
	}
	return protocol.DiagnosticSeverityHint
}

// diagData travels with each diagnostic (and comes back in codeAction).
type diagData struct {
	Name string `json:"name"`
	Help string `json:"help,omitempty"`
}

func toLSP(d analysis.Diagnostic, lines func(string) *span.Lines, uri func(string) string) protocol.Diagnostic {
	ld := protocol.Diagnostic{
		Range:    toLSPRange(lines(d.Path), d.Range),
		Severity: toSeverity(d.Severity),
		Code:     d.Code,
		Source:   Name,
		Message:  d.Message,
		Data:     diagData{Name: d.Name, Help: d.Help},
	}
	if analysis.Lookup(d.Code) != nil {
		ld.CodeDescription = &protocol.CodeDescription{Href: protocol.URI(ruledocs.URL(d.Code))}
	}
	for _, r := range d.Related {
		ld.RelatedInformation = append(ld.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: protocol.DocumentURI(uri(r.Path)), Range: toLSPRange(lines(r.Path), r.Range)},
			Message:  r.Message,
		})
	}
	return ld
}

// indexLocked adds ps's paths to the server's indexes (add) or removes
// them; call it with false before changing ps.diags, files, touched or
// dirs and with true after.
func (s *Server) indexLocked(ps *projState, add bool) {
	put := func(m map[string]projSet, k string) {
		set := m[k]
		if add {
			set.add(ps)
			m[k] = set
		} else if set.remove(ps) {
			delete(m, k)
		} else {
			m[k] = set
		}
	}
	for _, path := range ps.touched { // holds ps.files
		// A path below one of ps's directories is found through byDir
		// (affectedLocked looks up every ancestor): at 10,000 projects
		// that leaves byFile the shared paths (the workspace's files, the
		// config lookups above the projects) instead of 90,000.
		if !withinAny(ps.dirs, path) {
			put(s.byFile, path)
		}
	}
	for _, d := range ps.dirs {
		put(s.byDir, d)
	}
	for path := range ps.diags {
		if add {
			if s.byDiag[path] == nil {
				s.byDiag[path] = map[string]bool{}
			}
			s.byDiag[path][ps.path] = true
		} else if set := s.byDiag[path]; set != nil {
			delete(set, ps.path)
			if len(set) == 0 {
				delete(s.byDiag, path)
			}
		}
	}
}

// withinAny reports whether path is one of dirs or below one.
func withinAny(dirs []string, path string) bool {
	for _, d := range dirs {
		if len(path) >= len(d) && path[:len(d)] == d && (len(path) == len(d) || path[len(d)] == filepath.Separator || d == string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// mergeLocked computes what to publish for paths: the union of every
// project's contribution (a file may belong to several projects, e.g. a
// workspace Cargo.toml), skipping paths that were and stay empty.
func (s *Server) mergeLocked(paths []string) []publishItem {
	sort.Strings(paths)
	var out []publishItem
	seen := map[string]bool{}
	for _, path := range paths {
		if seen[path] {
			continue
		}
		seen[path] = true
		merged := []protocol.Diagnostic{}
		type key struct {
			r    protocol.Range
			code any
			msg  string
		}
		dup := map[key]bool{}
		// Only the projects that contributed to path, in name order
		// (s.byDiag; sorting every project's name per path made the first
		// analysis of 10,000 projects quadratic).
		for _, n := range sortedKeys(s.byDiag[path]) {
			for _, d := range s.projects[n].diags[path] {
				k := key{d.Range, d.Code, d.Message}
				if dup[k] {
					continue
				}
				dup[k] = true
				merged = append(merged, d)
			}
		}
		// Publish only what changed: an unchanged file (a trailing pass
		// that found what the leading one did, a save) sends nothing.
		if last, ok := s.published[path]; ok && reflect.DeepEqual(last, merged) || !ok && len(merged) == 0 {
			continue
		}
		if len(merged) == 0 {
			delete(s.published, path)
		} else {
			s.published[path] = merged
		}
		out = append(out, publishItem{path: path, diags: merged})
	}
	return out
}

func (s *Server) publish(ctx context.Context, items []publishItem) {
	for _, it := range items {
		// No version: the analysed text may be older than the buffer.
		params := map[string]any{"uri": s.uriFor(it.path), "diagnostics": it.diags}
		if err := s.conn.Notify(ctx, "textDocument/publishDiagnostics", params); err != nil {
			s.log.Warn("publishDiagnostics", zap.Error(err))
			return
		}
		s.log.Debug("published", zap.String("path", it.path), zap.Int("count", len(it.diags)))
	}
}

// inWorkspace reports whether diagnostics and fixes may name path: it lies
// in a workspace folder (without folders: in the project's directory) and
// is not a hidden file (a Cargo.toml that cargo's upward lookup found
// outside the checked trees, project.ConfinedFS).
func (s *Server) inWorkspace(path string, p *project.Project) bool {
	if f := p.File(path); f != nil && f.Hidden {
		return false
	}
	s.mu.Lock()
	roots := append([]string(nil), s.roots...)
	s.mu.Unlock()
	if len(roots) == 0 {
		return p != nil && within(p.Dir, path)
	}
	for _, r := range roots {
		if within(r, path) {
			return true
		}
	}
	return false
}
