package tomldoc

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

const pyprojectSample = `# pyproject for the extension
[build-system]
requires = ["maturin>=1.5,<2.0"]
build-backend = "maturin"

[project]
name = "héllo-ext"   # non-ASCII value
"clé ünï" = 'valeur'
description = """
multi
line"""
authors = [{ name = "Zoë", email = "z@example.com" }]
urls.homepage = "https://example.com"
urls . "bug tracker" = "https://example.com/issues"
dynamic = ["version"]

[tool.maturin]
features = ["pyo3/extension-module"]
"module-name" = "pkg._native"

[[tool.cibw.overrides]]
select = "*-musllinux*"

[[ tool.cibw.overrides ]]
select = "*-win*"
`

// rangeOf returns the range of the n-th (0-based) occurrence of needle in src.
func rangeOf(t *testing.T, src, needle string, n int) Range {
	t.Helper()
	off := 0
	for i := 0; ; i++ {
		j := strings.Index(src[off:], needle)
		if j < 0 {
			t.Fatalf("occurrence %d of %q not found", n, needle)
		}
		if i == n {
			return Range{Start: off + j, End: off + j + len(needle)}
		}
		off += j + len(needle)
	}
}

func TestRanges(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		src := pyprojectSample
		nl := "\n"
		if crlf {
			src = strings.ReplaceAll(src, "\n", "\r\n")
			nl = "\r\n"
		}
		name := map[bool]string{false: "LF", true: "CRLF"}[crlf]
		t.Run(name, func(t *testing.T) {
			doc, err := Parse([]byte(src))
			if err != nil {
				t.Fatalf("Parse: %s at %v", err.Msg, err.Range)
			}
			root := doc.Root
			if root.Table.Kind != Root {
				t.Errorf("root kind %v", root.Table.Kind)
			}
			type want struct {
				path    []string
				key     Range
				val     Range
				kind    Kind
				tkind   TableKind
				str     string
				hasStr  bool
				checkTK bool
			}
			r := func(needle string, n int) Range { return rangeOf(t, src, needle, n) }
			tbl := func(path []string, key, val Range, tk TableKind) want {
				return want{path: path, key: key, val: val, kind: Table, tkind: tk, checkTK: true}
			}
			str := func(path []string, key, val Range, s string) want {
				return want{path: path, key: key, val: val, kind: String, str: s, hasStr: true}
			}
			p := func(s ...string) []string { return s }
			cases := []want{
				tbl(p("build-system"), r("build-system", 0), r("[build-system]", 0), Header),
				{path: p("build-system", "requires"), key: r("requires", 0), val: r(`["maturin>=1.5,<2.0"]`, 0), kind: Array},
				str(p("build-system", "build-backend"), r("build-backend", 0), r(`"maturin"`, 0), "maturin"),
				tbl(p("project"), r("project", 1), r("[project]", 0), Header),
				str(p("project", "name"), r("name", 0), r(`"héllo-ext"`, 0), "héllo-ext"),
				str(p("project", "clé ünï"), r(`"clé ünï"`, 0), r(`'valeur'`, 0), "valeur"),
				str(p("project", "description"), r("description", 0), r(`"""`+nl+"multi"+nl+`line"""`, 0), "multi"+nl+"line"),
				{path: p("project", "authors"), key: r("authors", 0), val: r(`[{ name = "Zoë", email = "z@example.com" }]`, 0), kind: Array},
				tbl(p("project", "urls"), r("urls", 0), r("urls", 0), Dotted),
				str(p("project", "urls", "homepage"), r("homepage", 0), r(`"https://example.com"`, 0), "https://example.com"),
				str(p("project", "urls", "bug tracker"), r(`"bug tracker"`, 0), r(`"https://example.com/issues"`, 0), "https://example.com/issues"),
				tbl(p("tool"), r("tool", 0), r("tool", 0), Implicit),
				tbl(p("tool", "maturin"), r("maturin", 2), r("[tool.maturin]", 0), Header),
				str(p("tool", "maturin", "module-name"), r(`"module-name"`, 0), r(`"pkg._native"`, 0), "pkg._native"),
				tbl(p("tool", "cibw"), r("cibw", 0), r("cibw", 0), Implicit),
				{path: p("tool", "cibw", "overrides"), key: r("overrides", 0), val: r("[[tool.cibw.overrides]]", 0), kind: Array},
			}
			for _, c := range cases {
				e := root.Lookup(c.path...)
				if e == nil {
					t.Errorf("%v: not found", c.path)
					continue
				}
				if e.KeyRange != c.key {
					t.Errorf("%v: key range %v %q, want %v %q", c.path, e.KeyRange, src[e.KeyRange.Start:e.KeyRange.End], c.key, src[c.key.Start:c.key.End])
				}
				if e.Value.Range != c.val {
					t.Errorf("%v: value range %v %q, want %v %q", c.path, e.Value.Range, src[e.Value.Range.Start:e.Value.Range.End], c.val, src[c.val.Start:c.val.End])
				}
				if e.Value.Kind != c.kind {
					t.Errorf("%v: kind %v, want %v", c.path, e.Value.Kind, c.kind)
				}
				if c.checkTK && e.Value.Table.Kind != c.tkind {
					t.Errorf("%v: table kind %v, want %v", c.path, e.Value.Table.Kind, c.tkind)
				}
				if c.hasStr && e.Value.Str != c.str {
					t.Errorf("%v: string %q, want %q", c.path, e.Value.Str, c.str)
				}
			}

			req := root.LookupValue("build-system", "requires")
			if got, want := req.Arr[0].Range, r(`"maturin>=1.5,<2.0"`, 0); got != want {
				t.Errorf("requires[0] range %v, want %v", got, want)
			}
			author := root.LookupValue("project", "authors").Arr[0]
			if author.Table.Kind != Inline || author.Range != r(`{ name = "Zoë", email = "z@example.com" }`, 0) {
				t.Errorf("author table: kind %v range %v", author.Table.Kind, author.Range)
			}
			if e := author.Get("name"); e == nil || e.KeyRange != r("name", 1) || e.Value.Range != r(`"Zoë"`, 0) {
				t.Errorf("author name entry %+v", e)
			}
			ov := root.LookupValue("tool", "cibw", "overrides")
			if !ov.IsArrayOfTables() || len(ov.Arr) != 2 {
				t.Fatalf("overrides: %+v", ov)
			}
			for i, hdr := range []string{"[[tool.cibw.overrides]]", "[[ tool.cibw.overrides ]]"} {
				el := ov.Arr[i]
				if el.Kind != Table || el.Table.Kind != ArrayElement || el.Range != r(hdr, 0) {
					t.Errorf("overrides[%d]: kind %v/%v range %v, want %v", i, el.Kind, el.Table.Kind, el.Range, r(hdr, 0))
				}
				if e := el.Get("select"); e == nil || e.KeyRange != r("select", i) {
					t.Errorf("overrides[%d].select: %+v", i, e)
				}
			}

			if len(doc.Comments) != 2 {
				t.Fatalf("comments: %+v", doc.Comments)
			}
			for i, c := range []string{"# pyproject for the extension", "# non-ASCII value"} {
				got := doc.Comments[i]
				if got.Range != r(c, 0) || got.Text != c[1:] {
					t.Errorf("comment %d: %+v, want %v %q", i, got, r(c, 0), c[1:])
				}
			}
		})
	}
}

