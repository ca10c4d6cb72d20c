// Package benchgen writes synthetic maturin projects for benchmarks and the
// scripts/bench-* measurements. It is not used by pyo3-ls itself.
package benchgen

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/facts"
)

// pyo3Lock is the pyo3 0.25.1 part of a real Cargo.lock (cargo 1.8x, lock version 4).
const pyo3Lock = `[[package]]
name = "autocfg"
version = "1.5.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "f2032f911046de80f0a198e0901378627c33f59ea0ac00e363d481118bd70a53"

[[package]]
name = "heck"
version = "0.5.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "2304e00983f87ffb38b55b444b5e3b60a884b5d30c0fca7d82fe33449bbe55ea"

[[package]]
name = "indoc"
version = "2.0.8"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "a37b2691796cffeb8a8cd305ac66e65841559f147f4e63231d0eafa4db5384d1"
dependencies = [
 "rustversion",
]

[[package]]
name = "libc"
version = "0.2.191"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "65cd87c9a6d60536580b316ad985726104730a5151c99845f2490428ef91240a"

[[package]]
name = "memoffset"
version = "0.9.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "488016bfae457b036d996092f6cb448677611ce4449e970ceaf42695203f218a"
dependencies = [
 "autocfg",
]

[[package]]
name = "once_cell"
version = "1.21.4"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "9f7c3e4beb33f85d45ae3e3a1792185706c8e16d043238c593331cc7cd313b50"

[[package]]
name = "portable-atomic"
version = "1.15.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "05c8b63e8d9609db387f0324918f81d68fe27748f084ef092fb35954d0539a85"

[[package]]
name = "proc-macro2"
version = "1.0.107"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "985e7ec9bb745e6ce6535b544d84d6cd6f7ad8bd711c398938ae983b91a766d9"
dependencies = [
 "unicode-ident",
]

[[package]]
name = "pyo3"
version = "0.25.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "8970a78afe0628a3e3430376fc5fd76b6b45c4d43360ffd6cdd40bdde72b682a"
dependencies = [
 "indoc",
 "libc",
 "memoffset",
 "once_cell",
 "portable-atomic",
 "pyo3-build-config",
 "pyo3-ffi",
 "pyo3-macros",
 "unindent",
]

[[package]]
name = "pyo3-build-config"
version = "0.25.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "458eb0c55e7ece017adeba38f2248ff3ac615e53660d7c71a238d7d2a01c7598"
dependencies = [
 "once_cell",
 "target-lexicon",
]

[[package]]
name = "pyo3-ffi"
version = "0.25.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "7114fe5457c61b276ab77c5055f206295b812608083644a5c5b2640c3102565c"
dependencies = [
 "libc",
 "pyo3-build-config",
]

[[package]]
name = "pyo3-macros"
version = "0.25.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "a8725c0a622b374d6cb051d11a0983786448f7785336139c3c94f5aa6bef7e50"
dependencies = [
 "proc-macro2",
 "pyo3-macros-backend",
 "quote",
 "syn",
]

[[package]]
name = "pyo3-macros-backend"
version = "0.25.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "4109984c22491085343c05b0dbc54ddc405c3cf7b4374fc533f5c3313a572ccc"
dependencies = [
 "heck",
 "proc-macro2",
 "pyo3-build-config",
 "quote",
 "syn",
]

[[package]]
name = "quote"
version = "1.0.47"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "1fbf4db142a473a8d80c26bbf18454ed458bf8d26c8219c331daecfdbd079001"
dependencies = [
 "proc-macro2",
]

[[package]]
name = "rustversion"
version = "1.0.23"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "cf54715a573b99ac80df0bc206da022bcd442c974952c7b9720069370852e21f"

[[package]]
name = "syn"
version = "2.0.119"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "872831b642d1a07999a962a351ed35b955ea2cfc8f3862091e2a240a84f17297"
dependencies = [
 "proc-macro2",
 "quote",
 "unicode-ident",
]

[[package]]
name = "target-lexicon"
version = "0.13.5"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "adb6935a6f5c20170eeceb1a3835a49e12e19d792f6dd344ccc76a985ca5a6ca"

[[package]]
name = "unicode-ident"
version = "1.0.27"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "a2c754d6c33795a1c324727428e5a7dedb5b06195f9890bdbcba760d3e246563"

[[package]]
name = "unindent"
version = "0.2.4"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "7264e107f553ccae879d21fbea1d6724ac785e8c3bfc762137959b5802826ef3"
`

// Pyproject returns a typical maturin pyproject.toml for project name.
func Pyproject(name string) string {
	return fmt.Sprintf(`[build-system]
requires = ["`+facts.MaturinRequirement+`"]
build-backend = "maturin"

[project]
name = %q
description = "Synthetic PyO3 extension %s"
requires-python = ">=3.9"
classifiers = [
    "Programming Language :: Rust",
    "Programming Language :: Python :: Implementation :: CPython",
    "Programming Language :: Python :: Implementation :: PyPy",
]
dynamic = ["version"]

[project.optional-dependencies]
test = ["pytest>=8"]

[tool.maturin]
features = ["pyo3/extension-module"]
module-name = %q
`, name, name, strings.ReplaceAll(name, "-", "_"))
}

