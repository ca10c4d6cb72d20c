package server_test

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pyo3-ls/pyo3-ls/internal/benchgen"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// TestLoadManyDocumentsAndEdits opens 1,000 pyproject.toml documents (a
// 1,000-crate workspace) and sends 10,000 edits in random order, each
// making a project's module-name right or wrong. After every batch the
// newest publish for each project must match its buffer's final text (no
// stale result published after a newer one), and the server's heap in use
// must stay flat between the first and the second half of the edits.
// A stress test: runs only with PYO3_LS_STRESS=1 (CI sets it).
// -short: 100 documents, 1,000 edits; -race: 300 and 3,000.
func TestLoadManyDocumentsAndEdits(t *testing.T) {
	testenv.SkipUnlessStress(t, "1,000 documents and 10,000 edits")
	docs, edits := 1000, 10000
	switch {
	case testing.Short():
		docs, edits = 100, 1000
	case raceEnabled:
		docs, edits = 300, 3000
	}
	dir := t.TempDir()
	names, err := benchgen.Monorepo(dir, docs)
	if err != nil {
		t.Fatal(err)
	}
	p := startPeer(t, 5*time.Millisecond)
	p.initialize(dir)

	type doc struct {
		py, pyURI, libURI string
		good, bad         string
		wrong             bool
		version           int
	}
	ds := make([]*doc, docs)
	for i, name := range names {
		d := &doc{py: filepath.Join(dir, "crates", name, "pyproject.toml")}
		d.pyURI = fileURI(d.py)
		d.libURI = fileURI(filepath.Join(dir, "crates", name, "src", "lib.rs"))
		d.good = benchgen.Pyproject(name)
		mod := strings.ReplaceAll(name, "-", "_")
		d.bad = strings.Replace(d.good, fmt.Sprintf("module-name = %q", mod), fmt.Sprintf("module-name = %q", mod+"_renamed"), 1)
		if d.bad == d.good {
			t.Fatal("could not make a wrong module-name")
		}
		ds[i] = d
		p.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": d.pyURI, "languageId": "toml", "version": 0, "text": d.good}})
	}
	// settled: every project's newest publish agrees with its buffer.
	settled := func() bool {
		for _, d := range ds {
			n := len(p.latest[d.pyURI]) + len(p.latest[d.libURI])
			if d.wrong != (n > 0) {
				return false
			}
		}
		return true
	}
	settle := func(what string) {
		t.Helper()
		p.wait(what, 120*time.Second, settled)
		// A stale publish arriving late would break the agreement again.
		time.Sleep(200 * time.Millisecond)
		p.mu.Lock()
		ok := settled()
		p.mu.Unlock()
		if !ok {
			t.Fatalf("%s: a stale publish arrived after the diagnostics matched the buffers", what)
		}
	}
	// Sanity: a wrong module-name is reported at all.
	ds[0].wrong, ds[0].version = true, 1
	p.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": ds[0].pyURI, "version": 1}, "contentChanges": []any{map[string]any{"text": ds[0].bad}}})
	settle("initial analysis")

	rng := rand.New(rand.NewSource(1))
	edit := func(n int) {
		for k := 0; k < n; k++ {
			d := ds[rng.Intn(len(ds))]
			d.wrong = rng.Intn(2) == 0
			d.version++
			text := d.good
			if d.wrong {
				text = d.bad
			}
			p.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": d.pyURI, "version": d.version}, "contentChanges": []any{map[string]any{"text": text}}})
			if k%500 == 499 {
				time.Sleep(time.Millisecond) // let some passes start mid-burst
			}
		}
	}
	base := heapInUse()
	start := time.Now()
	edit(edits / 2)
	settle("first half of the edits")
	mid := heapInUse()
	edit(edits - edits/2)
	settle("second half of the edits")
	end := heapInUse()
	p.mu.Lock()
	pubs := p.publishes
	p.mu.Unlock()
	t.Logf("%d documents, %d edits in %v, %d publishes; heap in use %d KB after opening, %d KB after %d edits, %d KB after %d",
		docs, edits, time.Since(start).Round(time.Millisecond), pubs, base>>10, mid>>10, edits/2, end>>10, edits)
	if end > mid+mid/4+4<<20 {
		t.Errorf("heap grew from %d KB to %d KB over the second %d edits", mid>>10, end>>10, edits-edits/2)
	}
	if l := p.panics(); len(l) > 0 {
		t.Errorf("server logged errors: %v", l)
	}
}
