package analysis

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

// Family M: the [tool.maturin] configuration and the maturin requirement.

func init() {
	register(ruleM001, ruleM002, ruleM003, ruleM004, ruleM005, ruleM006, ruleM007, ruleM008, ruleM009, ruleM010, ruleM011, ruleM012)
}

var ruleM003 = &Rule{
	Code: "M003", Name: "unknown-maturin-key", Severity: Warning,
	Summary: "A key in [tool.maturin] that maturin does not know",
	Doc: `What: a key under [tool.maturin] (or one of its sub-tables: sbom, target.<triple>, targets,
include/exclude tables, features tables, generate-ci.github...) that maturin 1.16 does not
define. The nearest known key is suggested (module_name → module-name).

Why: maturin's ToolMaturin struct has no deny_unknown_fields, so a misspelled key is silently
ignored: module_name = "x" leaves the module named after the crate, python_source is never
used, and the build does something else than the file says without any message.

Fix: use the suggested key (a quick fix renames it), or remove it. Keys removed from maturin
(sdist-include, removed in 0.15) are reported too. When the suggested key is already set
(module_name beside module-name), renaming would write a duplicate key, so the quick fix removes
the ignored key instead. Quick fixes: the rename is unsafe (maturin starts using the value); the
removal of an ignored key beside its set twin is safe (the build does not change).

Versions: the key list is maturin 1.16.0's (src/pyproject_toml.rs; scripts/update-facts checks it).`,
	Maturin1: true,
	Run:      runM003,
}

func runM003(p *Pass) { reportMaturin(p, "M003") }

var ruleM004 = &Rule{
	Code: "M004", Name: "invalid-maturin-value", Severity: Error,
	Summary: "A [tool.maturin] value maturin rejects",
	Doc: `What: an enumerated [tool.maturin] value maturin does not accept: auditwheel not one of repair,
check, warn, skip; sdist-generator not cargo or git; targets[].kind not bin, cdylib, dylib,
lib, rlib or staticlib; include format not sdist or wheel; compatibility not a platform tag
maturin parses (pypi, linux/off, manylinux1/2010/2014, manylinux_X_Y, X_Y, musllinux_X_Y —
manylinux2014_x86_64 is rejected); bindings not one of pyo3, pyo3-ffi, cffi, uniffi, bin (maturin
1.16 rejects it: "unknown variant"; up to 1.15 it was taken as pyo3 bindings — verified with 1.16).
Warnings: compatibility older than manylinux 2_17 ("is unsupported by the Rust compiler"); manylinux_2_17_x86_64 (maturin reads
2_17 and ignores the rest).

Why: serde rejects unknown enum variants, so maturin stops with "pyproject.toml at ... is
invalid" (unknown variant) or "invalid manylinux option".

Fix: use one of the listed values (a quick fix offers the nearest).

Quick fixes: replacing a value maturin rejects with the nearest valid one is unsafe (a guess that changes what maturin does); dropping the architecture suffix of compatibility is safe (maturin ignores it already).

Versions: maturin 1.14–1.16 (bindings validated since 1.16).`,
	Maturin1: true,
	Run:      runM004,
}

func runM004(p *Pass) { reportMaturin(p, "M004") }

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// firstLine is the range of the file's first line (for findings about something missing from a whole file).
func firstLine(src []byte) span.Range {
	end := 0
	for end < len(src) && src[end] != '\n' && src[end] != '\r' {
		end++
	}
	return span.Range{Start: 0, End: end}
}

