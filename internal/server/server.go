// Package server is pyo3-ls's Language Server: LSP glue around the analysis
// engine. It keeps open buffers in a project.Overlay, re-runs analysis.Run
// on the affected projects (debounced) and converts diagnostics, fixes and
// project facts to LSP (0-based lines, UTF-16 columns). It adds no rule of
// its own.
package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// Name is the diagnostic source and the settings section.
const Name = "pyo3-ls"

// RequestCancelled is LSP's error code for a cancelled request.
const RequestCancelled jsonrpc2.Code = -32800

// Options configure a Server.
type Options struct {
	// Logger receives the server's log; nil logs nothing.
	Logger *zap.Logger
	// Level, when set, is the level Logger filters on; settings change it.
	Level *zap.AtomicLevel
	// Debounce, when positive, delays re-analysis until no change came for
	// that long. Zero analyses at once (the leading edge of a burst) and
	// again when the burst ends; stale results are dropped.
	Debounce time.Duration
	// WatchInterval is the shortest time between two polls of the files the
	// analysis read (default 250ms; negative disables polling).
	WatchInterval time.Duration
	// FS is the disk view (default project.OSFS).
	FS project.FS
	// Version is reported in serverInfo.
	Version string
	// AnalysisTimeout bounds one project's analysis (default 30s): past it
	// the server stops waiting (the rules see the cancelled context through
	// analysis.Options.Context and stop between rules), publishes nothing
	// for that project this time and goes on with the others.
	AnalysisTimeout time.Duration
}

const (
	stateNew = iota
	stateInitialized
	stateShutdown
)

// Server is one Language Server session.
type Server struct {
	opts    Options
	log     *zap.Logger
	conn    jsonrpc2.Conn
	overlay *project.Overlay
	loader  *project.Loader
	// confined keeps symlinks from leading out of the workspace folders.
	confined *project.ConfinedFS
	// pass answers Stats and listings asked again, until the next change.
	pass *passFS

	// mu guards the session state: state, exited, exitCode, closed, roots,
	// docs, uris, projects (and the projState values they hold), the
	// indexes byFile/byDir/byDiag, settings, dirty, rediscover,
	// discovering, timer, cancels, published, analysed, changeSeq,
	// lastChange, analyzeGen and pendingRemovals. Methods named *Locked
	// expect it held. Not guarded by mu: the fields above it (set by New,
	// safe for concurrent use), caps (written once by initialize before the
	// requests that read it), watch (synchronised itself), the channels
	// workerKick, workerDone and exitCh, exitOnce, analyzeHook (tests
	// set it before Serve), runner (the worker goroutine's own) and passing
	// (atomic).
	mu       sync.Mutex
	state    int
	exited   bool
	roots    []string
	docs     map[string]*document
	uris     map[string]string // path → the URI the client used
	projects map[string]*projState
	// indexes of projects by path, kept by indexLocked: byFile (their files
	// and touched paths), byDir (their directories), byDiag (project names
	// with diagnostics for the path)
	byFile      map[string]projSet
	byDir       map[string]projSet
	byDiag      map[string]map[string]bool
	settings    settings
	caps        clientCaps
	dirty       map[string]bool // pyproject paths waiting for analysis
	rediscover  []string        // roots to discover projects in
	discovering bool            // a pass is discovering rediscover's roots
	timer       *time.Timer
	cancels     map[string]context.CancelFunc
	published   map[string][]protocol.Diagnostic // the last non-empty publish per path
	analysed    chan struct{}                    // closed and replaced when a project's analysis lands
	changeSeq   uint64                           // counts changes to files (edits, disk)
	lastChange  map[string]uint64                // path → the changeSeq of its latest change
	watch       *watcher
	analyzeGen  uint64 // counts analysis passes (tests)
	workerKick  chan struct{}
	workerDone  chan struct{}
	exitCode    int
	exitOnce    sync.Once
	exitCh      chan struct{}
	closed      bool
	analyzeHook func() // tests: called at the start of each pass
	// runner feeds the pass's analysis goroutine (run); only the worker
	// goroutine uses it, so mu does not guard it.
	runner chan func()
	// passing is true while the worker runs a pass (the poller waits).
	passing atomic.Bool

	pendingRemovals []*projState
}

