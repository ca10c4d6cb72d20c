package pysrc

import (
	"os"
	"path/filepath"
	"reflect"
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

// checkParseImports: ParseImports finds exactly Parse's imports.
func checkParseImports(t *testing.T, src []byte) {
	t.Helper()
	want, got := Parse(src).Imports, ParseImports(src).Imports
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseImports(%q).Imports = %+v, Parse finds %+v", src, got, want)
	}
}

func TestParseImportsMatchesParse(t *testing.T) {
	for _, c := range append(mayImportCases,
		"class A:\n    from x import y\nfrom z import w\n",
		"def f():\n    from x import y\n@d\nasync def g(): pass\nfrom .a import b\n",
		"if TYPE_CHECKING:\n    from ._core import A\nelse:\n    from ._core import B\ntry:\n    from ._core import C\nexcept ImportError:\n    pass\n",
		"async with x:\n    from y import z\nasync for a in b:\n    import c\n",
		"class C(\n    B):\n  def m(self, x: int = (1,\n 2)) -> None:\n    from q import r\nfrom s import (t,\n u as v)\n",
		"if typing.TYPE_CHECKING:\n    from ._core import X\nif typing.TYPE_CHECKING: from ._core import Y\n",
		"for a, b, c, d in zip(w, x, y, z):\n    from e import f\nx = 1; from g import h; import i\n",
		"with open(a) as b, open(c) as d:\n  import e\nclass K(A, B, C, metaclass=M):\n  from f import g\nfrom h import i\n",
		"async   def   f ( a , b ) -> ( int ) :\n    from x import y\nfrom z import w\n",
	) {
		checkParseImports(t, []byte(c))
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "*", "*", "*", "*.py*"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "*", "*", "*", "*", "*.py*"))
	for _, f := range append(files, more...) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkParseImports(t, src)
	}
}

func FuzzParseImports(f *testing.F) {
	for _, c := range mayImportCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, src []byte) { checkParseImports(t, src) })
}