var ruleM001 = &Rule{
	Code: "M001", Name: "missing-build-system", Severity: Error,
	Summary: "[tool.maturin] without a maturin [build-system]",
	Doc: `What: a pyproject.toml with [tool.maturin] whose [build-system] table is missing (error), or whose
build-backend is not "maturin" (warning).

Why: maturin's pyproject model requires [build-system] (BuildSystem is not optional), so without
it maturin cannot read the file: "pyproject.toml at ... is invalid". With another backend maturin
warns "` + "`build-backend`" + ` in pyproject.toml is not set to ` + "`maturin`" + `, packaging tools such as pip will not
use maturin to build this project": pip install . runs the other backend and your
[tool.maturin] settings are ignored.

Fix:
  [build-system]
  requires = ["` + facts.MaturinRequirement + `"]
  build-backend = "maturin"

A pyproject.toml without [tool.maturin] and without the maturin backend is not a maturin project
and is never checked. Versions: maturin 1.x.

Quick fixes (unsafe: they change how the project is built): add a maturin [build-system], or set build-backend = "maturin".`,
	Maturin1: true,
	Run:      runM001,
}

func runM001(p *Pass) {
	pp := p.Project.Pyproject
	if pp == nil || pp.Maturin == nil {
		return
	}
	if pp.BuildSystem == nil {
		p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: firstLine(pp.Doc.Src)},
			Message: "pyproject.toml has [tool.maturin] but no [build-system]: maturin cannot read it (\"pyproject.toml ... is invalid\") and pip will not use maturin",
			Help:    "add [build-system] with requires = [\"" + facts.MaturinRequirement + "\"] and build-backend = \"maturin\"",
			Fixes: []Fix{{Title: "Add a maturin [build-system]", Edits: []Edit{{Location: Location{Path: pp.Path, Range: rangeAt(0)},
				NewText: "[build-system]\nrequires = [\"" + facts.MaturinRequirement + "\"]\nbuild-backend = \"maturin\"\n\n"}}}}})
		return
	}
	if pp.IsMaturinBackend() || pp.BuildSystem.Value.Get("backend-path") != nil {
		return // an in-tree backend (backend-path) may wrap maturin, as maturin's own repository does
	}
	loc := Location{Path: pp.Path, Range: pp.BuildSystem.Value.Range}
	msg := "[build-system] has no build-backend: pip falls back to setuptools and will not use maturin"
	if pp.BuildBackend != nil {
		loc.Range = pp.BuildBackend.Range
		msg = fmt.Sprintf("build-backend is %q, not \"maturin\": packaging tools such as pip will not use maturin to build this project", pp.BuildBackend.Value)
	}
	d := Diagnostic{Location: loc, Severity: Warning, Message: msg, Help: "set build-backend = \"maturin\""}
	if pp.BuildBackend != nil {
		d.Fixes = []Fix{{Title: "Use the maturin build backend", Edits: []Edit{{Location: loc, NewText: `"maturin"`}}}}
	}
	p.Report(d)
}

var ruleM002 = &Rule{
	Code: "M002", Name: "maturin-not-required", Severity: Error,
	Summary: "build-backend is maturin but requires does not list it",
	Doc: `What: build-backend = "maturin" while [build-system] requires has no maturin requirement.

Why: pip installs only what requires lists into the isolated build environment, then imports the
backend: the build fails with "BackendUnavailable: Cannot import 'maturin'".

Fix: requires = ["` + facts.MaturinRequirement + `"].

Versions: any PEP 517 frontend.`,
	Maturin1: true,
	Run:      runM002,
}

func runM002(p *Pass) {
	pp := p.Project.Pyproject
	if pp == nil || !pp.IsMaturinBackend() {
		return
	}
	for _, r := range pp.Requires {
		if rq := versions.ParseRequirement(r.Value); rq.NormalizedName() == "maturin" {
			return
		}
	}
	loc := Location{Path: pp.Path, Range: pp.BuildSystem.Value.Range}
	if e := pp.BuildSystem.Value.Get("requires"); e != nil {
		loc.Range = e.Value.Range
	}
	p.Report(Diagnostic{Location: loc,
		Message: "build-backend is \"maturin\" but [build-system] requires does not list maturin: pip cannot import the backend (BackendUnavailable)",
		Help:    "add \"" + facts.MaturinRequirement + "\" to requires"})
}

