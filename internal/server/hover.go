package server

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

// cursor is a request's document and offset, read against a fresh project
// snapshot (the loader caches parses, so this is cheap).
type cursor struct {
	path     string
	uri      string
	file     *project.SourceFile
	off      int
	projects []*project.Project // the projects the file belongs to
}

func badParams(err error) error {
	return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
}

func (s *Server) cursorAt(ctx context.Context, uri protocol.DocumentURI, pos protocol.Position) (*cursor, error) {
	path, ok := uriToPath(uri)
	if !ok {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "unsupported URI %q", uri)
	}
	c := &cursor{path: path, uri: string(uri), projects: s.projectsOf(ctx, path)}
	for _, p := range c.projects {
		if f := p.File(path); f != nil {
			c.file = f
			break
		}
	}
	if c.file == nil {
		if isTOML(path) {
			c.file = s.loader.TOML(path)
		} else if isPython(path) {
			c.file = s.loader.Python(path)
		} else {
			c.file = s.loader.Rust(path)
		}
	}
	if c.file.ReadErr != nil {
		return nil, nil
	}
	c.off = c.file.Lines().OffsetUTF16(spanPos(pos))
	return c, nil
}

// projectsOf returns the projects path belongs to, from their latest
// analysis (views).
func (s *Server) projectsOf(ctx context.Context, path string) []*project.Project {
	vs := s.views(ctx, path, false)
	out := make([]*project.Project, len(vs))
	for i, v := range vs {
		out[i] = v.proj
	}
	return out
}

func (s *Server) markup(text string) *protocol.Hover {
	s.mu.Lock()
	md := s.caps.markdown
	s.mu.Unlock()
	if !md {
		return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.PlainText, Value: plainText(text)}}
	}
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.Markdown, Value: text}}
}

var (
	mdLinkRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\[([^\]]*)\]\(([^)]*)\)`) })
	mdStrongRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\*\*([^*]+)\*\*|__([^_]+)__`) })
	mdCodeRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("`([^`]*)`") })
)