func TestImplicitTableDefinedLater(t *testing.T) {
	src := "[a.b.c]\nx = 1\n[a]\ny = 2\n"
	doc, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	a := doc.Root.Get("a")
	if a.Value.Table.Kind != Header || a.Value.Range != (Range{Start: 14, End: 17}) || a.KeyRange != (Range{Start: 15, End: 16}) {
		t.Errorf("a: kind %v range %v key %v", a.Value.Table.Kind, a.Value.Range, a.KeyRange)
	}
	b := doc.Root.Lookup("a", "b")
	if b.Value.Table.Kind != Implicit || b.Value.Range != (Range{Start: 3, End: 4}) {
		t.Errorf("b: kind %v range %v", b.Value.Table.Kind, b.Value.Range)
	}
}

func TestValues(t *testing.T) {
	src := `i = -9_223_372_036_854_775_808
h = 0xDEAD_beef
o = 0o755
b = 0b1010
f = 6.626e-34
g = -inf
d = 1979-05-27 07:32:00z
ld = 1979-05-27t07:32:00.999
date = 2024-02-29
tm = 23:59:59.5
e = "\u00e9\U0001F600\t\"\\"
m = """\
    trimmed \
    line"""
lit = '''
C:\path\'' '''
`
	doc, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("%s at %v", err.Msg, err.Range)
	}
	got := doc.Root.ToGo().(map[string]any)
	want := map[string]any{
		"i": int64(-9223372036854775808), "h": int64(0xDEADBEEF), "o": int64(0o755), "b": int64(10),
		"d": "1979-05-27T07:32:00Z", "ld": "1979-05-27T07:32:00.999", "date": "2024-02-29", "tm": "23:59:59.5",
		"e": "é😀\t\"\\", "m": "trimmed line", "lit": `C:\path\'' `,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %#v, want %#v", k, got[k], w)
		}
	}
	if f := got["f"].(float64); f != 6.626e-34 {
		t.Errorf("f = %v", f)
	}
	kinds := map[string]Kind{"d": OffsetDateTime, "ld": LocalDateTime, "date": LocalDate, "tm": LocalTime, "g": Float}
	for k, kind := range kinds {
		if v := doc.Root.LookupValue(k); v.Kind != kind {
			t.Errorf("%s: kind %v, want %v", k, v.Kind, kind)
		}
	}
}