var ruleM005 = &Rule{
	Code: "M005", Name: "manifest-path-missing", Severity: Error,
	Summary: "manifest-path does not name an existing Cargo.toml",
	Doc: `What: [tool.maturin] manifest-path names a file that does not exist (or a directory).

Why: maturin stops: "manifest path ` + "`...`" + ` does not exist or is invalid" (project_layout.rs
resolve_manifest_paths). The path is relative to pyproject.toml.

Also: the Cargo.toml maturin reads (manifest-path, or the one beside pyproject.toml) is a virtual
workspace manifest, [workspace] without [package]. maturin stops: "missing field ` + "`package`" + `"
(it reads the manifest as a package). Reported at manifest-path, else at [tool.maturin].

Fix: point it at the crate's Cargo.toml, e.g. manifest-path = "rust/Cargo.toml".

When the path runs through an empty directory (typically a git submodule that a plain clone or
actions/checkout did not fetch) the finding is an info note instead: the project is fine once the
submodule is checked out.

Versions: maturin 1.x.`,
	Maturin1: true,
	Run:      runM005,
}

func runM005(p *Pass) {
	pr := p.Project
	if pp := pr.Pyproject; pp != nil && virtualManifest(pr) {
		loc := Location{Path: pp.Path}
		switch {
		case pp.ManifestPath != nil:
			loc.Range = pp.ManifestPath.Range
		case pp.Maturin != nil:
			loc.Range = pp.Maturin.Value.Range
		case pp.BuildBackend != nil:
			loc.Range = pp.BuildBackend.Range
		}
		help := "set [tool.maturin] manifest-path to the Cargo.toml of the crate that builds the extension"
		if ms := pr.Manifest.Members; len(ms) > 0 && !hasGlobMeta(ms[0].Value) {
			help = fmt.Sprintf("set [tool.maturin] manifest-path to the extension crate's Cargo.toml, e.g. manifest-path = %q", path.Join(ms[0].Value, "Cargo.toml"))
		}
		p.Report(Diagnostic{Location: loc,
			Message: fmt.Sprintf("%s is a virtual workspace manifest ([workspace] without [package]): maturin stops with \"missing field `package`\"", pr.Rel(pr.ManifestPath)),
			Help:    help})
		return
	}
	if pr.Pyproject == nil || !pr.ManifestFromConfig || pr.IsFile(pr.ManifestPath) {
		return
	}
	mp := pr.Pyproject.ManifestPath
	loc := Location{Path: pr.Pyproject.Path, Range: mp.Range}
	if dir := emptyAncestor(pr, pr.ManifestPath); dir != "" {
		p.Report(Diagnostic{Location: loc, Severity: Info,
			Message: fmt.Sprintf("manifest path %q lies in the empty directory %s/ — a git submodule that is not checked out? Nothing in the Rust crate was checked", mp.Value, pr.Rel(dir)),
			Help:    "git submodule update --init"})
		return
	}
	if _, err := pr.FS.Stat(pr.ManifestPath); errors.Is(err, project.ErrOutsideRoots) || errors.Is(err, project.ErrSystemPath) {
		p.Report(Diagnostic{Location: loc,
			Message: fmt.Sprintf("manifest path %q leads outside the checked tree and its repository; pyo3-ls does not read it", mp.Value)})
		return
	}
	p.Report(Diagnostic{Location: loc,
		Message: fmt.Sprintf("manifest path %q does not exist or is invalid (looked for %s)", mp.Value, pr.Rel(pr.ManifestPath))})
}

var ruleM006 = &Rule{
	Code: "M006", Name: "deprecated-maturin-config", Severity: Warning,
	Summary: "Deprecated maturin configuration",
	Doc: `What: a [package.metadata.maturin] table in Cargo.toml, or the manylinux key in [tool.maturin].

Why: maturin 0.14 moved its configuration to pyproject.toml ([tool.maturin]) and PEP 621
[project]; the Cargo.toml table is no longer read (keys that carried Python metadata are errors,
see M011). manylinux is a deprecated alias of compatibility (serde alias in pyproject_toml.rs).

Fix: move settings to [tool.maturin] under the key maturin reads today: name becomes module-name,
sdist-include becomes include = [{ path = "…", format = "sdist" }], keys [tool.maturin] still has
keep their name; others have no equivalent and can go. Rename manylinux to compatibility.

Quick fix: renaming the deprecated key to compatibility is safe (maturin reads both the same way).

Versions: maturin >= 0.14.`,
	Maturin1: true,
	Run:      runM006,
}

