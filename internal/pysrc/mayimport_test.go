package pysrc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkMayImportFrom: every from-import Parse finds whose module path has a
// leading dot or several components makes MayImportFrom true for its last
// component.
func checkMayImportFrom(t *testing.T, src []byte) {
	t.Helper()
	for _, im := range Parse(src).Imports {
		if !im.From || im.Module == "" || im.Level == 0 && !strings.Contains(im.Module, ".") {
			continue
		}
		last := im.Module[strings.LastIndexByte(im.Module, '.')+1:]
		if !MayImportFrom(src, last) {
			t.Fatalf("MayImportFrom(%q, %q) = false, but Parse finds from %s%s import", src, last, strings.Repeat(".", im.Level), im.Module)
		}
	}
}

var mayImportCases = []string{
	"from ._core import a\n", "from pkg._core import a\n", "from . _core import a\n", "from .\\\n_core import a\n",
	"from pkg . \\\r\n _core import (a,\n b)\n", "from ...x._core import *\n", "x = 1; from ._core import a\n",
	"if True:\n    from ._core import a\n", "from .._core_ext import a\n", "from ._core2 import a\n", "from .é_core import a\n",
	"from ._core import a # _core\n", "from\t.\t_core\timport a\n", "\ufefffrom ._core import a\n",
}

func TestMayImportFrom(t *testing.T) {
	for _, c := range mayImportCases {
		checkMayImportFrom(t, []byte(c))
	}
	for _, c := range []struct {
		src, last string
		want      bool
	}{
		{"from ._core import a\n", "_core", true},
		{"import _core\n", "_core", false},
		{"from _core import a\n", "_core", false},
		{"x = '_core'\n", "_core", false},
		{"from ._core_ext import a\n", "_core", false},
		{"from .x_core import a\n", "_core", false},
		{"y = a._core\n", "_core", true}, // a superset: attribute access looks the same
		{"from .\\\n  _core import a\n", "_core", true},
	} {
		if got := MayImportFrom([]byte(c.src), c.last); got != c.want {
			t.Errorf("MayImportFrom(%q, %q) = %v, want %v", c.src, c.last, got, c.want)
		}
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "E*", "*", "*", "*.py*"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "E*", "*", "*", "*", "*.py*"))
	for _, f := range append(files, more...) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkMayImportFrom(t, src)
	}
}

func FuzzMayImportFrom(f *testing.F) {
	for _, c := range mayImportCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, src []byte) { checkMayImportFrom(t, src) })
}
