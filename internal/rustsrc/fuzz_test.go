package rustsrc

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

func checkRanges(t *testing.T, src []byte, f *File) {
	t.Helper()
	n := len(src)
	check := func(what string, r Range, allowZero bool) {
		t.Helper()
		if allowZero && r.IsZero() {
			return
		}
		if r.Start < 0 || r.End < r.Start || r.End > n {
			t.Fatalf("%s: bad range %v (len %d)", what, r, n)
		}
	}
	for i, m := range f.Modules {
		check("IdentRange", m.IdentRange, false)
		check("AttrRange", m.AttrRange, false)
		check("NameRange", m.NameRange, true)
		check("GILUsedRange", m.GILUsedRange, true)
		if m.Parent < -1 || m.Parent >= i {
			t.Fatalf("module %d: bad parent %d", i, m.Parent)
		}
		if m.Nested && m.Parent < 0 {
			t.Fatalf("module %d: nested without parent", i)
		}
		if m.Kind != FnItem && m.Kind != ModItem {
			t.Fatalf("module %d: bad kind %d", i, m.Kind)
		}
		if m.AttrRange.Start >= m.IdentRange.Start {
			t.Fatalf("module %d: attribute %v not before ident %v", i, m.AttrRange, m.IdentRange)
		}
		if src[m.AttrRange.Start] != '#' {
			t.Fatalf("module %d: attribute range %v does not start at '#'", i, m.AttrRange)
		}
		if id := string(src[m.IdentRange.Start:m.IdentRange.End]); id != m.Ident && id != "r#"+m.Ident {
			t.Fatalf("module %d: ident %q at %v is %q", i, m.Ident, m.IdentRange, id)
		}
		if m.NameSource != "" && (src[m.NameRange.Start] != '"' || m.NameRange.End-m.NameRange.Start < 1) {
			t.Fatalf("module %d: name range %v is not a string literal", i, m.NameRange)
		}
		if m.GILUsed != nil && !strings.HasPrefix(string(src[m.GILUsedRange.Start:m.GILUsedRange.End]), "gil_used") {
			t.Fatalf("module %d: gil_used range %v", i, m.GILUsedRange)
		}
	}
	for _, p := range f.PyInits {
		check("PyInit", p.Range, false)
		if got := string(src[p.Range.Start:p.Range.End]); got != "PyInit_"+p.Name && got != "r#PyInit_"+p.Name {
			t.Fatalf("PyInit %q: range %v holds %q", p.Name, p.Range, got)
		}
	}
	for _, d := range f.ModDecls {
		check("ModDecl", d.Range, false)
		if got := string(src[d.Range.Start:d.Range.End]); got != d.Name && got != "r#"+d.Name {
			t.Fatalf("ModDecl %q: range %v holds %q", d.Name, d.Range, got)
		}
	}
	for _, g := range f.GlobUses {
		check("GlobUse", g.Range, false)
	}
	prev := -1
	for _, c := range f.Comments {
		check("Comment", c.Range, false)
		if c.Range.Start <= prev {
			t.Fatalf("comments out of order at %v", c.Range)
		}
		prev = c.Range.Start
		if txt := string(src[c.Range.Start:c.Range.End]); !strings.HasPrefix(txt, "//") || strings.ContainsAny(txt, "\n") {
			t.Fatalf("comment %v: range holds %q, not one line comment", c.Range, txt)
		}
	}
}

func FuzzScan(f *testing.F) {
	seeds := []string{
		"",
		"#[pymodule]\nfn m(m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n",
		"#[pymodule(name = \"x\", gil_used = false, submodule)]\n#[pyo3(name = \"y\")]\npub mod r#m { #[pymodule] mod n {} }\n",
		"#[cfg_attr(feature = \"a\", pyo3(name = \"alpha\"), pymodule)]\n#[cfg(x)] fn f() {}",
		"#[unsafe(no_mangle)]\npub unsafe extern \"C\" fn PyInit_foo() {}\n#[export_name = \"PyInit_bar\"] fn b() {}",
		"#[path = \"a.rs\"]\nmod a;\nmod b { mod c; }\npub use x::y::*;\n",
		"// pyo3-ls: ignore[N001]\r\n/// doc\n//! doc\n/* /* */ */ x",
		"r#\"\"# br##\"\"#\"## c\"\\\"\" b'\\'' '\\u{1F600}' 'a 'static '\"' b\"",
		"#[pymodule(",
		"/* unterminated",
		"\"unterminated",
		"r###\"unterminated\"##",
		"'",
		"b'",
		"#",
		"#!",
		"#![",
		"\xef\xbb\xbf#!/bin\n#[pymodule] fn x() {}",
		"{{{{{{}}}}}}}}}}",
		"pub use ::*;pub use a::*",
		"\xff\xfe#[pymodule]\xc0 fn \xe2\x82",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		testenv.Budget(t, "rustsrc.Scan", func() {
			checkRanges(t, src, Scan(src))
		})
	})
}

