package rustsrc

import (
	"fmt"
	"strings"
	"testing"
)

func sigString(s Signature) string {
	var parts []string
	for _, p := range s.Params {
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
			x += "=" + p.Default
		}
		if p.MaybeDefault {
			x += "?"
		}
		parts = append(parts, x)
	}
	if s.Unknown {
		parts = append(parts, "<unknown>")
	}
	return strings.Join(parts, ",")
}

func exportsString(m *ModuleExports) string {
	var parts []string
	for _, e := range m.Exports {
		k := map[ExportKind]string{ExpFunction: "fn", ExpClass: "class", ExpConst: "const", ExpSubmodule: "mod", ExpUse: "use"}[e.Kind]
		x := k + ":" + e.Ident
		if e.Name != "" {
			x += "=" + e.Name
		}
		if e.Cfg {
			x += "(cfg)"
		}
		parts = append(parts, x)
	}
	s := strings.Join(parts, " ")
	if m.Open {
		s += " OPEN(" + m.OpenReason + ")"
	}
	return s
}

func TestScanPyFunctional(t *testing.T) {
	src := `
use pyo3::prelude::*;

/// Parse it.
#[pyfunction]
#[pyo3(signature = (data, /, strict = false, *, limit = None, **kw))]
fn parse(py: Python<'_>, data: &str, strict: bool, limit: Option<usize>, kw: Option<&Bound<'_, PyDict>>) -> PyResult<()> { Ok(()) }

#[pyfunction(name = "dumps")]
fn dumps_impl(obj: &Bound<'_, PyAny>, indent: Option<u32>) -> String { String::new() }

#[pyfunction]
fn r#type(a: i32, b: Vec<(i32, i32)>) {}

#[pyclass(name = "Thing", extends = PyException)]
struct RustThing { #[pyo3(get, set)] x: i32, y: i32 }

#[pyclass(eq, eq_int)]
enum Color { Red, #[pyo3(name = "GREEN")] Green = 2 }

#[pymethods]
impl RustThing {
    #[new]
    #[pyo3(signature = (x = 0))]
    fn new(x: i32) -> Self { todo!() }
    fn method(&self, a: i32, py: Python<'_>) {}
    #[getter]
    fn get_size(&self) -> usize { 0 }
    #[setter(size)]
    fn set_it(&mut self, v: usize) {}
    #[staticmethod]
    fn make(a: i32) {}
    #[classmethod]
    fn build(cls: &Bound<'_, PyType>, b: i32) {}
    #[classattr]
    const LIMIT: u32 = 3;
    #[pyo3(name = "renamed")]
    fn orig(slf: PyRef<'_, Self>, z: u8) {}
}

#[pymodule]
#[pyo3(name = "_core")]
fn core(py: Python, m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_wrapped(wrap_pyfunction!(crate::dumps_impl))?;
    m.add_class::<RustThing>()?;
    m.add_class::<crate::Color>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    #[cfg(feature = "x")]
    m.add_function(wrap_pyfunction!(r#type, m)?)?;
    let child = PyModule::new(py, "child")?;
    child.add_function(wrap_pyfunction!(parse, &child)?)?;
    m.add_submodule(&child)?;
    m.gil_used(false)?;
    Ok(())
}
`
	py := Scan([]byte(src)).PyItems()
	got := map[string]string{}
	for _, f := range py.Functions {
		got[f.Name] = f.Ident + "(" + sigString(f.Sig) + ")"
	}
	want := map[string]string{
		"parse": "parse(data/,strict=false,*limit=None,**kw)",
		"dumps": "dumps_impl(obj,indent?)",
		"type":  "type(a,b)",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("functions:\n got %v\nwant %v", got, want)
	}
	if len(py.Classes) != 2 || py.Classes[0].Name != "Thing" || !py.Classes[0].Open || py.Classes[1].Name != "Color" || !py.Classes[1].Enum {
		t.Fatalf("classes: %+v", py.Classes)
	}
	if m := py.Classes[0].Members; len(m) != 1 || m[0].Name != "x" || m[0].Kind != FieldAttr {
		t.Errorf("fields: %+v", m)
	}
	if m := py.Classes[1].Members; len(m) != 2 || m[0].Name != "Red" || m[1].Name != "GREEN" {
		t.Errorf("variants: %+v", m)
	}
	if len(py.Methods) != 1 || py.Methods[0].Type != "RustThing" {
		t.Fatalf("methods: %+v", py.Methods)
	}
	var members []string
	for _, m := range py.Methods[0].Members {
		members = append(members, fmt.Sprintf("%s:%s(%s)", m.Kind, m.Name, sigString(m.Sig)))
	}
	wantM := "constructor:__new__(x=0) method:method(a) getter:size() setter:size(v) staticmethod:make(a) classmethod:build(b) class attribute:LIMIT() method:renamed(z)"
	if strings.Join(members, " ") != wantM {
		t.Errorf("members:\n got %s\nwant %s", strings.Join(members, " "), wantM)
	}
	if len(py.Modules) != 1 {
		t.Fatalf("modules: %+v", py.Modules)
	}
	if got, want := exportsString(&py.Modules[0]), "fn:parse fn:dumps_impl class:RustThing class:Color const:=__version__ fn:type(cfg) mod:=child"; got != want {
		t.Errorf("exports:\n got %s\nwant %s", got, want)
	}
}

