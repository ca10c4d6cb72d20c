package analysis

import (
	"path/filepath"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// TestRealLayoutsClean checks fixtures modelled on real project layouts
// (testdata/projects): each must report nothing at all, and the facts the
// rules rely on must have been found — so "clean" is not "nothing was read".
func TestRealLayoutsClean(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "projects"))
	res, err := Check(project.NewLoader(project.OSFS{}), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("%s %s: %s", d.Code, d.Path, d.Message)
	}
	byDir := map[string]*project.Project{}
	for _, p := range res.Projects {
		rel, _ := filepath.Rel(root, p.Dir)
		byDir[filepath.ToSlash(rel)] = p
	}
	type want struct {
		module, ext, bindings string
		modules               int
		pyo3                  string // resolved version
		fromLock              bool
		abi3Floor             int
		workspace             bool
	}
	for dir, w := range map[string]want{
		"pure-rust":                          {"pure_rust", "pure_rust", "pyo3", 1, "0.27.2", false, -1, false},
		"mixed-python-dir":                   {"mixed._mixed", "_mixed", "pyo3", 1, "0.27.2", false, 9, false},
		"dotted-core":                        {"dotted._core", "_core", "pyo3", 1, "0.27.2", false, -1, false},
		"workspace-bindings/bindings/python": {"fastthing", "fastthing", "pyo3", 2, "0.28.3", true, -1, true},
		"py-crate-renamed-pyo3/py-ext":       {"renamed", "renamed", "pyo3", 1, "0.25.1", false, 8, true},
	} {
		p := byDir[dir]
		if p == nil {
			t.Errorf("%s: not discovered (found %v)", dir, byDir)
			continue
		}
		in := Inspect(p)
		if in.Module.Full != w.module || in.Module.Ext != w.ext || string(in.Bindings) != w.bindings || len(in.Modules) != w.modules {
			t.Errorf("%s: module %q ext %q bindings %q modules %d", dir, in.Module.Full, in.Module.Ext, in.Bindings, len(in.Modules))
		}
		v := in.PyO3Version()
		if v == nil || v.Version.String() != w.pyo3 || v.FromLock != w.fromLock {
			t.Errorf("%s: PyO3 version %+v, want %s (lock %v)", dir, v, w.pyo3, w.fromLock)
		}
		a := in.Abi3()
		if (w.abi3Floor < 0) == a.Enabled || (a.Enabled && a.Floor != w.abi3Floor) {
			t.Errorf("%s: abi3 %+v, want floor %d", dir, a, w.abi3Floor)
		}
		if (p.Workspace != nil) != w.workspace {
			t.Errorf("%s: workspace found = %v", dir, p.Workspace != nil)
		}
	}
}

func TestWheelLocation(t *testing.T) {
	base, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	for dir, want := range map[string]struct {
		path  string
		mixed bool
	}{
		"projects/dotted-core":           {"dotted/_core", true},
		"projects/mixed-python-dir":      {"mixed/_mixed", true},
		"projects/pure-rust":             {"pure_rust/pure_rust", false},
		"rules/L006/fail-no-package-dir": {"_core/_core", false}, // prefix dropped
	} {
		p := project.Load(project.NewLoader(project.OSFS{}), filepath.Join(base, dir, "pyproject.toml"))
		path, mixed, _ := Inspect(p).WheelLocation()
		if path != want.path || mixed != want.mixed {
			t.Errorf("%s: WheelLocation = %q mixed %v, want %q %v", dir, path, mixed, want.path, want.mixed)
		}
	}
}