// checkPyRanges checks that every range ScanPy reports lies in the source.
func checkPyRanges(t *testing.T, src []byte, p *Py) {
	t.Helper()
	n := len(src)
	ok := func(what string, r Range) {
		t.Helper()
		if r.Start < 0 || r.End < r.Start || r.End > n {
			t.Fatalf("%s: bad range %v (len %d)", what, r, n)
		}
	}
	sig := func(s Signature) {
		ok("sig", s.Range)
		for _, p := range s.Params {
			ok("param", p.Range)
		}
	}
	for _, f := range p.Functions {
		ok("fn ident", f.IdentRange)
		ok("fn name", f.NameRange)
		ok("fn rustsig", f.RustSig)
		sig(f.Sig)
		if f.Start < 0 || f.Start > f.IdentRange.Start {
			t.Fatalf("fn start %d after ident %v", f.Start, f.IdentRange)
		}
	}
	for _, c := range p.Classes {
		ok("class ident", c.IdentRange)
		ok("class name", c.NameRange)
		for _, m := range c.Members {
			ok("field", m.IdentRange)
		}
	}
	for _, b := range p.Methods {
		ok("impl type", b.TypeRange)
		for _, m := range b.Members {
			ok("member", m.IdentRange)
			ok("member rustsig", m.RustSig)
			sig(m.Sig)
		}
	}
	for _, m := range p.Modules {
		ok("open", m.OpenRange)
		for _, e := range m.Exports {
			ok("export", e.Range)
		}
	}
}

func FuzzScanPy(f *testing.F) {
	seeds := []string{
		"",
		"#[pyfunction]\n#[pyo3(signature = (a, /, b = 1, *args, c, **kw))]\nfn f(py: Python<'_>, a: i32, b: Option<Vec<(u8, u8)>>) {}",
		"#[pymodule]\nfn m(m: &Bound<'_, PyModule>) -> PyResult<()> { m.add_function(wrap_pyfunction!(f, m)?)?; m.add_class::<a::B>()?; m.add(\"X\", 1)?; for x in y {} helper(m); Ok(()) }",
		"#[pymodule] mod m { #[pymodule_export] use super::{a, b::{c, d as e}, *}; #[pymodule_export] const X: u8 = 1; #[pyclass] enum E { A, B(u8), C { x: u8 } } #[pymodule] mod n {} #[pymodule_init] fn i(m: &Bound<PyModule>) {} x!(); }",
		"#[pymethods] impl<T> X<T> where T: Y { #[new] fn new() -> Self {} #[getter(n)] fn g(&self) {} #[classattr] const C: u8 = 1; m!{} }",
		"#[pyclass(get_all, set_all, extends=Base, name = \"N\")] pub struct S { #[pyo3(get, name = \"z\")] pub a: Vec<u8>, b: HashMap<u8, u8> }",
		"#[pyfunction(signature = (",
		"#[pymodule] fn m(m: &Bound<PyModule>) { let c = PyModule::new(py, \"c\"); m.add_submodule(&c); m.add_submodule(",
		"#[pymethods] impl X { fn f(&'a mut self, #[pyo3(from_py_with = x)] a: u8, (b, c): (u8, u8)) {} ",
		"#[pyfn(m)] fn",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		testenv.Budget(t, "rustsrc.ScanPy", func() {
			checkPyRanges(t, src, ScanPy(src))
		})
	})
}

// TestPathological checks that adversarial inputs finish (no hang) with valid
// ranges; BenchmarkPathological measures their speed.
func TestPathological(t *testing.T) {
	for name, in := range pathologicalInputs() {
		t.Run(name, func(t *testing.T) {
			var f *File
			testenv.NoHang(t, name, func() { f = Scan([]byte(in)) })
			checkRanges(t, []byte(in), f)
			var py *Py
			testenv.NoHang(t, name+" (ScanPy)", func() { py = f.PyItems() })
			checkPyRanges(t, []byte(in), py)
		})
	}
}

// BenchmarkPathological scans each adversarial input; its ns/op stays
// proportional to the input size (1 MB inputs take milliseconds).
func BenchmarkPathological(b *testing.B) {
	for name, in := range pathologicalInputs() {
		src := []byte(in)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for i := 0; i < b.N; i++ {
				Scan(src)
			}
		})
	}
}

