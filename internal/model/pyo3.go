package model

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

// PyO3Version is the PyO3 version rules reason about, and how it was found.
type PyO3Version struct {
	Version  versions.Version
	FromLock bool
	Req      string // the Cargo requirement, when the version is assumed from it
	// Beyond: no release the table knows matches the requirement, so Version
	// is the requirement's own lowest version (newer than the table).
	Beyond bool
	// Backtracked: the newest matching release lacks a requested feature, so
	// (like cargo) the newest older one that has them all is assumed.
	Backtracked bool
	Facts       *facts.PyO3
}

// Describe says which version and where it came from, for messages; for a
// version newer than the facts table it says which facts are used.
func (v *PyO3Version) Describe() string {
	s := v.DescribeSource()
	if v.NewerThanFacts() {
		s = strings.TrimSuffix(s, ")") + fmt.Sprintf("; newer than pyo3-ls's facts, so %s's are used)", facts.NewestKnown)
	}
	return s
}

// DescribeSource says which version and where it came from, for messages.
func (v *PyO3Version) DescribeSource() string {
	var s string
	switch {
	case v.FromLock:
		s = fmt.Sprintf("PyO3 %s (from Cargo.lock)", v.Version)
	case v.Beyond:
		s = fmt.Sprintf("PyO3 %s (the lowest version %q admits; no Cargo.lock)", v.Version, v.Req)
	case v.Backtracked:
		s = fmt.Sprintf("PyO3 %s (assumed: the newest release matching %q that has the requested features; a Cargo.lock would pin it)", v.Version, v.Req)
	default:
		s = fmt.Sprintf("PyO3 %s (assumed: the newest release matching %q; a Cargo.lock would pin it)", v.Version, v.Req)
	}
	return s
}

// NewerThanFacts reports whether the version is newer than every release
// the facts table was read from (facts.NewestKnown).
func (v *PyO3Version) NewerThanFacts() bool {
	return v != nil && facts.NewestKnown.ComparePrecedence(v.Version) < 0
}

// PyO3Version resolves the pyo3 (or pyo3-ffi) version: the workspace's
// Cargo.lock when it has one entry reachable from the crate, else the newest
// known non-yanked release the requirement admits, as cargo would pick. nil when unknown (path or git dependency
// without a lock, unparsable requirement, or no pyo3 at all).
func (in *Project) PyO3Version() *PyO3Version {
	in.versionOnce.Do(func() { in.version = in.resolveVersion() })
	return in.version
}

func (in *Project) resolveVersion() *PyO3Version {
	py := in.PyO3
	if py == nil {
		return nil
	}
	var req *versions.Req
	if py.Version != nil {
		if r, err := versions.ParseReq(py.Version.Value); err == nil {
			req = &r
		}
	}
	p := in.Snapshot
	if p.Lock != nil && p.Manifest != nil && p.Manifest.Name != nil {
		var found []versions.Version
		for _, lp := range in.Reachable() {
			if lp.Name != py.Package {
				continue
			}
			if v, err := versions.ParseVersion(lp.Version); err == nil && (req == nil || req.Matches(v)) {
				found = append(found, v)
			}
		}
		if len(found) > 0 {
			best := found[0]
			for _, v := range found[1:] {
				if v.Less(best) {
					best = v
				}
			}
			return withFacts(&PyO3Version{Version: best, FromLock: true})
		}
	}
	if req == nil || py.Path || py.Git {
		return nil
	}
	// Without a lock cargo resolves the newest non-yanked release the
	// requirement admits ("0.24" → 0.24.2, "0.22" → 0.22.6); a requirement
	// newer than the table falls back to its own lowest version.
	// cargo's resolver backtracks from a release that lacks a requested
	// feature to an older one that has it (">=0.28" with abi3-py37 → 0.28.3).
	if v, ok := facts.NewestRelease(*req); ok {
		cands := facts.MatchingReleases(*req)
		for i := len(cands) - 1; i >= 0; i-- {
			row := facts.Lookup(cands[i])
			all := row != nil
			for _, f := range in.PyO3Features() {
				all = all && (f.Cond || row.HasFeature(f.Feature))
			}
			if all {
				return withFacts(&PyO3Version{Version: cands[i], Req: py.Version.Value, Backtracked: cands[i].Compare(v) != 0})
			}
		}
		return withFacts(&PyO3Version{Version: v, Req: py.Version.Value})
	}
	low, ok := req.Lowest()
	if !ok {
		return nil
	}
	return withFacts(&PyO3Version{Version: low, Req: py.Version.Value, Beyond: true})
}

