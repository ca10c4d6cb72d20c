package rustsrc

import (
	"reflect"
	"strings"
	"testing"
)

// at returns the range of the first occurrence of sub in src, or of the
// occurrence after the first occurrence of after when after is not empty.
func at(t *testing.T, src, sub, after string) Range {
	t.Helper()
	base := 0
	if after != "" {
		i := strings.Index(src, after)
		if i < 0 {
			t.Fatalf("%q not in fixture", after)
		}
		base = i
	}
	i := strings.Index(src[base:], sub)
	if i < 0 {
		t.Fatalf("%q not in fixture (after %q)", sub, after)
	}
	return Range{Start: base + i, End: base + i + len(sub)}
}

func boolp(b bool) *bool { return &b }

func TestModules(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want func(t *testing.T, src string) []Module
	}{
		{
			name: "fn form",
			src:  "use pyo3::prelude::*;\n\n#[pymodule]\nfn my_ext(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{{Kind: FnItem, Ident: "my_ext", IdentRange: at(t, src, "my_ext", ""),
					AttrRange: at(t, src, "#[pymodule]", ""), Name: "my_ext", Parent: -1}}
			},
		},
		{
			name: "mod form with pub and doc comments",
			src:  "/// The module.\n#[pymodule]\n/// more docs\npub mod my_ext {\n    #[pymodule_export]\n    use super::f;\n}\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{{Kind: ModItem, Ident: "my_ext", IdentRange: at(t, src, "my_ext", ""),
					AttrRange: at(t, src, "#[pymodule]", ""), Name: "my_ext", Parent: -1}}
			},
		},
		{
			name: "pyo3 name attribute before and after",
			src:  "#[pymodule]\n#[pyo3(name = \"_core\")]\nfn core_ext(m: &Bound<'_, PyModule>) {}\n#[pyo3(name = \"other\")]\n#[pymodule]\nfn b(m: &Bound<'_, PyModule>) {}\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{
					{Kind: FnItem, Ident: "core_ext", IdentRange: at(t, src, "core_ext", ""),
						AttrRange: at(t, src, "#[pymodule]", ""), Name: "_core", NameRange: at(t, src, `"_core"`, ""),
						NameSource: "pyo3", Parent: -1},
					{Kind: FnItem, Ident: "b", IdentRange: at(t, src, "b", "fn b"),
						AttrRange: at(t, src, "#[pymodule]", "other"), Name: "other", NameRange: at(t, src, `"other"`, ""),
						NameSource: "pyo3", Parent: -1},
				}
			},
		},
		{
			name: "pymodule name and gil_used",
			src:  "#[pymodule(name = \"x\", gil_used = false)]\nfn ext(m: &Bound<'_, PyModule>) {}\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{{Kind: FnItem, Ident: "ext", IdentRange: at(t, src, "ext", "fn "),
					AttrRange: at(t, src, "#[pymodule(name = \"x\", gil_used = false)]", ""), Name: "x",
					NameRange: at(t, src, `"x"`, ""), NameSource: "pymodule",
					GILUsed: boolp(false), GILUsedRange: at(t, src, "gil_used = false", ""), Parent: -1}}
			},
		},
		{
			name: "options in any order, multi-line, spaced",
			src:  "# [ pyo3 :: pymodule (\n    gil_used=true ,\n    module = \"pkg\",\n    name = \"y\" ,\n    submodule ,\n) ]\npub(crate) mod r#type {}\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{{Kind: ModItem, Ident: "type", IdentRange: at(t, src, "r#type", ""),
					AttrRange: Range{Start: 0, End: strings.Index(src, ") ]") + 3}, Name: "y",
					NameRange: at(t, src, `"y"`, ""), NameSource: "pymodule",
					GILUsed: boolp(true), GILUsedRange: at(t, src, "gil_used=true", ""), Submodule: true, Parent: -1}}
			},
		},
		{
			name: "::pyo3::pymodule with other attributes and qualifiers",
			src:  "#[allow(clippy::all)]\n#[::pyo3::pymodule(submodule)]\n#[doc = \"x\"]\npub unsafe fn r#async(m: &Bound<'_, PyModule>) {}\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{{Kind: FnItem, Ident: "async", IdentRange: at(t, src, "r#async", ""),
					AttrRange: at(t, src, "#[::pyo3::pymodule(submodule)]", ""), Name: "async", Submodule: true, Parent: -1}}
			},
		},
		{
			name: "pyo3 gil_used and submodule",
			src:  "#[pymodule]\n#[pyo3(submodule, gil_used = false)]\nfn sub(m: &Bound<'_, PyModule>) {}\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{{Kind: FnItem, Ident: "sub", IdentRange: at(t, src, "sub", "fn "),
					AttrRange: at(t, src, "#[pymodule]", ""), Name: "sub", Submodule: true,
					GILUsed: boolp(false), GILUsedRange: at(t, src, "gil_used = false", ""), Parent: -1}}
			},
		},
		{
			name: "cfg and cfg_attr names",
			src: "#[cfg(feature = \"py\")]\n#[pymodule]\n#[cfg_attr(feature = \"a\", pyo3(name = \"alpha\"))]\n" +
				"#[cfg_attr(not(feature = \"a\"), pymodule(name = \"beta\", gil_used = false))]\nfn ext(m: &Bound<'_, PyModule>) {}\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{{Kind: FnItem, Ident: "ext", IdentRange: at(t, src, "ext", "fn "),
					AttrRange: at(t, src, "#[pymodule]", ""), Name: "ext", NameCfg: true, CfgNames: []string{"alpha", "beta"},
					GILUsed: boolp(false), GILUsedRange: at(t, src, "gil_used = false", ""), Cfg: true,
					CfgPredicates: []string{`feature = "py"`}, Parent: -1}}
			},
		},
		{
			name: "conditional pymodule via cfg_attr",
			src:  "#[cfg_attr(feature = \"python\", pyo3::pymodule)]\npub mod ext {}\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{{Kind: ModItem, Ident: "ext", IdentRange: at(t, src, "ext", "mod"),
					AttrRange: Range{Start: 0, End: strings.Index(src, "\n")}, Name: "ext", Cfg: true,
					CfgPredicates: []string{`feature = "python"`}, Parent: -1}}
			},
		},
		{
			name: "nested declarative modules",
			src: "#[pymodule]\nmod outer {\n    #[pymodule]\n    mod inner {\n        #[pymodule]\n        mod deepest {}\n    }\n" +
				"    #[pymodule]\n    fn not_collected(m: &Bound<'_, PyModule>) {}\n    fn helper() { if true { } }\n" +
				"    mod plain {\n        #[pymodule]\n        mod top_again {}\n    }\n    #[pymodule]\n    mod second {}\n}\n#[pymodule]\nfn after(m: &Bound<'_, PyModule>) {}\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{
					{Kind: ModItem, Ident: "outer", IdentRange: at(t, src, "outer", ""), AttrRange: at(t, src, "#[pymodule]", ""), Name: "outer", Parent: -1},
					{Kind: ModItem, Ident: "inner", IdentRange: at(t, src, "inner", ""), AttrRange: at(t, src, "#[pymodule]", "outer"), Name: "inner", Nested: true, Parent: 0},
					{Kind: ModItem, Ident: "deepest", IdentRange: at(t, src, "deepest", ""), AttrRange: at(t, src, "#[pymodule]", "inner"), Name: "deepest", Nested: true, Parent: 1},
					{Kind: FnItem, Ident: "not_collected", IdentRange: at(t, src, "not_collected", ""), AttrRange: at(t, src, "#[pymodule]", "deepest"), Name: "not_collected", Parent: 0},
					{Kind: ModItem, Ident: "top_again", IdentRange: at(t, src, "top_again", ""), AttrRange: at(t, src, "#[pymodule]", "plain"), Name: "top_again", Parent: -1},
					{Kind: ModItem, Ident: "second", IdentRange: at(t, src, "second", ""), AttrRange: at(t, src, "#[pymodule]", "top_again"), Name: "second", Nested: true, Parent: 0},
					{Kind: FnItem, Ident: "after", IdentRange: at(t, src, "after", ""), AttrRange: at(t, src, "#[pymodule]", "second {}"), Name: "after", Parent: -1},
				}
			},
		},
		{
			name: "attribute on something else is dropped",
			src:  "#[pymodule]\nstruct S;\nfn f() {}\n#[pymodule] let x = 1;\n#[pyo3(name = \"n\")]\nfn g() {}\n",
			want: func(t *testing.T, src string) []Module { return nil },
		},
		{
			name: "pymodule_export and pymodule_init are not pymodule",
			src:  "#[pymodule_export]\nmod a {}\n#[pymodule_init]\nfn init() {}\n#[pyo3::pymodule_x]\nfn b() {}\n",
			want: func(t *testing.T, src string) []Module { return nil },
		},
		{
			name: "crlf line endings",
			src:  "#[pymodule]\r\n#[pyo3(name = \"w\")]\r\nfn win(m: &Bound<'_, PyModule>) {}\r\n",
			want: func(t *testing.T, src string) []Module {
				return []Module{{Kind: FnItem, Ident: "win", IdentRange: at(t, src, "win", ""),
					AttrRange: at(t, src, "#[pymodule]", ""), Name: "w", NameRange: at(t, src, `"w"`, ""), NameSource: "pyo3", Parent: -1}}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Scan([]byte(tc.src)).Modules
			want := tc.want(t, tc.src)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %s\nwant %s", dumpModules(got), dumpModules(want))
			}
		})
	}
}

