package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/report"
)

// projectTimeout bounds one project's analysis (analysis.Options.ProjectTimeout):
// real projects take milliseconds, so only a bug can reach it, and then the
// other projects are still checked and the run exits 2.
const projectTimeout = time.Minute

const checkHelpHead = `Usage: pyo3-ls check [flags] [PATH...]

Checks the maturin projects found from each PATH (default: the current directory):
every project under PATH, and the project PATH lies in (found by walking up to the
nearest pyproject.toml that maturin builds, like cargo and ruff). For a project found
above PATH, only the diagnostics in PATH (a file, or the files under a directory)
are reported. Flags may come before or after the paths; -- ends the flags.
`

const checkHelpTail = `
Exit codes: 0 no error or warning remains (info and hints do not fail), 1 errors or
warnings remain, 2 usage or I/O error. T001 (invalid TOML) and T003 (unreadable file)
are always reported and always fail, whatever --select, --ignore, the configuration or
suppression comments say.

Columns: text and concise print 1-based lines and columns in Unicode characters (code
points); json 0-based lines and UTF-16 code units (as LSP); sarif and github 1-based
lines and columns in Unicode characters.
`

// checkFlags are the options of pyo3-ls check.
type checkFlags struct {
	format, color                       *choice
	outFile                             string
	sel, ign                            stringList
	showHints                           bool
	noRespectGitignore                  bool
	fix, diff, unsafeFixes              bool
	exitZero, statistics, quiet, silent bool
}

func checkFlagSet() (*pflag.FlagSet, *bool, *checkFlags) {
	fs, help := newFlagSet("check")
	c := &checkFlags{format: newChoice("text", formatNames()...), color: newChoice("auto", "auto", "always", "never")}
	fs.Var(c.format, "format", "output format (alias --output-format)")
	fs.StringVarP(&c.outFile, "output-file", "o", "", "write the report to `FILE` instead of stdout")
	fs.Var(&c.sel, "select", "only these rule codes or prefixes, e.g. N001,F (comma-separated; repeatable)")
	fs.Var(&c.ign, "ignore", "skip these rule codes or prefixes (comma-separated; repeatable)")
	fs.BoolVar(&c.fix, "fix", false, "apply the safe fixes (the editor's quick fixes marked safe), then report what remains")
	fs.BoolVar(&c.unsafeFixes, "unsafe-fixes", false, "with --fix or --diff, also apply the unsafe fixes")
	fs.BoolVar(&c.diff, "diff", false, "print the fixes as a unified diff instead of writing them (exit 1 if there is one)")
	fs.BoolVar(&c.exitZero, "exit-zero", false, "exit 0 even when errors or warnings remain (2 still means a usage or I/O error)")
	fs.BoolVar(&c.statistics, "statistics", false, "print the number of diagnostics per rule instead of the diagnostics")
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "print the diagnostics only: no summary, no warnings")
	fs.BoolVarP(&c.silent, "silent", "s", false, "print nothing but the reason for an exit code 2; the exit code tells the result")
	fs.Var(c.color, "color", "color text output; auto honours NO_COLOR and colors a terminal only")
	fs.BoolVar(&c.showHints, "show-hints", false, "also print hint-level diagnostics (editors always get them)")
	fs.BoolVar(&c.noRespectGitignore, "no-respect-gitignore", false, "also look for projects in what .gitignore files ignore (default: passed over, like ruff)")
	respect := fs.VarPF(negBool{&c.noRespectGitignore}, "respect-gitignore", "", "pass over what .gitignore files ignore while looking for projects (the default)")
	respect.NoOptDefVal = "true"
	fs.SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if name == "output-format" {
			name = "format"
		}
		return pflag.NormalizedName(name)
	})
	return fs, help, c
}

// negBool is a flag that sets the opposite of a bool (--respect-gitignore
// for --no-respect-gitignore); the last one given wins.
type negBool struct{ v *bool }

func (n negBool) String() string {
	if n.v == nil {
		return "true"
	}
	return strconv.FormatBool(!*n.v)
}

func (n negBool) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	*n.v = !b
	return nil
}

func (n negBool) Type() string { return "bool" }

// target is a project found by walking up from a path that no directory
// given on the command line contains: only the diagnostics in its limits
// (the paths inside it) are reported.
type target struct {
	pyproject string
	limits    []string
}

