#!/usr/bin/env python3
"""Generate testdata/rules/<CODE>/<fixture>/ from the compact specs below.

Each fixture is a tiny maturin project. In the specs, the character MARK ("§")
sits right before the token a diagnostic must start at; the generator strips
it and writes `expect` lines `<path>:<line>:<col> <CODE>` (1-based, col in
characters). Re-running overwrites the generated fixtures (files not named in
a spec are left alone, e.g. Cargo.lock files made with real cargo).

    python3 scripts/groundtruth_fixtures.py            # write testdata/rules
"""
import os
import shutil
import sys

MARK = "§"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "rules")

# ---------------------------------------------------------------- building blocks
def qv(v):
    """A quoted TOML string; a leading MARK moves before the opening quote."""
    if v.startswith(MARK):
        return MARK + '"%s"' % v[1:]
    return '"%s"' % v


BS = '[build-system]\nrequires = ["maturin>=1.9.4,<2.0"]\nbuild-backend = "maturin"\n'


def pyproject(name="demo", extra_project="", tool="", bs=BS, version='dynamic = ["version"]\n',
              requires_python=">=3.9", after=""):
    s = bs
    if s:
        s += "\n"
    s += '[project]\nname = %s\n' % qv(name)
    if requires_python:
        s += 'requires-python = %s\n' % qv(requires_python)
    s += version
    s += extra_project
    if tool is not None:
        s += "\n[tool.maturin]\n" + tool
    s += after
    return s


def pyo3_dep(version="0.27", features=None, key="pyo3"):
    if features:
        return '%s = { version = "%s", features = [%s] }\n' % (
            key, version, ", ".join('"%s"' % f for f in features))
    return '%s = "%s"\n' % (key, version)


def cargo(name="demo", lib_name="demo", crate_type='["cdylib"]', deps=None, extra="",
          version="0.1.0", lib_extra=""):
    if deps is None:
        deps = pyo3_dep()
    s = '[package]\nname = %s\nversion = %s\nedition = "2021"\n' % (qv(name), qv(version))
    if lib_name is not None or crate_type is not None or lib_extra:
        s += "\n[lib]\n"
        if lib_name is not None:
            s += 'name = %s\n' % qv(lib_name)
        if crate_type is not None:
            s += "crate-type = %s\n" % crate_type
        s += lib_extra
    s += "\n[dependencies]\n" + deps
    s += extra
    return s


ADD_FN = """#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}
"""


def lib_rs(mod="demo", attr="#[pymodule]\n", pre=""):
    """Function-form module: `attr` goes right above `fn <mod>`."""
    return ("use pyo3::prelude::*;\n\n" + ADD_FN + "\n" + pre + attr +
            "fn %s(m: &Bound<'_, PyModule>) -> PyResult<()> {\n"
            "    m.add_function(wrap_pyfunction!(add, m)?)?;\n"
            "    Ok(())\n}\n" % mod)


def decl_rs(mod="demo", attr="#[pymodule]\n"):
    return ("use pyo3::prelude::*;\n\n" + attr + "mod %s {\n"
            "    use pyo3::prelude::*;\n\n"
            "    #[pyfunction]\n"
            "    fn add(a: i64, b: i64) -> i64 {\n"
            "        a + b\n"
            "    }\n}\n" % mod)


def project(py=None, cg=None, rs=None, **files):
    d = {"pyproject.toml": py if py is not None else pyproject(),
         "Cargo.toml": cg if cg is not None else cargo(),
         "src/lib.rs": rs if rs is not None else lib_rs()}
    for k, v in files.items():
        d[k.replace("__SLASH__", "/")] = v
    return {k: v for k, v in d.items() if v is not None}


def with_files(d, **files):
    d = dict(d)
    for k, v in files.items():
        d[k] = v
    return d


FT = '    "Programming Language :: Python :: Free Threading :: 2 - Beta",\n'
INIT = "from .%s import *\n\n__doc__ = %s.__doc__\n"

# ---------------------------------------------------------------- fixtures
F = {}  # "CODE/fixture" -> (files dict, note)


def fx(path, files, note=""):
    F[path] = (files, note)


# ---- T
fx("T001/fail-pyproject-syntax",
   project(py=pyproject(requires_python=None, extra_project="requires-python = §>=3.9\n")),
   "unquoted requires-python value: pyproject.toml is not valid TOML")