func pathologicalInputs() map[string]string {
	return map[string]string{
		"open braces":      strings.Repeat("{", 1<<20),
		"close braces":     strings.Repeat("}", 1<<20),
		"nested mods":      strings.Repeat("#[pymodule] mod a {", 1<<16) + strings.Repeat("}", 1<<16),
		"block comments":   strings.Repeat("/*", 1<<20),
		"attributes":       strings.Repeat("#[pymodule]", 1<<18),
		"open attribute":   strings.Repeat("#[pymodule(", 1<<18),
		"quotes":           strings.Repeat("'", 1<<20),
		"escapes":          strings.Repeat("'\\", 1<<19),
		"raw hashes":       "r" + strings.Repeat("#", 1<<20),
		"raw string":       "r" + strings.Repeat("#", 1<<10) + "\"" + strings.Repeat("\"###", 1<<18),
		"pub use":          "pub use " + strings.Repeat("a::", 1<<18),
		"cfg_attr":         strings.Repeat("#[cfg_attr(x, ", 1<<18),
		"line comments":    strings.Repeat("//\n", 1<<18),
		"nested cfg_attr":  "#[" + strings.Repeat("cfg_attr(x, ", 1<<20) + "pymodule" + strings.Repeat(")", 1<<20) + "] fn f() {}",
		"nested unsafe":    "#[" + strings.Repeat("unsafe(", 1<<20) + strings.Repeat(")", 1<<20) + "] fn PyInit_x() {}",
		"nested mod decls": strings.Repeat("mod a {", 1<<12) + strings.Repeat("mod b;", 1<<12),
		"py nested fns":    "#[pymodule] fn m(m: &Bound<PyModule>) {" + strings.Repeat("fn a() {", 1<<16) + strings.Repeat("m.add_class::<X>();", 1<<16),
		"py pymethods":     "#[pymethods] impl X {" + strings.Repeat("#[getter] fn get_a(&self, x: Vec<Vec<u8>>) {}", 1<<15),
		"py signatures":    "#[pyfunction] #[pyo3(signature = (" + strings.Repeat("a = (1, [2]), *b, ", 1<<16) + "))] fn f() {}",
		"py use tree":      "#[pymodule] mod m { #[pymodule_export] use " + strings.Repeat("a::{", 1<<16),
		"py angles":        "#[pyfunction] fn f(a: " + strings.Repeat("Vec<", 1<<18) + ") {}",
		"py macros":        "#[pymodule] fn m(m: &Bound<PyModule>) {" + strings.Repeat("x!(m, [", 1<<16),
		"py enums":         "#[pyclass] enum E {" + strings.Repeat("#[pyo3(name = \"x\")] A(u8, (u8, u8)),", 1<<15) + "}",
	}
}

// benchSource generates a realistic ~2,000-line lib.rs.
func benchSource() []byte {
	var b strings.Builder
	b.WriteString("//! Python bindings for the fast thing.\n#![allow(clippy::too_many_arguments)]\n\nuse pyo3::prelude::*;\nuse pyo3::exceptions::{PyValueError, PyTypeError};\nuse std::collections::HashMap;\n\nmod convert;\n#[path = \"impls/extra.rs\"]\nmod extra;\npub use convert::*;\n\n")
	n := 0
	for i := 0; n < 1900; i++ {
		fmt.Fprintf(&b, `/// Computes thing number %d.
///
/// Returns the result as a string; raises ValueError on bad input.
#[pyfunction]
#[pyo3(signature = (x, y = None, *, scale = 1.0))]
fn compute_%d<'py>(py: Python<'py>, x: &str, y: Option<i64>, scale: f64) -> PyResult<String> {
    // Fast path for the empty string.
    if x.is_empty() {
        return Err(PyValueError::new_err("x must not be empty: \"\" given"));
    }
    let sep = '\'';
    let raw = r#"a "raw" string with #[pymodule] inside"#;
    /* block comment with /* nesting */ and 'quotes' */
    let v = y.unwrap_or(%d) as f64 * scale;
    Ok(format!("{}{}{}:{}", x, sep, raw.len(), v))
}

`, i, i, i)
		n += 18
	}
	b.WriteString("/// The module.\n#[pymodule(gil_used = false)]\n#[pyo3(name = \"_fast\")]\nfn fast(m: &Bound<'_, PyModule>) -> PyResult<()> {\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "    m.add_function(wrap_pyfunction!(compute_%d, m)?)?; // pyo3-ls: ignore[N001]\n", i)
	}
	b.WriteString("    Ok(())\n}\n")
	return []byte(b.String())
}

func TestBenchSource(t *testing.T) {
	src := benchSource()
	f := Scan(src)
	if len(f.Modules) != 1 || f.Modules[0].Name != "_fast" || len(f.ModDecls) != 2 || len(f.GlobUses) != 1 {
		t.Fatalf("unexpected scan of bench source: %+v", f.Modules)
	}
	if lines := strings.Count(string(src), "\n"); lines < 1900 || lines > 2300 {
		t.Fatalf("bench source has %d lines", lines)
	}
}

func BenchmarkScan(b *testing.B) {
	src := benchSource()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Scan(src)
	}
}