// plan resolves the command-line paths: the directories among them are
// checked whole (every project under them, analysis.CheckLean); for each
// path, the project it lies in (project.FindEnclosing) is checked too when
// no given directory holds it, limited to the paths inside it. It also
// returns the roots the file system is confined to: the paths and those
// projects' directories.
func plan(paths []string) (dirs []string, targets []*target, roots []string, err error) {
	var abs []string
	for _, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, nil, err
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, nil, nil, err
		}
		abs = append(abs, a)
		if st.IsDir() {
			dirs = append(dirs, a)
		}
	}
	// Walking up reads only the pyproject.toml of each ancestor directory,
	// as cargo reads Cargo.toml and ruff pyproject.toml, even above the
	// repository; the project found becomes a root of the confined file
	// system the check itself reads through.
	l := project.NewLoader(project.NewStatCache(project.OSFS{}))
	byPath := map[string]*target{}
	roots = append([]string(nil), abs...)
	for _, a := range abs {
		enc := project.FindEnclosing(l, a)
		if enc == "" || within(filepath.Dir(enc), dirs) {
			continue // none, or found by the walk of a given directory
		}
		t := byPath[enc]
		if t == nil {
			t = &target{pyproject: enc}
			byPath[enc] = t
			targets = append(targets, t)
			roots = append(roots, filepath.Dir(enc))
		}
		t.limits = append(t.limits, a)
	}
	sort.Slice(targets, func(i, j int) bool { return targets[i].pyproject < targets[j].pyproject })
	return dirs, targets, roots, nil
}

