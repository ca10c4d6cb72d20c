package server

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
)

// Issue 16 item 10: the URI table grew with every didOpen/didClose of a
// distinct file; a closed document without published diagnostics keeps no
// entry.
func TestURITableBounded(t *testing.T) {
	s := New(Options{})
	dir := t.TempDir()
	for i := 0; i < 2000; i++ {
		uri := pathToURI(filepath.Join(dir, fmt.Sprintf("f%d.txt", i)))
		open, _ := json.Marshal(map[string]any{"textDocument": map[string]any{"uri": uri, "version": 1, "text": "x"}})
		if err := s.didOpen(open); err != nil {
			t.Fatal(err)
		}
		closeMsg, _ := json.Marshal(map[string]any{"textDocument": map[string]any{"uri": uri, "version": 1}})
		if err := s.didClose(closeMsg); err != nil {
			t.Fatal(err)
		}
	}
	s.mu.Lock()
	n, d := len(s.uris), len(s.docs)
	s.mu.Unlock()
	if n != 0 || d != 0 {
		t.Errorf("after 2,000 open/close: %d URIs and %d documents kept", n, d)
	}
}
