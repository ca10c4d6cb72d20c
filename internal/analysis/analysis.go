// Package analysis holds the rule registry and the rules. Each rule reads a
// project.Snapshot and reports Diagnostics; the CLI and the language server
// both call Run, neither adds rules of its own.
package analysis

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// Severity of a diagnostic. Higher is more severe.
type Severity int

const (
	Hint Severity = iota + 1
	Info
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Hint:
		return "hint"
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unknown"
}

// ParseSeverity reads "error", "warning", "info" or "hint".
func ParseSeverity(s string) (Severity, bool) {
	switch strings.ToLower(s) {
	case "error":
		return Error, true
	case "warning", "warn":
		return Warning, true
	case "info", "information":
		return Info, true
	case "hint":
		return Hint, true
	}
	return 0, false
}

// Related is a secondary location with a message.
type Related struct {
	Location
	Message string
}

// Edit replaces Range in Path with NewText.
type Edit struct {
	Location
	NewText string
}

// Fix is a quick fix: a set of edits with a title.
//
// Safe marks a fix that keeps the meaning and the evident intent of the
// project (like ruff's safe fixes): it only removes something that has no
// effect, spells out what maturin already does, or corrects a spelling whose
// meaning maturin reads identically. `pyo3-ls check --fix` applies only
// these; a fix that guesses (the nearest known key, which end of a mismatch
// to rename), changes what gets built or published (requires-python, the
// build backend, a version constraint) or needs an audit (gil_used = false)
// stays unsafe, the zero value, and is applied only with --unsafe-fixes.
// Editors offer both kinds as code actions.
type Fix struct {
	Title     string
	Edits     []Edit
	Preferred bool
	Safe      bool
}

// Diagnostic is one finding.
type Diagnostic struct {
	Location
	Severity Severity
	Code     string
	Name     string
	Message  string
	Help     string
	Related  []Related
	Fixes    []Fix
}

// Rule is one check. Each family of rules (the code's letter) lives in
// rules_<letter>.go: the Rule values, their named Run functions, and one
// init that registers them.
type Rule struct {
	Code     string // stable, never reused: "N001"
	Name     string // kebab-case
	Severity Severity
	Summary  string // one line
	Doc      string // what, why (maturin/PyO3 behaviour), how to fix, versions

	// Maturin1 marks a rule whose claim is about maturin 1.x's behaviour:
	// it does not run on a project pinned to maturin 0.x (M009 says so).
	Maturin1 bool
	// PyO3Facts marks a rule that depends on the PyO3 facts table
	// (`pyo3-ls explain` prints the table with it).
	PyO3Facts bool

	Run func(*Pass) // a named function runXNNN, so stack traces name the rule
}

var registry = map[string]*Rule{}

// register adds rules to the registry; each rules_<letter>.go calls it from
// its init.
func register(rules ...*Rule) {
	for _, r := range rules {
		if _, dup := registry[r.Code]; dup {
			panic("duplicate rule " + r.Code)
		}
		registry[r.Code] = r
	}
}

// Rules returns all rules sorted by code.
// Rules are registered by package initialisers only, so the sorted list is
// built once; callers must not modify it.
func Rules() []*Rule {
	sortedOnce.Do(func() {
		sorted = make([]*Rule, 0, len(registry))
		for _, r := range registry {
			sorted = append(sorted, r)
		}
		sort.Slice(sorted, func(i, j int) bool { return sorted[i].Code < sorted[j].Code })
	})
	return sorted
}

var (
	sortedOnce sync.Once
	sorted     []*Rule
)

// Lookup returns a rule by code (case-insensitive) or name.
func Lookup(codeOrName string) *Rule {
	if r := registry[strings.ToUpper(codeOrName)]; r != nil {
		return r
	}
	for _, r := range registry {
		if r.Name == codeOrName {
			return r
		}
	}
	return nil
}

// Pass is what a rule sees: the project and a way to report.
type Pass struct {
	Project *project.Project
	rule    *Rule
	info    *ProjectInfo
	out     *[]Diagnostic
	config  *Config // [tool.pyo3-ls] in effect (config.go)
}

// Info returns facts derived from the snapshot that several rules share
// (module name, bindings, pyo3 dependency and version...), computed once.
func (p *Pass) Info() *ProjectInfo { return p.info }

// Report records a diagnostic for the running rule; zero Severity/Code/Name
// take the rule's.
func (p *Pass) Report(d Diagnostic) {
	if d.Code == "" {
		d.Code = p.rule.Code
	}
	if d.Name == "" {
		d.Name = p.rule.Name
	}
	if d.Severity == 0 {
		d.Severity = p.rule.Severity
	}
	capMessages(&d)
	*p.out = append(*p.out, d)
}

// Reportf reports at loc with a formatted message.
func (p *Pass) Reportf(path string, r span.Range, format string, args ...any) {
	p.Report(Diagnostic{Location: Location{Path: path, Range: r}, Message: fmt.Sprintf(format, args...)})
}