func withFacts(v *PyO3Version) *PyO3Version {
	v.Facts = facts.Lookup(v.Version)
	if v.Facts == nil {
		return nil
	}
	return v
}

// FeatureUse is a feature of pyo3/pyo3-ffi switched on somewhere maturin sees it.
type FeatureUse struct {
	Feature string   // the pyo3 feature name, e.g. "abi3-py39"
	Loc     Location // where it is written
	Via     string   // "" direct; else the crate feature or [tool.maturin] entry that forwards it
	Cond    bool     // from a conditional [tool.maturin] features entry
}

// PyO3Features returns every pyo3/pyo3-ffi feature enabled for a maturin
// build: the dependency's features (workspace-inherited too), [tool.maturin]
// features written "pyo3/x" (plain and conditional), and crate features that
// forward "pyo3/x" when enabled by default or by [tool.maturin] features.
// Optional crate features nobody enables do not count.
func (in *Project) PyO3Features() []FeatureUse {
	in.featOnce.Do(func() { in.features = in.collectFeatures() })
	return in.features
}

func (in *Project) collectFeatures() []FeatureUse {
	py := in.PyO3
	if py == nil {
		return nil
	}
	var out []FeatureUse
	for _, f := range py.Features {
		out = append(out, FeatureUse{Feature: f.Name, Loc: f.Loc})
	}
	in.WalkBuildFeatures(nil, func(dep, feat string, loc Location, via string, cond bool) {
		if dep == py.Dep.Key {
			out = append(out, FeatureUse{Feature: feat, Loc: loc, Via: via, Cond: cond})
		}
	})
	return out
}

// WalkBuildFeatures follows the features a maturin build asks cargo for:
// [tool.maturin] features (plain and conditional), then `default` unless
// no-default-features, expanded through the crate's [features] graph, each
// crate feature once. onCrate (may be nil) gets every enabled crate feature
// (an optional dependency named by "dep:x" counts as feature x); onDep gets
// every "dep/feat" forward with where it is written, the root that enabled
// it ("default", a [tool.maturin] entry) and whether that root is conditional.
func (in *Project) WalkBuildFeatures(onCrate func(name string), onDep func(dep, feat string, loc Location, via string, cond bool)) {
	p := in.Snapshot
	m := p.Manifest
	if m == nil {
		return
	}
	seen := map[string]bool{}
	var expand func(name, via string, cond bool)
	expand = func(name, via string, cond bool) {
		if seen[name] {
			return
		}
		seen[name] = true
		if onCrate != nil {
			onCrate(name)
		}
		cf := m.Features[name]
		if cf == nil {
			return
		}
		for _, en := range cf.Enables {
			if dep, feat, ok := strings.Cut(en.Value, "/"); ok {
				onDep(strings.TrimSuffix(dep, "?"), feat, Location{Path: p.ManifestFile.Path, Range: en.Range}, via, cond)
				continue
			}
			expand(strings.TrimPrefix(en.Value, "dep:"), via, cond)
		}
	}
	noDefault := false
	if pp := p.Pyproject; pp != nil && pp.Maturin != nil {
		noDefault, _ = boolKey(pp.Maturin.Value, "no-default-features")
		for _, f := range pp.Features {
			name := f.Name.Value
			if dep, feat, ok := strings.Cut(name, "/"); ok {
				onDep(strings.TrimSuffix(dep, "?"), feat, Location{Path: pp.Path, Range: f.Name.Range}, "[tool.maturin] features", f.Conditional())
				continue
			}
			expand(name, name, f.Conditional())
		}
	}
	if !noDefault {
		expand("default", "default", false)
	}
}

