package analysis

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// ConfigKeys are the keys [tool.pyo3-ls] accepts.
var ConfigKeys = []string{"select", "ignore", "severity", "exclude"}

// Config is the [tool.pyo3-ls] configuration in effect for a project: its
// own pyproject.toml's table and those of workspace-level pyproject.toml
// files above it (project.Project.ConfigFiles). For select, ignore and each
// severity entry the nearest file that sets it wins; exclude patterns of
// every level apply, each relative to its own file.
type Config struct {
	Select    []string // nil: every rule
	HasSelect bool
	Ignore    []string
	Severity  map[string]Severity // by code or prefix
	Exclude   []ExcludePattern

	problems []configProblem
}

// ExcludePattern is a glob relative to the directory of the file that set it.
type ExcludePattern struct {
	Base    string // directory of the config file
	Pattern string // '/'-separated; * ? [..] within a segment, ** for any number of segments
}

type configProblem struct {
	Location
	msg string
}

// LoadConfig reads the project's configuration. Problems in it are reported
// by rule X001 when Run runs.
func LoadConfig(p *project.Project) *Config {
	c := &Config{}
	type level struct {
		file  *project.SourceFile
		entry *tomldoc.Entry
	}
	var levels []level
	// The project's own table: pyproject.File.Config holds it when it is a
	// table; look in the document to report any other shape too.
	if f := p.PyprojectFile; f != nil && f.Doc != nil {
		if e := f.Doc.Root.Lookup("tool", "pyo3-ls"); e != nil {
			levels = append(levels, level{f, e})
		}
	}
	for _, f := range p.ConfigFiles {
		if f.Doc == nil || f.Path == filepath.Clean(pathOf(p.PyprojectFile)) {
			continue
		}
		if e := f.Doc.Root.Lookup("tool", "pyo3-ls"); e != nil {
			levels = append(levels, level{f, e})
		}
	}
	var haveIgnore bool
	for _, lv := range levels {
		c.read(lv.file.Path, lv.entry, &haveIgnore)
	}
	return c
}

func pathOf(f *project.SourceFile) string {
	if f == nil {
		return ""
	}
	return f.Path
}

func (c *Config) problem(path string, r span.Range, format string, args ...any) {
	c.problems = append(c.problems, configProblem{Location{Path: path, Range: r}, fmt.Sprintf(format, args...)})
}

// read merges one level's table into c; levels come nearest first, so a key
// already set is kept.
func (c *Config) read(file string, e *tomldoc.Entry, haveIgnore *bool) {
	if e.Value == nil {
		return
	}
	if e.Value.Kind != tomldoc.Table {
		c.problem(file, e.Value.Range, "[tool.pyo3-ls] must be a table, not %s", e.Value.TypeName())
		return
	}
	dir := filepath.Dir(file)
	for _, kv := range e.Value.Table.Entries {
		switch kv.Key {
		case "select":
			codes, ok := c.selectors(file, kv)
			if ok && !c.HasSelect {
				c.Select, c.HasSelect = codes, true
			}
		case "ignore":
			codes, ok := c.selectors(file, kv)
			if ok && !*haveIgnore {
				c.Ignore, *haveIgnore = codes, true
			}
		case "severity":
			c.readSeverity(file, kv)
		case "exclude":
			for _, s := range c.strings(file, kv) {
				pat := cleanPattern(s.Value)
				if _, err := path.Match(strings.ReplaceAll(pat, "**", "*"), ""); err != nil || pat == "" {
					c.problem(file, s.Range, "invalid exclude pattern %q", s.Value)
					continue
				}
				c.Exclude = append(c.Exclude, ExcludePattern{Base: dir, Pattern: pat})
			}
		default:
			c.problem(file, kv.KeyRange, "unknown key %q in [tool.pyo3-ls] (known keys: %s)", kv.Key, strings.Join(ConfigKeys, ", "))
		}
	}
}

// strings returns the strings of an array-of-strings entry, reporting other shapes.
func (c *Config) strings(file string, kv *tomldoc.Entry) []tomldoc.Str {
	v := kv.Value
	if v.Kind != tomldoc.Array {
		c.problem(file, v.Range, "%s must be an array of strings, not %s", kv.Key, v.TypeName())
		return nil
	}
	var out []tomldoc.Str
	for _, x := range v.Arr {
		if x.Kind != tomldoc.String {
			c.problem(file, x.Range, "%s must be an array of strings; found %s", kv.Key, x.TypeName())
			continue
		}
		out = append(out, tomldoc.Str{Value: x.Str, Range: x.Range})
	}
	return out
}