func runM006(p *Pass) {
	pr := p.Project
	if m := pr.Manifest; m != nil && m.MetadataMaturin != nil {
		var ignored []string
		for _, e := range m.MetadataMaturin.Value.Table.Entries {
			if !removedCargoMetadata[e.Key] { // removed keys are M011's errors
				ignored = append(ignored, e.Key)
			}
		}
		msg := "[package.metadata.maturin] in Cargo.toml is no longer read by maturin; configure maturin in pyproject.toml [tool.maturin]"
		if len(ignored) > 0 {
			msg = fmt.Sprintf("[package.metadata.maturin] in Cargo.toml is no longer read by maturin: %s silently ignored", strings.Join(ignored, ", ")+map[bool]string{true: " is", false: " are"}[len(ignored) == 1])
		}
		p.Report(Diagnostic{Location: Location{Path: pr.ManifestFile.Path, Range: m.MetadataMaturin.Value.Range},
			Message: msg,
			Help:    metadataMoveHelp(ignored)})
	}
	pp := pr.Pyproject
	if pp == nil || pp.Maturin == nil {
		return
	}
	if e := pp.Maturin.Value.Get("manylinux"); e != nil {
		d := Diagnostic{Location: Location{Path: pp.Path, Range: e.KeyRange},
			Message: "`manylinux` is a deprecated alias of `compatibility`"}
		if pp.Maturin.Value.Get("compatibility") == nil {
			d.Fixes = []Fix{{Title: "Rename to compatibility", Preferred: true, Safe: true, Edits: []Edit{{Location: d.Location, NewText: "compatibility"}}}}
		}
		p.Report(d)
	}
}

var ruleM007 = &Rule{
	Code: "M007", Name: "data-dir-missing", Severity: Error,
	Summary: "data names a directory that does not exist",
	Doc: `What: [tool.maturin] data is set to a path that is not a directory.

Why: maturin stops: "No such data directory ..." (project_layout.rs). The path is relative to the
project root.

Fix: create the directory (with data/, scripts/, headers/, purelib/ or platlib/ inside) or fix the path.

Versions: maturin 1.x.`,
	Maturin1: true,
	Run:      runM007,
}

func runM007(p *Pass) {
	pr := p.Project
	pp := pr.Pyproject
	if pp == nil || pp.Data == nil {
		return
	}
	path := pp.Data.Value
	if !filepath.IsAbs(path) {
		path = filepath.Join(pr.Dir, filepath.FromSlash(path))
	}
	if pr.IsDir(path) {
		return
	}
	p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: pp.Data.Range},
		Message: fmt.Sprintf("No such data directory %s: maturin stops the build", pr.Rel(path))})
}

var ruleM008 = &Rule{
	Code: "M008", Name: "bindings-not-found", Severity: Error,
	Summary: "bindings = pyo3 but the crate does not depend on pyo3",
	Doc: `What: [tool.maturin] bindings = "pyo3" or "pyo3-ffi", but neither pyo3 nor pyo3-ffi is in the
crate's dependency graph (its dependencies, or Cargo.lock's resolved graph when present).

Why: maturin looks the binding crate up in the resolved graph by package name and stops with
"unknown binding type" when it is absent (bridge/detection.rs).

Also: pyo3 is an optional dependency and no feature a plain maturin build enables (default
features, [tool.maturin] features, all-features) turns it on. cargo metadata then resolves no
pyo3, so maturin's detection picks cffi bindings for the cdylib (or stops with "unknown binding
type" when bindings = "pyo3"), and the wheel holds no PyO3 module.

Fix: add pyo3 to [dependencies], or set the bindings you use (cffi, uniffi, bin); for an optional
pyo3, enable the feature that turns it on in [tool.maturin] features.

Versions: maturin 1.x. Without Cargo.lock a transitive pyo3 cannot be seen, so the rule only
fires when the crate has no other dependency that could bring it in.`,
	Maturin1: true,
	Run:      runM008,
}

