package analysis

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

// Family P: [project] metadata and files the build needs.

func init() {
	register(ruleP001, ruleP002, ruleP003, ruleP004, ruleP005)
}

var ruleP001 = &Rule{
	Code: "P001", Name: "version-missing", Severity: Warning,
	Summary: "[project] has no version and does not list it in dynamic",
	Doc: `What: a [project] table without version and without "version" in dynamic.

Why: PEP 621 requires one of the two; uv, pip's validate-pyproject and PyPI tooling reject the
file. maturin warns "` + "`project.version`" + ` field is required in pyproject.toml unless it is present in
the ` + "`project.dynamic`" + ` list" (to become an error in maturin 2) and falls back to Cargo's version.

Severity: a warning, because maturin 1.x still builds (with Cargo's version); maturin 2 plans to
make it an error ("Invalid version information in pyproject.toml").

Fix: add dynamic = ["version"] to take the version from Cargo.toml (the usual maturin setup),
or set version.

Quick fix: add dynamic = ["version"] — safe (maturin then takes the version from Cargo.toml, as it does for the wheel already).

Versions: PEP 621; maturin 1.x.`,
	Maturin1: true,
	Run:      runP001,
}

func runP001(p *Pass) {
	pp := p.Project.Pyproject
	if pp == nil || pp.Project == nil {
		return
	}
	if pp.Project.Value.Get("version") != nil {
		return
	}
	if _, ok := pp.InDynamic("version"); ok {
		return
	}
	d := Diagnostic{Location: Location{Path: pp.Path, Range: pp.Project.Value.Range},
		Message: "[project] has no version and \"version\" is not in dynamic: maturin warns that `project.version` is required, other tools reject the file",
		Help:    "add dynamic = [\"version\"] to take the version from Cargo.toml"}
	if pp.Project.Value.Table.Kind == tomldoc.Header && pp.Project.Value.Get("dynamic") == nil {
		d.Fixes = []Fix{{Title: "Take the version from Cargo.toml (dynamic = [\"version\"])", Preferred: true, Safe: true,
			Edits: []Edit{{Location: Location{Path: pp.Path, Range: rangeAt(lineEnd(pp.Doc.Src, pp.Project.Value.Range.End))}, NewText: "\ndynamic = [\"version\"]"}}}}
	}
	p.Report(d)
}

func lineEnd(src []byte, off int) int {
	for off < len(src) && src[off] != '\n' && src[off] != '\r' {
		off++
	}
	return off
}

var ruleP002 = &Rule{
	Code: "P002", Name: "static-and-dynamic", Severity: Error,
	Summary: "A [project] field is both set and listed in dynamic, or name is dynamic",
	Doc: `What: a [project] field that is set statically and also listed in dynamic; or "name" in
dynamic.

Why: PEP 621 forbids both (an error for "name", a warning otherwise: maturin itself only warns
for version and ignores the rest, but other PEP 621 tools reject the file). maturin stops on a dynamic name ("` + "`project.dynamic`" + ` must not specify
` + "`name`" + ` in pyproject.toml") and warns for version ("must not specify ` + "`version`" + ` when
` + "`project.version`" + ` is present"); build frontends and validate-pyproject reject the file.

Fix: remove the entry from dynamic (or the static value).

Versions: PEP 621; maturin 1.x (metadata.rs).`,
	Maturin1: true,
	Run:      runP002,
}

func runP002(p *Pass) {
	pp := p.Project.Pyproject
	if pp == nil || pp.Project == nil {
		return
	}
	for _, d := range pp.Dynamic {
		if d.Value == "name" {
			p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: d.Range},
				Message: "\"name\" must not be dynamic: maturin stops (\"`project.dynamic` must not specify `name` in pyproject.toml\")"})
			continue
		}
		if e := pp.Project.Value.Get(d.Value); e != nil {
			p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: d.Range}, Severity: Warning,
				Related: []Related{{Location: Location{Path: pp.Path, Range: e.KeyRange}, Message: "set statically here"}},
				Message: fmt.Sprintf("%q is listed in dynamic but also set in [project]: PEP 621 forbids both", d.Value),
				Help:    "remove it from dynamic or remove the static value"})
		}
	}
}