// selectors reads select/ignore: rule codes or prefixes ("N", "N001", "ALL").
func (c *Config) selectors(file string, kv *tomldoc.Entry) ([]string, bool) {
	if kv.Value.Kind != tomldoc.Array {
		c.strings(file, kv)
		return nil, false
	}
	out := []string{}
	for _, s := range c.strings(file, kv) {
		if !KnownSelector(s.Value) || s.Value == "" {
			c.problem(file, s.Range, "unknown rule code or prefix %q in %s (see 'pyo3-ls rules')", s.Value, kv.Key)
			continue
		}
		out = append(out, strings.ToUpper(s.Value))
	}
	return out, true
}

func (c *Config) readSeverity(file string, kv *tomldoc.Entry) {
	v := kv.Value
	if v.Kind != tomldoc.Table {
		c.problem(file, v.Range, "severity must be a table of rule codes to severities, like { F003 = \"warning\" }; found %s", v.TypeName())
		return
	}
	for _, e := range v.Table.Entries {
		code := strings.ToUpper(e.Key)
		if !KnownSelector(code) || code == "" {
			c.problem(file, e.KeyRange, "unknown rule code or prefix %q in severity (see 'pyo3-ls rules')", e.Key)
			continue
		}
		s, ok := e.Value.AsString()
		if !ok {
			c.problem(file, e.Value.Range, "severity of %s must be a string: \"error\", \"warning\", \"info\" or \"hint\"", e.Key)
			continue
		}
		sev, ok := ParseSeverity(s)
		if !ok {
			c.problem(file, e.Value.Range, "invalid severity %q for %s (use \"error\", \"warning\", \"info\" or \"hint\")", s, e.Key)
			continue
		}
		if c.Severity == nil {
			c.Severity = map[string]Severity{}
		}
		if _, set := c.Severity[code]; !set {
			c.Severity[code] = sev
		}
	}
}

// SeverityOf returns the configured severity of code: the entry with the
// longest matching code or prefix.
func (c *Config) SeverityOf(code string) (Severity, bool) {
	best, sev := -1, Severity(0)
	for sel, s := range c.Severity {
		if (sel == "ALL" || strings.HasPrefix(code, sel)) && len(sel) > best {
			best, sev = len(sel), s
		}
	}
	return sev, best >= 0
}

// Enabled applies the layers of rule selection, like ruff: the file's
// select (every rule when unset) minus its ignore; then, when the command
// line (or editor) selects, its select replaces that set; its ignore is
// removed last. opts.Enabled, when set, filters on top. The file's select
// does not turn off X001, so a config that selects a few families still has
// its own mistakes reported; ignore = ["X001"] does.
func (c *Config) Enabled(opts Options, code string) bool {
	if opts.Enabled != nil && !opts.Enabled(code) {
		return false
	}
	if len(opts.CLISelect) > 0 {
		if !matchesAny(code, opts.CLISelect) {
			return false
		}
	} else {
		if c.HasSelect && !matchesAny(code, c.Select) && code != ruleX001Code {
			return false
		}
		if matchesAny(code, c.Ignore) {
			return false
		}
	}
	return !matchesAny(code, opts.CLIIgnore)
}

// Excluded reports whether path (a file or directory) matches an exclude pattern.
func (c *Config) Excluded(p string) bool {
	for _, ex := range c.Exclude {
		rel, err := filepath.Rel(ex.Base, p)
		if err != nil {
			continue
		}
		rel = filepath.ToSlash(rel)
		if rel == ".." || strings.HasPrefix(rel, "../") {
			continue
		}
		if matchUnder(ex.Pattern, rel) {
			return true
		}
	}
	return false
}

func cleanPattern(p string) string {
	p = filepath.ToSlash(strings.TrimSpace(p))
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	return strings.TrimSuffix(p, "/")
}

// matchUnder reports whether the glob matches rel or one of its parent
// directories (so "vendor" and "vendor/**" both exclude vendor/a/b.toml).
func matchUnder(pattern, rel string) bool {
	if pattern == "." || pattern == "**" {
		return true
	}
	ps := strings.Split(pattern, "/")
	rs := strings.Split(rel, "/")
	for n := len(rs); n >= 1; n-- {
		if globSegs(ps, rs[:n]) {
			return true
		}
	}
	return false
}

func globSegs(ps, rs []string) bool { return project.MatchSegments(ps, rs) }

// applyConfig sets configured severities, then the Options' overrides, and
// drops diagnostics in excluded files.
func (c *Config) apply(opts Options, ds []Diagnostic) []Diagnostic {
	out := ds[:0]
	for _, d := range ds {
		if Unhideable(d.Code) {
			out = append(out, d)
			continue
		}
		if len(c.Exclude) > 0 && c.Excluded(d.Path) {
			continue
		}
		if s, ok := c.SeverityOf(d.Code); ok {
			d.Severity = s
		}
		if s, ok := opts.Severity[d.Code]; ok {
			d.Severity = s
		}
		out = append(out, d)
	}
	return out
}

const ruleX001Code = "X001"
