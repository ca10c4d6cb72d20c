// Package rustsrc is a small scanner (not a Rust parser) that finds what
// pyo3-ls needs in Rust sources: #[pymodule] items with their name options,
// hand-written PyInit_ functions, `mod x;` declarations to follow, glob
// re-exports, and `//` comments (for suppressions). It skips comments (nested
// block comments too), strings, raw strings, byte strings and char literals,
// and never hangs or panics on any input.
package rustsrc

import "github.com/pyo3-ls/pyo3-ls/internal/span"

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
	IdentRange Range  // the identifier after fn/mod
	AttrRange  Range  // the whole #[pymodule(...)] attribute, from '#' to ']'

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
	// Nested is true when the item sits inside another #[pymodule] mod (PyO3 >= 0.23 treats it as a submodule).
	Nested bool
	// Cfg is true when the item carries a #[cfg(...)] attribute (it may be compiled out).
	Cfg bool
	// Parent is the index in File.Modules of the enclosing #[pymodule] mod, or -1.
	Parent int
}

// PyInitFn is a hand-written `PyInit_<name>` function (pyo3-ffi projects).
type PyInitFn struct {
	Name  string // the part after PyInit_
	Range Range  // the identifier PyInit_<name>
}

// ModDecl is an out-of-line module declaration `mod name;`.
type ModDecl struct {
	Name  string
	Range Range
	Path  string // from #[path = "..."], if any
	Cfg   bool
}

// GlobUse is `pub use some_crate::*;` or `pub use path::*;` at any level.
type GlobUse struct {
	Path  string // e.g. "other_crate" or "crate::inner"
	Range Range
}

// LineComment is a `//` comment (not doc comments `///`, `//!`).
type LineComment struct {
	Range Range  // from the first '/' to the end of line (excluding newline)
	Text  string // without the leading "//"
}

// File is what the scanner found in one Rust source file.
type File struct {
	Modules  []Module
	PyInits  []PyInitFn
	ModDecls []ModDecl
	GlobUses []GlobUse
	Comments []LineComment
}