func runM008(p *Pass) {
	in := p.Info()
	pr := p.Project
	pp := pr.Pyproject
	if pp != nil && pr.Manifest != nil && in.OptionalPyO3Off() {
		d := in.PyO3.Dep
		var via []string
		for name, f := range pr.Manifest.Features {
			for _, en := range f.Enables {
				if v := strings.TrimPrefix(en.Value, "dep:"); v == d.Key || strings.HasPrefix(en.Value, d.Key+"/") {
					via = append(via, name)
					break
				}
			}
		}
		sort.Strings(via)
		help := fmt.Sprintf("make %s non-optional, or enable it in [tool.maturin] features", d.Key)
		if len(via) > 0 {
			help = fmt.Sprintf("add [tool.maturin] features = [%q] (the feature that enables %s), or make it non-optional", via[0], d.Key)
		}
		bridge := "detects no pyo3 in the resolved dependencies and builds cffi bindings instead: a py3-none wheel without the PyO3 module, whose import fails (maturin 1.16: \"No module named '_cffi_backend'\" without cffi)"
		if pp.Bindings != nil && (pp.Bindings.Value == "pyo3" || pp.Bindings.Value == "pyo3-ffi") {
			bridge = "finds no pyo3 in the resolved dependencies and stops with \"unknown binding type\""
		}
		p.Report(Diagnostic{Location: Location{Path: pr.ManifestFile.Path, Range: d.KeyRange},
			Message: fmt.Sprintf("%s is an optional dependency that no feature of a plain maturin build turns on (default features, [tool.maturin] features): maturin %s", d.Key, bridge),
			Help:    help})
		return
	}
	if pp == nil || pp.Bindings == nil || pr.Manifest == nil || in.PyO3 != nil {
		return
	}
	if b := pp.Bindings.Value; b != "pyo3" && b != "pyo3-ffi" {
		return
	}
	if pr.Lock != nil && pr.Manifest.Name != nil {
		for _, pkg := range in.Reachable() {
			if pkg.Name == "pyo3" || pkg.Name == "pyo3-ffi" {
				return
			}
		}
	} else {
		for _, d := range pr.Manifest.Deps {
			if d.Kind == 0 {
				return // could bring pyo3 in transitively; cannot tell without Cargo.lock
			}
		}
	}
	p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: pp.Bindings.Range},
		Message: fmt.Sprintf("bindings = %q but the crate does not depend on pyo3 or pyo3-ffi: maturin stops with \"unknown binding type\"", pp.Bindings.Value),
		Help:    "add pyo3 to [dependencies] in Cargo.toml"})
}

var ruleM009 = &Rule{
	Code: "M009", Name: "maturin-unpinned", Severity: Warning,
	Summary: "build-system requires maturin without a usable version range",
	Doc: `What: [build-system] requires lists maturin with no version specifier, or with one that admits
no maturin 1.x.

Why: maturin warns on every build: "Please use maturin in pyproject.toml with a version
constraint, e.g. ` + "`requires = [\"maturin>=1.0,<2.0\"]`" + `. This will become an error." A bare
requirement also lets pip pick a future maturin 2 with breaking changes; a range without any
1.x release cannot be satisfied by the maturin you test with.

Fix: requires = ["` + facts.MaturinRequirement + `"] (1.9.4 is the first maturin that sets
PYO3_BUILD_EXTENSION_MODULE for PyO3 >= 0.26).

A project pinned to maturin 0.x (a valid range with no 1.x release) is built by an older maturin
with other configuration rules, so the M, N, L and P rules (except M009, N006, N007) are skipped
for it and this finding says so.

Quick fix: require "` + facts.MaturinRequirement + `" — unsafe (it changes the build requirement).

Versions: maturin 1.x (pyproject_toml.rs warn_bad_maturin_version).`,
	Run: runM009,
}