fx("T001/fail-cargo-syntax",
   project(cg=cargo().replace('version = "0.1.0"', "version = §0.1.0")),
   "bare 0.1.0 is neither a float nor a string: Cargo.toml is not valid TOML")
fx("T001/pass", project())

fx("T002/fail-strip-string", project(py=pyproject(tool='strip = §"yes"\n')),
   "[tool.maturin] strip is a bool")
fx("T002/fail-features-string", project(py=pyproject(tool='features = §"pyo3/abi3-py39"\n')),
   "[tool.maturin] features is an array")
fx("T002/fail-crate-type-string", project(cg=cargo(crate_type='§"cdylib"')),
   "Cargo [lib] crate-type is an array")
fx("T002/pass", project(py=pyproject(tool='strip = true\nfeatures = ["pyo3/abi3-py39"]\n')))

# ---- M
fx("M001/fail-no-build-system",
   project(py="§" + pyproject(bs="", tool='module-name = "demo"\n')),
   "[tool.maturin] but no [build-system]: reported at 1:1")
fx("M001/fail-backend-setuptools",
   project(py=pyproject(bs='[build-system]\nrequires = ["maturin>=1.9.4,<2.0"]\nbuild-backend = §"setuptools.build_meta"\n',
                        tool='module-name = "demo"\n')))
fx("M001/pass", project(py=pyproject(tool='module-name = "demo"\n')))

fx("M002/fail-requires-setuptools",
   project(py=pyproject(bs='[build-system]\nrequires = §["setuptools>=61"]\nbuild-backend = "maturin"\n')),
   "build-backend is maturin but requires does not install it (reported at the requires array)")
fx("M002/pass", project())

fx("M003/fail-module-underscore", project(py=pyproject(tool='§module_name = "demo"\n')),
   "module_name instead of module-name")
fx("M003/fail-sdist-include", project(py=pyproject(tool='§sdist-include = ["LICENSE"]\n')),
   "sdist-include was removed in maturin 0.15 (use include)")
fx("M003/fail-sbom-subkey", project(py=pyproject(tool="", after="\n[tool.maturin.sbom]\n§rust_sbom = true\n")),
   "unknown key in a [tool.maturin] sub-table (sbom knows rust, auditwheel, include)")
fx("M003/pass", project(py=pyproject(tool='module-name = "demo"\n', after="\n[tool.maturin.sbom]\nrust = true\n")))

fx("M004/fail-bindings", project(py=pyproject(tool='bindings = §"pyo3s"\n')))
fx("M004/fail-compatibility-arch", project(py=pyproject(tool='compatibility = §"manylinux2014_x86_64"\n')),
   "compatibility takes a policy name, not a platform tag with the architecture")
fx("M004/fail-auditwheel", project(py=pyproject(tool='auditwheel = §"fix"\n')))
fx("M004/fail-sdist-generator", project(py=pyproject(tool='sdist-generator = §"setuptools"\n')))
fx("M004/fail-target-kind",
   project(py=pyproject(tool='targets = [{ name = "demo", kind = §"shared" }]\n')))
fx("M004/pass", project(py=pyproject(
    tool='bindings = "pyo3"\ncompatibility = "linux"\nauditwheel = "skip"\nsdist-generator = "cargo"\n'
         'targets = [{ name = "demo", kind = "cdylib" }]\n')))

fx("M005/fail-manifest-path", project(py=pyproject(tool='manifest-path = §"rust/Cargo.toml"\n')),
   "manifest-path names a file that does not exist (Cargo.toml sits at the root)")
fx("M005/pass", {"pyproject.toml": pyproject(tool='manifest-path = "rust/Cargo.toml"\n'),
                 "rust/Cargo.toml": cargo(), "rust/src/lib.rs": lib_rs()})

fx("M006/fail-package-metadata-maturin",
   project(cg=cargo() + '\n§[package.metadata.maturin]\nname = "demo"\n'),
   "[package.metadata.maturin] in Cargo.toml is no longer read; use [tool.maturin] (reported at the header)")
fx("M006/fail-manylinux-alias", project(py=pyproject(tool='§manylinux = "off"\n')),
   "manylinux is the old alias of compatibility (maturin 1.16 still accepts it silently)")
