// Package rustsrc is a small scanner (not a Rust parser) that finds what
// pyo3-ls needs in Rust sources: #[pymodule] items with their name options,
// hand-written PyInit_ functions, `mod x;` declarations to follow, glob
// re-exports, and `//` comments (for suppressions). It skips comments (nested
// block comments too), strings, raw strings, byte strings and char literals,
// and never hangs or panics on any input.
package rustsrc

import (
	"sync"

	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// Range is a byte range in the source.
type Range = span.Range

// ItemKind is the kind of item a #[pymodule] is attached to.
type ItemKind uint8

const (
	FnItem  ItemKind = iota + 1 // #[pymodule] fn name(...)
	ModItem                     // #[pymodule] mod name { ... }
)

// Module is one #[pymodule] (or #[pyo3::pymodule]) item.
type Module struct {
	Kind       ItemKind
	Ident      string // the Rust identifier, with any r# prefix removed
	IdentRange Range  // the identifier after fn/mod (r# included if written)
	AttrRange  Range  // the whole #[pymodule(...)] attribute, from '#' to ']' (the #[cfg_attr(...)] for a conditional one)

	// Name is the name PyO3 exports (PyInit_<Name>): the name option if set, else Ident.
	Name string
	// NameRange is the range of the name option's string literal (including quotes), zero if unset.
	NameRange Range
	// NameSource is "pymodule" for #[pymodule(name = "...")], "pyo3" for #[pyo3(name = "...")], "" if unset.
	NameSource string
	// NameCfg is true when a name is set only under cfg_attr(...): the exported name depends on features.
	NameCfg bool
	// CfgNames holds the names set under cfg_attr, when NameCfg.
	CfgNames []string

	// GILUsed is the value of gil_used = true/false if given (from #[pymodule(...)] or #[pyo3(...)]).
	GILUsed      *bool
	GILUsedRange Range // the `gil_used = ...` option text, zero if unset

	// Submodule is true for an explicit `submodule` option.
	Submodule bool
	// Nested is true when the item is a `mod` directly inside another #[pymodule] mod's body
	// (PyO3 >= 0.23 treats it as a submodule). A `#[pymodule] fn` there is not Nested
	// (PyO3 does not collect it; it still exports PyInit_), but its Parent is set.
	Nested bool
	// Cfg is true when the item carries a #[cfg(...)] attribute (it may be compiled out),
	// or is a #[pymodule] only under #[cfg_attr(..., pymodule)].
	Cfg bool
	// CfgPredicates are the source texts of the conditions the item depends
	// on: each #[cfg(PRED)] on it, and PRED of #[cfg_attr(PRED, pymodule)]
	// when that is its only #[pymodule]. nil when unconditional.
	CfgPredicates []string
	// Parent is the index in File.Modules of the #[pymodule] mod whose body directly
	// contains this item, or -1.
	Parent int
}

// PyInitFn is a hand-written `PyInit_<name>` function (pyo3-ffi projects).
type PyInitFn struct {
	Name  string // the part after PyInit_
	Range Range  // the identifier PyInit_<name> (r# included if written), or the contents of #[export_name = "PyInit_<name>"]
	// NoMangle is true when the function carries #[no_mangle], #[unsafe(no_mangle)]
	// or #[export_name = ...] (possibly under cfg_attr): only then is the symbol exported unmangled.
	NoMangle bool
}

// ModDecl is an out-of-line module declaration `mod name;`.
type ModDecl struct {
	Name  string // without any r# prefix
	Range Range  // the module identifier
	Path  string // from #[path = "..."], if any
	Cfg   bool   // a #[cfg(...)] attribute is present
	// CfgPredicates are the source texts of its #[cfg(PRED)] predicates.
	CfgPredicates []string
	// Within is the path of the enclosing inline modules ("a" or "a::b" for
	// `mod a { mod b { mod name; } }`), "" at file level. Rust looks for the
	// file under that directory. Declarations nested in more than 128 inline
	// modules are not reported.
	Within string
}

// GlobUse is `pub use some_crate::*;` or `pub use path::*;` at any level.
type GlobUse struct {
	Path  string // e.g. "other_crate" or "crate::inner" (a leading "::" is kept)
	Range Range  // the whole item, from `pub` to the ';' (or the '*' when ';' is missing)
}

// LineComment is a `//` comment (not doc comments `///`, `//!`).
// Its text is src[Range.Start+2:Range.End]; only suppression directives read
// it, so the scanner does not copy it.
type LineComment struct {
	Range Range // from the first '/' to the end of line (excluding the newline and a '\r' before it)
}

// File is what the scanner found in one Rust source file.
type File struct {
	Modules  []Module
	PyInits  []PyInitFn
	ModDecls []ModDecl
	GlobUses []GlobUse
	Comments []LineComment

	src    []byte
	pyOnce sync.Once
	py     *Py
}

// PyItems returns what the file makes visible to Python (pyitems.go),
// scanned on first use: only the boundary features need it.
func (f *File) PyItems() *Py {
	f.pyOnce.Do(func() { f.py = ScanPy(f.src) })
	return f.py
}
