package analysis

import (
	"fmt"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/cargo"
	"github.com/pyo3-ls/pyo3-ls/internal/model"
)

// Family C: wheel compatibility tags and target Pythons.

func init() {
	register(ruleC001, ruleC002, ruleC003, ruleC004)
}

var ruleC001 = &Rule{
	Code: "C001", Name: "bin-instead-of-extension", Severity: Warning,
	Summary: "A pyo3 crate without cdylib but with a binary: maturin packages the binary",
	Doc: `What: the crate depends on pyo3, its [lib] crate-type has no "cdylib", and it has a binary
target ([[bin]] or src/main.rs) next to its library, and bindings are not set explicitly. A
crate with no library at all is a binary on purpose (e.g. embedding Python with
auto-initialize) and is not reported.

Why: maturin's bridge detection (bridge/detection.rs) picks the "bin" bridge when the crate types
contain bin but not cdylib: the wheel ships the executable, not an importable extension, and
"import demo" fails.

Fix: add "cdylib" to [lib] crate-type (crate-type = ["cdylib", "rlib"] keeps the library usable
from the binary and tests). If a binary is what you want, set bindings = "bin".

Versions: maturin 1.x.`,
	PyO3Facts: true,
	Run:       runC001,
}

func runC001(p *Pass) {
	in := p.Info()
	pr := p.Project
	m := pr.Manifest
	if m == nil || in.PyO3 == nil || in.BindingsExplicit || m.HasCrateType("cdylib") || !pr.HasLib || !model.HasBinTarget(pr) {
		return
	}
	loc := Location{Path: pr.ManifestFile.Path, Range: in.PyO3.Dep.KeyRange}
	if m.Lib != nil {
		if ct := m.Lib.Value.Get("crate-type"); ct != nil {
			loc.Range = ct.Value.Range
		}
	}
	p.Report(Diagnostic{Location: loc,
		Message: "no \"cdylib\" in [lib] crate-type but a binary target: maturin uses the bin bridge and packages the executable, not a Python extension",
		Help:    "set crate-type = [\"cdylib\", \"rlib\"] in [lib], or bindings = \"bin\" if a binary is intended"})
}

var ruleC002 = &Rule{
	Code: "C002", Name: "unknown-feature", Severity: Error,
	Summary: "A [tool.maturin] feature the crate does not define",
	Doc: `What: an entry of [tool.maturin] features names a feature the crate does not have: not in its
[features] table and not an optional dependency, or "dep/feature" for a dependency the crate does
not declare, or a pyo3 feature that the resolved PyO3 version does not define.

Why: maturin passes the features to cargo, which stops: "the package 'demo' does not contain this
feature: x" (or "does not have the feature").

Fix: define the feature in Cargo.toml [features], or fix the name (the message suggests the
nearest).

Quick fix: replace the unknown feature with the nearest known one — unsafe (a guess).

Versions: Cargo feature resolution; PyO3 feature lists from the facts table.`,
	PyO3Facts: true,
	Run:       runC002,
}

func runC002(p *Pass) {
	in := p.Info()
	pr := p.Project
	pp := pr.Pyproject
	m := pr.Manifest
	if pp == nil || m == nil || virtualManifest(pr) {
		return // a virtual manifest has no features to check: M005 reports it
	}
	for _, f := range pp.Features {
		name := f.Name.Value
		loc := Location{Path: pp.Path, Range: f.Name.Range}
		dep, feat, slash := strings.Cut(name, "/")
		if !slash {
			if m.Features[name] != nil {
				continue
			}
			if d := m.DepByKey(name); d != nil && d.Optional {
				continue
			}
			var names []string
			for k := range m.Features {
				names = append(names, k)
			}
			d := Diagnostic{Location: loc, Message: fmt.Sprintf("the crate has no feature %q: cargo fails (\"does not contain this feature\")", name)}
			if best := nearest(name, names); best != "" {
				d.Help = fmt.Sprintf("did you mean %q?", best)
				d.Fixes = []Fix{{Title: fmt.Sprintf("Replace with %q", best), Edits: []Edit{{Location: loc, NewText: quoteTOML(best)}}}}
			}
			p.Report(d)
			continue
		}
		dep = strings.TrimSuffix(dep, "?")
		var found *cargo.Dep
		for i := range m.Deps {
			if m.Deps[i].Key == dep && m.Deps[i].Kind != cargo.Dev {
				found = &m.Deps[i]
			}
		}
		if found == nil {
			p.Report(Diagnostic{Location: loc, Message: fmt.Sprintf("%q: the crate has no dependency %q, so cargo cannot enable its feature", name, dep)})
			continue
		}
		if in.PyO3 != nil && found.Key == in.PyO3.Dep.Key && !strings.HasPrefix(feat, "abi3") {
			if v := in.PyO3Version(); v != nil && !v.Facts.Extrapolated && len(v.Facts.Features) > 0 && !v.Facts.HasFeature(feat) {
				d := Diagnostic{Location: loc, Message: fmt.Sprintf("%s has no feature %q: cargo fails (\"does not have that feature\")", v.Describe(), feat)}
				if best := nearest(feat, v.Facts.Features); best != "" {
					d.Help = fmt.Sprintf("did you mean %q?", dep+"/"+best)
				}
				p.Report(d)
			}
		}
	}
}