fx("M006/pass", project(py=pyproject(tool='compatibility = "off"\n')))

fx("M007/fail-data-missing", project(py=pyproject(tool='data = §"demo_data"\n')))
fx("M007/pass", project(py=pyproject(tool='data = "demo_data"\n'),
                        **{"demo_data__SLASH__data__SLASH__share__SLASH__demo__SLASH__hello.txt": "hello\n"}))

NO_PYO3_RS = '#[no_mangle]\npub extern "C" fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n'
fx("M008/fail-no-pyo3-dep",
   project(py=pyproject(tool='bindings = §"pyo3"\n'), cg=cargo(deps=""), rs=NO_PYO3_RS),
   "bindings = pyo3 but Cargo.toml has no pyo3 dependency")
fx("M008/pass", project(py=pyproject(tool='bindings = "pyo3"\n')))

fx("M009/fail-bare-maturin",
   project(py=pyproject(bs='[build-system]\nrequires = [§"maturin"]\nbuild-backend = "maturin"\n')))
fx("M009/fail-no-1x",
   project(py=pyproject(bs='[build-system]\nrequires = [§"maturin>=2.0"]\nbuild-backend = "maturin"\n')),
   "the range admits no maturin 1.x")
fx("M009/pass", project())

fx("M010/fail-dotdot", project(py=pyproject(tool='include = [§"../shared/*.txt"]\n')))
fx("M010/fail-absolute", project(py=pyproject(tool='include = [§"/etc/demo.txt"]\n')))
fx("M010/fail-dot-slash", project(py=pyproject(tool='include = [§"./notes.txt"]\n'), **{"notes.txt": "notes\n"}))
fx("M010/fail-out-dir-crate-name",
   project(py=pyproject(tool='include = [{ path = "generated.txt", from = "out-dir", to = "demo/", §crate-name = "demo" }]\n'),
           cg=cargo(lib_extra="") .replace('edition = "2021"\n', 'edition = "2021"\nbuild = "build.rs"\n'),
           **{"build.rs": 'fn main() {\n    let out = std::env::var("OUT_DIR").unwrap();\n'
                          '    std::fs::write(format!("{out}/generated.txt"), "generated\\n").unwrap();\n}\n'}),
   "out-dir include keyed crate-name: serde reads crate_name, so the key is ignored")
fx("M010/pass", project(py=pyproject(tool='include = ["notes.txt"]\n'), **{"notes.txt": "notes\n"}))

fx("M011/fail-removed-classifiers",
   project(cg=cargo() + '\n[package.metadata.maturin]\n§classifiers = ["Programming Language :: Rust"]\n'),
   "classifiers in [package.metadata.maturin] was removed in maturin 0.14 (error)")
fx("M011/fail-ignored-key",
   project(cg=cargo() + '\n[package.metadata.maturin]\n§python-source = "python"\n'),
   "other keys in [package.metadata.maturin] are ignored (warning)")
fx("M011/pass", project(cg=cargo() + '\n[package.metadata.docs.rs]\nall-features = true\n'))

fx("M012/fail-unknown-profile", project(py=pyproject(tool='profile = §"fast"\n')))
fx("M012/pass", project(py=pyproject(tool='profile = "fast"\n'),
                        cg=cargo() + '\n[profile.fast]\ninherits = "release"\n'))

# ---- N
fx("N001/fail-fn-name", project(cg=cargo(lib_name="§demo"), rs=lib_rs(mod="§other")),
   "[lib] name decides the module name demo; #[pymodule] exports PyInit_other")
fx("N001/fail-declarative-mod", project(cg=cargo(lib_name="§demo"), rs=decl_rs(mod="§other")))
fx("N001/fail-pyo3-name-attr",
   project(cg=cargo(lib_name="§demo"), rs=lib_rs(attr='#[pymodule]\n#[pyo3(name = §"wrong")]\n')))
fx("N001/fail-pymodule-name-option",
   project(cg=cargo(lib_name="§demo"), rs=lib_rs(mod="demo", attr='#[pymodule(name = §"wrong")]\n')))
fx("N001/fail-project-name",
   project(py=pyproject(name="§demo_pkg"), cg=cargo(lib_name=None), rs=lib_rs(mod="§demo")),
   "no module-name, no explicit [lib] name: maturin takes [project] name demo_pkg (not the crate name)")