type projState struct {
	path  string
	gen   uint64                           // bumped by every change that affects the project
	done  uint64                           // the gen of the last published analysis
	files []string                         // the files the latest analysis read (a few; all of a crate's sources)
	dirs  []string                         // project dir and crate dir: a new file below them may belong to it
	diags map[string][]protocol.Diagnostic // last published contribution per path

	// The latest analysis: its snapshot and findings answer hovers, code
	// actions, completion and rename without analysing again.
	snap    *project.Project
	raw     []analysis.Diagnostic
	snapGen uint64 // the gen snap was loaded at
	snapSeq uint64 // the changeSeq snap was loaded at
	// touched are the paths the latest analysis read or looked for (found
	// or not), files included: a change to any of them makes the project
	// stale. Slices, not sets: 10,000 projects' small maps were a fifth of
	// the server's heap; look-ups go through the byFile index.
	touched []string
}

// hasFile reports whether the latest analysis read path.
func (ps *projState) hasFile(path string) bool {
	for _, f := range ps.files {
		if f == path {
			return true
		}
	}
	return false
}

// projSet is a set of projects in the byFile and byDir indexes: most paths
// belong to one project, held without a map (10,000 projects' paths as
// one-element maps were 27 MB).
type projSet struct {
	one  *projState
	more map[*projState]bool
}

func (s *projSet) add(ps *projState) {
	if s.one == ps || s.more[ps] {
		return
	}
	if s.one == nil {
		s.one = ps
		return
	}
	if s.more == nil {
		s.more = map[*projState]bool{}
	}
	s.more[ps] = true
}

// remove takes ps out and reports whether the set is then empty.
func (s *projSet) remove(ps *projState) bool {
	if s.one == ps {
		s.one = nil
	} else {
		delete(s.more, ps)
	}
	return s.one == nil && len(s.more) == 0
}

func (s projSet) each(f func(*projState)) {
	if s.one != nil {
		f(s.one)
	}
	for ps := range s.more {
		f(ps)
	}
}

type clientCaps struct {
	watchedFilesDynamic bool
	configuration       bool
	relatedInformation  bool
	hierarchicalSymbols bool
	markdown            bool
	documentChanges     bool // workspace edits may be documentChanges
	renameFiles         bool // … including rename-file operations
}

type settings struct {
	Select   []string `json:"select"`
	Ignore   []string `json:"ignore"`
	LogLevel string   `json:"logLevel"`
}

// New returns a server; Serve runs it on a connection.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	if opts.FS == nil {
		opts.FS = project.OSFS{}
	}
	if opts.AnalysisTimeout <= 0 {
		opts.AnalysisTimeout = 30 * time.Second
	}
	// Every read, of the disk or of an open buffer, is confined to the
	// workspace folders and their repositories (project.ConfinedFS). The
	// watcher records, below the buffers, what the disk was asked.
	w := newWatcher(opts.FS)
	ov := project.NewOverlay(w)
	confined := project.NewConfinedFS(ov, nil)
	pass := newPassFS(confined, w)
	pass.remember, pass.forget = confined.RememberListings, confined.ForgetListings
	return &Server{
		pass:       pass,
		watch:      w,
		confined:   confined,
		opts:       opts,
		log:        opts.Logger,
		overlay:    ov,
		loader:     project.NewLoader(pass),
		docs:       map[string]*document{},
		uris:       map[string]string{},
		projects:   map[string]*projState{},
		byFile:     map[string]projSet{},
		byDir:      map[string]projSet{},
		byDiag:     map[string]map[string]bool{},
		dirty:      map[string]bool{},
		cancels:    map[string]context.CancelFunc{},
		published:  map[string][]protocol.Diagnostic{},
		analysed:   make(chan struct{}),
		lastChange: map[string]uint64{},
		workerKick: make(chan struct{}, 1),
		workerDone: make(chan struct{}),
		exitCh:     make(chan struct{}),
		exitCode:   1,
	}
}

