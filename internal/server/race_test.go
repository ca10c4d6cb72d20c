package server_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/pyo3-ls/pyo3-ls/internal/server"
)

// TestEditsDuringAnalysis sends a burst of edits to two files while
// analyses run (1ms debounce) and requests are answered concurrently; run
// with -race. The last edit fixes the project: the final publishes must be
// empty, so no stale result was published after the newer one.
func TestEditsDuringAnalysis(t *testing.T) {
	dir := fixture(t, nil)
	logs := &lockedBuilder{}
	c := startInProcess(t, server.Options{Debounce: time.Millisecond, Logger: server.NewLogger(logs, zap.NewAtomicLevelAt(zap.DebugLevel))})
	mark := c.mark()
	c.initialize(dir, nil)
	py, lib := filepath.Join(dir, "pyproject.toml"), filepath.Join(dir, "src", "lib.rs")
	pyURI, libURI := fileURI(py), fileURI(lib)
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return hasCode(ds, "N001") })
	c.open(py, fixturePyproject)
	c.open(lib, fixtureLib)
	at := posOf(t, fixturePyproject, `"demo"`+"\nfeatures")
	name := position{at.Line, at.Character + 1}
	fnAt := posOf(t, fixtureLib, "other")

	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // concurrent requests
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			_, ch := c.request("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": pyURI}, "position": position{10, 3}})
			<-ch
			_, ch = c.request("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": libURI}, "range": lrange{fnAt, fnAt}, "context": map[string]any{"diagnostics": []any{}}})
			<-ch
		}
	}()
	cur := "demo"
	fn := "other"
	for i := 0; i < 300; i++ {
		next := fmt.Sprintf("m%d", i)
		if i%2 == 0 {
			c.change(py, name, position{name.Line, name.Character + len(cur)}, next)
			cur = next
		} else {
			c.change(lib, fnAt, position{fnAt.Line, fnAt.Character + len(fn)}, next)
			fn = next
		}
		if i%50 == 0 {
			time.Sleep(2 * time.Millisecond)
		}
	}
	// Make both ends agree.
	c.change(lib, fnAt, position{fnAt.Line, fnAt.Character + len(fn)}, cur)
	close(stop)
	wg.Wait()
	c.waitPublish(mark, libURI, func(ds []diagnostic) bool { return len(ds) == 0 })
	c.waitPublish(mark, pyURI, func(ds []diagnostic) bool { return len(ds) == 0 })
	// Nothing newer arrives that reintroduces the stale N001.
	time.Sleep(100 * time.Millisecond)
	for _, u := range []string{libURI, pyURI} {
		if ds, _ := c.latest(u); len(ds) != 0 {
			t.Errorf("%s: stale diagnostics published last: %v", u, codes(ds))
		}
	}
	c.shutdown()
	if code := c.waitExit(t); code != 0 {
		t.Errorf("exit code %d", code)
	}
	l := logs.String()
	t.Logf("%d analyses, %d stale results dropped", strings.Count(l, "analysed"), strings.Count(l, "stale analysis dropped"))
}