// Options select rules and override severities.
type Options struct {
	Enabled  func(code string) bool // nil: all rules
	Severity map[string]Severity    // per-code override

	// CLISelect and CLIIgnore are codes or prefixes from the command line
	// (or editor settings); they override the project's configuration.
	CLISelect []string
	CLIIgnore []string

	// Context, when set, stops Run between rules once it is done (the
	// language server's per-analysis deadline and cancellation).
	Context context.Context

	// Skipped, when set, hears about each candidate project the discovery
	// walk of Check/CheckLean passes over, with the reason (project.WalkReport).
	Skipped func(path, reason string)

	// NoRespectGitignore makes the discovery walk of Check/CheckLean search
	// the directories .gitignore files ignore too (--no-respect-gitignore;
	// project.WalkOptions).
	NoRespectGitignore bool

	// ProjectTimeout, when positive, bounds each project's analysis in
	// CheckLean (the CLI's): a project that has not finished by then is
	// reported in Result.Panics as not analysed and the run goes on with
	// the others (its goroutine is abandoned; Context also stops it
	// between rules). The language server has its own per-analysis deadline.
	ProjectTimeout time.Duration

	// OnPanic, when set, is called (from the analysing goroutine) for each
	// panic Run recovers: in a rule (its diagnostics are dropped, the other
	// rules run) or in the project's own analysis (Run returns nothing for
	// the project). Check, CheckProjects and CheckLean also collect them in
	// Result.Panics.
	OnPanic func(Panic)
}

// Panic is a panic recovered while analysing a project: a bug in pyo3-ls,
// never a finding. The rest of the run goes on without the rule (or the
// project) that panicked.
type Panic struct {
	Project string // the project's pyproject.toml
	Code    string // the rule that panicked; "" for the project's analysis outside any rule
	Value   string // the panic value
	Stack   string // the goroutine's stack at the panic
}

func (p Panic) Error() string {
	if p.Code == "" {
		return fmt.Sprintf("internal error analysing %s: %s", p.Project, p.Value)
	}
	return fmt.Sprintf("internal error in rule %s on %s: %s", p.Code, p.Project, p.Value)
}

func (o Options) panicked(project, code string, v any) {
	if o.OnPanic != nil {
		o.OnPanic(Panic{Project: project, Code: code, Value: fmt.Sprint(v), Stack: string(debug.Stack())})
	}
}

// ReplaceRunForTest makes rule code run fn instead until restore is called.
// Only for tests of crash handling (in this and other packages): it is not
// safe while a check runs.
func ReplaceRunForTest(code string, fn func(*Pass)) (restore func()) {
	r := registry[code]
	old := r.Run
	r.Run = fn
	return func() { r.Run = old }
}

// runRule runs one rule, recovering a panic: the rule's diagnostics are
// dropped and the panic is reported through opts.OnPanic.
func runRule(r *Rule, pass *Pass, opts Options) {
	n := len(*pass.out)
	defer func() {
		if v := recover(); v != nil {
			*pass.out = (*pass.out)[:n]
			opts.panicked(projectPath(pass.Project), r.Code, v)
		}
	}()
	r.Run(pass)
}

func projectPath(p *project.Project) string {
	if p == nil {
		return ""
	}
	if p.PyprojectFile != nil {
		return p.PyprojectFile.Path
	}
	return p.Dir
}

// Run runs every enabled rule on the project and returns its diagnostics,
// sorted by path and position.
//
// It honours the project's [tool.pyo3-ls] configuration (config.go: rule
// selection layered under opts' CLI selection, severities, excluded files;
// a project under an excluded directory yields nothing) and inline
// suppression comments (suppress.go).
//
// A panic in a rule is recovered: that rule's diagnostics are dropped, the
// other rules still run, and opts.OnPanic hears of it with the stack. A
// panic outside the rules (configuration, shared facts, suppressions) makes
// Run return nothing for the project, reported the same way.
func Run(p *project.Project, opts Options) (diags []Diagnostic) {
	defer func() {
		if v := recover(); v != nil {
			diags = nil
			opts.panicked(projectPath(p), "", v)
		}
	}()
	cfg := LoadConfig(p)
	if p.PyprojectFile != nil && cfg.Excluded(p.PyprojectFile.Path) {
		return nil
	}
	enabled := func(code string) bool { return Unhideable(code) || cfg.Enabled(opts, code) }
	var out []Diagnostic
	info := newInfo(p)
	pre1 := info.pinnedToMaturin0()
	gated := partialGate(p) // rules quiet because a file they read broke (partial.go)
	skipped := false
	pass := &Pass{Project: p, info: info, out: &out, config: cfg} // one for every rule: rules keep no *Pass
	for _, r := range Rules() {
		if opts.Context != nil && opts.Context.Err() != nil {
			return nil // cancelled or past its deadline: the caller drops the result
		}
		if !enabled(r.Code) || pre1 && r.Maturin1 {
			continue
		}
		if gated != nil && gated(r.Code) {
			skipped = true
			continue
		}
		pass.rule = r
		runRule(r, pass, opts)
	}
	if skipped {
		// Directives for the quiet rules would look unused.
		base := enabled
		enabled = func(code string) bool { return code != ruleX002Code && base(code) }
	}
	out = suppress(p, out, enabled)
	out = cfg.apply(opts, out)
	out = hideOutside(p, out)
	Sort(out)
	return out
}

// Unhideable reports whether code is a finding that always runs and always
// keeps its default severity, whatever --select/--ignore, the editor's
// settings, [tool.pyo3-ls] (select, ignore, severity, exclude of a file)
// or suppression comments say: T001 (a TOML file does not parse) and T003
// (a file could not be read). Like ruff's syntax errors, they mean the
// project was not checked, so a run must not look green. Only excluding the
// whole project (its pyproject.toml) leaves them out.
func Unhideable(code string) bool { return code == "T001" || code == "T003" }

// Sort orders diagnostics by path, then start, end, code.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Range.Start != b.Range.Start {
			return a.Range.Start < b.Range.Start
		}
		if a.Range.End != b.Range.End {
			return a.Range.End < b.Range.End
		}
		return a.Code < b.Code
	})
}
