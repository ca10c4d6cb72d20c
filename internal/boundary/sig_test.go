package boundary

import (
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/pysrc"
	"github.com/pyo3-ls/pyo3-ls/internal/rustsrc"
)

func rustSig(t *testing.T, attr string) rustsrc.Signature {
	t.Helper()
	py := rustsrc.ScanPy([]byte("#[pyfunction]\n" + attr + "\nfn f(a: i64, b: Option<i64>) {}\n"))
	if len(py.Functions) != 1 {
		t.Fatalf("no function in %q", attr)
	}
	return py.Functions[0].Sig
}

func stubParams(t *testing.T, def string) []pysrc.Param {
	t.Helper()
	m := pysrc.Parse([]byte(def))
	if len(m.Defs) != 1 {
		t.Fatalf("no def in %q", def)
	}
	return m.Defs[0].Params
}

func TestPySignature(t *testing.T) {
	cases := map[string]string{
		"": "(a, b=None)",
		"#[pyo3(signature = (a, /, b = 3, *, c = \"x\", **kw))]": "(a, /, b=3, *, c='x', **kw)",
		"#[pyo3(signature = (*args, flag = true))]":              "(*args, flag=True)",
		"#[pyo3(signature = (a, b = vec![]))]":                   "(a, b=...)",
	}
	for attr, want := range cases {
		if got := PySignature(rustSig(t, attr), ""); got != want {
			t.Errorf("%q: got %s want %s", attr, got, want)
		}
	}
}

func TestCompare(t *testing.T) {
	cases := []struct {
		attr, stub string
		want       string
	}{
		{"", "def f(a, b=None): ...", ""},
		{"", "def f(a, b): ...", ""}, // trailing Option: default depends on the PyO3 version
		{"", "def f(x, b=None): ...", `parameter 1 is "a" in Rust but "x" in the stub`},
		{"", "def f(__x, b=None): ...", ""}, // positional-only narrowing is not reported
		{"#[pyo3(text_signature = \"(a, /, b=None)\")]", "def f(a, /, b=None): ...", ""},
		{"#[pyo3(text_signature = \"($self, a, *, b)\")]", "def f(a, b): ...", `"b" is keyword-only in Rust but positional-or-keyword in the stub`},
		{"#[pyo3(text_signature = \"(self, a, /)\")]", "def f(x, /): ...", ""},
		{"#[pyo3(text_signature = \"(b, a, /, c=\\\"x\\\")\")]", "def f(a, b, /, c=...): ...", ""},
		{"#[pyo3(signature = (a, b = None), text_signature = \"(a, b=None c=1)\")]", "def f(x): ...", ""}, // unreadable text signature: not compared
		{"#[pyo3(signature = (a, /, b = None))]", "def f(a, b=None): ...", `"a" is positional-only in Rust but positional-or-keyword in the stub`},
		{"#[pyo3(text_signature = \"(self, a, /)\")]", "def f(x, /): ...", ""},
		{"#[pyo3(signature = (a, /, b = None))]", "def f(x, /, b=None): ...", ""},
		{"#[pyo3(signature = (a, *, b = None))]", "def f(a, b=None): ...", `"b" is keyword-only in Rust but positional-or-keyword in the stub`},
		{"#[pyo3(signature = (a, b = None))]", "def f(a, b): ...", ""}, // narrowing: not reported
		{"#[pyo3(signature = (a, b = None))]", "def f(a, *, b=None): ...", ""},
		{"#[pyo3(signature = (a, b))]", "def f(a, b=1): ...", `"b" is required in Rust but has a default in the stub`},
		{"#[pyo3(signature = (b, a))]", "def f(a, b): ...", `"a" is parameter 2 in Rust but 1 in the stub; "b" is parameter 1 in Rust but 2 in the stub`},
		{"#[pyo3(signature = (a, b=None))]", "def f(a): ...", `the stub lacks the positional-or-keyword parameter "b"`},
		{"#[pyo3(signature = (a,))]", "def f(a, c): ...", `the stub has a parameter "c" that Rust does not accept`},
		{"#[pyo3(signature = (*args, **kwargs))]", "def f(*args): ...", `Rust takes **kwargs but the stub does not`},
		{"#[pyo3(signature = (a, b))]", "def f(*args, **kwargs): ...", `the stub takes **kwargs but Rust does not; the stub takes *args but Rust does not`},
	}
	for _, c := range cases {
		got := Compare(rustSig(t, c.attr), stubParams(t, c.stub))
		sortStrings(got)
		want := strings.Split(c.want, "; ")
		if c.want == "" {
			want = nil
		}
		sortStrings(want)
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Errorf("%s vs %s:\n got %q\nwant %q", c.attr, c.stub, got, want)
		}
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
