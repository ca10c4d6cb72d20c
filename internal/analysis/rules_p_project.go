package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

func init() {
	register(ruleP006)
}

var ruleP006 = &Rule{
	Code: "P006", Name: "invalid-project-metadata", Severity: Warning,
	Summary: "A [project] key PEP 621 does not define, or a name/version/sub-table it rejects",
	Doc: `What: in [project] (the PEP 621 table maturin turns into the wheel's METADATA): a key the
specification does not define (author, author_email, license-file, extras, home-page, ...; the
intended key is suggested), a name that is not a valid project name, a version that is not
PEP 440, a dynamic entry that names no field, or a malformed sub-table: authors/maintainers
entries other than { name, email } tables, readme/license tables with other keys, urls,
scripts, gui-scripts, optional-dependencies and entry-points values of the wrong shape.

Why: maturin reads [project] with serde and ignores unknown keys silently, so the author, the
extras or the license file you wrote never reach the wheel (verified with maturin 1.16: the
build succeeds and says nothing). validate-pyproject (used by setuptools and pre-commit hooks)
rejects the whole file. An invalid version stops
maturin ("pyproject.toml at … is invalid"); with an invalid name maturin builds a wheel whose
file name pip refuses ("is not a valid wheel filename") — both errors, verified with maturin
1.16. The rest are warnings.

Fix: use the suggested key (author → authors = [{ name = "…", email = "…" }], license-file →
license-files or license = { file = "…" }, extras → [project.optional-dependencies]), or remove
it. Other tools' settings belong under [tool.<name>].

Quick fix: rename an unknown key to the nearest known one (a misspelling) — unsafe (applied
only with --unsafe-fixes): the nearest key is a guess, and the renamed key, ignored until now,
starts to reach the wheel's metadata.

Versions: PEP 621 / the PyPA pyproject.toml specification (with PEP 639 license-files and the
import-names keys); maturin 1.x.`,
	Maturin1: true,
	Run:      runP006,
}

// projectKeyHints maps keys people write by mistake (setup.py / Poetry / setup.cfg spellings)
// to the [project] key that holds that information.
var projectKeyHints = map[string]string{
	"author": "authors", "author_email": "authors", "author-email": "authors",
	"maintainer": "maintainers", "maintainer_email": "maintainers", "maintainer-email": "maintainers",
	"license-file": "license-files", "license_file": "license-files", "license_files": "license-files",
	"extras": "optional-dependencies", "extras_require": "optional-dependencies", "extras-require": "optional-dependencies",
	"optional_dependencies": "optional-dependencies",
	"home-page":             "urls", "homepage": "urls", "home_page": "urls", "url": "urls", "repository": "urls", "documentation": "urls",
	"requires": "dependencies", "install_requires": "dependencies", "install-requires": "dependencies",
	"python_requires": "requires-python", "python-requires": "requires-python", "requires_python": "requires-python",
	"entry_points": "entry-points", "console_scripts": "scripts", "console-scripts": "scripts", "gui_scripts": "gui-scripts",
	"long_description": "readme", "long-description": "readme", "description-file": "readme",
	"description_content_type": "readme", "description-content-type": "readme",
	"keyword": "keywords", "classifier": "classifiers", "summary": "description",
}

// pep508Name reports whether s matches the project-name grammar of the core
// metadata spec, `(?i)^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$` — written
// out, since compiling that case-folded regexp costs about a millisecond
// per process. Case folding lets the Kelvin sign U+212A and long s U+017F
// match as letters (they fold to k and s), in Go's regexp as in Python's re
// with IGNORECASE, which packaging uses: TestPEP508NameSameAsRegexp.
func pep508Name(s string) bool {
	if s == "" {
		return false
	}
	letter := func(r rune) bool {
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == 0x212A || r == 0x17F
	}
	first, last := true, rune(0)
	for _, r := range s {
		if first && !letter(r) {
			return false
		}
		if !letter(r) && r != '.' && r != '_' && r != '-' {
			return false
		}
		first, last = false, r
	}
	return letter(last)
}

// dynamicFields are the [project] fields dynamic may name (every key but name and dynamic).
func dynamicField(s string) bool {
	_, ok := projectKeys[s]
	return ok && s != "name" && s != "dynamic"
}

