package server

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"

	"github.com/pyo3-ls/pyo3-ls/internal/benchgen"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// countingFS counts the reads of each path.
type countingFS struct {
	project.FS
	mu sync.Mutex
	n  map[string]int
}

func (c *countingFS) ReadFile(path string) ([]byte, error) {
	c.mu.Lock()
	c.n[path]++
	c.mu.Unlock()
	return c.FS.ReadFile(path)
}

func (c *countingFS) reads(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[path]
}

// Only projects with an open document keep their snapshot (and their parsed
// files in the loader); a request about another project loads it again.
func TestSnapshotsOnlyForOpenDocuments(t *testing.T) {
	dir := t.TempDir()
	names, err := benchgen.Monorepo(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	fsys := &countingFS{FS: project.OSFS{}, n: map[string]int{}}
	s := New(Options{Logger: zap.NewNop(), Debounce: time.Hour, FS: fsys})
	s.conn = jsonrpc2.NewConn(newStream(strings.NewReader(""), io.Discard, nil, zap.NewNop()))
	s.state = stateInitialized
	s.roots = []string{dir}
	s.confined.SetRoots([]string{dir})
	ctx := context.Background()
	s.discover([]string{dir})
	s.runPass(ctx)
	defer func() {
		if s.timer != nil {
			s.timer.Stop()
		}
	}()
	py := func(i int) string { return filepath.Join(dir, "crates", names[i], "pyproject.toml") }
	lib := func(i int) string { return filepath.Join(dir, "crates", names[i], "src", "lib.rs") }
	if len(s.projects) != 3 {
		t.Fatalf("%d projects, want 3", len(s.projects))
	}
	for pp, ps := range s.projects {
		if ps.snap != nil || ps.snapGen == 0 {
			t.Errorf("%s: snapshot kept (%v) or not analysed (gen %d) with no document open", pp, ps.snap != nil, ps.snapGen)
		}
		n := fsys.reads(pp)
		s.loader.TOML(pp)
		if fsys.reads(pp) == n {
			t.Errorf("%s: still parsed in the loader", pp)
		}
	}

	src, err := os.ReadFile(py(1))
	if err != nil {
		t.Fatal(err)
	}
	open, _ := json.Marshal(map[string]any{"textDocument": map[string]any{"uri": pathToURI(py(1)), "version": 1, "text": string(src)}})
	if err := s.didOpen(open); err != nil {
		t.Fatal(err)
	}
	s.runPass(ctx)
	for i := range names {
		ps := s.projects[py(i)]
		if kept := ps.snap != nil; kept != (i == 1) {
			t.Errorf("project %d: snapshot kept %v with project 1's pyproject.toml open", i, kept)
		}
	}

	// A request about a project without a snapshot loads it at once
	// (not after waiting maxViewWait for an analysis that is not coming).
	for _, strict := range []bool{false, true} {
		start := time.Now()
		vs := s.views(ctx, lib(2), strict)
		if len(vs) != 1 || vs[0].proj == nil || vs[0].proj.Dir != filepath.Dir(py(2)) {
			t.Fatalf("strict=%v: views of %s = %+v, want project 2 loaded again", strict, lib(2), vs)
		}
		if took := time.Since(start); took >= maxViewWait {
			t.Errorf("strict=%v: took %v: waited instead of loading", strict, took)
		}
		vs = s.views(ctx, py(1), strict)
		if len(vs) != 1 || vs[0].proj != s.projects[py(1)].snap {
			t.Errorf("strict=%v: views of the open project did not use its snapshot", strict)
		}
	}

	closeMsg, _ := json.Marshal(map[string]any{"textDocument": map[string]any{"uri": pathToURI(py(1))}})
	if err := s.didClose(closeMsg); err != nil {
		t.Fatal(err)
	}
	s.runPass(ctx)
	if s.projects[py(1)].snap != nil {
		t.Error("snapshot still kept after its document closed")
	}
}

// A project's recorded paths are its own and the shared ones above it,
// never another member's: discovery reads nothing while an analysis
// records (a touched path of another project would re-analyse this one at
// every keystroke there).
func TestTouchedPathsAreTheProjectsOwn(t *testing.T) {
	dir := t.TempDir()
	names, err := benchgen.Monorepo(dir, 30)
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Logger: zap.NewNop(), Debounce: time.Hour})
	s.conn = jsonrpc2.NewConn(newStream(strings.NewReader(""), io.Discard, nil, zap.NewNop()))
	s.state = stateInitialized
	s.roots = []string{dir}
	s.confined.SetRoots([]string{dir})
	s.discover([]string{dir})
	s.runPass(context.Background())
	defer func() {
		if s.timer != nil {
			s.timer.Stop()
		}
	}()
	if len(s.projects) != len(names) {
		t.Fatalf("%d projects, want %d", len(s.projects), len(names))
	}
	crates := filepath.Join(dir, "crates") + string(filepath.Separator)
	for pp, ps := range s.projects {
		own := filepath.Dir(pp) + string(filepath.Separator)
		for _, path := range ps.touched {
			member := strings.HasPrefix(path, crates) && strings.ContainsRune(path[len(crates):], filepath.Separator)
			if member && !strings.HasPrefix(path+string(filepath.Separator), own) {
				t.Errorf("%s recorded %s", pp, path)
			}
		}
	}
}
