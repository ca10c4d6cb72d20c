package analysis

import (
	"fmt"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

// Family A: abi3 floor, requires-python and the Pythons the resolved PyO3 can build.

func init() {
	register(ruleA001, ruleA002, ruleA003, ruleA004)
}

var ruleA001 = &Rule{
	Code: "A001", Name: "abi3-floor-above-requires-python", Severity: Warning,
	Summary: "The abi3 floor is above the lowest Python requires-python admits",
	Doc: `What: an abi3-py3X feature sets the stable-ABI floor (the lowest one wins, as maturin takes the
minimum over pyo3-ffi's and pyo3's resolved features) above the lowest Python that
[project] requires-python admits. Reported at the feature.

Why: maturin tags the wheel cp3X-abi3, which pip installs only on Python >= 3.X. On the older
Pythons your metadata claims, pip finds no wheel and builds the sdist. There maturin only warns
"abi3 does not yet support CPython 3.W ... the build artifacts will be version-specific" and
builds a cp3W wheel compiled against the 3.X stable API, which fails at import when it uses
newer symbols. Ground truth (maturin 1.16, PyO3 0.27.2, abi3-py312, CPython 3.11): the build
succeeds, the cp311-cp311 wheel installs, and "import demo" fails with "undefined symbol:
PyErr_SetRaisedException". maturin has no check comparing the floor with requires-python.

Fix: lower the abi3 feature to abi3-py3W, or raise requires-python to >=3.X.

Versions: all PyO3 versions with abi3-py3X features (0.13+), maturin 1.x. Optional crate
features that nothing enables do not count.`,
	PyO3Facts: true,
	Run:       runA001,
}

// Abi3AboveRequiresPython is A001's condition, for the rule and the
// editor's hovers: the abi3-py3X floor is above the lowest Python 3 minor
// requires-python admits. It returns the abi3 setting and that minor.
func Abi3AboveRequiresPython(in *model.Project) (a Abi3, low int, ok bool) {
	a = in.Abi3()
	if !a.Enabled || a.Floor == 0 {
		return Abi3{}, 0, false
	}
	spec, ok := in.RequiresPython()
	if !ok {
		return Abi3{}, 0, false
	}
	low, ok = spec.LowestMinor(3)
	if !ok || low >= a.Floor {
		return Abi3{}, 0, false
	}
	return a, low, true
}

func runA001(p *Pass) {
	a, low, ok := Abi3AboveRequiresPython(p.Info().Project)
	if !ok {
		return
	}
	rp := p.Project.Pyproject.RequiresPython
	p.Report(Diagnostic{Location: a.Loc,
		Message: fmt.Sprintf("abi3 floor 3.%d is above requires-python %q, which admits 3.%d: the cp3%d-abi3 wheel does not install there, so pip builds the sdist; maturin then warns \"abi3 does not yet support CPython 3.%d\" and makes a version-specific wheel against the 3.%d API, which can fail at import (seen on 3.11 with abi3-py312: \"undefined symbol: PyErr_SetRaisedException\")", a.Floor, rp.Value, low, a.Floor, low, a.Floor),
		Related: []Related{{Location: Location{Path: p.Project.Pyproject.Path, Range: rp.Range}, Message: "requires-python is set here"}},
		Help:    fmt.Sprintf("use abi3-py3%d, or set requires-python = \">=3.%d\"", low, a.Floor)})
}

var ruleA002 = &Rule{
	Code: "A002", Name: "requires-python-below-pyo3", Severity: Warning,
	Summary: "requires-python admits a Python older than PyO3 supports",
	Doc: `What: [project] requires-python admits a CPython minor below the minimum of the resolved PyO3
version (3.7 up to PyO3 0.28, 3.8 for 0.29).

Why: pyo3-ffi's build script stops on such an interpreter: "the configured Python interpreter
version (3.W) is lower than PyO3's minimum supported version (3.X)". Users of the old Python get
the sdist and a failing build instead of a clear "requires Python >= 3.X" from pip.

Fix: raise requires-python to >=3.X (or use an older PyO3).

Quick fix: raise requires-python to the PyO3 minimum — unsafe (it changes the wheel's metadata).

Versions: PyO3 0.20–0.29 (facts table; pyo3-ffi/build.rs SUPPORTED_VERSIONS_CPYTHON).`,
	PyO3Facts: true,
	Run:       runA002,
}

// RequiresPythonBelowPyO3 is A002's condition, for the rule and the
// editor's hovers: requires-python admits a CPython minor below the resolved
// PyO3's minimum. It returns the version and the lowest admitted minor.
func RequiresPythonBelowPyO3(in *model.Project) (v *PyO3Version, low int, ok bool) {
	v = in.PyO3Version()
	spec, ok := in.RequiresPython()
	if v == nil || !ok {
		return nil, 0, false
	}
	low, ok = spec.LowestMinor(3)
	if !ok || low >= v.Facts.CPythonMin {
		return nil, 0, false
	}
	return v, low, true
}

func runA002(p *Pass) {
	v, low, ok := RequiresPythonBelowPyO3(p.Info().Project)
	if !ok {
		return
	}
	rp := p.Project.Pyproject.RequiresPython
	p.Report(Diagnostic{Location: Location{Path: p.Project.Pyproject.Path, Range: rp.Range},
		Message: fmt.Sprintf("requires-python %q admits Python 3.%d, but %s supports CPython 3.%d and newer: building there fails (\"lower than PyO3's minimum supported version\")", rp.Value, low, v.Describe(), v.Facts.CPythonMin),
		Help:    fmt.Sprintf("set requires-python = \">=3.%d\"", v.Facts.CPythonMin),
		Fixes:   []Fix{{Title: fmt.Sprintf("Require Python >=3.%d", v.Facts.CPythonMin), Edits: []Edit{{Location: Location{Path: p.Project.Pyproject.Path, Range: rp.Range}, NewText: fmt.Sprintf("\">=3.%d\"", v.Facts.CPythonMin)}}}}})
}

var ruleA003 = &Rule{
	Code: "A003", Name: "python-above-pyo3", Severity: Warning,
	Summary: "A Python version classifier above what PyO3 supports",
	Doc: `What: a "Programming Language :: Python :: 3.X" classifier names a CPython newer than the
resolved PyO3's maximum, and the project does not build abi3 wheels.

Why: pyo3-ffi's build script stops for interpreters above its maximum: "the configured Python
interpreter version (3.X) is newer than PyO3's maximum supported version (3.Y)" — the wheel for
the Python you advertise cannot be built. PyO3 0.28+ accept max+1 with an "experimental"
warning, so that version is not reported. abi3 wheels are exempt: one cp3Y-abi3 wheel serves
newer Pythons.

Fix: update PyO3, or drop the classifier.

Versions: PyO3 0.20.3+ (the maximum check), facts table.`,
	PyO3Facts: true,
	Run:       runA003,
}

func runA003(p *Pass) {
	in := p.Info()
	v := in.PyO3Version()
	pp := p.Project.Pyproject
	if v == nil || pp == nil || in.Abi3().Enabled || !v.Facts.HasMaxCheck {
		return
	}
	for _, c := range pp.Classifiers {
		rest, ok := strings.CutPrefix(c.Value, "Programming Language :: Python :: 3.")
		if !ok {
			continue
		}
		minor := 0
		n, err := fmt.Sscanf(rest, "%d", &minor)
		if n != 1 || err != nil || fmt.Sprint(minor) != strings.TrimSpace(rest) {
			continue
		}
		if minor > v.Facts.CPythonMax && minor != v.Facts.CPythonExperimental {
			p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: c.Range},
				Message: fmt.Sprintf("classifier claims Python 3.%d, but %s supports CPython up to 3.%d: the build for 3.%d fails (\"newer than PyO3's maximum supported version\")", minor, v.Describe(), v.Facts.CPythonMax, minor),
				Help:    "update PyO3 or remove the classifier"})
		}
	}
}