func TestErrors(t *testing.T) {
	deep := strings.Repeat("[", 1000)
	cases := []struct {
		src  string
		msg  string
		want Range
	}{
		{"[tool.maturin", "expected ']'", rg(0, 13)},
		{"[tool.maturin\nname = 1\n", "expected ']'", rg(0, 13)},
		{"[[tool.cibw.overrides]\n", "expected ']]'", rg(0, 22)},
		{"name = ", "expected value", rg(7, 7)},
		{"name = \nx = 1\n", "expected value", rg(7, 8)},
		{"name = \r\n", "expected value", rg(7, 9)},
		{"name", "expected '=' after key", rg(4, 4)},
		{"name \"x\"", "expected '=' after key", rg(5, 6)},
		{`x = "abc`, "unterminated string", rg(4, 8)},
		{"x = \"abc\r\ny = 1\r\n", "unterminated string", rg(4, 8)},
		{"x = '''abc", "unterminated multi-line string", rg(4, 7)},
		{"a = [1,", "unterminated array", rg(7, 7)},
		{"a = [1,\n", "unterminated array", rg(8, 8)},
		{"a = [1 2]", "expected ',' or ']'", rg(7, 8)},
		{"a = {x = 1,}", "trailing comma", rg(10, 11)},
		{"a = {x = 1", "unterminated inline table", rg(10, 10)},
		{"a = 1\na = 2\n", "duplicate key `a`", rg(6, 7)},
		{"[tool.maturin]\n[tool.maturin]\n", "table [tool.maturin] defined twice", rg(21, 28)},
		{"[a]\nb.c = 1\n[a.b]\n", "already defined by dotted keys", rg(15, 16)},
		{"a = {b = 1}\n[a]\n", "already defined as an inline table", rg(13, 14)},
		{"a = {b = 1}\na.c = 2\n", "cannot extend inline table `a`", rg(12, 13)},
		{"a = [1]\n[[a]]\n", "static array", rg(10, 11)},
		{`x = "a\qb"`, `invalid escape sequence \q`, rg(6, 8)},
		{`x = "\ud800"`, "not a Unicode scalar value", rg(5, 11)},
		{"x = \"a\x01\"", "control character", rg(6, 7)},
		{"x = 1979-13-01", "month out of range", rg(4, 14)},
		{"x = 2023-02-29", "day out of range", rg(4, 14)},
		{"x = 24:00:00", "out of range", rg(4, 12)},
		{"x = 0123", "leading zeros", rg(4, 8)},
		{"x = 1e400", "float out of range", rg(4, 9)},
		{"x = 9223372036854775808", "integer out of range", rg(4, 23)},
		{"x = 0x8000000000000000", "integer out of range", rg(4, 22)},
		{"x = 1__0", "invalid number", rg(4, 8)},
		{"x = abc", "strings must be quoted", rg(4, 7)},
		{"x = 1 y = 2", "expected newline after value", rg(6, 7)},
		{"x = \"\xff\"", "invalid UTF-8", rg(5, 6)},
		{"a\rb = 1", "expected '=' after key", rg(1, 2)},
		{"x = " + deep, "nesting too deep", rg(4+maxDepth, 5+maxDepth)},
		{"x = " + strings.Repeat("{a=", 500), "nesting too deep", rg(4+3*maxDepth, 5+3*maxDepth)},
	}
	for _, c := range cases {
		doc, err := Parse([]byte(c.src))
		if err == nil {
			t.Errorf("%q: no error", c.src)
			continue
		}
		if doc == nil || len(doc.Errors) == 0 || doc.Errors[0] != err {
			t.Errorf("%q: want a partial document whose first error is returned", c.src)
		}
		if !strings.Contains(err.Msg, c.msg) || err.Range != c.want {
			t.Errorf("%q: got %q at %v, want %q at %v", c.src, err.Msg, err.Range, c.msg, c.want)
		}
	}
}

// TestLinear checks that pathological inputs parse quickly.
func TestLinear(t *testing.T) {
	inputs := []string{
		strings.Repeat("[", 1<<20),
		"x = " + strings.Repeat("[", 1<<20),
		"x = \"" + strings.Repeat("\\u00e9", 1<<18) + "\"",
		strings.Repeat("a.", 1<<18) + "b = 1",
		"x = [" + strings.Repeat("1,", 1<<18) + "]",
		strings.Repeat("[[a]]\n", 1<<16),
		strings.Repeat("#", 1<<20),
		"x = \"\"\"" + strings.Repeat("\"\"\\\n", 1<<18),
	}
	for _, in := range inputs {
		// A hang detector, not a speed check (BenchmarkParseCargoLock and friends measure speed):
		// quadratic behaviour on these sizes would take hours.
		testenv.NoHang(t, fmt.Sprintf("%d bytes starting %q", len(in), in[:12]), func() { Parse([]byte(in)) })
	}
}

func rg(start, end int) Range { return Range{Start: start, End: end} }