fx("N001/fail-dotted-module-name",
   project(py=pyproject(tool='module-name = §"demo._core"\n'), rs=lib_rs(mod="§core"),
           **{"demo/__init__.py": INIT % ("_core", "_core")}),
   "extension name is _core, #[pymodule] is core")
fx("N001/pass", project())
fx("N001/pass-dotted", project(py=pyproject(tool='module-name = "demo._core"\n'), rs=lib_rs(mod="_core"),
                               **{"demo/__init__.py": INIT % ("_core", "_core")}))
fx("N001/pass-pyo3-name", project(rs=lib_rs(mod="demo_rs", attr='#[pymodule]\n#[pyo3(name = "demo")]\n')))
fx("N001/pass-declarative", project(rs=decl_rs()))
fx("N001/pass-path-attr", project(rs=lib_rs(attr="#[pyo3::pymodule]\n")))

fx("N002/fail-project-name-dash",
   project(py=pyproject(name="§my-pkg"), cg=cargo(name="my-pkg", lib_name=None), rs=lib_rs(mod="my_pkg")),
   "no [lib] name / module-name: maturin takes [project] name verbatim (with the dash)")
fx("N002/fail-module-name-dash",
   project(py=pyproject(tool='module-name = §"my-pkg"\n'), rs=lib_rs(mod="my_pkg")))
fx("N002/pass", project(py=pyproject(name="my-pkg"), cg=cargo(name="my-pkg", lib_name="my_pkg"),
                        rs=lib_rs(mod="my_pkg")))

fx("N003/fail-leading-digit",
   project(py=pyproject(tool='module-name = §"3d._core"\n'), rs=lib_rs(mod="_core"),
           **{"3d/__init__.py": INIT % ("_core", "_core")}),
   "package 3d cannot be imported with an import statement")
fx("N003/fail-keyword",
   project(py=pyproject(tool='module-name = §"demo.lambda"\n'), rs=lib_rs(mod="lambda"),
           **{"demo/__init__.py": "from importlib import import_module\n\nnative = import_module('demo.lambda')\n"}),
   "lambda is a Python keyword: `import demo.lambda` is a SyntaxError")
fx("N003/pass", project(py=pyproject(tool='module-name = "demo3d._core"\n'), rs=lib_rs(mod="_core"),
                        **{"demo3d/__init__.py": INIT % ("_core", "_core")}))

NO_MOD_RS = "use pyo3::prelude::*;\n\n" + ADD_FN
fx("N004/fail-no-pymodule", project(rs="§" + NO_MOD_RS),
   "no #[pymodule] anywhere: reported at src/lib.rs 1:1")
fx("N004/pass", project())
fx("N004/pass-path-attr", project(rs=lib_rs(attr="#[pyo3::pymodule]\n")))

fx("N005/fail-two-top-level",
   project(rs=lib_rs() + "\n#[pymodule]\nfn §extra(_m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n"),
   "info: a second top-level #[pymodule] (extra) that Python never imports; reported at it")
fx("N005/pass", project(rs=decl_rs().replace(
    "        a + b\n    }\n}\n",
    "        a + b\n    }\n\n    #[pymodule]\n    mod sub {}\n}\n")))

fx("N006/fail-pymodule-name-0212",
   project(cg=cargo(deps=pyo3_dep("=0.21.2", ["extension-module"])),
           rs=lib_rs(mod="demo_rs", attr='#[pymodule(§name = "demo")]\n')),
   "#[pymodule(name = ...)] needs PyO3 >= 0.22.2 (0.22.0/0.22.1 are yanked, so 0.21.2 stands in)")
fx("N006/pass-pyo3-name-0212",
   project(cg=cargo(deps=pyo3_dep("=0.21.2", ["extension-module"])),
           rs=lib_rs(mod="demo_rs", attr='#[pymodule]\n#[pyo3(name = "demo")]\n')))
fx("N006/pass-pymodule-name-025",
   project(cg=cargo(deps=pyo3_dep("0.25", ["extension-module"])),
           rs=lib_rs(mod="demo_rs", attr='#[pymodule(name = "demo")]\n')))

# ---- C
fx("C001/fail-rlib-and-bin",
   project(cg=cargo(crate_type='§["rlib"]'), **{"src/main.rs": 'fn main() {\n    println!("demo");\n}\n'}),
   "pyo3 dependency, no cdylib, a bin target: maturin packages the binary")
