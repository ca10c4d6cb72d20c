package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/pyo3-ls/pyo3-ls/internal/server"
)

// peer is a small in-process LSP client for the load and fuzz tests: it
// keeps only the newest publishDiagnostics per URI (so its own memory stays
// flat), answers server→client requests with null, and records every
// error-level log line of the server (a recovered panic is one).
type peer struct {
	t      testing.TB
	w      *io.PipeWriter
	wmu    sync.Mutex
	nextID int

	mu        sync.Mutex
	latest    map[string][]json.RawMessage // uri → diagnostics of the newest publish
	publishes int
	responses map[int]json.RawMessage
	changed   chan struct{}

	logs   *observer.ObservedLogs
	exited chan struct{}
	code   int
}

func startPeer(t testing.TB, debounce time.Duration) *peer {
	t.Helper()
	core, logs := observer.New(zapcore.ErrorLevel)
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	p := &peer{t: t, w: cw, latest: map[string][]json.RawMessage{}, responses: map[int]json.RawMessage{},
		changed: make(chan struct{}), logs: logs, exited: make(chan struct{})}
	srv := server.New(server.Options{Logger: zap.New(core), Debounce: debounce})
	go func() {
		p.code = srv.Serve(context.Background(), sr, sw)
		sw.Close()
		close(p.exited)
	}()
	go p.read(bufio.NewReader(cr))
	t.Cleanup(func() {
		cw.Close()
		sr.Close()
		select {
		case <-p.exited:
		case <-time.After(30 * time.Second):
			t.Error("server did not stop after its input closed")
		}
	})
	return p
}

func (p *peer) read(r *bufio.Reader) {
	tp := textproto.NewReader(r)
	for {
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			return
		}
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if err != nil {
			return
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var m struct {
			ID     *json.RawMessage `json:"id"`
			Method string           `json:"method"`
			Params json.RawMessage  `json:"params"`
			Result json.RawMessage  `json:"result"`
		}
		if json.Unmarshal(body, &m) != nil {
			continue
		}
		switch {
		case m.Method == "textDocument/publishDiagnostics":
			var pd struct {
				URI         string            `json:"uri"`
				Diagnostics []json.RawMessage `json:"diagnostics"`
			}
			json.Unmarshal(m.Params, &pd)
			p.mu.Lock()
			p.latest[pd.URI] = pd.Diagnostics
			p.publishes++
			close(p.changed)
			p.changed = make(chan struct{})
			p.mu.Unlock()
		case m.Method != "" && m.ID != nil: // a request from the server
			p.send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil})
		case m.ID != nil:
			id, _ := strconv.Atoi(string(*m.ID))
			p.mu.Lock()
			p.responses[id] = m.Result
			close(p.changed)
			p.changed = make(chan struct{})
			p.mu.Unlock()
		}
	}
}

func (p *peer) writeFrame(body []byte) {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	fmt.Fprintf(p.w, "Content-Length: %d\r\n\r\n", len(body))
	p.w.Write(body)
}

func (p *peer) send(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		p.t.Fatal(err)
	}
	p.writeFrame(b)
}

func (p *peer) notify(method string, params any) {
	p.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// call sends a request and returns its id (responses are kept by id).
func (p *peer) call(method string, params any) int {
	p.wmu.Lock()
	p.nextID++
	id := p.nextID
	p.wmu.Unlock()
	p.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	return id
}

// wait waits until cond (called under p.mu) holds.
func (p *peer) wait(what string, timeout time.Duration, cond func() bool) {
	p.t.Helper()
	deadline := time.After(timeout)
	for {
		p.mu.Lock()
		ok := cond()
		ch := p.changed
		p.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			p.t.Fatalf("timed out after %v waiting for %s", timeout, what)
		case <-p.exited:
			p.t.Fatalf("server exited while waiting for %s", what)
		}
	}
}

func (p *peer) initialize(root string) {
	p.t.Helper()
	id := p.call("initialize", map[string]any{
		"processId": nil, "rootUri": fileURI(root), "capabilities": map[string]any{},
		"workspaceFolders": []map[string]any{{"uri": fileURI(root), "name": "root"}},
	})
	p.wait("initialize response", 30*time.Second, func() bool { _, ok := p.responses[id]; return ok })
	p.notify("initialized", map[string]any{})
}

func (p *peer) panics() []string {
	var out []string
	for _, e := range p.logs.All() {
		out = append(out, fmt.Sprintf("%s %v", e.Message, e.ContextMap()))
	}
	return out
}