func hasGlobMeta(s string) bool { return strings.ContainsAny(s, "*?[") }

var ruleP003 = &Rule{
	Code: "P003", Name: "file-not-found", Severity: Error,
	Summary: "readme, license.file or license-files names no file",
	Doc: `What: [project] readme (string or { file = ... }), license = { file = ... } or a
license-files entry names a file that does not exist, matches nothing, or is an absolute path.

Why: maturin stops: "Failed to read readme specified in pyproject.toml, which should be at ..."
or "` + "`project.readme`" + ` path ... must be relative to pyproject.toml". A license-files glob that
matches nothing is reported as a warning: PEP 639 says build tools must reject it, but maturin
1.16 accepts it silently and ships no license (ground truth).

A missing file that a .gitignore ignores is taken to be generated before the build (pyxel copies
its README and LICENSE in with make): that is an info note, since only a build from a clean
checkout fails.

Cargo.toml's package.readme (a path, readme = true for README.md, or readme.workspace = true)
is read by maturin on every build, even when [project] readme names another file (verified with
maturin 1.16): a missing file stops it with "Failed to read Readme specified in Cargo.toml".

Fix: correct the path (relative to pyproject.toml, or to Cargo.toml for package.readme) or
create the file.

Versions: maturin 1.x (metadata.rs); PEP 639 for license-files.`,
	Maturin1: true,
	Run:      runP003,
}

func runP003(p *Pass) {
	pr := p.Project
	checkCargoReadme(p)
	pp := pr.Pyproject
	if pp == nil || pp.Project == nil {
		return
	}
	check := func(field string, s tomldoc.Str) {
		loc := Location{Path: pp.Path, Range: s.Range}
		if filepath.IsAbs(s.Value) || strings.HasPrefix(s.Value, "/") {
			p.Report(Diagnostic{Location: loc, Message: fmt.Sprintf("`%s` path %q must be relative to pyproject.toml: maturin stops", field, s.Value)})
			return
		}
		full := filepath.Join(pr.Dir, filepath.FromSlash(s.Value))
		if pr.IsFile(full) {
			return
		}
		if pr.GitIgnored(full) {
			p.Report(Diagnostic{Location: loc, Severity: Info,
				Message: fmt.Sprintf("%s %q does not exist but is gitignored, so presumably generated before the build; a build from a clean checkout stops (\"Failed to read ... specified in pyproject.toml\")", field, s.Value)})
			return
		}
		p.Report(Diagnostic{Location: loc, Message: fmt.Sprintf("%s %q does not exist: maturin stops (\"Failed to read ... specified in pyproject.toml\")", field, s.Value)})
	}
	pv := pp.Project.Value
	if e := pv.Get("readme"); e != nil {
		if s, ok := tomldoc.StrOf(e); ok {
			check("project.readme", s)
		} else if s, ok := tomldoc.StrOf(e.Value.Get("file")); ok {
			check("project.readme.file", s)
		}
	}
	if e := pv.Get("license"); e != nil && e.Value.IsTable() {
		if s, ok := tomldoc.StrOf(e.Value.Get("file")); ok {
			check("project.license.file", s)
		}
	}
	included := map[string]bool{} // [tool.maturin] include entries: possibly generated at build time
	if pp.Maturin != nil {
		if inc := pp.Maturin.Value.Get("include"); inc != nil && inc.Value.Kind == tomldoc.Array {
			for _, v := range inc.Value.Arr {
				if v.Kind == tomldoc.String {
					included[v.Str] = true
				} else if s, ok := tomldoc.StrOf(v.Get("path")); ok {
					included[s.Value] = true
				}
			}
		}
	}
	// One listing per directory however many patterns there are: each
	// pattern used to walk the tree again (2,000 patterns: 19 s).
	dirs := newDirCache(pr.FS)
	for _, g := range tomldoc.StrsOf(pv.Get("license-files")) {
		loc := Location{Path: pp.Path, Range: g.Range}
		if included[g.Value] {
			continue // also in [tool.maturin] include: generated before the build
		}
		if strings.HasPrefix(g.Value, "/") || filepath.IsAbs(g.Value) {
			p.Report(Diagnostic{Location: loc, Message: fmt.Sprintf("license-files pattern %q must be relative to pyproject.toml (PEP 639)", g.Value)})
			continue
		}
		if strings.Contains(g.Value, "**") {
			continue // recursive globs are not expanded here
		}
		if !hasGlobMeta(g.Value) {
			if full := filepath.Join(pr.Dir, filepath.FromSlash(g.Value)); !pr.IsFile(full) && !pr.GitIgnored(full) {
				p.Report(Diagnostic{Location: loc, Severity: Warning, Message: fmt.Sprintf("license-files entry %q matches no file: no license is shipped; PEP 639 requires build tools to reject this (maturin accepts it silently)", g.Value)})
			}
			continue
		}
		if !globMatchesFile(dirs, pr.Dir, g.Value) {
			p.Report(Diagnostic{Location: loc, Severity: Warning, Message: fmt.Sprintf("license-files pattern %q matches no file: no license is shipped; PEP 639 requires build tools to reject this (maturin accepts it silently)", g.Value)})
		}
	}
}