// Serve speaks LSP over in/out until the client sends exit or closes the
// input. It returns the process exit code: 0 after shutdown+exit, 1 otherwise.
func (s *Server) Serve(ctx context.Context, in io.Reader, out io.Writer) int {
	var closer io.Closer
	if c, ok := in.(io.Closer); ok {
		closer = c
	}
	st := newStream(in, out, closer, s.log)
	s.conn = jsonrpc2.NewConn(st)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.worker(ctx)
	go s.poller(ctx, s.opts.WatchInterval)
	s.conn.Go(ctx, s.handle)
	select {
	case <-s.conn.Done():
		s.log.Info("connection closed", zap.Error(s.conn.Err()))
	case <-s.exitCh:
	case <-ctx.Done():
	}
	s.mu.Lock()
	s.closed = true
	code := 1
	if s.state == stateShutdown {
		code = 0
	}
	if s.exited {
		code = s.exitCode
	}
	if s.timer != nil {
		s.timer.Stop()
	}
	s.mu.Unlock()
	cancel()
	// The worker stops at once unless it is inside something that does
	// not watch the context; exit must not wait for it.
	select {
	case <-s.workerDone:
	case <-time.After(2 * time.Second):
		s.log.Warn("analysis worker still busy at exit; exiting anyway")
	}
	return code
}

// handle is the jsonrpc2 handler. It runs on the connection's read loop:
// notifications are applied in order; requests that may take time run in
// their own goroutine. It never returns an error (that would close the
// connection) and recovers from panics.
func (s *Server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) (err error) {
	call, isCall := req.(*jsonrpc2.Call)
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic in handler", zap.String("method", req.Method()), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			if isCall {
				_ = reply(ctx, nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error in %s: %v", req.Method(), r))
			}
		}
		err = nil
	}()
	method := req.Method()
	s.log.Debug("received", zap.String("method", method), zap.Bool("call", isCall))

	s.mu.Lock()
	state := s.state
	s.mu.Unlock()

	switch method {
	case "exit":
		s.mu.Lock()
		s.exited = true
		if s.state == stateShutdown {
			s.exitCode = 0
		}
		s.mu.Unlock()
		s.exitOnce.Do(func() { close(s.exitCh) })
		return nil
	case "$/cancelRequest":
		var p struct {
			ID json.RawMessage `json:"id"`
		}
		if json.Unmarshal(req.Params(), &p) == nil {
			s.mu.Lock()
			if c := s.cancels[string(p.ID)]; c != nil {
				c()
			}
			s.mu.Unlock()
		}
		return nil
	case "initialize":
		if !isCall {
			return nil
		}
		if state != stateNew {
			return reply(ctx, nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize sent twice"))
		}
		res, rerr := s.initialize(req.Params())
		return reply(ctx, res, rerr)
	}
	if state == stateNew {
		if isCall {
			return reply(ctx, nil, jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "server not initialized"))
		}
		return nil
	}
	if state == stateShutdown {
		if isCall {
			return reply(ctx, nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "server is shutting down"))
		}
		return nil
	}

	// Notifications: applied in order, on this goroutine.
	if !isCall {
		var perr error
		switch method {
		case "initialized":
			s.initialized()
		case "textDocument/didOpen":
			perr = s.didOpen(req.Params())
		case "textDocument/didChange":
			perr = s.didChange(req.Params())
		case "textDocument/didClose":
			perr = s.didClose(req.Params())
		case "textDocument/didSave":
			perr = s.didSave(req.Params())
		case "workspace/didChangeWatchedFiles":
			perr = s.didChangeWatchedFiles(req.Params())
		case "workspace/didChangeWorkspaceFolders":
			perr = s.didChangeWorkspaceFolders(req.Params())
		case "workspace/didChangeConfiguration":
			perr = s.didChangeConfiguration(req.Params())
		case "$/setTrace", "$/logTrace", "window/workDoneProgress/cancel":
		default:
			s.log.Debug("ignored notification", zap.String("method", method))
		}
		if perr != nil {
			s.log.Warn("bad notification", zap.String("method", method), zap.Error(perr))
		}
		return nil
	}

	switch method {
	case "shutdown":
		s.mu.Lock()
		s.state = stateShutdown
		if s.timer != nil {
			s.timer.Stop()
		}
		s.mu.Unlock()
		return reply(ctx, nil, nil)
	}
	var h func(context.Context, json.RawMessage) (any, error)
	switch method {
	case "textDocument/hover":
		h = s.hover
	case "textDocument/prepareRename":
		h = s.prepareRename
	case "textDocument/rename":
		h = s.rename
	case "textDocument/codeAction":
		h = s.codeAction
	case "textDocument/completion":
		h = s.completion
	case "textDocument/definition":
		h = s.definition
	case "textDocument/documentSymbol":
		h = s.documentSymbol
	default:
		return reply(ctx, nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %s", method))
	}
	// Requests run concurrently so $/cancelRequest can reach them; they see
	// every notification that arrived before them.
	idKey := idString(call.ID())
	rctx, rcancel := context.WithCancel(ctx)
	s.mu.Lock()
	s.cancels[idKey] = rcancel
	s.mu.Unlock()
	go func() {
		defer func() {
			s.mu.Lock()
			delete(s.cancels, idKey)
			s.mu.Unlock()
			rcancel()
		}()
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in request", zap.String("method", method), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
				_ = reply(ctx, nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error in %s: %v", method, r))
			}
		}()
		start := time.Now()
		res, herr := h(rctx, req.Params())
		if rctx.Err() != nil && ctx.Err() == nil {
			_ = reply(ctx, nil, jsonrpc2.NewError(RequestCancelled, "request cancelled"))
			return
		}
		if herr != nil {
			if _, ok := herr.(*jsonrpc2.Error); !ok {
				herr = jsonrpc2.NewError(jsonrpc2.InvalidParams, herr.Error())
			}
		}
		s.log.Debug("answered", zap.String("method", method), zap.Duration("took", time.Since(start)), zap.Error(herr))
		if err := reply(ctx, res, herr); err != nil {
			s.log.Warn("reply failed", zap.String("method", method), zap.Error(err))
		}
	}()
	return nil
}