fx("C001/pass", project(cg=cargo(crate_type='["cdylib", "rlib"]'),
                        **{"src/main.rs": 'fn main() {\n    println!("demo");\n}\n'}))

fx("C002/fail-unknown-feature", project(py=pyproject(tool='features = [§"fast"]\n')))
fx("C002/fail-missing-dependency", project(py=pyproject(tool='features = [§"serde/derive"]\n')),
   "dep/feature for a dependency the crate does not have")
fx("C002/pass", project(py=pyproject(tool='features = ["fast"]\n'),
                        cg=cargo() + "\n[features]\nfast = []\n"))

fx("C003/fail-pyo3-025-no-extension-module", project(cg=cargo(deps="§" + pyo3_dep("0.25"))),
   "PyO3 0.25 without extension-module (reported at the pyo3 dependency key)")
fx("C003/pass-pyo3-025-extension-module", project(cg=cargo(deps=pyo3_dep("0.25", ["extension-module"]))))
fx("C003/pass-pyo3-025-feature-in-pyproject",
   project(py=pyproject(tool='features = ["pyo3/extension-module"]\n'), cg=cargo(deps=pyo3_dep("0.25"))))
fx("C003/pass-pyo3-027", project())

# C004: the pass Cargo.lock is real `cargo generate-lockfile` output; the fail one is that lock
# with pyo3 0.24.2 entries (taken from a real 0.24.2 lock) merged in by hand: cargo itself refuses
# to resolve two pyo3-ffi versions (links = "python").
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "groundtruth_data")