var ruleA004 = &Rule{
	Code: "A004", Name: "abi3-feature-unknown", Severity: Error,
	Summary: "An abi3 feature the resolved PyO3 does not have",
	Doc: `What: an abi3-py3X (or abi3t) feature of pyo3/pyo3-ffi that the resolved PyO3 version does not
define: abi3-py37 was removed in 0.29; abi3-py313 arrived in 0.24.1, abi3-py314 in 0.25,
abi3-py315/abi3t in 0.29.

Why: cargo cannot resolve the dependency: "package ` + "`demo`" + ` depends on ` + "`pyo3`" + ` with feature
` + "`abi3-py37`" + ` but ` + "`pyo3`" + ` does not have that feature."

Fix: use a feature the version has (the message lists the range), or change the PyO3 version.

Without a Cargo.lock every non-yanked release the requirement admits is a candidate, as in
cargo's resolver (which backtracks to an older release that has the feature): "0.24" with
abi3-py313 resolves to 0.24.2 and is fine. For a PyO3 newer than the facts table, features
above the newest known abi3 floor are not reported (that release may have added them).

Versions: PyO3 0.20–0.30 feature lists (facts table, from each release's Cargo.toml).`,
	PyO3Facts: true,
	Run:       runA004,
}

func runA004(p *Pass) {
	in := p.Info()
	v := in.PyO3Version()
	if v == nil {
		return
	}
	// Without a Cargo.lock cargo's resolver backtracks from the newest
	// matching release to an older one that has every requested feature.
	var candidates []versions.Version
	if !v.FromLock && !v.Beyond && in.PyO3.Version != nil {
		if req, err := versions.ParseReq(in.PyO3.Version.Value); err == nil {
			candidates = facts.MatchingReleases(req)
		}
	}
	newest := facts.Latest()
features:
	for _, f := range in.PyO3Features() {
		if !strings.HasPrefix(f.Feature, "abi3") || v.Facts.HasFeature(f.Feature) {
			continue
		}
		for _, c := range candidates {
			if facts.Lookup(c).HasFeature(f.Feature) {
				continue features
			}
		}
		if m, ok := model.Abi3Minor(f.Feature); v.NewerThanFacts() && (!ok || m > newest.Abi3MaxMinor || strings.HasPrefix(f.Feature, "abi3t")) {
			continue // a release newer than the table may have added it
		}
		var have []string
		for _, x := range v.Facts.Abi3Features {
			if x != "abi3" {
				have = append(have, x)
			}
		}
		rng := ""
		if len(have) > 0 {
			rng = fmt.Sprintf(" (it has %s … %s)", have[0], have[len(have)-1])
		}
		p.Report(Diagnostic{Location: f.Loc,
			Message: fmt.Sprintf("%s has no feature %q%s: cargo fails with \"does not have that feature\"", v.Describe(), f.Feature, rng)})
	}
}