// Abi3 is the stable-ABI setting maturin detects.
type Abi3 struct {
	Enabled bool
	Floor   int // the minor of the lowest abi3-py3X feature; 0 for bare "abi3" (the building interpreter)
	Loc     Location
}

// Abi3 returns the abi3 floor: the lowest abi3-pyXY wins, as in maturin.
func (in *Project) Abi3() Abi3 {
	var a Abi3
	for _, f := range in.PyO3Features() {
		minor, ok := Abi3Minor(f.Feature)
		switch {
		case ok && (!a.Enabled || a.Floor == 0 || minor < a.Floor):
			a = Abi3{Enabled: true, Floor: minor, Loc: f.Loc}
		case f.Feature == "abi3" && !a.Enabled:
			a = Abi3{Enabled: true, Loc: f.Loc}
		}
	}
	return a
}

// Abi3Minor parses "abi3-py39" → 9, "abi3-py310" → 10.
func Abi3Minor(feature string) (int, bool) {
	rest, ok := strings.CutPrefix(feature, "abi3-py3")
	if !ok || rest == "" {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil
}

// RequiresPython parses [project] requires-python.
func (in *Project) RequiresPython() (versions.Specifiers, bool) {
	pp := in.Snapshot.Pyproject
	if pp == nil || pp.RequiresPython == nil {
		return nil, false
	}
	s, err := versions.ParseSpecifiers(pp.RequiresPython.Value)
	if err != nil {
		return nil, false
	}
	return s, true
}

// OptionalPyO3Off reports whether pyo3 is an optional dependency that no
// feature of a plain maturin build turns on: not default, not [tool.maturin]
// features (plain or conditional), not all-features, and no "pyo3/x"
// forward from an enabled feature (a "pyo3?/x" forward counts too, to stay
// on the safe side).
func (in *Project) OptionalPyO3Off() bool {
	py := in.PyO3
	if py == nil || py.Dep == nil || !py.Dep.Optional {
		return false
	}
	if pp := in.Snapshot.Pyproject; pp != nil && pp.Maturin != nil {
		if all, _ := boolKey(pp.Maturin.Value, "all-features"); all {
			return false
		}
	}
	on := false
	in.WalkBuildFeatures(func(name string) {
		if name == py.Dep.Key {
			on = true
		}
	}, func(dep, feat string, loc Location, via string, cond bool) {
		if dep == py.Dep.Key {
			on = true
		}
	})
	return !on
}

// PlainBuildFeatures returns the crate features a plain maturin build
// enables (WalkBuildFeatures: default and [tool.maturin] features; conditional
// entries count as enabled), and false when that is not known (all-features).
func (in *Project) PlainBuildFeatures() (map[string]bool, bool) {
	if in.Snapshot.Manifest == nil {
		return nil, false
	}
	if pp := in.Snapshot.Pyproject; pp != nil && pp.Maturin != nil {
		if b, ok := boolKey(pp.Maturin.Value, "all-features"); ok && b {
			return nil, false
		}
	}
	on := map[string]bool{}
	in.WalkBuildFeatures(func(name string) { on[name] = true }, func(string, string, Location, string, bool) {})
	return on, true
}

// ResolvedPyO3 returns the version of the pyo3 (or pyo3-ffi) dependency the
// rules use (PyO3Version): the one Cargo.lock pins (source "Cargo.lock"), else
// the newest known release the requirement admits (source "requirement"). ok is
// false for a path or git dependency without a lock entry, a requirement that
// does not parse, or a version older than the facts table knows.
func (in *Project) ResolvedPyO3() (v versions.Version, source string, ok bool) {
	pv := in.PyO3Version()
	if pv == nil {
		return versions.Version{}, "", false
	}
	if pv.FromLock {
		return pv.Version, "Cargo.lock", true
	}
	return pv.Version, "requirement", true
}

// WithPyO3Version returns a model without a snapshot whose PyO3 version is
// v, for tests of code that reads only the version.
func WithPyO3Version(v *PyO3Version) *Project {
	in := &Project{}
	in.versionOnce.Do(func() { in.version = v })
	return in
}
