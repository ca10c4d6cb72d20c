// Package facts holds what pyo3-ls knows about PyO3 releases and maturin's
// configuration, read from the projects' own sources (see each row's
// Source). Lint rules, hovers and completions take their numbers from here.
package facts

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

// PyO3 describes one PyO3 release range: the row applies from From up to
// (not including) the next row's From.
//
// Python versions are minors of 3.x. For CPython/PyPy/GraalPy the numbers
// are pyo3-ffi/build.rs SUPPORTED_VERSIONS_* (the enforced range). When
// HasMaxCheck is false (0.20.0–0.20.2) the build script only checks the
// minimum; the Max fields then give the newest version that release
// supported, and newer interpreters are not rejected by the build.
type PyO3 struct {
	From versions.Version // first version the row applies to

	CPythonMin, CPythonMax int
	// CPythonExperimental is max+1, which builds with a cargo warning
	// ("Using experimental support for the Python 3.X ABI … do not
	// distribute"); 0 when anything newer than max is an error.
	CPythonExperimental int
	HasMaxCheck         bool
	// 0 = unsupported.
	PyPyMin, PyPyMax       int
	GraalPyMin, GraalPyMax int

	// FreeThreaded lists the free-threaded CPython minors (3.13t, 3.14t, …)
	// the release builds for. Empty before 0.23.
	FreeThreaded []int
	// FreeThreadedError: the build refuses a free-threaded interpreter
	// (0.22.2–0.22.6, unless UNSAFE_PYO3_BUILD_FREE_THREADED=1).
	FreeThreadedError bool

	// GILUsedOption: #[pymodule(gil_used = …)] exists (0.23+).
	GILUsedOption bool
	// GILUsedDefault: a #[pymodule] without gil_used declares that it
	// needs the GIL (true up to 0.27; false from 0.28). Before 0.23 modules
	// declare nothing, which CPython treats as needing the GIL: true.
	GILUsedDefault bool
	// PymoduleNameOption: #[pymodule(name = "…")] works (0.22.2+);
	// #[pyo3(name = "…")] works in every row.
	PymoduleNameOption bool
	// DeclarativeModules: "no" (#[pymodule] on a mod is an error),
	// "feature" (needs the experimental-declarative-modules feature, 0.21),
	// "yes" (0.22+).
	DeclarativeModules string

	// Abi3Features: abi3, abi3-pyXY (and abi3t, abi3t-pyXY) feature names
	// of the pyo3 crate. Abi3MaxMinor is pyo3-build-config's ABI3_MAX_MINOR
	// / STABLE_ABI_MAX_MINOR: a host newer than that builds for abi3-py3MAX
	// (note 0.25 has an abi3-py314 feature but ABI3_MAX_MINOR 13).
	Abi3Features []string
	Abi3MaxMinor int
	// Abi3t: the abi3t / abi3t-py315 features (PEP 803, 3.15t+) exist.
	Abi3t bool
	// ExtensionModule: "required" (< 0.26: without the feature maturin
	// warns and libpython gets linked), "optional" (0.26–0.27: the
	// PYO3_BUILD_EXTENSION_MODULE environment variable, which maturin ≥
	// 1.9.4 sets, does the same), "deprecated" (0.28+: Cargo.toml marks
	// the feature deprecated).
	ExtensionModule string

	// Features is every feature name of the pyo3 crate, sorted: the
	// [features] table plus optional dependencies not hidden behind "dep:".
	Features []string

	// Source names the files and tag the row was read from.
	Source string

	// Extrapolated is set on the copy Lookup returns for a version in a
	// minor series newer than the newest row: the facts are the newest
	// known ones, not read from that release.
	Extrapolated bool
}

// HasFeature reports whether the pyo3 crate of this release defines the
// feature (e.g. "abi3-py313", "extension-module", "chrono").
func (p *PyO3) HasFeature(name string) bool {
	if p == nil {
		return false
	}
	i := sort.SearchStrings(p.Features, name)
	return i < len(p.Features) && p.Features[i] == name
}

// Abi3MinMinor is the lowest abi3-py3X floor the release offers (7, or 8
// from 0.29).
func (p *PyO3) Abi3MinMinor() int {
	lo := 0
	for _, f := range p.Abi3Features {
		if m, ok := strings.CutPrefix(f, "abi3-py3"); ok {
			if n, err := strconv.Atoi(m); err == nil && (lo == 0 || n < lo) {
				lo = n
			}
		}
	}
	return lo
}

// SupportsFreeThreaded reports whether the release builds for 3.<minor>t.
func (p *PyO3) SupportsFreeThreaded(minor int) bool {
	for _, m := range p.FreeThreaded {
		if m == minor {
			return true
		}
	}
	return false
}

