package tomldoc

import (
	"strings"
	"testing"
)

// TestRecovery checks that Parse returns what it could read around a syntax
// error, marks the tables that lost statements, and reports one error per
// mistake.
func TestRecovery(t *testing.T) {
	type want struct {
		path  []string
		str   string // "" means absent or not a string
		known bool
	}
	cases := []struct {
		name   string
		src    string
		errs   int
		errMsg string
		checks []want
	}{
		{
			name: "unterminated string keeps the rest of its table",
			src:  "[package]\nname = \"demo\nversion = \"1.0\"\n[lib]\nname = \"x\"\n",
			errs: 1, errMsg: "unterminated string",
			checks: []want{
				{[]string{"package", "version"}, "1.0", true},
				{[]string{"package", "name"}, "", false},
				{[]string{"package", "edition"}, "", true}, // only the key "name" was lost
				{[]string{"lib", "name"}, "x", true},
				{[]string{"lib", "crate-type"}, "", true},
				{[]string{"workspace"}, "", true},
			},
		},
		{
			name: "unterminated array swallowing a header: the header is read again",
			src:  "[dependencies]\npyo3 = { version = \"0.27\", features = [\"abi3\" }\nx = [1,\n[lib]\nname = \"y\"\n",
			errs: 1,
			checks: []want{
				{[]string{"lib", "name"}, "y", true},
				{[]string{"dependencies", "pyo3"}, "", false},
				{[]string{"dependencies", "x"}, "", false},
			},
		},
		{
			name: "broken header: keys up to the next header are lost, root is partial",
			src:  "[a]\nk = \"1\"\n[b\nk = \"2\"\nj = \"3\"\n[c]\nk = \"4\"\n",
			errs: 1, errMsg: "unterminated table header",
			checks: []want{
				{[]string{"a", "k"}, "1", true},
				{[]string{"c", "k"}, "4", true},
				{[]string{"b"}, "", false},
				{[]string{"j"}, "", false},
			},
		},
		{
			name: "duplicate key: the first value stays",
			src:  "[lib]\nname = \"a\"\nname = \"b\"\npath = \"src/lib.rs\"\n",
			errs: 1, errMsg: "duplicate key",
			checks: []want{
				{[]string{"lib", "name"}, "a", false}, // which of the two is meant is unknown
				{[]string{"lib", "path"}, "src/lib.rs", true},
				{[]string{"lib", "crate-type"}, "", true},
			},
		},
		{
			name: "two separate mistakes: two errors",
			src:  "a = \"x\nb = 1\nc = \ny = \"ok\"\n",
			errs: 2,
			checks: []want{
				{[]string{"b"}, "", true}, // b = 1 parsed
				{[]string{"a"}, "", false},
				{[]string{"y"}, "ok", true},
			},
		},
		{
			name: "unterminated multi-line string swallows the rest",
			src:  "[project]\nname = \"p\"\ndescription = \"\"\"\n[tool.maturin]\nmodule-name = \"m\"\n",
			errs: 1, errMsg: "unterminated multi-line string",
			checks: []want{
				{[]string{"project", "name"}, "p", true},
				{[]string{"project", "version"}, "", false},
				{[]string{"tool"}, "", true}, // root is not partial: only [project] lost text
			},
		},
		{
			name: "table defined twice",
			src:  "[lib]\nname = \"a\"\n[lib]\nname = \"b\"\n[package]\nname = \"p\"\n",
			errs: 1, errMsg: "defined twice",
			checks: []want{
				{[]string{"lib", "name"}, "a", true},
				{[]string{"package", "name"}, "p", true},
				{[]string{"package", "version"}, "", false}, // root is partial: a key may be missing anywhere
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse([]byte(c.src))
			if err == nil || doc == nil {
				t.Fatalf("want a partial document and an error, got %v, %v", doc, err)
			}
			if len(doc.Errors) != c.errs {
				t.Errorf("errors %d, want %d: %v", len(doc.Errors), c.errs, doc.Errors)
			}
			if c.errMsg != "" && !strings.Contains(err.Msg, c.errMsg) {
				t.Errorf("first error %q, want %q", err.Msg, c.errMsg)
			}
			if !doc.Partial() {
				t.Error("document not Partial")
			}
			for _, w := range c.checks {
				got := ""
				if v := doc.Root.LookupValue(w.path...); v != nil {
					got = v.Str
				}
				if got != w.str {
					t.Errorf("%v = %q, want %q", w.path, got, w.str)
				}
				if k := doc.Root.Known(w.path...); k != w.known {
					t.Errorf("Known(%v) = %v, want %v", w.path, k, w.known)
				}
			}
		})
	}
}

// TestValidKnown: a valid document is fully known.
func TestValidKnown(t *testing.T) {
	doc, err := Parse([]byte("[a]\nb = 1\n"))
	if err != nil || doc.Partial() || !doc.Root.Known("a", "c") || !doc.Root.Known("x", "y") || doc.Root.AnyPartial() {
		t.Fatalf("valid document not known: %v", err)
	}
}