func idString(id jsonrpc2.ID) string {
	b, err := json.Marshal(&id)
	if err != nil {
		return fmt.Sprint(id)
	}
	return string(b)
}

// ---- lifecycle ----

type initializeParams struct {
	RootURI          string `json:"rootUri"`
	RootPath         string `json:"rootPath"`
	WorkspaceFolders []struct {
		URI string `json:"uri"`
	} `json:"workspaceFolders"`
	InitializationOptions json.RawMessage `json:"initializationOptions"`
	Capabilities          struct {
		Workspace struct {
			DidChangeWatchedFiles struct {
				DynamicRegistration bool `json:"dynamicRegistration"`
			} `json:"didChangeWatchedFiles"`
			Configuration bool `json:"configuration"`
			WorkspaceEdit struct {
				DocumentChanges    bool     `json:"documentChanges"`
				ResourceOperations []string `json:"resourceOperations"`
			} `json:"workspaceEdit"`
		} `json:"workspace"`
		TextDocument struct {
			PublishDiagnostics struct {
				RelatedInformation bool `json:"relatedInformation"`
			} `json:"publishDiagnostics"`
			DocumentSymbol struct {
				HierarchicalDocumentSymbolSupport bool `json:"hierarchicalDocumentSymbolSupport"`
			} `json:"documentSymbol"`
			Hover struct {
				ContentFormat []string `json:"contentFormat"`
			} `json:"hover"`
		} `json:"textDocument"`
	} `json:"capabilities"`
}