// projectKeysSorted is projectKeys' keys in order (P006's did-you-mean
// candidates), sorted once.
var projectKeysSorted = func() []string {
	known := make([]string, 0, len(projectKeys))
	for k := range projectKeys {
		known = append(known, k)
	}
	sort.Strings(known)
	return known
}()

func runP006(p *Pass) {
	pp := p.Project.Pyproject
	if pp == nil || pp.Project == nil || !pp.Project.Value.IsTable() {
		return
	}
	path := pp.Path
	tbl := pp.Project.Value
	known := projectKeysSorted
	report := func(r tomldoc.Range, sev Severity, msg, help string) {
		d := Diagnostic{Location: Location{Path: path, Range: r}, Message: msg, Help: help}
		if sev != 0 {
			d.Severity = sev
		}
		p.Report(d)
	}
	for _, e := range tbl.Table.Entries {
		if _, ok := projectKeys[e.Key]; ok {
			continue
		}
		msg := fmt.Sprintf("[project] has no key %q: maturin ignores it silently (it never reaches the wheel's metadata), validate-pyproject rejects the file", e.Key)
		help := ""
		d := Diagnostic{Location: Location{Path: path, Range: e.KeyRange}, Message: msg}
		if hint, ok := projectKeyHints[strings.ToLower(e.Key)]; ok {
			help = projectHintHelp(e.Key, hint)
		} else if best := nearest(e.Key, known); best != "" {
			help = fmt.Sprintf("did you mean %q?", best)
			// Unsafe (Fix.Safe): the nearest key is a guess, and the renamed
			// key, ignored until now, starts to reach the wheel's metadata.
			d.Fixes = []Fix{{Title: fmt.Sprintf("Rename to %q", best), Preferred: true,
				Edits: []Edit{{Location: d.Location, NewText: best}}}}
		} else {
			help = "remove it, or move other tools' settings to [tool.<name>]"
		}
		d.Help = help
		p.Report(d)
	}
	if e := tbl.Get("name"); e != nil {
		if s, ok := e.Value.AsString(); ok && !pep508Name(s) {
			report(e.Value.Range, Error, fmt.Sprintf("project name %q is not a valid name (letters, digits, '.', '-', '_'; starting and ending with a letter or digit): maturin still builds, but the wheel's file name is invalid and pip refuses it (\"is not a valid wheel filename\")", s), "")
		}
	}
	if e := tbl.Get("version"); e != nil {
		if s, ok := e.Value.AsString(); ok {
			if _, err := versions.ParsePyVersion(s); err != nil {
				report(e.Value.Range, Error, fmt.Sprintf("project version %q is not a PEP 440 version: maturin stops (\"pyproject.toml at … is invalid\")", s), "use a version like \"1.0.0\", \"1.0.0b1\" or \"1.0.0.post1\"")
			}
		}
	}
	if e := tbl.Get("dynamic"); e != nil && e.Value.Kind == tomldoc.Array {
		for _, v := range e.Value.Arr {
			if s, ok := v.AsString(); ok && s != "name" && !dynamicField(s) {
				help := ""
				if best := nearest(s, known); best != "" && dynamicField(best) {
					help = fmt.Sprintf("did you mean %q?", best)
				}
				report(v.Range, 0, fmt.Sprintf("dynamic lists %q, which is not a [project] field", s), help)
			}
		}
	}
	for _, key := range []string{"authors", "maintainers"} {
		e := tbl.Get(key)
		if e == nil || e.Value.Kind != tomldoc.Array {
			continue
		}
		// One finding per unknown sub-key, at its first use, counting the rest
		// (a list of 40 authors with an orcid key is one mistake).
		type first struct {
			r tomldoc.Range
			n int
		}
		extra := map[string]*first{}
		var order []string
		for _, v := range e.Value.Arr {
			if !v.IsTable() {
				report(v.Range, 0, fmt.Sprintf("%s entries must be tables like { name = \"…\", email = \"…\" }, found %s", key, v.TypeName()), "")
				continue
			}
			for _, se := range v.Table.Entries {
				if se.Key == "name" || se.Key == "email" {
					continue
				}
				if f := extra[se.Key]; f != nil {
					f.n++
				} else {
					extra[se.Key] = &first{se.KeyRange, 1}
					order = append(order, se.Key)
				}
			}
			checkStringValues(report, v, key+" entry")
			if em := v.Get("email"); em != nil {
				if s, ok := em.Value.AsString(); ok && !strings.Contains(s, "@") {
					report(em.Value.Range, 0, fmt.Sprintf("%s email %q is not an e-mail address", key, s), "")
				}
			}
		}
		for _, k := range order {
			f := extra[k]
			more := ""
			if f.n > 1 {
				more = fmt.Sprintf(" (in %d entries)", f.n)
			}
			report(f.r, 0, fmt.Sprintf("%s entries have no key %q%s: PEP 621 allows only name and email; maturin drops it, validate-pyproject rejects the file", key, k, more), "")
		}
	}
	if e := tbl.Get("readme"); e != nil && e.Value.IsTable() {
		checkSubKeys(report, e.Value, "readme", []string{"file", "text", "content-type"})
		if e.Value.Get("file") != nil && e.Value.Get("text") != nil {
			report(e.Value.Range, 0, "readme sets both file and text; PEP 621 allows one", "")
		}
	}
	if e := tbl.Get("license"); e != nil && e.Value.IsTable() {
		checkSubKeys(report, e.Value, "license", []string{"file", "text"})
	}
	for _, key := range []string{"urls", "scripts", "gui-scripts"} {
		if e := tbl.Get(key); e != nil && e.Value.IsTable() {
			checkStringValues(report, e.Value, key)
		}
	}
	if e := tbl.Get("optional-dependencies"); e != nil && e.Value.IsTable() {
		for _, g := range e.Value.Table.Entries {
			if !isStringArray(g.Value) {
				report(g.Value.Range, 0, fmt.Sprintf("optional-dependencies.%s must be an array of requirement strings, found %s", g.Key, g.Value.TypeName()), "")
			}
		}
	}
	if e := tbl.Get("entry-points"); e != nil && e.Value.IsTable() {
		for _, g := range e.Value.Table.Entries {
			if !g.Value.IsTable() {
				report(g.Value.Range, 0, fmt.Sprintf("entry-points.%s must be a table of name = \"module:object\" strings, found %s", g.Key, g.Value.TypeName()), "")
				continue
			}
			checkStringValues(report, g.Value, "entry-points."+g.Key)
		}
	}
}