func dumpModules(ms []Module) string {
	var b strings.Builder
	for _, m := range ms {
		gil := "nil"
		if m.GILUsed != nil {
			gil = map[bool]string{true: "true", false: "false"}[*m.GILUsed]
		}
		b.WriteString("\n  ")
		b.WriteString(strings.ReplaceAll(strings.TrimSpace(
			strings.Join([]string{
				"kind=" + itoa(int(m.Kind)), "ident=" + m.Ident, "identR=" + rs(m.IdentRange), "attr=" + rs(m.AttrRange),
				"name=" + m.Name, "nameR=" + rs(m.NameRange), "src=" + m.NameSource, "cfgNames=" + strings.Join(m.CfgNames, ","),
				"nameCfg=" + bs(m.NameCfg), "gil=" + gil, "gilR=" + rs(m.GILUsedRange), "sub=" + bs(m.Submodule),
				"nested=" + bs(m.Nested), "cfg=" + bs(m.Cfg), "parent=" + itoa(m.Parent),
			}, " ")), "\n", " "))
	}
	return b.String()
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
func rs(r Range) string { return itoa(r.Start) + ":" + itoa(r.End) }
func bs(b bool) string {
	if b {
		return "T"
	}
	return "F"
}

// TestSkipped checks that #[pymodule] text in comments, strings and the like
// is never reported, and that char literals and lifetimes do not confuse the
// lexer.
func TestSkipped(t *testing.T) {
	tests := []struct {
		name string
		src  string
		// wantIdents are the idents of the modules that must be found.
		wantIdents []string
	}{
		{"line comment", "// #[pymodule]\nfn a() {}\n", nil},
		{"doc comment", "/// #[pymodule]\n//! #[pymodule]\nfn a() {}\n", nil},
		{"block comment", "/* #[pymodule] */ fn a() {}\n", nil},
		{"nested block comment", "/* /* */ #[pymodule] fn a() {} */ fn b() {}\n", nil},
		{"nested block comment 3 deep", "/* /* /* */ */ #[pymodule] */ fn b() {}\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"doc block comment", "/** #[pymodule] fn a() {} */\n/*! #[pymodule] mod b {} */ fn c() {}\n", nil},
		{"string", "const S: &str = \"#[pymodule] fn a() {}\";\n", nil},
		{"string with escapes", "const S: &str = \"\\\" #[pymodule] fn a() {} \\\\\";\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"raw string", "const S: &str = r#\"\" #[pymodule] fn a() {}\"#;\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"raw string two hashes", "const S: &str = r##\"\"# #[pymodule] fn a() {}\"##;\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"raw string no hash has no escapes", "const S: &str = r\"C:\\\";\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"byte string", "const S: &[u8] = b\"\\\" #[pymodule] fn a() {}\";\n", nil},
		{"raw byte string", "const S: &[u8] = br#\"\" #[pymodule] fn a() {}\"#;\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"c string", "const S: &CStr = c\"#[pymodule] fn a() {}\";\nconst T: &CStr = cr#\"\"#[pymodule] fn b() {}\"#;\n", nil},
		{"char literal quote", "let c = '\"';\n#[pymodule] fn real() {}\nlet d = '\"';\n", []string{"real"}},
		{"escaped quote char", "let c = '\\'';\nlet s = \"#[pymodule] fn a() {}\";\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"unicode escape char", "let c = '\\u{1F600}'; let s = \"#[pymodule] fn a() {}\";\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"unicode char", "let c = '😀'; let s = \"#[pymodule] fn a() {}\";\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"byte char", "let c = b'\"'; let d = b'\\''; let s = \"#[pymodule] fn a() {}\";\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"lifetime before string", "fn f<'a>(x: &'a str) -> &'static str { \"#[pymodule] fn a() {}\" }\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"lifetime then char", "fn f<'a>(x: &'a u8) { let c = 'a'; let s = \"'#[pymodule] fn z() {}\"; }\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"label", "fn f() { 'outer: loop { break 'outer; } }\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"macro body strings", "macro_rules! m { () => { \"#[pymodule] fn a() {}\" }; }\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"raw ident r#pymodule is not the attribute", "#[r#pymodule] fn a() {}\n", []string{"a"}},
		{"unterminated string", "#[pymodule] fn real() {}\nconst S: &str = \"#[pymodule] fn a() {}", []string{"real"}},
		{"unterminated comment", "#[pymodule] fn real() {}\n/* #[pymodule] fn a() {}", []string{"real"}},
		{"shebang", "#!/usr/bin/env run-cargo-script\n#[pymodule] fn real() {}\n", []string{"real"}},
		{"inner attribute", "#![allow(dead_code)]\n#![cfg_attr(x, pyo3(name = \"q\"))]\n#[pymodule] fn real() {}\n", []string{"real"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range Scan([]byte(tc.src)).Modules {
				got = append(got, m.Ident)
			}
			if !reflect.DeepEqual(got, tc.wantIdents) {
				t.Errorf("got %q, want %q", got, tc.wantIdents)
			}
		})
	}
}

func TestInnerAttributeDoesNotLeak(t *testing.T) {
	src := "#[pymodule]\nmod m {\n    #![pyo3(name = \"leak\")]\n    fn f() {}\n}\n"
	ms := Scan([]byte(src)).Modules
	if len(ms) != 1 || ms[0].Name != "m" {
		t.Fatalf("got %+v", ms)
	}
}

func TestPyInits(t *testing.T) {
	src := "#[allow(non_snake_case)]\n#[unsafe(no_mangle)]\n#[cold]\n#[cfg_attr(feature = \"o\", optimize(size))]\n" +
		"pub(crate) unsafe extern \"C\" fn PyInit_orjson() -> *mut PyModuleDef { todo!() }\n" +
		"#[no_mangle]\npub extern \"C\" fn PyInit_second() {}\n" +
		"pub unsafe extern \"C\" fn PyInit_third() {}\n" +
		"#[export_name = \"PyInit_fourth\"]\npub extern \"C\" fn init4() {}\n" +
		"fn PyInit_() {}\nfn not_PyInit_x() {}\n// fn PyInit_comment() {}\n"
	got := Scan([]byte(src)).PyInits
	want := []PyInitFn{
		{Name: "orjson", Range: at(t, src, "PyInit_orjson", ""), NoMangle: true},
		{Name: "second", Range: at(t, src, "PyInit_second", ""), NoMangle: true},
		{Name: "third", Range: at(t, src, "PyInit_third", "")},
		{Name: "fourth", Range: at(t, src, "PyInit_fourth", ""), NoMangle: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestModDecls(t *testing.T) {
	src := "mod a;\npub mod b;\n#[path = \"sub/c_impl.rs\"]\npub(crate) mod c;\n#[cfg(feature = \"x\")]\nmod d;\n" +
		"mod inline { fn f() {} }\nmod outer {\n    mod inner {\n        mod e;\n    }\n    mod r#f;\n}\nmod g;\n" +
		"#[path = \"x.rs\"]\nfn not_a_mod() {}\nmod h;\n"
	got := Scan([]byte(src)).ModDecls
	want := []ModDecl{
		{Name: "a", Range: at(t, src, "a", "mod")},
		{Name: "b", Range: at(t, src, "b;", "")},
		{Name: "c", Range: at(t, src, "c;", "pub(crate)"), Path: "sub/c_impl.rs"},
		{Name: "d", Range: at(t, src, "d;", ""), Cfg: true, CfgPredicates: []string{`feature = "x"`}},
		{Name: "e", Range: at(t, src, "e;", "inner"), Within: "outer::inner"},
		{Name: "f", Range: at(t, src, "r#f", ""), Within: "outer"},
		{Name: "g", Range: at(t, src, "g;", "")},
		{Name: "h", Range: at(t, src, "h;", "")},
	}
	want[1].Range.End--
	want[2].Range.End--
	want[3].Range.End--
	want[4].Range.End--
	want[6].Range.End--
	want[7].Range.End--
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestGlobUses(t *testing.T) {
	src := "pub use other::*;\nuse private::*;\npub use a::b::c::*;\npub(crate) use crate :: inner :: * ;\n" +
		"pub use ::ext::*;\npub use x::{self, *};\npub use y::Z;\npub use *;\n#[cfg(x)]\npub use z::*\n"
	got := Scan([]byte(src)).GlobUses
	want := []GlobUse{
		{Path: "other", Range: at(t, src, "pub use other::*;", "")},
		{Path: "a::b::c", Range: at(t, src, "pub use a::b::c::*;", "")},
		{Path: "crate::inner", Range: at(t, src, "pub(crate) use crate :: inner :: * ;", "")},
		{Path: "::ext", Range: at(t, src, "pub use ::ext::*;", "")},
		{Path: "z", Range: at(t, src, "pub use z::*", "")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestComments(t *testing.T) {
	src := "// plain\n/// doc\n//! inner doc\n//// four slashes\nfn f() {} // pyo3-ls: ignore[N001]\r\n" +
		"let s = \"// not a comment\";\n/* // not either */\n//\n// last"
	got := Scan([]byte(src)).Comments
	want := []LineComment{
		{Range: at(t, src, "// plain", "")},
		{Range: at(t, src, "//// four slashes", "")},
		{Range: at(t, src, "// pyo3-ls: ignore[N001]", "")},
		{Range: at(t, src, "//\n", "either")},
		{Range: at(t, src, "// last", "")},
	}
	want[3].Range.End--
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	texts := []string{"// plain", "//// four slashes", "// pyo3-ls: ignore[N001]", "//", "// last"}
	for i, c := range got {
		if i < len(texts) && src[c.Range.Start:c.Range.End] != texts[i] {
			t.Errorf("range %v holds %q, want %q", c.Range, src[c.Range.Start:c.Range.End], texts[i])
		}
	}
}

// TestRangesMatchText checks that ranges point at the text they describe.
func TestRangesMatchText(t *testing.T) {
	src := "#[pymodule(name = \"n\", gil_used = true)]\nfn r#x(m: &Bound<'_, PyModule>) {}\n"
	m := Scan([]byte(src)).Modules[0]
	for _, c := range []struct {
		r    Range
		want string
	}{{m.IdentRange, "r#x"}, {m.NameRange, `"n"`}, {m.GILUsedRange, "gil_used = true"}, {m.AttrRange, `#[pymodule(name = "n", gil_used = true)]`}} {
		if got := src[c.r.Start:c.r.End]; got != c.want {
			t.Errorf("got %q want %q", got, c.want)
		}
	}
}

func TestNestedCfgAttr(t *testing.T) {
	src := "#[cfg_attr(a, cfg_attr(b, pyo3(name = \"z\")))]\n#[unsafe(no_mangle)]\n#[pymodule]\nfn m() {}\n"
	ms := Scan([]byte(src)).Modules
	if len(ms) != 1 || !ms[0].NameCfg || !reflect.DeepEqual(ms[0].CfgNames, []string{"z"}) || ms[0].Name != "m" {
		t.Fatalf("got %+v", ms)
	}
}
