package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/pyo3-ls/pyo3-ls/internal/server"
)

// The test harness. Most tests run the Server in this process over pipes
// (serve, startInProcess): fast, covered by -cover and -race. A few
// end-to-end tests run the real binary (start), which is built on first use.

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
	binaryDir  string
)

// binary returns the pyo3-ls binary, built once per test run; tests that need
// it are the end-to-end ones through the process boundary (flags, exit codes,
// stdio, log file, Neovim).
func binary(t testing.TB) string {
	t.Helper()
	binaryOnce.Do(func() {
		binaryDir, binaryErr = os.MkdirTemp("", "pyo3-ls-e2e")
		if binaryErr != nil {
			return
		}
		binaryPath = filepath.Join(binaryDir, "pyo3-ls")
		build := exec.Command("go", "build", "-o", binaryPath, "github.com/pyo3-ls/pyo3-ls/cmd/pyo3-ls")
		out, err := build.CombinedOutput()
		if err != nil {
			binaryErr = fmt.Errorf("building pyo3-ls: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
	os.Exit(code)
}

// rpcMsg is any JSON-RPC message.
type rpcMsg struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

type lrange struct {
	Start position `json:"start"`
	End   position `json:"end"`
}

type location struct {
	URI   string `json:"uri"`
	Range lrange `json:"range"`
}

type diagnostic struct {
	Range           lrange `json:"range"`
	CodeDescription *struct {
		Href string `json:"href"`
	} `json:"codeDescription"`
	Severity           int             `json:"severity"`
	Code               string          `json:"code"`
	Source             string          `json:"source"`
	Message            string          `json:"message"`
	Data               json.RawMessage `json:"data"`
	RelatedInformation []struct {
		Location location `json:"location"`
		Message  string   `json:"message"`
	} `json:"relatedInformation"`
}

type publish struct {
	URI         string       `json:"uri"`
	Diagnostics []diagnostic `json:"diagnostics"`
}

// client is a minimal LSP client speaking to a pyo3-ls process over pipes.
type client struct {
	t     testing.TB
	cmd   *exec.Cmd
	stdin io.WriteCloser

	wmu sync.Mutex

	mu         sync.Mutex
	nextID     int
	pending    map[string]chan *rpcMsg
	publishes  []publish
	serverReqs []*rpcMsg
	config     any
	changed    chan struct{} // closed and replaced on every incoming message
	readErr    error
	exited     chan struct{}
	exitCode   int
}

type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startInProcess runs a Server in this process over pipes. The server's
// log (opts.Logger, when nil: a debug-level log kept in memory) is printed
// when the test fails.
func startInProcess(t testing.TB, opts server.Options) *client {
	t.Helper()
	cr, sw := io.Pipe() // server → client
	sr, cw := io.Pipe() // client → server
	c := &client{t: t, stdin: cw, pending: map[string]chan *rpcMsg{}, changed: make(chan struct{}), exited: make(chan struct{})}
	var logs *lockedBuilder
	if opts.Logger == nil {
		logs = &lockedBuilder{}
		level := zap.NewAtomicLevelAt(zap.DebugLevel)
		opts.Logger, opts.Level = server.NewLogger(logs, level), &level
	}
	go c.readLoop(bufio.NewReader(cr))
	srv := server.New(opts)
	go func() {
		code := srv.Serve(context.Background(), sr, sw)
		sw.Close()
		c.mu.Lock()
		c.exitCode = code
		c.mu.Unlock()
		close(c.exited)
	}()
	t.Cleanup(func() {
		cw.Close()
		sr.Close()
		<-c.exited
		if logs != nil && t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return c
}

// start runs the pyo3-ls binary with args (end-to-end tests only; the
// others use serve).
func start(t testing.TB, args ...string) *client {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuilder{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, cmd: cmd, stdin: stdin, pending: map[string]chan *rpcMsg{}, changed: make(chan struct{}), exited: make(chan struct{})}
	go c.readLoop(bufio.NewReader(stdout))
	go func() {
		err := cmd.Wait()
		c.mu.Lock()
		c.exitCode = cmd.ProcessState.ExitCode()
		_ = err
		c.mu.Unlock()
		close(c.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			_ = cmd.Process.Kill()
			<-c.exited
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return c
}

func (c *client) readLoop(r *bufio.Reader) {
	for {
		length := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				c.fail(err)
				return
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				length, _ = strconv.Atoi(v)
			}
		}
		if length < 0 {
			c.fail(fmt.Errorf("frame without Content-Length"))
			return
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r, body); err != nil {
			c.fail(err)
			return
		}
		var m rpcMsg
		if err := json.Unmarshal(body, &m); err != nil {
			c.fail(fmt.Errorf("bad JSON from server: %v: %s", err, body))
			return
		}
		c.dispatch(&m)
	}
}

func (c *client) fail(err error) {
	c.mu.Lock()
	c.readErr = err
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

func (c *client) dispatch(m *rpcMsg) {
	c.mu.Lock()
	defer func() {
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
	}()
	switch {
	case m.Method != "" && len(m.ID) > 0: // a request from the server
		c.serverReqs = append(c.serverReqs, m)
		var result any
		if m.Method == "workspace/configuration" {
			result = []any{c.config}
		}
		go c.send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": result})
	case m.Method != "":
		if m.Method == "textDocument/publishDiagnostics" {
			var p publish
			if err := json.Unmarshal(m.Params, &p); err == nil {
				c.publishes = append(c.publishes, p)
			}
		}
	default:
		if ch := c.pending[string(m.ID)]; ch != nil {
			ch <- m
			delete(c.pending, string(m.ID))
		}
	}
}

func (c *client) send(v any) {
	data, err := json.Marshal(v)
	if err != nil {
		c.t.Errorf("marshal: %v", err)
		return
	}
	c.writeRaw(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(data), data))
}

func (c *client) writeRaw(s string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, _ = io.WriteString(c.stdin, s)
}

// call sends a request and waits for its response.
func (c *client) call(method string, params any) *rpcMsg {
	c.t.Helper()
	id, ch := c.request(method, params)
	select {
	case m := <-ch:
		return m
	case <-time.After(10 * time.Second):
		c.t.Fatalf("no response to %s (id %d)", method, id)
	}
	return nil
}

func (c *client) request(method string, params any) (int, chan *rpcMsg) {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan *rpcMsg, 1)
	c.pending[strconv.Itoa(id)] = ch
	c.mu.Unlock()
	c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	return id, ch
}

// result calls and decodes the result into out, failing on an error response.
func (c *client) result(method string, params, out any) {
	c.t.Helper()
	m := c.call(method, params)
	if m.Error != nil {
		c.t.Fatalf("%s: error %d %s", method, m.Error.Code, m.Error.Message)
	}
	if out != nil {
		if err := json.Unmarshal(m.Result, out); err != nil {
			c.t.Fatalf("%s: decoding %s: %v", method, m.Result, err)
		}
	}
}

func (c *client) notify(method string, params any) {
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// waitFor waits until cond (called with c.mu held) is true.
func (c *client) waitFor(what string, timeout time.Duration, cond func() bool) {
	c.t.Helper()
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		ok := cond()
		ch := c.changed
		rerr := c.readErr
		c.mu.Unlock()
		if ok {
			return
		}
		if rerr != nil {
			c.t.Fatalf("waiting for %s: connection: %v", what, rerr)
		}
		select {
		case <-ch:
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// mark returns the number of publishes so far (to wait for newer ones).
func (c *client) mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.publishes)
}

// waitPublish waits for a publish for uri after mark that satisfies pred
// and returns it.
func (c *client) waitPublish(mark int, uri string, pred func([]diagnostic) bool) []diagnostic {
	c.t.Helper()
	var got []diagnostic
	c.waitFor("publishDiagnostics for "+uri, 10*time.Second, func() bool {
		for i := len(c.publishes) - 1; i >= mark; i-- {
			p := c.publishes[i]
			if p.URI == uri {
				if pred(p.Diagnostics) {
					got = p.Diagnostics
					return true
				}
				return false // the newest publish for uri does not match yet
			}
		}
		return false
	})
	return got
}

// latest returns the newest published diagnostics for uri.
func (c *client) latest(uri string) ([]diagnostic, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.publishes) - 1; i >= 0; i-- {
		if c.publishes[i].URI == uri {
			return c.publishes[i].Diagnostics, true
		}
	}
	return nil, false
}

func (c *client) waitExit(t testing.TB) int {
	t.Helper()
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		t.Fatal("server did not exit")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exitCode
}

func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

var defaultCaps = map[string]any{
	"workspace": map[string]any{
		"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true},
		"configuration":         true,
		"workspaceFolders":      true,
	},
	"textDocument": map[string]any{
		"publishDiagnostics": map[string]any{"relatedInformation": true},
		"hover":              map[string]any{"contentFormat": []string{"markdown", "plaintext"}},
		"documentSymbol":     map[string]any{"hierarchicalDocumentSymbolSupport": true},
	},
}

// initialize performs initialize + initialized on root with init options.
func (c *client) initialize(root string, initOpts any) map[string]any {
	c.t.Helper()
	params := map[string]any{
		"processId":        os.Getpid(),
		"rootUri":          fileURI(root),
		"workspaceFolders": []map[string]any{{"uri": fileURI(root), "name": filepath.Base(root)}},
		"capabilities":     defaultCaps,
	}
	if initOpts != nil {
		params["initializationOptions"] = initOpts
	}
	var res map[string]any
	c.result("initialize", params, &res)
	c.notify("initialized", map[string]any{})
	return res
}

func (c *client) shutdown() {
	c.t.Helper()
	c.result("shutdown", nil, nil)
	c.notify("exit", nil)
}

func (c *client) open(path, text string) {
	lang := "toml"
	if strings.HasSuffix(path, ".rs") {
		lang = "rust"
	}
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": fileURI(path), "languageId": lang, "version": 1, "text": text,
	}})
}

var versions sync.Map

// change sends one incremental edit replacing [start, end) with text.
func (c *client) change(path string, start, end position, text string) {
	v, _ := versions.LoadOrStore(path, new(int))
	n := v.(*int)
	*n++
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": fileURI(path), "version": *n + 1},
		"contentChanges": []any{map[string]any{"range": lrange{start, end}, "text": text}},
	})
}

// writeFiles creates files under dir (paths with '/').
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func codes(ds []diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Code)
	}
	return out
}

func hasCode(ds []diagnostic, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}

// posOf returns the LSP position (UTF-16) of the first occurrence of sub in text.
func posOf(t testing.TB, text, sub string) position {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in text", sub)
	}
	line := strings.Count(text[:i], "\n")
	ls := strings.LastIndex(text[:i], "\n") + 1
	col := 0
	for _, r := range text[ls:i] {
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
	}
	return position{line, col}
}