func projectHintHelp(key, hint string) string {
	switch hint {
	case "authors", "maintainers":
		return fmt.Sprintf("use %s = [{ name = \"…\", email = \"…\" }]", hint)
	case "license-files":
		return "use license-files = [\"…\"] (PEP 639) or license = { file = \"…\" }"
	case "optional-dependencies":
		return "use a [project.optional-dependencies] table: group = [\"requirement\", …]"
	case "urls":
		return "use [project.urls] with labels, e.g. Homepage = \"https://…\""
	case "readme":
		if strings.Contains(strings.ToLower(key), "content") {
			return "use readme = { file = \"…\", content-type = \"text/markdown\" }"
		}
		return "use readme = \"README.md\" (or a { file, content-type } table)"
	}
	return fmt.Sprintf("use %q", hint)
}

func checkSubKeys(report func(tomldoc.Range, Severity, string, string), v *tomldoc.Value, where string, allowed []string) {
	for _, e := range v.Table.Entries {
		ok := false
		for _, a := range allowed {
			ok = ok || a == e.Key
		}
		if !ok {
			help := ""
			if best := nearest(e.Key, allowed); best != "" {
				help = fmt.Sprintf("did you mean %q?", best)
			}
			report(e.KeyRange, 0, fmt.Sprintf("%s has no key %q (allowed: %s)", where, e.Key, strings.Join(allowed, ", ")), help)
		}
	}
}

func checkStringValues(report func(tomldoc.Range, Severity, string, string), v *tomldoc.Value, where string) {
	for _, e := range v.Table.Entries {
		if _, ok := e.Value.AsString(); !ok {
			report(e.Value.Range, 0, fmt.Sprintf("%s.%s must be a string, found %s", where, e.Key, e.Value.TypeName()), "")
		}
	}
}

func isStringArray(v *tomldoc.Value) bool {
	if v == nil || v.Kind != tomldoc.Array {
		return false
	}
	for _, x := range v.Arr {
		if _, ok := x.AsString(); !ok {
			return false
		}
	}
	return true
}