// CargoToml returns the crate manifest; inWorkspace uses workspace inheritance.
func CargoToml(name string, inWorkspace bool) string {
	mod := strings.ReplaceAll(name, "-", "_")
	if inWorkspace {
		return fmt.Sprintf(`[package]
name = %q
version.workspace = true
edition.workspace = true

[lib]
name = %q
crate-type = ["cdylib"]

[dependencies]
pyo3.workspace = true
`, name, mod)
	}
	return fmt.Sprintf(`[package]
name = %q
version = "0.1.0"
edition = "2021"

[lib]
name = %q
crate-type = ["cdylib"]

[dependencies]
pyo3 = "0.25"
`, name, mod)
}

// LibRS returns a small PyO3 module with a class and a few functions.
func LibRS(name string) string {
	mod := strings.ReplaceAll(name, "-", "_")
	return fmt.Sprintf(`//! %[1]s: a synthetic PyO3 extension module.
use pyo3::prelude::*;
use pyo3::exceptions::PyValueError;

/// Adds two numbers.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// Parses "a,b,c" into a list of strings; "#[pymodule]" in a string is not an attribute.
#[pyfunction]
#[pyo3(signature = (text, sep = ","))]
fn split(text: &str, sep: &str) -> PyResult<Vec<String>> {
    if sep.is_empty() {
        return Err(PyValueError::new_err("empty separator"));
    }
    Ok(text.split(sep).map(str::to_owned).collect())
}

#[pyclass]
struct Counter {
    n: u64,
}

#[pymethods]
impl Counter {
    #[new]
    fn new() -> Self {
        Counter { n: 0 }
    }

    fn incr(&mut self) -> u64 {
        self.n += 1;
        self.n
    }
}

#[pymodule]
fn %[2]s(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(split, m)?)?;
    m.add_class::<Counter>()?;
    Ok(())
}
`, name, mod)
}

// Lock returns a Cargo.lock for the given crate names depending on pyo3 0.25.1.
func Lock(crates []string) string {
	var b strings.Builder
	b.WriteString("# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n")
	// Cargo sorts packages by name; pyo3's dependencies sort before and after the crates.
	entries := map[string]string{}
	for _, blk := range strings.Split(pyo3Lock, "\n\n") {
		blk = strings.TrimSpace(blk)
		name := strings.Trim(strings.TrimPrefix(strings.Split(blk, "\n")[1], "name = "), `"`)
		entries[name] = blk
	}
	for _, c := range crates {
		entries[c] = fmt.Sprintf("[[package]]\nname = %q\nversion = \"0.1.0\"\ndependencies = [\n \"pyo3\",\n]", c)
	}
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(entries[n])
		b.WriteString("\n\n")
	}
	return b.String()
}

func write(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

// Project writes a standalone maturin project (pyproject.toml, Cargo.toml,
// Cargo.lock, src/lib.rs) into dir.
func Project(dir, name string) error {
	for path, content := range map[string]string{
		"pyproject.toml": Pyproject(name),
		"Cargo.toml":     CargoToml(name, false),
		"Cargo.lock":     Lock([]string{name}),
		"src/lib.rs":     LibRS(name),
	} {
		if err := write(filepath.Join(dir, path), content); err != nil {
			return err
		}
	}
	return nil
}

// Monorepo writes a Cargo workspace of n maturin projects into dir: a root
// Cargo.toml with members = ["crates/*"] and a root Cargo.lock, and
// crates/pkg-NNNN/{pyproject.toml,Cargo.toml,src/lib.rs}. It returns the
// crate names.
func Monorepo(dir string, n int) ([]string, error) {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("pkg-%04d", i)
	}
	root := `[workspace]
members = ["crates/*"]
resolver = "2"

[workspace.package]
version = "0.1.0"
edition = "2021"

[workspace.dependencies]
pyo3 = { version = "0.25", features = ["extension-module"] }

[profile.release]
lto = true
`
	if err := write(filepath.Join(dir, "Cargo.toml"), root); err != nil {
		return nil, err
	}
	if err := write(filepath.Join(dir, "Cargo.lock"), Lock(names)); err != nil {
		return nil, err
	}
	for _, name := range names {
		cd := filepath.Join(dir, "crates", name)
		for path, content := range map[string]string{
			"pyproject.toml": Pyproject(name),
			"Cargo.toml":     CargoToml(name, true),
			"src/lib.rs":     LibRS(name),
		} {
			if err := write(filepath.Join(cd, path), content); err != nil {
				return nil, err
			}
		}
	}
	return names, nil
}