var ruleC003 = &Rule{
	Code: "C003", Name: "extension-module-feature", Severity: Warning,
	Summary: "pyo3's extension-module feature missing (PyO3 < 0.26) or deprecated (0.28+)",
	Doc: `What: PyO3 older than 0.26 without the extension-module feature enabled anywhere (the pyo3
dependency, [tool.maturin] features, or a default crate feature forwarding pyo3/extension-module)
— a warning; on PyO3 0.28+ the feature is deprecated — a hint to drop it.

Why: without extension-module, PyO3 < 0.26 links libpython into the extension, which breaks on
interpreters built statically (manylinux, python.org macOS builds); maturin warns "You're
building a library without activating pyo3's extension-module feature". With a shared libpython
on Linux the default auditwheel repair then fails the build: "Your library links libpython
(libpython3.11.so.1.0), which libraries must not do. Have you forgotten to activate the
extension-module feature?" (ground truth, maturin 1.16, CPython 3.11 with --enable-shared). From
0.26 maturin >= 1.9.4 sets PYO3_BUILD_EXTENSION_MODULE instead, and 0.28 deprecates the feature
(it also breaks cargo test).

Fix: < 0.26: pyo3 = { version = "...", features = ["extension-module"] }. 0.28+: remove it and
require maturin>=1.9.4.

Versions: PyO3 < 0.26 (warning), 0.28+ (hint); maturin's check in bridge/detection.rs.`,
	PyO3Facts: true,
	Run:       runC003,
}

func runC003(p *Pass) {
	in := p.Info()
	v := in.PyO3Version()
	if v == nil || in.PyO3 == nil || in.PyO3.Package != "pyo3" || in.Bindings != "pyo3" {
		return
	}
	var em *FeatureUse
	for _, f := range in.PyO3Features() {
		if f.Feature == "extension-module" {
			f := f
			em = &f
			break
		}
	}
	switch v.Facts.ExtensionModule {
	case "required":
		if em != nil {
			return
		}
		p.Report(Diagnostic{Location: Location{Path: in.PyO3.Manifest.Path, Range: in.PyO3.Dep.KeyRange},
			Message: fmt.Sprintf("%s without the extension-module feature: maturin warns \"You're building a library without activating pyo3's `extension-module` feature\" and links libpython; on Linux with a shared libpython auditwheel then refuses the wheel (\"Your library links libpython ... which libraries must not do\")", v.Describe()),
			Help:    "enable it: pyo3 = { version = \"...\", features = [\"extension-module\"] }"})
	case "deprecated":
		if em == nil {
			return
		}
		p.Report(Diagnostic{Location: em.Loc, Severity: Hint,
			Message: fmt.Sprintf("the extension-module feature is deprecated in %s: maturin >= 1.9.4 sets PYO3_BUILD_EXTENSION_MODULE instead", v.Describe()),
			Help:    "remove the feature and require maturin>=1.9.4"})
	}
}

var ruleC004 = &Rule{
	Code: "C004", Name: "multiple-pyo3-versions", Severity: Error,
	Summary: "Cargo.lock resolves more than one pyo3 version for the crate",
	Doc: `What: the crate's part of Cargo.lock holds more than one version of pyo3 (or of pyo3-ffi).
Reported at each [[package]] entry the crate does not depend on directly.

Why: maturin stops: "multiple versions of ` + "`pyo3`" + ` remain in the dependency graph after feature
resolution; maturin cannot determine a single bindings version" (bridge/detection.rs). In
practice cargo refuses first — two pyo3 versions bring two pyo3-ffi, which both declare
links = "python" ("failed to select a version for pyo3-ffi") — so such a Cargo.lock is stale or
edited by hand, and any build re-resolves and fails.

Fix: align the dependencies so one pyo3 version remains (update the crate that pins the old one).

Versions: maturin 1.x.`,
	PyO3Facts: true,
	Run:       runC004,
}

func runC004(p *Pass) {
	pr := p.Project
	if pr.Lock == nil || pr.Manifest == nil || pr.Manifest.Name == nil {
		return
	}
	reach := p.Info().Reachable()
	direct := map[string]bool{}
	for _, lp := range reach {
		if lp.Name == pr.Manifest.Name.Value && lp.Source == "" {
			for _, d := range lp.Deps {
				direct[d] = true
			}
		}
	}
	for _, name := range []string{"pyo3", "pyo3-ffi"} {
		var vs []string
		for _, lp := range reach {
			if lp.Name == name {
				vs = append(vs, lp.Version)
			}
		}
		if len(vs) < 2 {
			continue
		}
		for _, lp := range reach {
			if lp.Name != name || direct[name+" "+lp.Version] || (direct[name] && len(vs) == 1) {
				continue
			}
			p.Report(Diagnostic{Location: Location{Path: pr.LockFile.Path, Range: lp.Range},
				Message: fmt.Sprintf("Cargo.lock has %s %s besides %s: maturin stops (\"multiple versions of `%s` remain in the dependency graph\")", name, lp.Version, strings.Join(others(vs, lp.Version), ", "), name),
				Help:    "update the dependency that pins this version so only one remains"})
		}
		return // maturin reports the first binding crate it finds
	}
}

func others(vs []string, v string) []string {
	var out []string
	for _, x := range vs {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