// Lookup returns the row for PyO3 version v, compared by SemVer precedence
// (so 0.29.0-rc.1 falls in the 0.28 row, being older than 0.29.0). It
// returns nil below 0.20.0. For a version in a newer minor series than the
// newest row (0.30 and later, or 1.x) it returns a copy of the newest row
// with Extrapolated set; patch releases of the newest series (0.29.7) get
// the row itself.
func Lookup(v versions.Version) *PyO3 {
	var found *PyO3
	for i := range pyo3Rows {
		if pyo3Rows[i].From.ComparePrecedence(v) <= 0 {
			found = &pyo3Rows[i]
		}
	}
	if found == nil {
		return nil
	}
	last := &pyo3Rows[len(pyo3Rows)-1]
	if found == last && (v.Major != last.From.Major || v.Minor != last.From.Minor) {
		cp := *last
		cp.Extrapolated = true
		return &cp
	}
	return found
}

// Latest returns the newest row.
func Latest() *PyO3 { return &pyo3Rows[len(pyo3Rows)-1] }

// Rows returns all rows, oldest first. Callers must not modify them.
func Rows() []PyO3 { return pyo3Rows }

// NewestKnown is the newest PyO3 release the table was checked against.
var NewestKnown = versions.MustParseVersion("0.30.1")

func abi3(lo, hi int, extra ...string) []string {
	out := []string{"abi3"}
	for m := lo; m <= hi; m++ {
		out = append(out, "abi3-py3"+strconv.Itoa(m))
	}
	return append(out, extra...)
}

func ver(s string) versions.Version { return versions.MustParseVersion(s) }

func init() {
	for i := range pyo3Rows {
		r := &pyo3Rows[i]
		r.Features = pyo3Features[r.From.String()]
		sort.Strings(r.Features)
	}
}

