package pysrc

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

func paramsString(ps []Param) string {
	var out []string
	for _, p := range ps {
		x := p.Name
		switch p.Kind {
		case PosOnly:
			x += "/"
		case KwOnly:
			x = "*" + x
		case VarArgs:
			x = "*" + x
		case VarKw:
			x = "**" + x
		}
		if p.HasDefault {
			x += "="
		}
		out = append(out, x)
	}
	return strings.Join(out, ",")
}

func TestImports(t *testing.T) {
	src := `"""Doc with from x import y."""
from ._core import a, b as c
from pkg._core import *
from . import _core
from .. import (
    x,  # comment
    y,
)
import pkg._core as core, os
try:
    from ._core import maybe
except ImportError:
    maybe = None
if TYPE_CHECKING:
    from ._core import Typed
def f():
    from ._core import lazy
s = "from ._core import fake"
x = 1; from ._core import semi
`
	m := Parse([]byte(src))
	var got []string
	for _, im := range m.Imports {
		var names []string
		for _, n := range im.Names {
			x := n.Name
			if n.As != "" {
				x += " as " + n.As
			}
			names = append(names, x)
		}
		if im.Star {
			names = append(names, "*")
		}
		got = append(got, fmt.Sprintf("%v:%d:%s:%s:top=%v:tc=%v", im.From, im.Level, im.Module, strings.Join(names, "|"), im.TopLevel, im.TypeChecking))
	}
	want := []string{
		"true:1:_core:a|b as c:top=true:tc=false",
		"true:0:pkg._core:*:top=true:tc=false",
		"true:1::_core:top=true:tc=false",
		"true:2::x|y:top=true:tc=false",
		"false:0::pkg._core as core|os:top=true:tc=false",
		"true:1:_core:maybe:top=false:tc=false",
		"true:1:_core:Typed:top=false:tc=true",
		"true:1:_core:semi:top=true:tc=false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("imports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestStub(t *testing.T) {
	src := `from typing import overload, Any
import sys

__all__ = ["parse", "Thing"]
__all__ += ["extra"]
VERSION: str
_T = TypeVar("_T")

def parse(data: str | bytes, /, strict: bool = ..., *, limit: int | None = None, **kw: Any) -> dict[str, int]: ...
@overload
def load(x: int) -> int: ...
@overload
def load(x: str) -> str: ...
def old(__a: int, __b: int, c: int) -> None: ...
async def fetch(*args: int) -> None:
    pass

class Thing(Base, metaclass=Meta):
    """Doc."""
    LIMIT: int
    def __new__(cls, x: int = 0) -> Thing: ...
    def method(self, a: int) -> None: ...
    @property
    def size(self) -> int: ...
    @size.setter
    def size(self, v: int) -> None: ...
    @staticmethod
    def make(a: int) -> Thing: ...
    class Inner:
        def deep(self) -> None: ...

class Empty: ...

if sys.version_info >= (3, 10):
    def newer() -> None: ...
else:
    def older() -> None: ...

def __getattr__(name: str) -> Any: ...
`
	m := Parse([]byte(src))
	if strings.Join(m.All, ",") != "parse,Thing,extra" || m.AllDynamic {
		t.Errorf("__all__ = %v dynamic=%v", m.All, m.AllDynamic)
	}
	var defs []string
	for _, d := range m.Defs {
		x := fmt.Sprintf("%d:%s(%s)", d.Kind, d.Name, paramsString(d.Params))
		if d.Conditional {
			x += "?"
		}
		if len(d.Decorators) > 0 {
			x += "@" + strings.Join(d.Decorators, "@")
		}
		defs = append(defs, x)
	}
	want := "3:VERSION() 3:_T() 1:parse(data/,strict=,*limit=,**kw) 1:load(x)@overload 1:load(x)@overload 1:old(__a/,__b/,c) 1:fetch(*args) 2:Thing() 2:Empty() 1:newer()? 1:older()? 1:__getattr__(name)"
	if strings.Join(defs, " ") != want {
		t.Errorf("defs:\n%s\nwant:\n%s", strings.Join(defs, " "), want)
	}
	th := m.Def("Thing")
	var mem []string
	for _, d := range th.Members {
		mem = append(mem, fmt.Sprintf("%s(%s)%v", d.Name, paramsString(d.Params), d.Decorators))
	}
	if got := strings.Join(mem, " "); got != "LIMIT()[] __new__(cls,x=)[] method(self,a)[] size(self)[property] size(self,v)[size.setter] make(a)[staticmethod] Inner()[]" {
		t.Errorf("members: %s", got)
	}
	if strings.Join(th.Bases, "|") != "Base|metaclass=Meta" {
		t.Errorf("bases: %q", th.Bases)
	}
	if !m.Getattr {
		t.Errorf("no __getattr__")
	}
	if got := src[th.Range.Start:th.Range.End]; !strings.HasPrefix(got, "class Thing") || !strings.HasSuffix(got, "def deep(self) -> None: ...") {
		t.Errorf("class range: %q", got)
	}
	if got := src[m.Def("parse").NameRange.Start:m.Def("parse").NameRange.End]; got != "parse" {
		t.Errorf("name range %q", got)
	}
}

func TestTolerant(t *testing.T) {
	inputs := []string{
		"", "def", "def (", "class", "class (", "from", "from . import", "from .", "import", "@", "@\n",
		"def f(*, **): ...", "def f(a, /, /, *, *): ...", "__all__ = [x for x in y]", "__all__ = ",
		"'''unterminated", "'unterminated\nx = 1", "\\", "((((", "))))", "\xff\xfe\x00",
		"class A:\n  class B:\n    class C:\n      def f(self): ...",
		"if x:\n\tdef f(): ...\n        def g(): ...",
		"def f(a: Callable[[int, str], None] = lambda x, y: (x, y), b=[1, 2]): ...",
	}
	for _, in := range inputs {
		Parse([]byte(in))
	}
	m := Parse([]byte("def f(a: Callable[[int, str], None] = lambda: 1, b=[1, 2], *c, d): ..."))
	if got := paramsString(m.Defs[0].Params); got != "a=,b=,*c,*d" {
		t.Errorf("params: %s", got)
	}
}

func TestPathological(t *testing.T) {
	inputs := map[string]string{
		"brackets":  strings.Repeat("(", 1<<20),
		"indent":    strings.Repeat(" ", 1<<20) + "x",
		"nesting":   buildNesting(2000),
		"decorator": strings.Repeat("@x\n", 1<<18) + "def f(): ...",
		"quotes":    strings.Repeat("'''", 1<<18),
		"params":    "def f(" + strings.Repeat("a: int = 1, ", 1<<17) + "): ...",
		"all":       "__all__ = [" + strings.Repeat("'x', ", 1<<17) + "]",
		"imports":   "from x import (" + strings.Repeat("a, ", 1<<17) + ")",
		"classes":   strings.Repeat("class A:\n def f(self): ...\n", 1<<15),
		"dots":      "from " + strings.Repeat(".", 1<<20) + " import x",
	}
	for name, in := range inputs {
		testenv.NoHang(t, name, func() { Parse([]byte(in)) })
	}
}

func buildNesting(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("if x:\n")
	}
	return b.String()
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"from ._core import a, b as c\n__all__ = ['a']\n",
		"class A(B):\n    def f(self, x: int = 1, /, *a, k, **kw) -> int: ...\n",
		"if TYPE_CHECKING:\n    from x import *\ntry:\n  import y\nexcept:\n  pass\n",
		"@overload\nasync def f[T](x: T) -> T: ...\n",
		"x = 1; y: int = 2\\\n  + 3\n'''doc\n'''",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m := Parse(src)
		n := len(src)
		ok := func(r Range) {
			if r.Start < 0 || r.End < r.Start || r.End > n {
				t.Fatalf("bad range %v (len %d)", r, n)
			}
		}
		var walk func(ds []*Def)
		walk = func(ds []*Def) {
			for _, d := range ds {
				ok(d.Range)
				ok(d.NameRange)
				for _, p := range d.Params {
					ok(p.Range)
				}
				walk(d.Members)
			}
		}
		walk(m.Defs)
		for _, im := range m.Imports {
			ok(im.Range)
			ok(im.ModuleRange)
			for _, x := range im.Names {
				ok(x.Range)
			}
		}
	})
}