func TestScanPyOpen(t *testing.T) {
	cases := map[string]string{
		"helper":    "register(m)?;",
		"loop":      `for n in ["a"] { m.add(n, 1)?; }`,
		"computed":  `m.add(NAME, 1)?;`,
		"macro":     `add_all!(m);`,
		"include":   `include!("gen.rs");`,
		"dict":      `m.dict().set_item("x", 1)?;`,
		"closure":   `m.add_function(PyCFunction::new_closure(py, None, None, f)?)?;`,
		"submodule": `m.add_submodule(&make_child(py)?)?;`,
	}
	for name, body := range cases {
		src := "#[pymodule]\nfn ext(py: Python<'_>, m: &Bound<'_, PyModule>) -> PyResult<()> {\n" + body + "\nOk(())\n}\n"
		py := ScanPy([]byte(src))
		if len(py.Modules) != 1 || !py.Modules[0].Open {
			t.Errorf("%s: not open: %+v", name, py.Modules)
		}
	}
	// Harmless macros and other modules keep it closed.
	src := "#[pymodule]\nfn ext(m: &Bound<'_, PyModule>) -> PyResult<()> {\nprintln!(\"x\");\nlet c = PyModule::new(m.py(), \"c\")?;\nc.add(\"x\", 1)?;\nm.add_submodule(&c)?;\nOk(())\n}\n"
	py := ScanPy([]byte(src))
	if len(py.Modules) != 1 || py.Modules[0].Open || exportsString(&py.Modules[0]) != "mod:=c" {
		t.Errorf("closed module: %+v", py.Modules)
	}
}

func TestScanPyDeclarative(t *testing.T) {
	src := `
#[pyfunction]
#[pyo3(name = "ext_fn")]
fn outer() {}

#[pymodule(name = "_core")]
mod core {
    use super::*;
    #[pymodule_export]
    use super::{outer, Thing as T, sub::{a, b}};
    #[pymodule_export]
    const VERSION: &str = "1";

    #[pyfunction]
    fn inner(x: i32) -> i32 { x }

    #[pyclass]
    struct Local;

    #[pymodule]
    mod nested {
        #[pyfunction]
        fn deep() {}
    }

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("EXTRA", 1)
    }
}
`
	py := ScanPy([]byte(src))
	if len(py.Modules) != 2 {
		t.Fatalf("modules: %+v", py.Modules)
	}
	if got, want := exportsString(&py.Modules[0]), "use:outer use:Thing use:a use:b const:VERSION=VERSION mod:nested=nested const:=EXTRA"; got != want {
		t.Errorf("exports:\n got %s\nwant %s", got, want)
	}
	var fns []string
	for _, f := range py.Functions {
		fns = append(fns, fmt.Sprintf("%s@%v", f.Name, f.Module >= 0))
	}
	if strings.Join(fns, " ") != "ext_fn@false inner@true deep@true" {
		t.Errorf("functions: %v", fns)
	}
	if len(py.Classes) != 1 || py.Classes[0].Module != py.Modules[0].IdentStart {
		t.Errorf("classes: %+v", py.Classes)
	}
	if py.Functions[2].Module != py.Modules[1].IdentStart {
		t.Errorf("deep belongs to nested")
	}
	// A macro in an expression (a const's value) does not.
	py = ScanPy([]byte("#[pymodule]\nmod m {\n    #[pymodule_export]\n    const V: &str = env!(\"X\");\n}\n"))
	if py.Modules[0].Open || exportsString(&py.Modules[0]) != "const:V=V" {
		t.Errorf("env! in a const: %+v", py.Modules[0])
	}
	// A macro at item level in a declarative module opens it.
	py = ScanPy([]byte("#[pymodule]\nmod m {\n    make_fns!();\n}\n"))
	if !py.Modules[0].Open {
		t.Errorf("macro in declarative module: not open")
	}
}

func BenchmarkScanPy(b *testing.B) {
	src := benchSource()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		ScanPy(src)
	}
}