// globMatchesFile reports whether a single- or multi-segment glob (no **)
// matches a file under dir, reading directories through the project's FS.
func globMatchesFile(fsys interface {
	ReadDir(string) ([]fs.DirEntry, error)
}, dir, pattern string) bool {
	return globWalk(fsys, dir, strings.Split(pattern, "/"))
}

var ruleP004 = &Rule{
	Code: "P004", Name: "cargo-version-not-pep440", Severity: Error,
	Summary: "Cargo package.version that PEP 440 cannot read",
	Doc: `What: Cargo.toml package.version (or the workspace's, when inherited) is a SemVer version that
maturin cannot convert to a PEP 440 version, e.g. 1.0.0-foo or 1.0.0-alpha.beta.

Why: maturin converts it on every build — even when [project] sets a static version, because the
Cargo metadata is read first — and stops: "Rust version used in Cargo.toml is not a valid python
version" (metadata.rs). SemVer pre-releases that PEP 440 understands (1.0.0-alpha.1 → 1.0.0a1,
1.0.0-rc.2 → 1.0.0rc2) are fine.

Fix: use a pre-release label PEP 440 knows (alpha, beta, rc with a number), e.g. 1.0.0-rc.1.

Versions: maturin 1.x with pep440_rs 0.7.`,
	Maturin1: true,
	Run:      runP004,
}

func runP004(p *Pass) {
	pr := p.Project
	m := pr.Manifest
	if m == nil {
		return
	}
	v, path := m.Version, pr.ManifestFile.Path
	if m.VersionWorkspace && pr.Workspace != nil && pr.Workspace.WorkspacePackage != nil {
		if s, ok := tomldoc.StrOf(pr.Workspace.WorkspacePackage.Value.Get("version")); ok {
			v, path = &s, pr.WorkspaceFile.Path
		}
	}
	if v == nil {
		return
	}
	sv, err := versions.ParseVersion(v.Value)
	if err != nil {
		return // cargo reports invalid SemVer itself
	}
	if _, err := versions.SemverToPEP440(sv); err != nil {
		p.Report(Diagnostic{Location: Location{Path: path, Range: v.Range},
			Message: fmt.Sprintf("Cargo version %q is not a valid Python (PEP 440) version: maturin stops (\"Failed to parse Cargo.toml into python metadata\" caused by \"Rust version used in Cargo.toml is not a valid python version\")", v.Value),
			Help:    "use a pre-release PEP 440 understands, e.g. 1.0.0-alpha.1, 1.0.0-beta.2, 1.0.0-rc.1"})
	}
}