// within reports whether path is one of limits or lies under one.
func within(path string, limits []string) bool {
	for _, l := range limits {
		if path == l || strings.HasPrefix(path, l+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// checker runs the analysis of the planned projects.
type checker struct {
	dirs      []string
	targets   []*target
	roots     []string
	opts      analysis.Options
	showHints bool
}

// check checks through fsys. Lean (the plain report) streams the
// directories' projects and drops their snapshots (analysis.CheckLean:
// Result.Projects stays nil); otherwise (--fix) Result.Projects holds every
// project, so fixes can be confined to their directories.
func (c *checker) check(fsys project.FS, lean bool) (*analysis.Result, error) {
	l := project.NewLoader(project.NewStatCache(project.NewConfinedFS(fsys, c.roots)))
	var res *analysis.Result
	var err error
	switch {
	case len(c.dirs) == 0:
		res = &analysis.Result{Files: map[string]*project.SourceFile{}}
	case lean:
		res, err = analysis.CheckLean(l, c.dirs, c.opts)
	default:
		res, err = analysis.Check(l, c.dirs, c.opts)
	}
	if err != nil {
		return nil, err
	}
	if len(c.targets) > 0 {
		paths := make([]string, len(c.targets))
		for i, t := range c.targets {
			paths[i] = t.pyproject
		}
		up := analysis.CheckProjects(l, paths, c.opts)
		var limits []string
		for _, t := range c.targets {
			limits = append(limits, t.limits...)
		}
		for _, d := range up.Diagnostics {
			if within(d.Path, limits) {
				res.Diagnostics = append(res.Diagnostics, d)
			}
		}
		for p, f := range up.Files {
			res.Files[p] = f
		}
		if !lean {
			res.Projects = append(res.Projects, up.Projects...)
		}
		res.ProjectCount += up.ProjectCount
		analysis.Sort(res.Diagnostics)
	}
	if !c.showHints {
		kept := res.Diagnostics[:0]
		for _, d := range res.Diagnostics {
			if d.Severity != analysis.Hint {
				kept = append(kept, d)
			}
		}
		res.Diagnostics = kept
	}
	return res, nil
}

func checkMain(args []string, stdout, stderr io.Writer) int {
	fs, help, c := checkFlagSet()
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "check", err)
	}
	if *help {
		printHelp(stdout, checkHelpHead, fs, checkHelpTail)
		return 0
	}
	for _, s := range append(append([]string{}, c.sel...), c.ign...) {
		if !analysis.KnownSelector(s) {
			return usageError(stderr, "check", fmt.Errorf("unknown rule code or prefix %q in --select/--ignore", s))
		}
	}
	if c.unsafeFixes && !c.fix && !c.diff {
		return usageError(stderr, "check", errors.New("--unsafe-fixes needs --fix or --diff"))
	}
	if c.silent {
		c.quiet = true
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	dirs, targets, roots, err := plan(paths)
	if err != nil {
		fmt.Fprintf(stderr, "pyo3-ls check: %v\n", err)
		return 2
	}
	tuneGC()
	ck := &checker{dirs: dirs, targets: targets, roots: roots, opts: analysis.Options{CLISelect: c.sel, CLIIgnore: c.ign, NoRespectGitignore: c.noRespectGitignore, ProjectTimeout: projectTimeout}, showHints: c.showHints}
	cwd, _ := os.Getwd()

	var fixed *fixResult
	if c.fix || c.diff {
		fixed, err = applyFixes(ck, c.unsafeFixes, !c.diff)
		if err != nil {
			fmt.Fprintf(stderr, "pyo3-ls check: %v\n", err)
			return 2
		}
		if fixed.notConverged && !c.quiet {
			fmt.Fprintf(stderr, "pyo3-ls: warning: fixes did not converge after %d passes; please report this\n", maxFixPasses)
		}
		for _, w := range fixed.warnings {
			if !c.quiet {
				fmt.Fprintf(stderr, "pyo3-ls: warning: %s\n", w)
			}
		}
	}

	out := stdout
	if c.outFile != "" {
		f, err := os.Create(c.outFile)
		if err != nil {
			fmt.Fprintf(stderr, "pyo3-ls check: %v\n", err)
			return 2
		}
		defer f.Close()
		out = f
	}
	if c.silent {
		out = io.Discard
	}

	if c.diff {
		changed, err := writeDiffs(out, cwd, fixed)
		if err != nil {
			fmt.Fprintf(stderr, "pyo3-ls check: %v\n", err)
			return 2
		}
		if !c.quiet {
			fmt.Fprintf(stderr, "pyo3-ls: would fix %d diagnostic(s) in %d file(s)\n", fixed.applied, changed)
		}
		if changed > 0 && !c.exitZero {
			return 1
		}
		return 0
	}

	if !c.quiet {
		// Candidates the walk passes over are named with the reason, never
		// silently (an unreadable or symlinked pyproject.toml, a template...).
		var mu sync.Mutex
		ck.opts.Skipped = func(path, reason string) {
			mu.Lock()
			defer mu.Unlock()
			if r, err := filepath.Rel(cwd, path); err == nil && !strings.HasPrefix(r, "..") {
				path = r
			}
			fmt.Fprintf(stderr, "pyo3-ls: warning: skipped %s: %s\n", report.Safe(path), report.Safe(reason))
		}
	}
	res, err := ck.check(project.OSFS{}, true) // after --fix: a fresh check of what was written
	if err != nil {
		fmt.Fprintf(stderr, "pyo3-ls check: %v\n", err)
		return 2
	}
	if res.ProjectCount == 0 && !c.quiet {
		fmt.Fprintf(stderr, "pyo3-ls: warning: no maturin project found in or above %s\n", strings.Join(paths, ", "))
	}
	ctx := &report.Context{Files: res.Files, Cwd: cwd, Color: useColor(c.color.val, out), ToolVersion: Version()}
	if c.statistics {
		if err := statistics(out, c.format.val, res.Diagnostics); err != nil {
			fmt.Fprintf(stderr, "pyo3-ls check: %v\n", err)
			return 2
		}
	} else if err := renderers[c.format.val](out, ctx, res.Diagnostics); err != nil {
		fmt.Fprintf(stderr, "pyo3-ls check: %v\n", err)
		return 2
	}
	if !c.quiet && res.ProjectCount > 0 && (c.format.val == "text" || fixed != nil) {
		summary(stderr, res, fixed, c.unsafeFixes)
	}
	if len(res.Panics) > 0 {
		// A bug in pyo3-ls: the other rules' and projects' findings were
		// printed above, but the check is incomplete, so never exit 0 or 1.
		for _, p := range res.Panics {
			fmt.Fprintf(stderr, "pyo3-ls: %v (please report this)\n%s\n", p, p.Stack)
		}
		return 2
	}
	if c.exitZero {
		return 0
	}
	for _, d := range res.Diagnostics {
		if d.Severity >= analysis.Warning {
			return 1
		}
	}
	return 0
}

func summary(w io.Writer, res *analysis.Result, fixed *fixResult, unsafe bool) {
	counts := map[analysis.Severity]int{}
	safe, unsafeN := 0, 0
	for _, d := range res.Diagnostics {
		counts[d.Severity]++
		s, u := fixable(d)
		if s {
			safe++
		} else if u {
			unsafeN++
		}
	}
	if fixed != nil {
		fmt.Fprintf(w, "pyo3-ls: fixed %d diagnostic(s) in %d file(s)\n", fixed.applied, len(fixed.changed()))
	}
	// hints are only in res.Diagnostics with --show-hints; count them apart
	hints := ""
	if n := counts[analysis.Hint]; n > 0 {
		hints = fmt.Sprintf(", %d hint(s)", n)
	}
	fmt.Fprintf(w, "pyo3-ls: checked %d project(s): %d error(s), %d warning(s), %d info%s\n",
		res.ProjectCount, counts[analysis.Error], counts[analysis.Warning], counts[analysis.Info], hints)
	switch {
	case safe > 0 && unsafeN > 0 && !unsafe:
		fmt.Fprintf(w, "pyo3-ls: %d fixable with --fix (%d more with --fix --unsafe-fixes)\n", safe, unsafeN)
	case safe > 0:
		fmt.Fprintf(w, "pyo3-ls: %d fixable with --fix\n", safe)
	case unsafeN > 0 && !unsafe:
		fmt.Fprintf(w, "pyo3-ls: %d fixable with --fix --unsafe-fixes\n", unsafeN)
	}
}

// fixable reports whether d has a safe fix, or only unsafe ones.
func fixable(d analysis.Diagnostic) (safe, unsafe bool) {
	for _, f := range d.Fixes {
		if f.Safe {
			return true, false
		}
		unsafe = true
	}
	return false, unsafe
}

// statistics prints one line per code, most frequent first (like ruff's
// --statistics); [*] marks codes with a safe fix. JSON for --format json.
func statistics(w io.Writer, format string, ds []analysis.Diagnostic) error {
	type stat struct {
		Code    string `json:"code"`
		Name    string `json:"name"`
		Count   int    `json:"count"`
		Fixable bool   `json:"fixable"`
	}
	byCode := map[string]*stat{}
	for _, d := range ds {
		s := byCode[d.Code]
		if s == nil {
			s = &stat{Code: d.Code, Name: d.Name}
			byCode[d.Code] = s
		}
		s.Count++
		if safe, _ := fixable(d); safe {
			s.Fixable = true
		}
	}
	list := make([]stat, 0, len(byCode))
	for _, s := range byCode {
		list = append(list, *s)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Count != list[j].Count {
			return list[i].Count > list[j].Count
		}
		return list[i].Code < list[j].Code
	})
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	for _, s := range list {
		mark := "   "
		if s.Fixable {
			mark = "[*]"
		}
		if _, err := fmt.Fprintf(w, "%5d\t%s\t%s %s\n", s.Count, s.Code, mark, s.Name); err != nil {
			return err
		}
	}
	return nil
}

// tuneGC sets the garbage collector for a one-shot check (see gcSettings).
func tuneGC() {
	percent, limit := gcSettings(os.Getenv)
	if percent != 0 {
		debug.SetGCPercent(percent)
	}
	if limit != 0 {
		debug.SetMemoryLimit(limit)
	}
}

// gcSettings returns the GC percentage and soft memory limit a one-shot
// check sets (0: leave the runtime's, e.g. from GOGC or GOMEMLIMIT). A
// check keeps little alive (each project's snapshot is dropped after its
// rules), so with nothing set it collects only when the heap nears a 100
// MiB soft limit (GOGC off): a 1,000-project tree allocates ~27 MB in all
// and is never collected, and a 10,000-project tree peaks near 100 MB as
// before, for 7-15% less user time on the generated monorepo, the
// 10,000-project tree and the corpus than GOGC=400. The percentage is
// turned off only together with the limit: with GOMEMLIMIT set (maybe to
// off) and GOGC not, collection starts at 5x the live heap (GOGC=400).
func gcSettings(getenv func(string) string) (percent int, limit int64) {
	gogc, memlimit := getenv("GOGC") != "", getenv("GOMEMLIMIT") != ""
	switch {
	case !gogc && !memlimit:
		return -1, 100 << 20
	case !gogc:
		return 400, 0
	case !memlimit:
		return 0, 100 << 20
	}
	return 0, 0
}
