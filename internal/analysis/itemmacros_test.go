package analysis

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// itemMacroRx is the regular expression N004 used before itemMacroAt: the
// oracle the hand-written matcher must agree with.
var itemMacroRx = regexp.MustCompile(`(?m)^(?:[ \t]*(?:include!|macro_rules!)|(?:[A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*![ \t]*[({\[])`)

// itemMacrosRx is itemMacros as it was written with itemMacroRx.
func itemMacrosRx(src []byte) bool {
	for _, m := range itemMacroRx.FindAllIndex(src, -1) {
		if itemMacroMatters(src, strings.TrimSpace(string(src[m[0]:m[1]]))) {
			return true
		}
	}
	return false
}

// checkItemMacros compares itemMacroAt with the regexp on every line of src
// and itemMacros with the regexp version on all of src.
func checkItemMacros(t *testing.T, src []byte) {
	t.Helper()
	want := map[int]int{} // line start -> match length
	for _, m := range itemMacroRx.FindAllIndex(src, -1) {
		want[m[0]] = m[1] - m[0]
	}
	for start := 0; start <= len(src); {
		line := src[start:]
		next := len(src) + 1
		if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
			line, next = line[:nl], start+nl+1
		}
		if got := itemMacroAt(line); got != want[start] {
			t.Fatalf("itemMacroAt(%q) = %d, regexp matched %d", line, got, want[start])
		}
		start = next
	}
	if got, w := itemMacros(src), itemMacrosRx(src); got != w {
		t.Fatalf("itemMacros(%q) = %v, regexp version %v", src, got, w)
	}
}

var itemMacroCases = []string{
	"", "\n", "include!(\"x.rs\");", "  \tinclude!", "\tmacro_rules! m {}\n#[pymodule]",
	"macro_rules! m {}", "make_module!(demo);", "pyo3_stub::define! { }", "a::b::c ! [x]",
	"a::b::!(", "a:::b!(", "a::1b!(", "_!(", "9a!(", " make!(x)", "x!", "x! \t", "x!y(",
	"println!(\"hi\");\nstd::vec![1]\n", "é!(", "a\u00e9!(", "a::\xff!(", "foo!\r(", "foo!(\r\n", "x\ny!{",
	"log::info!(\"x\")\ninclude_str!(\"a\")", "include_str!(\"a\")", "  include_str!(\"a\")",
}

func TestItemMacrosMatchesRegexp(t *testing.T) {
	for _, c := range itemMacroCases {
		checkItemMacros(t, []byte(c))
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "rules", "*", "*", "src", "*.rs"))
	more, _ := filepath.Glob(filepath.Join("..", "rustsrc", "testdata", "*.rs"))
	for _, f := range append(files, more...) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkItemMacros(t, src)
	}
}

func FuzzItemMacros(f *testing.F) {
	for _, c := range itemMacroCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, src []byte) { checkItemMacros(t, src) })
}