func runM009(p *Pass) {
	pp := p.Project.Pyproject
	if pp == nil {
		return
	}
	for _, r := range pp.Requires {
		rq := versions.ParseRequirement(r.Value)
		if rq.NormalizedName() != "maturin" || rq.URL {
			continue
		}
		loc := Location{Path: pp.Path, Range: r.Range}
		if rq.Spec == "" {
			fixed := facts.MaturinRequirement
			if rq.Marker != "" {
				fixed += "; " + rq.Marker
			}
			p.Report(Diagnostic{Location: loc,
				Message: "maturin is required without a version constraint: maturin warns \"Please use maturin in pyproject.toml with a version constraint ... This will become an error.\"",
				Fixes:   []Fix{{Title: "Require " + facts.MaturinRequirement, Preferred: true, Edits: []Edit{{Location: loc, NewText: quoteTOML(fixed)}}}}})
			continue
		}
		spec, err := versions.ParseSpecifiers(rq.Spec)
		if err != nil {
			p.Report(Diagnostic{Location: loc, Severity: Error, Message: fmt.Sprintf("invalid version specifier for maturin: %v", err)})
			continue
		}
		if _, ok := spec.LowestMinor(1); !ok {
			msg := fmt.Sprintf("%q admits no maturin 1.x release", r.Value)
			if p.Info().pinnedToMaturin0() {
				msg += "; pyo3-ls checks maturin 1.x behaviour, so its maturin configuration, module-name, layout and metadata rules are skipped for this project"
			}
			p.Report(Diagnostic{Location: loc, Message: msg, Help: "use " + facts.MaturinRequirement})
		}
	}
}