func (s *Server) initialize(raw json.RawMessage) (any, error) {
	var p initializeParams
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "initialize: %v", err)
		}
	}
	var roots []string
	for _, f := range p.WorkspaceFolders {
		if path, ok := uriToPath(f.URI); ok {
			roots = append(roots, path)
		}
	}
	if len(roots) == 0 {
		if path, ok := uriToPath(p.RootURI); ok {
			roots = append(roots, path)
		} else if p.RootPath != "" {
			roots = append(roots, filepath.Clean(p.RootPath))
		}
	}
	s.mu.Lock()
	s.roots = roots
	s.confined.SetRoots(roots)
	s.pass.reset()
	s.caps = clientCaps{
		watchedFilesDynamic: p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration,
		configuration:       p.Capabilities.Workspace.Configuration,
		relatedInformation:  p.Capabilities.TextDocument.PublishDiagnostics.RelatedInformation,
		hierarchicalSymbols: p.Capabilities.TextDocument.DocumentSymbol.HierarchicalDocumentSymbolSupport,
	}
	s.caps.documentChanges = p.Capabilities.Workspace.WorkspaceEdit.DocumentChanges
	for _, op := range p.Capabilities.Workspace.WorkspaceEdit.ResourceOperations {
		if op == "rename" {
			s.caps.renameFiles = true
		}
	}
	// contentFormat is in the client's order of preference.
	for _, f := range p.Capabilities.TextDocument.Hover.ContentFormat {
		if f == "markdown" || f == "plaintext" {
			s.caps.markdown = f == "markdown"
			break
		}
	}
	if len(p.Capabilities.TextDocument.Hover.ContentFormat) == 0 {
		s.caps.markdown = true
	}
	s.state = stateInitialized
	s.mu.Unlock()
	if len(p.InitializationOptions) > 0 && string(p.InitializationOptions) != "null" {
		if err := s.applySettings(p.InitializationOptions); err != nil {
			s.log.Warn("initializationOptions", zap.Error(err))
		}
	}
	s.log.Info("initialize", zap.Strings("roots", roots))
	return map[string]any{
		"capabilities": protocol.ServerCapabilities{
			TextDocumentSync: protocol.TextDocumentSyncOptions{
				OpenClose: true,
				Change:    protocol.TextDocumentSyncKindIncremental,
				Save:      &protocol.SaveOptions{},
			},
			HoverProvider:          true,
			RenameProvider:         &protocol.RenameOptions{PrepareProvider: true},
			DefinitionProvider:     true,
			DocumentSymbolProvider: true,
			CodeActionProvider: map[string]any{
				"codeActionKinds": []string{"quickfix"},
			},
			CompletionProvider: &protocol.CompletionOptions{TriggerCharacters: []string{"\"", "/", "[", ",", " "}},
			Workspace: &protocol.ServerCapabilitiesWorkspace{
				WorkspaceFolders: &protocol.ServerCapabilitiesWorkspaceFolders{Supported: true, ChangeNotifications: true},
			},
		},
		"serverInfo": map[string]string{"name": Name, "version": s.opts.Version},
	}, nil
}

func (s *Server) initialized() {
	s.mu.Lock()
	roots := append([]string(nil), s.roots...)
	dyn := s.caps.watchedFilesDynamic
	cfg := s.caps.configuration
	s.mu.Unlock()
	if dyn {
		go s.registerWatchers()
	}
	if cfg {
		go s.pullConfiguration()
	}
	s.discover(roots)
}

func (s *Server) registerWatchers() {
	defer s.recoverLog("registerCapability")
	var watchers []map[string]any
	for _, g := range []string{"**/pyproject.toml", "**/Cargo.toml", "**/Cargo.lock", "**/*.rs"} {
		watchers = append(watchers, map[string]any{"globPattern": g})
	}
	params := map[string]any{"registrations": []map[string]any{{
		"id":              "pyo3-ls-watched-files",
		"method":          "workspace/didChangeWatchedFiles",
		"registerOptions": map[string]any{"watchers": watchers},
	}}}
	ctx, cancel := s.clientCallContext()
	defer cancel()
	if _, err := s.conn.Call(ctx, "client/registerCapability", params, nil); err != nil {
		s.log.Warn("client/registerCapability failed", zap.Error(err))
		return
	}
	s.log.Info("registered file watchers")
}