var ruleP005 = &Rule{
	Code: "P005", Name: "scripts-in-entry-points", Severity: Error,
	Summary: "console_scripts in entry-points, or scripts with bin bindings",
	Doc: `What: [project.entry-points.console_scripts] or [project.entry-points.gui_scripts]; or
[project.scripts] in a project built with bin bindings.

Why: maturin stops: "console_scripts is not allowed in project.entry-points table" (PEP 621 puts
them in [project.scripts] / [project.gui-scripts]); with bin bindings: "Defining scripts and
working with a binary doesn't mix well" (build_orchestrator.rs).

Fix: move entry points to [project.scripts]; for a binary, drop [project.scripts] (maturin
installs the binary itself).

Versions: maturin 1.x.`,
	Maturin1: true,
	Run:      runP005,
}

func runP005(p *Pass) {
	in := p.Info()
	pp := p.Project.Pyproject
	if pp == nil || pp.Project == nil {
		return
	}
	if ep := pp.Project.Value.Get("entry-points"); ep != nil && ep.Value.IsTable() {
		for _, k := range []string{"console_scripts", "gui_scripts"} {
			if e := ep.Value.Get(k); e != nil {
				target := "[project.scripts]"
				if k == "gui_scripts" {
					target = "[project.gui-scripts]"
				}
				p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: e.KeyRange},
					Message: fmt.Sprintf("%s is not allowed in project.entry-points: maturin stops; use %s", k, target)})
			}
		}
	}
	if in.Bindings == "bin" {
		if e := pp.Project.Value.Get("scripts"); e != nil {
			r := e.KeyRange
			if e.Value.IsTable() && e.Value.Table.Kind == tomldoc.Header {
				r = e.Value.Range
			}
			p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: r},
				Message: "[project.scripts] with bin bindings: maturin stops (\"Defining scripts and working with a binary doesn't mix well\")"})
		}
	}
}

// checkCargoReadme reports a Cargo.toml package.readme naming a missing file:
// maturin reads it on every build (metadata.rs from_cargo_toml).
func checkCargoReadme(p *Pass) {
	pr := p.Project
	m := pr.Manifest
	if m == nil || m.Package == nil || pr.ManifestFile == nil || !m.Package.Value.IsTable() {
		return
	}
	e := m.Package.Value.Get("readme")
	if e == nil {
		return
	}
	base := filepath.Dir(pr.ManifestFile.Path)
	var rel string
	rng := e.Value.Range
	switch {
	case e.Value.Kind == tomldoc.String:
		rel = e.Value.Str
	case e.Value.Kind == tomldoc.Bool:
		if !e.Value.Bool {
			return
		}
		rel = "README.md"
	case e.Value.IsTable():
		if ws, _ := boolKey(e.Value, "workspace"); !ws || pr.Workspace == nil || pr.WorkspaceFile == nil || pr.Workspace.WorkspacePackage == nil {
			return
		}
		s, ok := tomldoc.StrOf(pr.Workspace.WorkspacePackage.Value.Get("readme"))
		if !ok {
			return
		}
		rel, base = s.Value, filepath.Dir(pr.WorkspaceFile.Path)
	default:
		return
	}
	full := filepath.Join(base, filepath.FromSlash(rel))
	if filepath.IsAbs(rel) {
		full = rel
	}
	if pr.IsFile(full) {
		return
	}
	loc := Location{Path: pr.ManifestFile.Path, Range: rng}
	if pr.GitIgnored(full) {
		p.Report(Diagnostic{Location: loc, Severity: Info,
			Message: fmt.Sprintf("Cargo.toml readme %q does not exist but is gitignored, so presumably generated before the build; a build from a clean checkout stops (\"Failed to read Readme specified in Cargo.toml\")", rel)})
		return
	}
	p.Report(Diagnostic{Location: loc,
		Message: fmt.Sprintf("Cargo.toml readme %q does not exist (looked for %s): maturin reads it on every build, even with a [project] readme, and stops (\"Failed to read Readme specified in Cargo.toml\")", rel, pr.Rel(full)),
		Help:    "fix the path (relative to Cargo.toml), create the file, or remove package.readme"})
}