// validatePattern mirrors maturin's module_writer/glob.rs validate_pattern.
func validatePattern(pat string) string {
	if pat == ".." || strings.HasPrefix(pat, "../") || strings.Contains(pat, "/../") || strings.HasSuffix(pat, "/..") {
		return fmt.Sprintf("include pattern must not contain `..`, got: %s", pat)
	}
	if strings.HasPrefix(pat, "/") || strings.HasPrefix(pat, `\`) || strings.HasPrefix(pat, "./") || (len(pat) >= 2 && pat[1] == ':') {
		return fmt.Sprintf("include pattern must be a relative path, got: %s", pat)
	}
	return ""
}

var ruleM010 = &Rule{
	Code: "M010", Name: "bad-include-pattern", Severity: Error,
	Summary: "An include pattern maturin rejects or misreads",
	Doc: `What: an [tool.maturin] include pattern (or an out-dir include's "to") that contains "..", is
absolute, or starts with "./"; and an out-dir include written with crate-name (maturin reads
crate_name).

Why: maturin stops: "include/exclude pattern must not contain ` + "`..`" + `, got: ..." or "... must be a
relative path, got: ..." (module_writer/glob.rs validate_pattern). The out-dir variant of
GlobPattern has no kebab-case rename, so crate-name is silently ignored and the root crate's
OUT_DIR is used instead.

Fix: write patterns relative to the project root (or python-source), without "./" or "..";
use crate_name.

Quick fix: rename crate-name to crate_name — unsafe (maturin starts using the value).

Versions: maturin >= 1.9 (validate_pattern); crate_name since out-dir includes exist.`,
	Maturin1: true,
	Run:      runM010,
}

func runM010(p *Pass) {
	pp := p.Project.Pyproject
	if pp == nil || pp.Maturin == nil {
		return
	}
	inc := pp.Maturin.Value.Get("include")
	if inc == nil || inc.Value.Kind != tomldoc.Array {
		return
	}
	for _, v := range inc.Value.Arr {
		switch v.Kind {
		case tomldoc.String:
			if msg := validatePattern(v.Str); msg != "" {
				p.Reportf(pp.Path, v.Range, "%s", msg)
			}
		case tomldoc.Table:
			if s, ok := tomldoc.StrOf(v.Get("path")); ok {
				if msg := validatePattern(s.Value); msg != "" {
					p.Reportf(pp.Path, s.Range, "%s", msg)
				}
			}
			if s, ok := tomldoc.StrOf(v.Get("to")); ok {
				if msg := validatePattern(s.Value); msg != "" {
					p.Reportf(pp.Path, s.Range, "%s", msg)
				}
			}
			if e := v.Get("crate-name"); e != nil && v.Get("crate_name") == nil {
				p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: e.KeyRange}, Severity: Warning,
					Message: "maturin reads `crate_name` here; `crate-name` is silently ignored and the root crate's OUT_DIR is used",
					Fixes:   []Fix{{Title: "Rename to crate_name", Preferred: true, Edits: []Edit{{Location: Location{Path: pp.Path, Range: e.KeyRange}, NewText: "crate_name"}}}}})
			}
		}
	}
}

var removedCargoMetadata = map[string]bool{
	"scripts": true, "classifiers": true, "classifier": true, "data": true, "maintainer": true,
	"maintainer-email": true, "requires-dist": true, "requires-python": true, "requires-external": true,
	"project-url": true, "provides-extra": true, "description-content-type": true,
}

var ruleM011 = &Rule{
	Code: "M011", Name: "removed-cargo-metadata", Severity: Error,
	Summary: "Python metadata in [package.metadata.maturin]",
	Doc: `What: keys in Cargo.toml [package.metadata.maturin] that maturin 0.14 removed (scripts,
classifiers, classifier, data, maintainer, maintainer-email, requires-dist, requires-python,
requires-external, project-url, provides-extra, description-content-type). The other keys of
the table are silently ignored; M006 reports the table once and names them.

Why: maturin stops: "The following metadata fields in ` + "`package.metadata.maturin`" + ` section of
Cargo.toml are removed since maturin 0.14.0: ..., please set them in pyproject.toml as PEP 621
specifies." (cargo_toml.rs check_removed_python_metadata). Other keys (name, python-source,
bindings...) are silently ignored.

Fix: move them to pyproject.toml: [project] for metadata, [tool.maturin] for build settings.

Versions: maturin >= 0.14.`,
	Maturin1: true,
	Run:      runM011,
}

func runM011(p *Pass) {
	pr := p.Project
	m := pr.Manifest
	if m == nil || m.MetadataMaturin == nil {
		return
	}
	var removed []string
	for _, e := range m.MetadataMaturin.Value.Table.Entries {
		if removedCargoMetadata[e.Key] {
			removed = append(removed, e.Key)
		}
	}
	sort.Strings(removed)
	for _, e := range m.MetadataMaturin.Value.Table.Entries {
		if removedCargoMetadata[e.Key] {
			p.Report(Diagnostic{Location: Location{Path: pr.ManifestFile.Path, Range: e.KeyRange},
				Message: fmt.Sprintf("package.metadata.maturin.%s was removed in maturin 0.14: maturin stops (\"The following metadata fields ... are removed since maturin 0.14.0: %s\")", e.Key, strings.Join(removed, ", ")),
				Help:    "set it in pyproject.toml [project] as PEP 621 specifies"})
		}
	}
}

var builtinProfiles = map[string]bool{"dev": true, "release": true, "test": true, "bench": true}

var ruleM012 = &Rule{
	Code: "M012", Name: "unknown-profile", Severity: Warning,
	Summary: "profile names a Cargo profile that is not defined",
	Doc: `What: [tool.maturin] profile or editable-profile names a profile that is neither built in (dev,
release, test, bench) nor defined as [profile.<name>] in the Cargo.toml that cargo reads profiles
from (the workspace root's).

Why: maturin passes the name straight to cargo (--profile), which fails: "profile ` + "`x`" + ` is not
defined".

Fix: define [profile.<name>] (inherits = "release") in the workspace root Cargo.toml, or fix the name.

Versions: maturin 1.x.`,
	Maturin1: true,
	Run:      runM012,
}

func runM012(p *Pass) {
	pr := p.Project
	pp := pr.Pyproject
	if pp == nil || pr.Manifest == nil {
		return
	}
	profiles := pr.Manifest.Profiles
	if pr.Workspace != nil {
		profiles = pr.Workspace.Profiles
	}
	for _, s := range []*tomldoc.Str{pp.Profile, pp.EditableProfile} {
		if s == nil || builtinProfiles[s.Value] || profiles[s.Value] != nil {
			continue
		}
		p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: s.Range},
			Message: fmt.Sprintf("Cargo profile %q is not defined: cargo fails with \"profile `%s` is not defined\"", s.Value, s.Value),
			Help:    fmt.Sprintf("add [profile.%s] with inherits = \"release\" to the workspace root Cargo.toml", s.Value)})
	}
}

// emptyAncestor returns the nearest existing directory on the way from the
// project to path when it is empty (an uninitialised git submodule), else "".
func emptyAncestor(pr *project.Project, path string) string {
	for dir := filepath.Dir(path); len(dir) > len(pr.Dir) && strings.HasPrefix(dir, pr.Dir); dir = filepath.Dir(dir) {
		if !pr.IsDir(dir) {
			continue
		}
		entries, err := pr.FS.ReadDir(dir)
		if err == nil && len(entries) == 0 {
			return dir
		}
		return ""
	}
	return ""
}

// pinnedToMaturin0 reports whether [build-system] requires pins maturin to
// 0.x: a valid specifier that admits no 1.x release but some 0.x one. Such a
// project is built by a maturin whose configuration rules differ (it still
// read [package.metadata.maturin], knew sdist-include...), so the rules that
// describe maturin 1.x stay quiet and M009 says why.
func (in *ProjectInfo) pinnedToMaturin0() bool {
	pp := in.Snapshot.Pyproject
	if pp == nil {
		return false
	}
	for _, r := range pp.Requires {
		rq := versions.ParseRequirement(r.Value)
		if rq.NormalizedName() != "maturin" || rq.Spec == "" || rq.URL {
			continue
		}
		spec, err := versions.ParseSpecifiers(rq.Spec)
		if err != nil {
			return false
		}
		_, has1 := spec.LowestMinor(1)
		_, has0 := spec.LowestMinor(0)
		return !has1 && has0
	}
	return false
}

// virtualManifest reports whether the Cargo.toml maturin reads is a virtual
// workspace manifest: [workspace] without [package].
func virtualManifest(pr *project.Project) bool {
	return pr.Manifest != nil && pr.Manifest.Package == nil && pr.Manifest.Workspace != nil
}

// metadataMoveHelp says where each ignored [package.metadata.maturin] key
// goes in today's pyproject.toml [tool.maturin].
func metadataMoveHelp(keys []string) string {
	if len(keys) == 0 {
		return "its keys are Python metadata that belongs in pyproject.toml [project] (M011 names each); then remove the table"
	}
	var moves, drop []string
	for _, k := range keys {
		switch {
		case k == "name":
			moves = append(moves, "name → module-name")
		case k == "sdist-include":
			moves = append(moves, "sdist-include → include = [{ path = \"…\", format = \"sdist\" }]")
		default:
			if _, ok := facts.MaturinKey(k); ok {
				moves = append(moves, k+" → "+k)
			} else {
				drop = append(drop, k)
			}
		}
	}
	var parts []string
	if len(moves) > 0 {
		parts = append(parts, "move to pyproject.toml [tool.maturin]: "+strings.Join(moves, "; "))
	}
	if len(drop) > 0 {
		parts = append(parts, strings.Join(drop, ", ")+": no [tool.maturin] equivalent, remove")
	}
	return strings.Join(parts, "; ")
}