def data(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return f.read()


HELPER = ('[package]\nname = "helper"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n%s',
          "use pyo3::prelude::*;\n\npub fn helper_add(a: i64, b: i64) -> i64 {\n    let _ = Python::with_gil(|_py| ());\n    a + b\n}\n")
fx("C004/fail-two-pyo3",
   project(cg=cargo(deps=pyo3_dep("0.25", ["extension-module"]) + 'helper = { path = "helper" }\n'),
           **{"helper/Cargo.toml": HELPER[0] % pyo3_dep("0.24"), "helper/src/lib.rs": HELPER[1],
              "Cargo.lock": data("C004-fail.Cargo.lock")}),
   "Cargo.lock holds pyo3 0.24.2 (via helper) and 0.25.1: reported at the [[package]] header of each pyo3 entry "
   "the root crate does not depend on directly. "
   "Real cargo cannot produce this lock (pyo3-ffi links = \"python\"); it was edited by hand")
fx("C004/pass",
   project(cg=cargo(deps=pyo3_dep("0.25", ["extension-module"]) + 'helper = { path = "helper" }\n'),
           **{"helper/Cargo.toml": HELPER[0] % pyo3_dep("0.25"), "helper/src/lib.rs": HELPER[1],
              "Cargo.lock": data("C004-pass.Cargo.lock")}))

# ---- A
fx("A001/fail-abi3-py310-requires-39",
   project(cg=cargo(deps=pyo3_dep("0.27", ["§abi3-py310"]))),
   "abi3 floor 3.10 above requires-python >=3.9: 3.9 gets no wheel (reported at the feature)")
fx("A001/pass", project(cg=cargo(deps=pyo3_dep("0.27", ["abi3-py39"]))))
fx("A001/pass-optional-feature",
   project(cg=cargo(deps=pyo3_dep("0.27")) + '\n[features]\nabi3 = ["pyo3/abi3-py311"]\n'),
   "abi3-py311 only behind an optional crate feature that nothing enables: no abi3")

fx("A002/fail-pyo3-029-py37",
   project(py=pyproject(requires_python="§>=3.7"), cg=cargo(deps=pyo3_dep("0.29"))),
   "requires-python admits 3.7, PyO3 0.29 needs 3.8 (reported at the value, string opening quote)")
fx("A002/pass", project(py=pyproject(requires_python=">=3.8"), cg=cargo(deps=pyo3_dep("0.29"))))

CLS = '\nclassifiers = [\n%s]\n'
fx("A003/fail-classifier-315-pyo3-025",
   project(py=pyproject(extra_project=CLS % '    §"Programming Language :: Python :: 3.15",\n'),
           cg=cargo(deps=pyo3_dep("0.25", ["extension-module"]))),
   "PyO3 0.25 supports CPython up to 3.14")
fx("A003/pass", project(py=pyproject(extra_project=CLS % '    "Programming Language :: Python :: 3.14",\n'),
                        cg=cargo(deps=pyo3_dep("0.25", ["extension-module"]))))
fx("A003/pass-abi3", project(py=pyproject(extra_project=CLS % '    "Programming Language :: Python :: 3.15",\n'),
                             cg=cargo(deps=pyo3_dep("0.25", ["extension-module", "abi3-py39"]))))

fx("A004/fail-abi3-py315-pyo3-025",
   project(cg=cargo(deps=pyo3_dep("0.25", ["extension-module", "§abi3-py315"]))))
fx("A004/fail-abi3-py37-pyo3-029",
   project(py=pyproject(requires_python=">=3.8"), cg=cargo(deps=pyo3_dep("0.29", ["§abi3-py37"]))),
   "abi3-py37 was removed in PyO3 0.29")
fx("A004/pass", project(cg=cargo(deps=pyo3_dep("0.25", ["extension-module", "abi3-py39"]))))

# ---- F
fx("F001/fail-pyo3-027-no-gil-used",
   project(py=pyproject(extra_project=CLS % FT), rs=lib_rs(mod="§demo")),
   "free-threading classifier, PyO3 0.27 (gil_used defaults to true), no gil_used = false")
fx("F001/fail-pyo3-028-gil-used-true",
   project(py=pyproject(extra_project=CLS % FT), cg=cargo(deps=pyo3_dep("0.28")),
           rs=lib_rs(attr="#[pymodule(gil_used = §true)]\n")))
fx("F001/pass", project(py=pyproject(extra_project=CLS % FT),
                        rs=lib_rs(attr="#[pymodule(gil_used = false)]\n")))
fx("F001/pass-pyo3-028-default", project(py=pyproject(extra_project=CLS % FT), cg=cargo(deps=pyo3_dep("0.28"))))

fx("F002/fail-classifier-pyo3-022",
   project(py=pyproject(extra_project=CLS % FT.replace('"Prog', '§"Prog')),
           cg=cargo(deps=pyo3_dep("0.22", ["extension-module"]))),
   "free-threading classifier with PyO3 0.22 (reported at the classifier)")
fx("F002/fail-gil-used-pyo3-022",
   project(cg=cargo(deps=pyo3_dep("0.22", ["extension-module"])),
           rs=lib_rs(attr="#[pymodule(§gil_used = false)]\n")),
   "gil_used is unknown before PyO3 0.23 (reported at the option)")
fx("F002/pass", project(py=pyproject(extra_project=CLS % FT),
                        cg=cargo(deps=pyo3_dep("0.23", ["extension-module"])),
                        rs=lib_rs(attr="#[pymodule(gil_used = false)]\n")))

fx("F003/fail-abi3-free-threaded",
   project(py=pyproject(extra_project=CLS % FT), cg=cargo(deps=pyo3_dep("0.28", ["§abi3-py39"]))),
   "info: abi3 wheels cannot serve free-threaded CPython (reported at the abi3 feature)")
fx("F003/pass", project(cg=cargo(deps=pyo3_dep("0.28", ["abi3-py39"]))))

CFFI_BS = '[build-system]\nrequires = ["maturin>=1.9.4,<2.0", "cffi"]\nbuild-backend = "maturin"\n'
CFFI_DEPS = 'dependencies = ["cffi; platform_python_implementation != \'PyPy\'"]\n'
fx("F004/fail-cffi-free-threaded",
   project(py=pyproject(bs=CFFI_BS, extra_project=CFFI_DEPS + CLS % FT.replace('"Prog', '§"Prog'),
                        tool='bindings = "cffi"\n'),
           cg=cargo(deps=""), rs=NO_PYO3_RS),
   "cffi bindings do not support free-threaded builds (reported at the classifier)")
fx("F004/pass", project(py=pyproject(bs=CFFI_BS, extra_project=CFFI_DEPS, tool='bindings = "cffi"\n'),
                        cg=cargo(deps=""), rs=NO_PYO3_RS))

# ---- P
fx("P001/fail-no-version", project(py=pyproject(version="").replace("[project]", "§[project]", 1)))
fx("P001/pass-static", project(py=pyproject(version='version = "0.1.0"\n')))
fx("P001/pass-dynamic", project())

fx("P002/fail-version-static-and-dynamic",
   project(py=pyproject(version='version = "0.1.0"\ndynamic = [§"version"]\n')),
   "reported at the dynamic entry")
fx("P002/fail-name-dynamic", project(py=pyproject(version='dynamic = [§"name", "version"]\n')))
fx("P002/pass", project())

fx("P003/fail-readme-missing", project(py=pyproject(extra_project='readme = §"README.md"\n')))
fx("P003/fail-license-file-missing", project(py=pyproject(extra_project='license = { file = §"LICENSE" }\n')))
fx("P003/fail-license-files-no-match",
   project(py=pyproject(extra_project='license = "MIT"\nlicense-files = [§"LICENSES/*.txt"]\n')))
fx("P003/fail-readme-absolute",
   project(py=pyproject(extra_project='readme = §"/usr/share/doc/demo/README.md"\n')))
fx("P003/pass", project(py=pyproject(extra_project='readme = "README.md"\nlicense = { file = "LICENSE" }\n'),
                        **{"README.md": "# demo\n", "LICENSE": "MIT License\n"}))

fx("P004/fail-semver-prerelease", project(cg=cargo(version="§1.0.0-foo")),
   "SemVer pre-release label PEP 440 cannot read")
fx("P004/fail-static-project-version",
   project(py=pyproject(version='version = "0.1.0"\n'),
           cg=cargo(version="§0.1.0-alpha.beta")),
   "checked even with a static [project] version")
fx("P004/pass", project(cg=cargo(version="0.1.0-alpha.1")))

fx("P005/fail-console-scripts",
   project(py=pyproject(after='\n[project.entry-points.§console_scripts]\ndemo = "demo:main"\n'),
           **{"demo/__init__.py": INIT % ("demo", "demo") + "\n\ndef main():\n    print(add(1, 2))\n"}),
   "console_scripts belong in [project.scripts]")
BIN_CARGO = cargo(lib_name=None, crate_type=None, deps="")
BIN_CARGO = BIN_CARGO.replace("\n[lib]\n", "")
MAIN_RS = 'fn main() {\n    println!("demo");\n}\n'
fx("P005/fail-bin-with-scripts",
   {"pyproject.toml": pyproject(tool='bindings = "bin"\n', after='\n§[project.scripts]\ndemo = "demo:main"\n'),
    "Cargo.toml": BIN_CARGO, "src/main.rs": MAIN_RS},
   "bindings = bin with [project.scripts] (reported at the table header)")
fx("P005/pass", {"pyproject.toml": pyproject(tool='bindings = "bin"\n'), "Cargo.toml": BIN_CARGO,
                 "src/main.rs": MAIN_RS})
fx("P005/pass-scripts-mixed",
   project(py=pyproject(tool='module-name = "demo._demo"\n', after='\n[project.scripts]\ndemo = "demo:main"\n'),
           cg=cargo(lib_name="_demo"), rs=lib_rs(mod="_demo"),
           **{"demo/__init__.py": "from ._demo import add\n\n\ndef main():\n    print(add(1, 2))\n"}))

# ---- L
fx("L001/fail-python-source-missing", project(py=pyproject(tool='python-source = §"python"\n')))
fx("L001/pass", project(py=pyproject(tool='python-source = "python"\n'),
                        **{"python/demo/__init__.py": INIT % ("demo", "demo")}))

fx("L002/fail-python-source-no-package",
   project(py=pyproject(tool='python-source = §"python"\n'),
           **{"python/other/__init__.py": "VALUE = 1\n"}),
   "python-source set, but python/demo does not exist (error, reported at python-source)")
fx("L002/fail-package-named-after-project",
   project(py=pyproject(name="demo-pkg"), cg=cargo(name="demo-pkg", lib_name="§demo_native"),
           rs=lib_rs(mod="demo_native"),
           **{"demo_pkg/__init__.py": INIT % ("demo_native", "demo_native")}),
   "warning: module name demo_native (from [lib] name), package demo_pkg/ is silently left out of the wheel")
fx("L002/pass", project(py=pyproject(name="demo-pkg", tool='module-name = "demo_pkg.demo_native"\n'),
                        cg=cargo(name="demo-pkg", lib_name="demo_native"), rs=lib_rs(mod="demo_native"),
                        **{"demo_pkg/__init__.py": INIT % ("demo_native", "demo_native")}))
fx("L002/pass-tests-dir", project(**{"tests/__init__.py": "", "tests/test_demo.py":
                                     "import demo\n\n\ndef test_add():\n    assert demo.add(1, 2) == 3\n"}),
   "a tests/ package beside Cargo.toml is not a missed Python package")

fx("L003/pass-py-file-beside-extension",
   project(py=pyproject(tool='module-name = "demo._core"\n'), rs=lib_rs(mod="_core"),
           **{"demo/__init__.py": INIT % ("_core", "_core"), "demo/_core.py": "def add(a, b):\n    return a + b\n"}),
   "demo/_core.py next to the extension demo/_core.*.so: CPython's FileFinder tries extension suffixes "
   "before .py, so the extension wins and the .py is dead code (groundtruth, maturin 1.16 / CPython 3.11)")
fx("L003/fail-package-shadows",
   project(py=pyproject(tool='module-name = §"demo._core"\n'), rs=lib_rs(mod="_core"),
           **{"demo/__init__.py": INIT % ("_core", "_core"), "demo/_core/__init__.py": "def add(a, b):\n    return a + b\n"}),
   "demo/_core/ package shadows the extension (reported at module-name)")
fx("L003/pass", project(py=pyproject(tool='module-name = "demo._core"\n'), rs=lib_rs(mod="_core"),
                        **{"demo/__init__.py": INIT % ("_core", "_core"), "demo/helpers.py": "X = 1\n"}))

fx("L004/fail-stub-name", project(**{"stubs.pyi": "§def add(a: int, b: int) -> int: ...\n"}),
   "stubs.pyi is not packaged: maturin packages <module>.pyi only (reported at 1:1 of the .pyi)")
fx("L004/pass", project(**{"demo.pyi": "def add(a: int, b: int) -> int: ...\n"}))

fx("L005/fail-python-packages-missing",
   project(py=pyproject(tool='python-packages = [§"helpers"]\n')))
fx("L005/pass", project(py=pyproject(tool='python-packages = ["helpers"]\n'),
                        **{"helpers/__init__.py": "X = 1\n"}))

fx("L006/fail-no-package-dir",
   project(py=pyproject(tool='module-name = §"pkg._core"\n'), rs=lib_rs(mod="_core")),
   "no pkg/ directory: maturin ships a top-level _core, import pkg._core fails")
fx("L006/pass", project(py=pyproject(tool='module-name = "pkg._core"\n'), rs=lib_rs(mod="_core"),
                        **{"pkg/__init__.py": INIT % ("_core", "_core")}))


# ---------------------------------------------------------------- writer
def strip_marks(text):
    """Return (clean text, [(line, col)]) for every MARK, positions in the clean text."""
    out, pos = [], []
    for ln, line in enumerate(text.split("\n"), 1):
        clean = ""
        for ch in line:
            if ch == MARK:
                pos.append((ln, len(clean) + 1))
            else:
                clean += ch
        out.append(clean)
    return "\n".join(out), pos


def main():
    only = sys.argv[1:]
    for path, (files, note) in sorted(F.items()):
        if only and not any(path.startswith(o) for o in only):
            continue
        code, name = path.split("/")
        d = os.path.join(ROOT, code, name)
        expects = []
        for rel, text in sorted(files.items()):
            clean, pos = strip_marks(text)
            full = os.path.join(d, rel)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as f:
                f.write(clean)
            expects += ["%s:%d:%d %s" % (rel, l, c, code) for l, c in pos]
        if name.startswith("fail"):
            if not expects:
                raise SystemExit("%s: fail fixture without a mark" % path)
            with open(os.path.join(d, "expect"), "w") as f:
                if note:
                    f.write("# %s\n" % note)
                f.write("\n".join(sorted(expects)) + "\n")
        else:
            if expects:
                raise SystemExit("%s: pass fixture with a mark" % path)
            if note:
                with open(os.path.join(d, "README"), "w") as f:
                    f.write(note + "\n")
    print("wrote %d fixtures" % len(F))


if __name__ == "__main__":
    main()
