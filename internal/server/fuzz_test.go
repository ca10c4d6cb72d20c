package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/pyo3-ls/pyo3-ls/internal/benchgen"
	"github.com/pyo3-ls/pyo3-ls/internal/server"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

// fuzzSession turns fuzz bytes into a JSON-RPC session against a project
// in dir: each 0xFF-separated chunk is one message, its first byte picks
// the kind (document sync with the chunk as text, requests at positions
// taken from the chunk, settings, watched files, cancellation, shutdown,
// exit, invalid params, raw bytes on the wire).
func fuzzSession(dir string, data []byte) []byte {
	py := filepath.Join(dir, "pyproject.toml")
	uris := []string{fileURI(py), fileURI(filepath.Join(dir, "Cargo.toml")), fileURI(filepath.Join(dir, "src", "lib.rs")), fileURI(filepath.Join(dir, "nope.toml")), "untitled:Untitled-1", "file:///%zz"}
	methods := []string{"textDocument/hover", "textDocument/completion", "textDocument/codeAction", "textDocument/definition", "textDocument/documentSymbol", "shutdown", "workspace/executeCommand", "unknown/method", "initialize"}
	var out bytes.Buffer
	frame := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(&out, "Content-Length: %d\r\n\r\n%s", len(b), b)
	}
	id := 0
	call := func(method string, params any) {
		id++
		frame(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	}
	notify := func(method string, params any) {
		frame(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
	}
	// No workspace/configuration or dynamic registration capability: the
	// server's requests for those wait up to 30 s for an answer this
	// one-way session never gives, and would pile up across iterations.
	call("initialize", map[string]any{"processId": nil, "rootUri": fileURI(dir), "capabilities": map[string]any{}})
	notify("initialized", map[string]any{})
	version := 0
	for _, chunk := range bytes.Split(data, []byte{0xFF}) {
		if len(chunk) == 0 {
			continue
		}
		op, rest := chunk[0], chunk[1:]
		b := func(i int) int { // small numbers from the chunk
			if i < len(rest) {
				return int(rest[i]) % 40
			}
			return 0
		}
		uri := uris[int(op>>4)%len(uris)]
		pos := map[string]any{"line": b(0), "character": b(1)}
		rng := map[string]any{"start": pos, "end": map[string]any{"line": b(2), "character": b(3)}}
		doc := map[string]any{"uri": uri}
		version++
		switch op % 16 {
		case 0:
			notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "toml", "version": version, "text": string(rest)}})
		case 1:
			notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": []any{map[string]any{"text": string(rest)}}})
		case 2:
			text := ""
			if len(rest) > 4 {
				text = string(rest[4:])
			}
			notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": []any{map[string]any{"range": rng, "text": text}}})
		case 3:
			notify("textDocument/didClose", map[string]any{"textDocument": doc})
		case 4, 5, 6:
			m := methods[int(op>>4)%len(methods)]
			call(m, map[string]any{"textDocument": doc, "position": pos, "range": rng, "context": map[string]any{"diagnostics": []any{}, "only": []string{"quickfix"}}})
		case 7:
			call("textDocument/hover", map[string]any{"textDocument": doc, "position": pos})
		case 8:
			call("textDocument/completion", map[string]any{"textDocument": doc, "position": pos})
		case 9:
			notify("workspace/didChangeConfiguration", json.RawMessage(validOr(rest, `{"settings":{"pyo3-ls":{"select":["N"],"ignore":["T003"],"logLevel":"debug"}}}`)))
		case 10:
			notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": uri, "type": b(0)%3 + 1}}})
		case 11:
			notify("$/cancelRequest", map[string]any{"id": b(0)})
		case 12: // raw params for a method
			m := methods[int(op>>4)%len(methods)]
			id++
			body := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, m, rest)
			fmt.Fprintf(&out, "Content-Length: %d\r\n\r\n%s", len(body), body)
		case 13: // raw bytes on the wire
			out.Write(rest)
		case 14:
			notify("workspace/didChangeWorkspaceFolders", map[string]any{"event": map[string]any{"added": []any{map[string]any{"uri": uri, "name": "x"}}, "removed": []any{}}})
		case 15:
			if b(0) == 0 {
				notify("exit", nil)
			} else {
				call("shutdown", nil)
			}
		}
	}
	return out.Bytes()
}

func validOr(b []byte, def string) []byte {
	if json.Valid(b) {
		return b
	}
	return []byte(def)
}

// FuzzServerSession runs random JSON-RPC sequences against an in-process
// server: it must not panic (handlers recover, so any error-level log is a
// failure), must stop when its input ends, and must not hang.
func FuzzServerSession(f *testing.F) {
	dir := f.TempDir()
	if err := benchgen.Project(dir, "demo"); err != nil {
		f.Fatal(err)
	}
	sep := []byte{0xFF}
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, sep) }
	f.Add(join([]byte("\x00[project]\nname = \"demo\"\n[tool.maturin]\nmodule-name = \"x\"\n"), []byte("\x07\x02\x03"), []byte("\x08\x05\x00"), []byte("\x04\x01\x01\x02\x02")))
	f.Add(join([]byte("\x20use pyo3::prelude::*;\n#[pymodule]\nfn demo() {}\n"), []byte("\x22\x00\x00\x00\x05mod x;"), []byte("\x34\x00\x00"), []byte("\x03"), []byte("\x0a\x01")))
	f.Add(join([]byte("\x0c{\"textDocument\":1}"), []byte("\x0dContent-Length: 5\r\n\r\n{}}}}"), []byte("\x09{\"settings\":null}"), []byte("\x0b\x01"), []byte("\x0f\x01"), []byte("\x0f\x00")))
	f.Add(join([]byte("\x00\xff\xfe"), []byte("\x01[a]\nb = ["), []byte("\x02\x27\x27\x00\x00é"), []byte("\x0e"), []byte("\x5c")))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		core, logs := observer.New(zapcore.ErrorLevel)
		srv := server.New(server.Options{Logger: zap.New(core), Debounce: time.Millisecond})
		in := io.MultiReader(bytes.NewReader(fuzzSession(dir, data)), slowEOF{})
		// One session within the fuzz budgets (CPU, allocation, and a wall
		// limit for a server that does not stop after its input ended).
		testenv.Budget(t, "server session", func() {
			srv.Serve(context.Background(), in, io.Discard)
		})
		for _, e := range logs.All() {
			if strings.Contains(e.Message, "panic") {
				t.Fatalf("%s: %v", e.Message, e.ContextMap())
			}
		}
	})
}

// slowEOF lets queued analyses start before the input ends.
type slowEOF struct{}

func (slowEOF) Read([]byte) (int, error) {
	time.Sleep(5 * time.Millisecond)
	return 0, io.EOF
}