func (s *Server) recoverLog(what string) {
	if r := recover(); r != nil {
		s.log.Error("panic", zap.String("in", what), zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
	}
}

// ---- settings ----

func (s *Server) applySettings(raw json.RawMessage) error {
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(raw, &wrapped); err != nil {
		return err
	}
	if inner, ok := wrapped[Name]; ok {
		raw = inner
	}
	var st settings
	if err := json.Unmarshal(raw, &st); err != nil {
		return err
	}
	s.mu.Lock()
	changed := !equalStrings(st.Select, s.settings.Select) || !equalStrings(st.Ignore, s.settings.Ignore)
	s.settings = st
	s.mu.Unlock()
	if st.LogLevel != "" && s.opts.Level != nil {
		var lvl zapcore.Level
		if err := lvl.UnmarshalText([]byte(st.LogLevel)); err == nil {
			s.opts.Level.SetLevel(lvl)
		} else {
			s.log.Warn("unknown log level", zap.String("logLevel", st.LogLevel))
		}
	}
	s.log.Info("settings", zap.Strings("select", st.Select), zap.Strings("ignore", st.Ignore), zap.String("logLevel", st.LogLevel))
	if changed {
		s.scheduleAll()
	}
	return nil
}

func (s *Server) didChangeConfiguration(raw json.RawMessage) error {
	var p struct {
		Settings json.RawMessage `json:"settings"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	if len(p.Settings) == 0 || string(p.Settings) == "null" || string(p.Settings) == "{}" {
		s.mu.Lock()
		cfg := s.caps.configuration
		s.mu.Unlock()
		if cfg {
			go s.pullConfiguration()
		}
		return nil
	}
	return s.applySettings(p.Settings)
}

// pullConfiguration asks the client for the "pyo3-ls" section.
func (s *Server) pullConfiguration() {
	defer s.recoverLog("workspace/configuration")
	ctx, cancel := s.clientCallContext()
	defer cancel()
	var res []json.RawMessage
	params := map[string]any{"items": []map[string]any{{"section": Name}}}
	if _, err := s.conn.Call(ctx, "workspace/configuration", params, &res); err != nil {
		s.log.Debug("workspace/configuration failed", zap.Error(err))
		return
	}
	if len(res) == 1 && len(res[0]) > 0 && string(res[0]) != "null" {
		if err := s.applySettings(res[0]); err != nil {
			s.log.Warn("workspace/configuration result", zap.Error(err))
		}
	}
}

func (s *Server) analysisOptions() analysis.Options {
	s.mu.Lock()
	defer s.mu.Unlock()
	return analysis.Options{CLISelect: append([]string(nil), s.settings.Select...), CLIIgnore: append([]string(nil), s.settings.Ignore...),
		// A rule that panics is skipped (the others publish); log it with its stack.
		OnPanic: func(p analysis.Panic) {
			s.log.Error("panic in analysis", zap.String("project", p.Project), zap.String("rule", p.Code), zap.String("panic", p.Value), zap.String("stack", p.Stack))
		}}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ---- workspace folders and watched files ----

func (s *Server) didChangeWorkspaceFolders(raw json.RawMessage) error {
	var p struct {
		Event struct {
			Added   []struct{ URI string } `json:"added"`
			Removed []struct{ URI string } `json:"removed"`
		} `json:"event"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	var added []string
	s.mu.Lock()
	for _, r := range p.Event.Removed {
		path, ok := uriToPath(r.URI)
		if !ok {
			continue
		}
		for i, root := range s.roots {
			if root == path {
				s.roots = append(s.roots[:i], s.roots[i+1:]...)
				s.confined.SetRoots(s.roots)
				s.pass.reset()
				break
			}
		}
		for pp := range s.projects {
			if within(path, pp) && !s.coveredByRootLocked(pp) {
				s.removeProjectLocked(pp)
			}
		}
	}
	for _, a := range p.Event.Added {
		if path, ok := uriToPath(a.URI); ok {
			s.roots = append(s.roots, path)
			s.confined.SetRoots(s.roots)
			s.pass.reset()
			added = append(added, path)
		}
	}
	s.mu.Unlock()
	s.discover(added)
	return nil
}

func (s *Server) coveredByRootLocked(path string) bool {
	for _, r := range s.roots {
		if within(r, path) {
			return true
		}
	}
	return false
}

// within reports whether path is dir or below it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !startsWithDotDot(rel)
}

func startsWithDotDot(rel string) bool {
	return len(rel) >= 3 && rel[:3] == ".."+string(filepath.Separator)
}

func (s *Server) didChangeWatchedFiles(raw json.RawMessage) error {
	var p struct {
		Changes []struct {
			URI  string `json:"uri"`
			Type int    `json:"type"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	for _, c := range p.Changes {
		path, ok := uriToPath(c.URI)
		if !ok {
			continue
		}
		if _, open := s.overlay.Get(path); open {
			continue // the buffer wins over the disk
		}
		s.log.Debug("watched file changed", zap.String("path", path), zap.Int("type", c.Type))
		s.watch.refresh(path)
		s.fileChanged(path)
	}
	return nil
}

// fileChanged drops the cached parse of path and schedules every project
// it may belong to; a pyproject.toml may start or stop being a project.
func (s *Server) fileChanged(path string) {
	path = filepath.Clean(path)
	s.mu.Lock()
	s.changeSeq++
	s.lastChange[path] = s.changeSeq
	s.mu.Unlock()
	s.pass.reset()
	s.loader.Invalidate(path)
	if filepath.Base(path) == "pyproject.toml" {
		isProj := project.IsMaturinPyproject(s.loader, path)
		s.mu.Lock()
		_, known := s.projects[path]
		switch {
		case isProj && !known:
			s.addProjectLocked(path)
		case !isProj && known:
			s.removeProjectLocked(path)
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	for _, ps := range s.affectedLocked(path) {
		ps.gen++
		s.dirty[ps.path] = true
	}
	s.kickLocked()
	s.mu.Unlock()
}

// affectedLocked returns the projects that read or looked for path, or
// whose directories hold it: index look-ups of path and its parent
// directories (s.byFile, s.byDir), not a pass over every project.
func (s *Server) affectedLocked(path string) []*projState {
	path = filepath.Clean(path)
	var out []*projState
	seen := map[*projState]bool{}
	add := func(set projSet) {
		set.each(func(ps *projState) {
			if !seen[ps] {
				seen[ps] = true
				out = append(out, ps)
			}
		})
	}
	add(s.byFile[path])
	for d := path; ; d = filepath.Dir(d) {
		add(s.byDir[d])
		if filepath.Dir(d) == d {
			break
		}
	}
	return out
}

func (s *Server) addProjectLocked(pyproject string) *projState {
	if ps := s.projects[pyproject]; ps != nil {
		return ps
	}
	ps := &projState{path: pyproject, files: []string{pyproject}, touched: []string{pyproject}, dirs: []string{filepath.Dir(pyproject)}, diags: map[string][]protocol.Diagnostic{}, gen: 1}
	s.projects[pyproject] = ps
	s.indexLocked(ps, true)
	s.dirty[pyproject] = true
	s.log.Debug("project", zap.String("pyproject", pyproject)) // one line per project: Info would write 10,000 at start in a large monorepo
	return ps
}

// removeProjectLocked forgets a project and clears what it published.
func (s *Server) removeProjectLocked(pyproject string) {
	ps := s.projects[pyproject]
	if ps == nil {
		return
	}
	s.indexLocked(ps, false)
	delete(s.projects, pyproject)
	delete(s.dirty, pyproject)
	// An empty pass publishes the clearing.
	gone := &projState{path: pyproject, diags: ps.diags, gen: 0}
	s.pendingRemovals = append(s.pendingRemovals, gone)
	s.kickLocked()
}

// discover finds maturin projects under roots and schedules them.
func (s *Server) discover(roots []string) {
	if len(roots) == 0 {
		return
	}
	s.mu.Lock()
	s.rediscover = append(s.rediscover, roots...)
	s.kickLocked()
	s.mu.Unlock()
}

// projectFor returns the projects a document belongs to, discovering the
// nearest maturin project above it when none is known (files opened
// outside the workspace folders).
func (s *Server) ensureProjectFor(path string) {
	s.mu.Lock()
	n := len(s.affectedLocked(path))
	s.mu.Unlock()
	if n > 0 {
		return
	}
	dir := path
	if filepath.Base(path) != "pyproject.toml" {
		dir = filepath.Dir(path)
	} else {
		dir = filepath.Dir(path)
	}
	for i := 0; i < 32; i++ {
		cand := filepath.Join(dir, "pyproject.toml")
		if st, err := s.overlay.Stat(cand); err == nil && !st.IsDir() && project.IsMaturinPyproject(s.loader, cand) {
			s.mu.Lock()
			s.addProjectLocked(cand)
			s.kickLocked()
			s.mu.Unlock()
			return
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return
		}
		dir = parent
	}
}

// Stderr logging helpers for cmd.

// NewLogger builds a zap logger writing JSON-free console lines to w at level.
func NewLogger(w io.Writer, level zap.AtomicLevel) *zap.Logger {
	enc := zap.NewDevelopmentEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	core := zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.AddSync(w), level)
	return zap.New(core)
}

// OpenLogFile opens path for appending.
func OpenLogFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// clientCallContext bounds a server→client request: 30 s, and no longer than
// the connection lives, so calls a closed client never answers do not pile up.
func (s *Server) clientCallContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	go func() {
		select {
		case <-s.conn.Done():
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}