// plainText renders the hovers' Markdown for clients that asked for plain
// text: no fences, no emphasis or code marks, links as "text (url)", table
// pipes as columns.
func plainText(md string) string {
	var out []string
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") {
			continue
		}
		if strings.HasPrefix(t, "|") && strings.Trim(t, "|-: ") == "" {
			continue // a table's header rule
		}
		if strings.HasPrefix(t, "|") {
			cells := strings.Split(strings.Trim(t, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			line = strings.Join(cells, "  ")
		}
		if strings.HasPrefix(t, "#") {
			line = strings.TrimSpace(strings.TrimLeft(t, "#"))
		}
		line = mdLinkRe().ReplaceAllString(line, "$1 ($2)")
		line = mdStrongRe().ReplaceAllString(line, "$1$2")
		line = mdCodeRe().ReplaceAllString(line, "$1")
		line = strings.ReplaceAll(line, "\\|", "|")
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func (s *Server) hover(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.TextDocumentPositionParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, badParams(err)
	}
	c, err := s.cursorAt(ctx, p.TextDocument.URI, p.Position)
	if err != nil || c == nil {
		return nil, err
	}
	if text := suppressionHover(c); text != "" {
		return s.markup(text), nil
	}
	var text string
	switch {
	case filepath.Base(c.path) == "pyproject.toml":
		text = pyprojectHover(c)
	case strings.HasSuffix(c.path, ".rs"):
		text = rustHover(c)
		if text == "" {
			text = rustBoundaryHover(c) // python.go
		}
	case isPython(c.path):
		text = pythonHover(c) // python.go
	case filepath.Base(c.path) == "Cargo.toml":
		text = cargoHover(c)
	}
	if text == "" {
		return nil, nil
	}
	return s.markup(text), nil
}

// ---- suppression comments ----

// suppressionHover documents the rule code under the cursor inside a
// `pyo3-ls: ignore[...]` comment, read by the same parser the analysis
// uses (analysis.Suppressions).
func suppressionHover(c *cursor) string {
	for _, sup := range analysis.Suppressions(c.file) {
		if c.off < sup.Comment.Start || c.off > sup.Comment.End {
			continue
		}
		for _, sc := range sup.Codes {
			if c.off < sc.Range.Start || c.off > sc.Range.End {
				continue
			}
			r := analysis.Lookup(sc.Code)
			if r == nil {
				return fmt.Sprintf("**%s**: no such pyo3-ls rule (see `pyo3-ls rules`)", sc.Code)
			}
			return ruleDoc(r)
		}
	}
	return ""
}

func ruleDoc(r *analysis.Rule) string {
	return fmt.Sprintf("**%s** `%s` (default: %s)\n\n%s\n\n```text\n%s\n```", r.Code, r.Name, r.Severity, r.Summary, r.Doc)
}

// ---- pyproject.toml ----

var buildSystemDocs = map[string]string{
	"requires":      "Packages the build frontend installs before building: must list `maturin` with a version range, e.g. `[\"maturin>=1.9,<2.0\"]`.",
	"build-backend": "The PEP 517 backend: `\"maturin\"` for a maturin project.",
	"backend-path":  "Directories added to sys.path to find an in-tree backend; unusual for maturin projects.",
}

var projectDocs = map[string]string{
	"name":                  "The distribution name. maturin also uses it as the module name when neither `[tool.maturin] module-name` nor Cargo `[lib] name` is set.",
	"version":               "The package version. Usually listed in `dynamic` instead, so maturin takes Cargo.toml's `package.version` (converted to PEP 440).",
	"dynamic":               "Fields the build backend fills in. maturin can provide `version` (from Cargo.toml), `description`, `authors`, `license`, `readme`, `keywords`, `urls`… from the Cargo manifest.",
	"requires-python":       "PEP 440 specifiers for the interpreters the package installs on. Compare it with what the PyO3 version supports and with the abi3 floor.",
	"classifiers":           "Trove classifiers; `Programming Language :: Python :: Free Threading :: …` declares free-threading support.",
	"readme":                "The README file (path or table) shown on PyPI; maturin includes it in the sdist.",
	"license":               "The license: an SPDX expression (PEP 639) or a `{ file = \"…\" }` / `{ text = \"…\" }` table.",
	"license-files":         "Globs of license files to ship in the wheel's metadata.",
	"scripts":               "Console scripts: `name = \"module:function\"`. With `bindings = \"bin\"` maturin ships the Rust binary instead.",
	"gui-scripts":           "GUI scripts: `name = \"module:function\"`.",
	"entry-points":          "Entry point groups; `console_scripts` belongs in `[project.scripts]`.",
	"dependencies":          "Runtime Python dependencies (PEP 508).",
	"optional-dependencies": "Extras: named lists of PEP 508 dependencies.",
	"description":           "One-line summary shown on PyPI.",
	"authors":               "Authors as `{ name, email }` tables.",
	"keywords":              "Keywords for PyPI search.",
	"urls":                  "Project URLs shown on PyPI.",
}

func pyprojectHover(c *cursor) string {
	h := findTOML(c.file.Doc, c.off)
	if h == nil {
		return ""
	}
	var p *project.Project
	var in *model.Project
	if len(c.projects) > 0 {
		p = c.projects[0]
		in = model.New(p)
	}
	switch {
	case h.under("tool", "maturin") && len(h.Path) == 2:
		return tableSummary(p, in, "tool.maturin") + "**`[tool.maturin]`** — maturin's configuration (maturin " + facts.MaturinKnown.String() + " knows " + fmt.Sprint(len(facts.MaturinKeys)) + " keys; it ignores unknown keys silently)."
	case h.under("tool", "maturin"):
		keys := h.Path[2:]
		var b strings.Builder
		spec, ok := facts.MaturinKey(keys...)
		title := "[tool.maturin] " + strings.Join(keys, ".")
		if !ok {
			fmt.Fprintf(&b, "**`%s`**: not a key maturin %s knows; maturin ignores it.", title, facts.MaturinKnown)
			return b.String()
		}
		fmt.Fprintf(&b, "**`%s`** — %s\n\n%s", title, spec.Type, spec.Doc)
		if len(spec.Enum) > 0 {
			vals := make([]string, len(spec.Enum))
			for i, v := range spec.Enum {
				vals[i] = "`" + v + "`"
			}
			if spec.EnumStrict {
				fmt.Fprintf(&b, "\n\nAllowed values: %s (maturin rejects anything else).", strings.Join(vals, ", "))
			} else {
				fmt.Fprintf(&b, "\n\nUsual values: %s.", strings.Join(vals, ", "))
			}
		}
		if len(spec.Aliases) > 0 {
			fmt.Fprintf(&b, "\n\nAlso spelled: `%s`.", strings.Join(spec.Aliases, "`, `"))
		}
		if in != nil {
			switch {
			case len(keys) == 1 && keys[0] == "module-name":
				return moduleVerdict(p, in) + "\n\n" + b.String() + "\n\n---\n\n" + moduleInsight(p, in)
			case len(keys) == 1 && keys[0] == "features" && h.Value != nil && h.Value.Kind == tomldoc.String:
				b.WriteString("\n\n---\n\n" + featureInsight(p, in, h.Value.Str))
			case len(keys) == 1 && keys[0] == "bindings":
				fmt.Fprintf(&b, "\n\n---\n\nBindings in effect: `%s` (%s).", orUnknown(string(in.Bindings)), map[bool]string{true: "set here", false: "detected from Cargo.toml"}[in.BindingsExplicit])
			}
		}
		return b.String()
	case h.under("tool", "maturin") || h.under("tool", "pyo3-ls"):
		return ""
	case len(h.Path) == 1 && h.OnKey && (h.Path[0] == "project" || h.Path[0] == "build-system"):
		return tableSummary(p, in, h.Path[0])
	case h.under("build-system") && len(h.Path) == 2:
		if d := buildSystemDocs[h.Path[1]]; d != "" {
			return fmt.Sprintf("**`[build-system] %s`**\n\n%s", h.Path[1], d)
		}
	case h.under("project") && len(h.Path) >= 2:
		key := h.Path[1]
		d := projectDocs[key]
		if d == "" {
			return ""
		}
		text := fmt.Sprintf("**`[project] %s`**\n\n%s", key, d)
		if in != nil {
			switch key {
			case "requires-python":
				text += "\n\n---\n\n" + requiresPythonInsight(p, in)
			case "name":
				if in.Module.Source == model.FromProjectName {
					text = moduleVerdict(p, in) + "\n\n" + text + "\n\n---\n\n" + moduleInsight(p, in)
				}
			}
		}
		return text
	}
	return ""
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// moduleInsight explains the module name maturin resolves: import path,
// where the extension lands in the wheel, and PyInit_ expected vs exported.
func moduleInsight(p *project.Project, in *model.Project) string {
	mn := in.Module
	if !mn.Set {
		return "maturin cannot resolve a module name: set `[tool.maturin] module-name`."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**Python module `%s`** (from %s)\n\n", mn.Full, "`"+mn.Source.Label()+"`")
	fmt.Fprintf(&b, "- import: `import %s`\n", mn.Full)
	suffix := ".cpython-3XY-<platform>.so"
	if abi3(in) {
		suffix = ".abi3.so"
	}
	where, mixed, pkgDir := in.WheelLocation()
	where += suffix
	switch {
	case mixed:
		fmt.Fprintf(&b, "- in the wheel: `%s` (beside your Python package `%s/`)\n", where, p.Rel(pkgDir))
	case strings.Contains(mn.Full, "."):
		fmt.Fprintf(&b, "- in the wheel: `%s` — no Python package `%s/`, so maturin drops the prefix and `import %s` fails\n", where, p.Rel(pkgDir), mn.Full)
	default:
		fmt.Fprintf(&b, "- in the wheel: `%s` (no Python package: maturin adds a `%s/__init__.py` that re-exports the extension)\n", where, mn.Ext)
	}
	fmt.Fprintf(&b, "- Python calls: `PyInit_%s`\n", mn.Ext)
	exported := in.ExportedNames()
	if len(exported) == 0 {
		b.WriteString("- the library exports: no `PyInit_` symbol found (no top-level `#[pymodule]`)\n")
		return b.String()
	}
	syms := make([]string, len(exported))
	match := false
	for i, n := range exported {
		syms[i] = "`PyInit_" + n + "`"
		if n == mn.Ext {
			match = true
		}
	}
	fmt.Fprintf(&b, "- the library exports: %s\n", strings.Join(syms, ", "))
	if !match {
		fmt.Fprintf(&b, "\nPython raises `ImportError: dynamic module does not define module export function (PyInit_%s)`.", mn.Ext)
	}
	return b.String()
}

// moduleVerdict is the one-line answer a module-name hover leads with:
// does `import <module>` find the extension's init function?
func moduleVerdict(p *project.Project, in *model.Project) string {
	mn := in.Module
	if !mn.Set {
		return "✗ maturin cannot resolve a module name"
	}
	exported := in.ExportedNames()
	syms := make([]string, len(exported))
	match := false
	for i, n := range exported {
		syms[i] = "PyInit_" + n
		match = match || n == mn.Ext
	}
	_, mixed, pkgDir := in.WheelLocation()
	switch {
	case len(exported) == 0:
		return fmt.Sprintf("✗ `import %s` fails: the library exports no `PyInit_` symbol (no top-level `#[pymodule]`)", mn.Full)
	case !match:
		return fmt.Sprintf("✗ `import %s` fails: the library exports %s, Python looks for `PyInit_%s`", mn.Full, "`"+strings.Join(syms, "`, `")+"`", mn.Ext)
	case !mixed && strings.Contains(mn.Full, "."):
		return fmt.Sprintf("✗ `import %s` fails: there is no Python package `%s/`, so maturin installs the extension as `%s`", mn.Full, p.Rel(pkgDir), mn.Ext)
	}
	return fmt.Sprintf("✓ `import %s` works: the library exports `PyInit_%s`", mn.Full, mn.Ext)
}

// abi3 reports whether maturin builds abi3 wheels: the same detection the
// rules use (dependency features, [tool.maturin] features, default crate features).
func abi3(in *model.Project) bool { return in.Abi3().Enabled }

// abi3Floor returns the abi3-py3X floor (0 if none or bare abi3) and the feature name.
func abi3Floor(in *model.Project) (int, string) {
	a := in.Abi3()
	if !a.Enabled || a.Floor == 0 {
		return 0, ""
	}
	return a.Floor, fmt.Sprintf("abi3-py3%d", a.Floor)
}

func featureInsight(p *project.Project, in *model.Project, name string) string {
	if dep, feat, ok := strings.Cut(name, "/"); ok {
		if in.PyO3 != nil && strings.TrimSuffix(dep, "?") == in.PyO3.Dep.Key {
			if v, src, ok := in.ResolvedPyO3(); ok {
				if row := facts.Lookup(v); row != nil {
					if row.HasFeature(feat) {
						return fmt.Sprintf("`%s` enables the `%s` feature of %s %s (%s).", name, feat, in.PyO3.Package, v, resolvedHow(src))
					}
					return fmt.Sprintf("%s %s has no feature `%s`.", in.PyO3.Package, v, feat)
				}
			}
		}
		return fmt.Sprintf("`%s` enables feature `%s` of dependency `%s`.", name, feat, dep)
	}
	if p.Manifest == nil {
		return ""
	}
	f := p.Manifest.Features[name]
	if f == nil {
		return fmt.Sprintf("Cargo.toml defines no feature `%s`.", name)
	}
	var en []string
	for _, e := range f.Enables {
		en = append(en, e.Value)
	}
	return fmt.Sprintf("Cargo feature `%s` = `[%s]` (%s).", name, strings.Join(quoteAll(en), ", "), p.Rel(p.ManifestPath))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func resolvedHow(src string) string {
	if src == "Cargo.lock" {
		return "locked in Cargo.lock"
	}
	return "assumed: the newest non-yanked release the requirement admits, as cargo picks it; a Cargo.lock would pin it"
}

// pyo3Insight explains the resolved PyO3 version and what it supports.
func pyo3Insight(in *model.Project) string {
	dep := in.PyO3
	if dep == nil {
		return ""
	}
	var b strings.Builder
	v, src, ok := in.ResolvedPyO3()
	if !ok {
		req := "none"
		if dep.Version != nil {
			req = fmt.Sprintf("%q", dep.Version.Value)
		}
		fmt.Fprintf(&b, "**%s**: cannot resolve a version (requirement %s", dep.Package, req)
		if dep.Path || dep.Git {
			b.WriteString(", path or git dependency without a Cargo.lock entry")
		}
		b.WriteString(").")
		return b.String()
	}
	fmt.Fprintf(&b, "**%s %s** (%s", dep.Package, v, resolvedHow(src))
	if dep.Version != nil {
		fmt.Fprintf(&b, "; requirement `%s`", dep.Version.Value)
	}
	b.WriteString(")\n\n")
	row := facts.Lookup(v)
	if row == nil {
		b.WriteString("pyo3-ls has no facts for PyO3 before 0.20.")
		return b.String()
	}
	if row.Extrapolated || facts.NewestKnown.ComparePrecedence(v) < 0 {
		fmt.Fprintf(&b, "_Newer than the facts table (read up to %s): the newest known facts are shown._\n\n", facts.NewestKnown)
	}
	fmt.Fprintf(&b, "- CPython: 3.%d – 3.%d", row.CPythonMin, row.CPythonMax)
	if row.CPythonExperimental != 0 {
		fmt.Fprintf(&b, " (3.%d builds as experimental)", row.CPythonExperimental)
	}
	if !row.HasMaxCheck {
		b.WriteString(" (newer versions are not rejected by the build)")
	}
	b.WriteString("\n")
	if row.PyPyMin != 0 {
		fmt.Fprintf(&b, "- PyPy: 3.%d – 3.%d\n", row.PyPyMin, row.PyPyMax)
	}
	if row.GraalPyMin != 0 {
		fmt.Fprintf(&b, "- GraalPy: 3.%d – 3.%d\n", row.GraalPyMin, row.GraalPyMax)
	}
	if floor, name := abi3Floor(in); floor != 0 {
		fmt.Fprintf(&b, "- abi3: floor 3.%d (`%s`): one wheel for CPython ≥ 3.%d\n", floor, name, floor)
	} else if abi3(in) {
		fmt.Fprintf(&b, "- abi3: enabled without a floor feature: the floor is the interpreter it builds with\n")
	} else {
		lo := row.Abi3MinMinor()
		fmt.Fprintf(&b, "- abi3: not enabled (floors available: abi3-py3%d … abi3-py3%d)\n", lo, row.Abi3MaxMinor)
	}
	switch {
	case len(row.FreeThreaded) > 0:
		ft := make([]string, len(row.FreeThreaded))
		for i, m := range row.FreeThreaded {
			ft[i] = fmt.Sprintf("3.%dt", m)
		}
		fmt.Fprintf(&b, "- free-threading: builds for %s; `#[pymodule]` declares `gil_used = %v` by default\n", strings.Join(ft, ", "), row.GILUsedDefault)
	case row.FreeThreadedError:
		b.WriteString("- free-threading: the build refuses free-threaded interpreters (needs PyO3 ≥ 0.23)\n")
	default:
		b.WriteString("- free-threading: not supported (needs PyO3 ≥ 0.23)\n")
	}
	fmt.Fprintf(&b, "- `extension-module` feature: %s\n", row.ExtensionModule)
	fmt.Fprintf(&b, "\n_Source: %s_", row.Source)
	return b.String()
}

// requiresPythonInsight compares requires-python with what PyO3 supports.
func requiresPythonInsight(p *project.Project, in *model.Project) string {
	pp := p.Pyproject
	if pp == nil || pp.RequiresPython == nil {
		return ""
	}
	specs, err := versions.ParseSpecifiers(pp.RequiresPython.Value)
	if err != nil {
		return fmt.Sprintf("`%s` does not parse: %v", pp.RequiresPython.Value, err)
	}
	lo, ok := specs.LowestMinor(3)
	if !ok {
		return "requires-python admits no Python 3 version."
	}
	hi, bounded, _ := specs.HighestMinor(3)
	var b strings.Builder
	if bounded {
		fmt.Fprintf(&b, "Admits Python 3.%d – 3.%d.", lo, hi)
	} else {
		fmt.Fprintf(&b, "Admits Python 3.%d and newer.", lo)
	}
	v, src, ok := in.ResolvedPyO3()
	if !ok {
		return b.String()
	}
	row := facts.Lookup(v)
	if row == nil {
		return b.String()
	}
	fmt.Fprintf(&b, " %s %s (%s) supports CPython 3.%d – 3.%d.", in.PyO3.Package, v, resolvedHow(src), row.CPythonMin, row.CPythonMax)
	if _, low, ok := analysis.RequiresPythonBelowPyO3(in); ok { // A002
		fmt.Fprintf(&b, "\n\n- 3.%d – 3.%d are admitted but PyO3 %s cannot build for them.", low, row.CPythonMin-1, v)
	}
	if !bounded || hi > row.CPythonMax {
		top := "newer"
		if bounded {
			top = fmt.Sprintf("3.%d", hi)
		}
		fmt.Fprintf(&b, "\n\n- 3.%d – %s are admitted but newer than PyO3 %s supports", row.CPythonMax+1, top, v)
		if abi3(in) {
			b.WriteString(" (an abi3 wheel still installs there)")
		}
		b.WriteString(".")
	}
	if a, low, ok := analysis.Abi3AboveRequiresPython(in); ok { // A001
		fmt.Fprintf(&b, "\n\n- the abi3 floor 3.%d (`abi3-py3%d`) is above the lowest admitted 3.%d.", a.Floor, a.Floor, low)
	}
	return b.String()
}

// ---- Cargo.toml ----

func cargoHover(c *cursor) string {
	h := findTOML(c.file.Doc, c.off)
	if h == nil || len(c.projects) == 0 {
		return ""
	}
	for _, p := range c.projects {
		in := model.New(p)
		if c.path == p.ManifestPath && len(h.Path) == 1 && h.OnKey && (h.Path[0] == "lib" || h.Path[0] == "features") {
			return tableSummary(p, in, h.Path[0])
		}
		if c.path == p.ManifestPath && h.under("lib", "crate-type") && len(h.Path) == 2 {
			return crateTypeVerdict(p) + "\n\n**`[lib] crate-type`** — the kinds of library cargo builds. maturin needs `cdylib` for a Python extension (the shared library Python loads); add `rlib` too if Rust code (tests, benches, other crates) uses the crate."
		}
		if c.path == p.ManifestPath && h.under("lib", "name") && len(h.Path) == 2 {
			return moduleVerdict(p, in) + "\n\n**`[lib] name`** — the library's crate name; maturin uses it as the module name unless `[tool.maturin] module-name` is set.\n\n---\n\n" + moduleInsight(p, in)
		}
		if c.path == p.ManifestPath && h.under("package", "name") && len(h.Path) == 2 && in.Module.Source == model.FromPackageName {
			return moduleVerdict(p, in) + "\n\n" + moduleInsight(p, in)
		}
		if in.PyO3 != nil && isDepHit(h, in.PyO3) {
			return pyo3Insight(in)
		}
	}
	return ""
}

// isDepHit reports whether the hit is on the pyo3 dependency's entry (its
// key, inline value or a key inside it).
func isDepHit(h *tomlHit, dep *model.PyO3Dep) bool {
	for _, e := range []*model.PyO3Dep{dep} {
		for i := 0; i+1 < len(h.Path); i++ {
			if h.Path[i] == "dependencies" && h.Path[i+1] == e.Dep.Key {
				return true
			}
		}
	}
	return false
}

// ---- Rust ----

func rustHover(c *cursor) string {
	if c.file.Rust == nil {
		return ""
	}
	for _, p := range c.projects {
		in := model.New(p)
		for _, m := range in.Modules {
			if m.File.Path != c.path {
				continue
			}
			mod := m.Module
			start, end := mod.AttrRange.Start, mod.IdentRange.End
			if mod.NameRange.End > end {
				end = mod.NameRange.End
			}
			if c.off < start || c.off > end {
				continue
			}
			var b strings.Builder
			if m.TopLevel() {
				b.WriteString(moduleVerdict(p, in) + "\n\n")
			}
			fmt.Fprintf(&b, "**#[pymodule] `%s`** exports `PyInit_%s`", mod.Ident, mod.Name)
			if !m.TopLevel() {
				b.WriteString(" — no: a submodule exports no PyInit_ symbol")
			}
			if mod.NameSource != "" {
				fmt.Fprintf(&b, " (name set with #[%s(name = …)])", mod.NameSource)
			}
			b.WriteString("\n\n---\n\n" + moduleInsight(p, in))
			return b.String()
		}
	}
	return ""
}

// crateTypeVerdict answers whether cargo builds what maturin needs.
func crateTypeVerdict(p *project.Project) string {
	m := p.Manifest
	switch {
	case m == nil:
		return ""
	case len(m.CrateTypes) == 0:
		return "✗ no `crate-type`: cargo builds only an `rlib`, and maturin finds no extension to package (set `crate-type = [\"cdylib\"]`)"
	case m.HasCrateType("cdylib"):
		return "✓ `cdylib` is built: the shared library Python loads"
	}
	return "✗ no `cdylib` in `crate-type`: maturin has no extension to package"
}

// tableSummary is the hover of a table header: the answers that table
// decides, first.
func tableSummary(p *project.Project, in *model.Project, table string) string {
	if p == nil || in == nil {
		return ""
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	switch table {
	case "tool.maturin":
		line("%s", moduleVerdict(p, in))
		line("")
		line("- bindings: `%s` (%s)", orUnknown(string(in.Bindings)), map[bool]string{true: "set here", false: "detected"}[in.BindingsExplicit])
		if floor, feat := abi3Floor(in); abi3(in) && floor > 0 {
			line("- abi3: one wheel for CPython 3.%d and newer (`%s`)", floor, feat)
		} else if abi3(in) {
			line("- abi3: enabled")
		} else {
			line("- abi3: not enabled (one wheel per Python version)")
		}
		if pp := p.Pyproject; pp != nil && pp.PythonSource != nil {
			line("- Python sources: `%s/`", pp.PythonSource.Value)
		}
		line("")
	case "project":
		pp := p.Pyproject
		if pp == nil {
			return ""
		}
		if pp.Name != nil {
			line("**`[project]`** — distribution `%s`", pp.Name.Value)
		} else {
			line("**`[project]`** — no `name`: the build fails")
		}
		if pp.RequiresPython != nil {
			line("- installs on: Python `%s`", pp.RequiresPython.Value)
		} else {
			line("- installs on: any Python (no `requires-python`)")
		}
		line("- imports as: `%s`", in.Module.Full)
		line("")
		line("PEP 621 metadata; maturin fills the fields listed in `dynamic` from Cargo.toml.")
	case "build-system":
		line("**`[build-system]`** — how pip and build run the build: `build-backend = \"maturin\"` and a `requires` entry for maturin with a version range (e.g. `maturin>=1.9,<2.0`).")
	case "lib":
		line("%s", crateTypeVerdict(p))
		line("")
		line("**`[lib]`** — the library target: its `name` is the crate name (and the module name unless `[tool.maturin] module-name` is set); `crate-type` must include `cdylib` for maturin.")
		line("")
		line("%s", moduleVerdict(p, in))
	case "features":
		var on []string
		seen := map[string]bool{}
		for _, f := range in.PyO3Features() {
			if !seen[f.Feature] {
				seen[f.Feature] = true
				on = append(on, "`"+f.Feature+"`")
			}
		}
		line("**`[features]`** — Cargo features. A maturin build enables `default` and `[tool.maturin] features`.")
		if len(on) > 0 {
			line("")
			line("PyO3 features a maturin build turns on: %s", strings.Join(on, ", "))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