// pyo3Rows: read from the tags of github.com/PyO3/pyo3 (every tag from
// v0.20.0 to v0.29.2 was checked; scripts/update-facts re-reads every
// release's crate sources up to 0.30.1 into generated.json, and
// generated_test.go holds the rows to it; a row starts where a value changes):
// pyo3-ffi/build.rs (SUPPORTED_VERSIONS_*, MIN_FREE_THREADED_VERSION,
// ensure_gil_enabled, the "experimental support" warning), Cargo.toml
// [features], pyo3-build-config/src/impl_.rs (ABI3_MAX_MINOR /
// STABLE_ABI_MAX_MINOR, PYO3_BUILD_EXTENSION_MODULE),
// pyo3-macros-backend/src/module.rs (gil_used default: map_or(true, …) up to
// 0.27, is_some_and(…) from 0.28) and pyo3-macros/src/lib.rs (which
// arguments #[pymodule] takes).
var pyo3Rows = []PyO3{
	{
		From: ver("0.20.0"), CPythonMin: 7, CPythonMax: 12, HasMaxCheck: false,
		PyPyMin: 7, PyPyMax: 10,
		GILUsedDefault: true, DeclarativeModules: "no",
		Abi3Features: abi3(7, 11), Abi3MaxMinor: 11, ExtensionModule: "required",
		Source: "pyo3-ffi/build.rs (MINIMUM_SUPPORTED_VERSION only, no maximum check), Cargo.toml, pyo3-build-config/src/impl_.rs at v0.20.0; max 3.12 from CHANGELOG 0.20.0 \"Support Python 3.12\", PyPy max from v0.20.3",
	},
	{
		From: ver("0.20.1"), CPythonMin: 7, CPythonMax: 12, HasMaxCheck: false,
		PyPyMin: 7, PyPyMax: 10,
		GILUsedDefault: true, DeclarativeModules: "no",
		Abi3Features: abi3(7, 12), Abi3MaxMinor: 12, ExtensionModule: "required",
		Source: "pyo3-ffi/build.rs (no maximum check), Cargo.toml (abi3-py312 added), pyo3-build-config/src/impl_.rs ABI3_MAX_MINOR=12 at v0.20.1; same at v0.20.2",
	},
	{
		From: ver("0.20.3"), CPythonMin: 7, CPythonMax: 12, HasMaxCheck: true,
		PyPyMin: 7, PyPyMax: 10,
		GILUsedDefault: true, DeclarativeModules: "no",
		Abi3Features: abi3(7, 12), Abi3MaxMinor: 12, ExtensionModule: "required",
		Source: "pyo3-ffi/build.rs SUPPORTED_VERSIONS_CPYTHON/PYPY (maximum check added), Cargo.toml at v0.20.3",
	},
	{
		From: ver("0.21.0"), CPythonMin: 7, CPythonMax: 12, HasMaxCheck: true,
		PyPyMin: 7, PyPyMax: 10, GraalPyMin: 10, GraalPyMax: 11,
		GILUsedDefault: true, DeclarativeModules: "feature",
		Abi3Features: abi3(7, 12), Abi3MaxMinor: 12, ExtensionModule: "required",
		Source: "pyo3-ffi/build.rs SUPPORTED_VERSIONS_* (GraalPy added), Cargo.toml (experimental-declarative-modules), pyo3-macros/src/lib.rs at v0.21.0; same through v0.21.2",
	},
	{
		From: ver("0.22.0"), CPythonMin: 7, CPythonMax: 13, HasMaxCheck: true,
		PyPyMin: 7, PyPyMax: 10, GraalPyMin: 10, GraalPyMax: 11,
		GILUsedDefault: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 12), Abi3MaxMinor: 12, ExtensionModule: "required",
		Source: "pyo3-ffi/build.rs SUPPORTED_VERSIONS_*, Cargo.toml, pyo3-macros/src/lib.rs (fn #[pymodule] takes no arguments) at v0.22.0; same at v0.22.1",
	},
	{
		From: ver("0.22.2"), CPythonMin: 7, CPythonMax: 13, HasMaxCheck: true,
		PyPyMin: 7, PyPyMax: 10, GraalPyMin: 10, GraalPyMax: 11,
		FreeThreadedError: true,
		GILUsedDefault:    true, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 12), Abi3MaxMinor: 12, ExtensionModule: "required",
		Source: "pyo3-ffi/build.rs ensure_gil_enabled (UNSAFE_PYO3_BUILD_FREE_THREADED), pyo3-macros/src/lib.rs (PyModuleOptions) at v0.22.2; same through v0.22.6",
	},
	{
		From: ver("0.23.0"), CPythonMin: 7, CPythonMax: 13, HasMaxCheck: true,
		PyPyMin: 9, PyPyMax: 10, GraalPyMin: 10, GraalPyMax: 11,
		FreeThreaded:  []int{13},
		GILUsedOption: true, GILUsedDefault: true, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 12), Abi3MaxMinor: 12, ExtensionModule: "required",
		Source: "pyo3-ffi/build.rs SUPPORTED_VERSIONS_* (PyPy 3.7/3.8 dropped, no ensure_gil_enabled), pyo3-macros-backend/src/module.rs (gil_used map_or(true)) at v0.23.0; same through v0.23.4",
	},
	{
		From: ver("0.23.5"), CPythonMin: 7, CPythonMax: 13, HasMaxCheck: true,
		PyPyMin: 9, PyPyMax: 11, GraalPyMin: 10, GraalPyMax: 11,
		FreeThreaded:  []int{13},
		GILUsedOption: true, GILUsedDefault: true, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 12), Abi3MaxMinor: 12, ExtensionModule: "required",
		Source: "pyo3-ffi/build.rs SUPPORTED_VERSIONS_PYPY (max 3.11) at v0.23.5",
	},
	{
		From: ver("0.24.0"), CPythonMin: 7, CPythonMax: 13, HasMaxCheck: true,
		PyPyMin: 9, PyPyMax: 11, GraalPyMin: 10, GraalPyMax: 11,
		FreeThreaded:  []int{13},
		GILUsedOption: true, GILUsedDefault: true, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 12), Abi3MaxMinor: 12, ExtensionModule: "required",
		Source: "pyo3-ffi/build.rs, Cargo.toml (jiff-02, uuid) at v0.24.0",
	},
	{
		From: ver("0.24.1"), CPythonMin: 7, CPythonMax: 13, HasMaxCheck: true,
		PyPyMin: 9, PyPyMax: 11, GraalPyMin: 10, GraalPyMax: 11,
		FreeThreaded:  []int{13},
		GILUsedOption: true, GILUsedDefault: true, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 13), Abi3MaxMinor: 13, ExtensionModule: "required",
		Source: "Cargo.toml (abi3-py313 added), pyo3-build-config/src/impl_.rs ABI3_MAX_MINOR=13 at v0.24.1; same at v0.24.2",
	},
	{
		From: ver("0.25.0"), CPythonMin: 7, CPythonMax: 14, HasMaxCheck: true,
		PyPyMin: 9, PyPyMax: 11, GraalPyMin: 10, GraalPyMax: 11,
		FreeThreaded:  []int{13, 14},
		GILUsedOption: true, GILUsedDefault: true, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 14), Abi3MaxMinor: 13, ExtensionModule: "required",
		Source: "pyo3-ffi/build.rs SUPPORTED_VERSIONS_CPYTHON (3.14), Cargo.toml (abi3-py314), pyo3-build-config/src/impl_.rs ABI3_MAX_MINOR=13 at v0.25.0",
	},
	{
		From: ver("0.25.1"), CPythonMin: 7, CPythonMax: 14, HasMaxCheck: true,
		PyPyMin: 9, PyPyMax: 11, GraalPyMin: 10, GraalPyMax: 11,
		FreeThreaded:  []int{13, 14},
		GILUsedOption: true, GILUsedDefault: true, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 14), Abi3MaxMinor: 13, ExtensionModule: "required",
		Source: "Cargo.toml (chrono-local feature added) at v0.25.1",
	},
	{
		From: ver("0.26.0"), CPythonMin: 7, CPythonMax: 14, HasMaxCheck: true,
		PyPyMin: 9, PyPyMax: 14, GraalPyMin: 10, GraalPyMax: 14,
		FreeThreaded:  []int{13, 14},
		GILUsedOption: true, GILUsedDefault: true, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 14), Abi3MaxMinor: 14, ExtensionModule: "optional",
		Source: "pyo3-ffi/build.rs (PyPy/GraalPy max = SUPPORTED_VERSIONS_CPYTHON.max), pyo3-build-config/src/impl_.rs (ABI3_MAX_MINOR=14, PYO3_BUILD_EXTENSION_MODULE) at v0.26.0",
	},
	{
		From: ver("0.27.0"), CPythonMin: 7, CPythonMax: 14, HasMaxCheck: true,
		PyPyMin: 11, PyPyMax: 14, GraalPyMin: 10, GraalPyMax: 14,
		FreeThreaded:  []int{13, 14},
		GILUsedOption: true, GILUsedDefault: true, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 14), Abi3MaxMinor: 14, ExtensionModule: "optional",
		Source: "pyo3-ffi/build.rs SUPPORTED_VERSIONS_PYPY (min 3.11), pyo3-macros-backend/src/module.rs (gil_used map_or(true)) at v0.27.0; same through v0.27.2",
	},
	{
		From: ver("0.28.0"), CPythonMin: 7, CPythonMax: 14, CPythonExperimental: 15, HasMaxCheck: true,
		PyPyMin: 11, PyPyMax: 14, GraalPyMin: 10, GraalPyMax: 14,
		FreeThreaded:  []int{13, 14},
		GILUsedOption: true, GILUsedDefault: false, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(7, 14), Abi3MaxMinor: 14, ExtensionModule: "deprecated",
		Source: "pyo3-ffi/build.rs (experimental max+1), Cargo.toml (extension-module deprecated), pyo3-macros-backend/src/module.rs (gil_used is_some_and) at v0.28.0; same through v0.28.3",
	},
	{
		From: ver("0.29.0"), CPythonMin: 8, CPythonMax: 15, CPythonExperimental: 16, HasMaxCheck: true,
		PyPyMin: 11, PyPyMax: 15, GraalPyMin: 10, GraalPyMax: 15,
		FreeThreaded:  []int{14, 15},
		GILUsedOption: true, GILUsedDefault: false, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(8, 15, "abi3t", "abi3t-py315"), Abi3MaxMinor: 15, Abi3t: true, ExtensionModule: "deprecated",
		Source: "pyo3-ffi/build.rs (SUPPORTED_VERSIONS_CPYTHON 3.8–3.15, MIN_FREE_THREADED_VERSION 3.14), Cargo.toml (abi3-py37 removed, abi3t added), pyo3-build-config/src/impl_.rs STABLE_ABI_MAX_MINOR=15 at v0.29.0; same through v0.29.3",
	},
	{
		From: ver("0.30.0"), CPythonMin: 9, CPythonMax: 15, CPythonExperimental: 16, HasMaxCheck: true,
		PyPyMin: 11, PyPyMax: 15, GraalPyMin: 10, GraalPyMax: 15,
		FreeThreaded:  []int{14, 15},
		GILUsedOption: true, GILUsedDefault: false, PymoduleNameOption: true, DeclarativeModules: "yes",
		Abi3Features: abi3(9, 15, "abi3t", "abi3t-py315"), Abi3MaxMinor: 15, Abi3t: true, ExtensionModule: "deprecated",
		Source: "pyo3-ffi-0.30.1/build.rs:39 (SUPPORTED_VERSIONS_CPYTHON min PY_3_9), pyo3-0.30.1/Cargo.toml.orig (abi3-py38 removed); 0.30.0 was never published, 0.30.1 is the first 0.30 release",
	},
}
