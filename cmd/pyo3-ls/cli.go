package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/report"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `pyo3-ls — checks PyO3/maturin projects and serves a Language Server

Usage:
  pyo3-ls check [flags] [PATH...]   check every maturin project under PATH (default .)
  pyo3-ls rules                     list the rules
  pyo3-ls explain CODE              print a rule's documentation
  pyo3-ls serve [flags]             run the Language Server over stdio
  pyo3-ls --version

Exit codes: 0 no error or warning, 1 errors or warnings found, 2 usage or I/O error.
Run 'pyo3-ls check -h' for the check flags.
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return serveMain(nil, stdin, stdout, stderr)
	}
	switch args[0] {
	case "check":
		return checkMain(args[1:], stdout, stderr)
	case "rules":
		return rulesMain(args[1:], stdout, stderr)
	case "explain":
		return explainMain(args[1:], stdout, stderr)
	case "serve", "server", "lsp":
		return serveMain(args[1:], stdin, stdout, stderr)
	case "--version", "-V", "version":
		fmt.Fprintf(stdout, "pyo3-ls %s\n", version)
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "--stdio":
		return serveMain(args, stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "pyo3-ls: unknown command %q\n%s", args[0], usage)
	return 2
}

type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*s = append(*s, part)
		}
	}
	return nil
}

func checkMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text, concise, json, sarif, github")
	fs.StringVar(format, "output-format", "text", "alias of --format")
	outFile := fs.String("output-file", "", "write the report to this file instead of stdout")
	var sel, ign stringList
	fs.Var(&sel, "select", "only these rule codes or prefixes (comma-separated; repeatable)")
	fs.Var(&ign, "ignore", "skip these rule codes or prefixes (comma-separated; repeatable)")
	color := fs.String("color", "auto", "color text output: auto, always, never")
	showHints := fs.Bool("show-hints", false, "also print hint-level diagnostics (editors always get them)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	render, ok := renderers[*format]
	if !ok {
		fmt.Fprintf(stderr, "pyo3-ls: unknown format %q (use one of: %s)\n", *format, strings.Join(formatNames(), ", "))
		return 2
	}
	for _, c := range append(append([]string{}, sel...), ign...) {
		if !analysis.KnownSelector(c) {
			fmt.Fprintf(stderr, "pyo3-ls: unknown rule code or prefix %q\n", c)
			return 2
		}
	}
	roots := fs.Args()
	if len(roots) == 0 {
		roots = []string{"."}
	}
	cwd, _ := os.Getwd()
	for i, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			fmt.Fprintf(stderr, "pyo3-ls: %v\n", err)
			return 2
		}
		if _, err := os.Stat(abs); err != nil {
			fmt.Fprintf(stderr, "pyo3-ls: %v\n", err)
			return 2
		}
		roots[i] = abs
	}
	// Stat results are cached for the run (10% of CPU on a 1,000-project
	// tree); symlinks in the checked trees are not followed out of them.
	loader := project.NewLoader(project.NewStatCache(project.NewConfinedFS(project.OSFS{}, roots)))
	res, err := analysis.CheckLean(loader, roots, analysis.Options{CLISelect: sel, CLIIgnore: ign})
	if err != nil {
		fmt.Fprintf(stderr, "pyo3-ls: %v\n", err)
		return 2
	}
	out := stdout
	if *outFile != "" {
		f, err := os.Create(*outFile)
		if err != nil {
			fmt.Fprintf(stderr, "pyo3-ls: %v\n", err)
			return 2
		}
		defer f.Close()
		out = f
	}
	if !*showHints {
		kept := res.Diagnostics[:0]
		for _, d := range res.Diagnostics {
			if d.Severity != analysis.Hint {
				kept = append(kept, d)
			}
		}
		res.Diagnostics = kept
	}
	ctx := &report.Context{Files: res.Files, Cwd: cwd, Color: useColor(*color, out), ToolVersion: version}
	if err := render(out, ctx, res.Diagnostics); err != nil {
		fmt.Fprintf(stderr, "pyo3-ls: %v\n", err)
		return 2
	}
	if *format == "text" {
		summary(stderr, res)
	}
	for _, d := range res.Diagnostics {
		if d.Severity >= analysis.Warning {
			return 1
		}
	}
	return 0
}

func summary(w io.Writer, res *analysis.Result) {
	counts := map[analysis.Severity]int{}
	for _, d := range res.Diagnostics {
		counts[d.Severity]++
	}
	if res.ProjectCount == 0 {
		fmt.Fprintln(w, "pyo3-ls: no maturin project found")
		return
	}
	fmt.Fprintf(w, "pyo3-ls: checked %d project(s): %d error(s), %d warning(s), %d info\n",
		res.ProjectCount, counts[analysis.Error], counts[analysis.Warning], counts[analysis.Info]+counts[analysis.Hint])
}

func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

var renderers = map[string]func(io.Writer, *report.Context, []analysis.Diagnostic) error{
	"text":    report.Text,
	"concise": report.Concise,
	"json":    report.JSON,
	"sarif":   report.SARIF,
	"github":  report.GitHub,
}

func formatNames() []string {
	var out []string
	for k := range renderers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func rulesMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && args[0] == "--markdown" {
		fmt.Fprint(stdout, rulesMarkdown())
		return 0
	}
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: pyo3-ls rules [--markdown]")
		return 2
	}
	for _, r := range analysis.Rules() {
		fmt.Fprintf(stdout, "%-5s %-38s %-8s %s\n", r.Code, r.Name, r.Severity, r.Summary)
	}
	return 0
}

func explainMain(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: pyo3-ls explain CODE")
		return 2
	}
	r := analysis.Lookup(args[0])
	if r == nil {
		fmt.Fprintf(stderr, "pyo3-ls: unknown rule %q (see 'pyo3-ls rules')\n", args[0])
		return 2
	}
	fmt.Fprintf(stdout, "%s (%s) — default severity: %s\n\n%s\n\n%s\n", r.Code, r.Name, r.Severity, r.Summary, r.Doc)
	if versionAware(r.Code) {
		fmt.Fprintf(stdout, "\nPyO3 facts this rule uses:\n\n%s", factsTable())
	}
	return 0
}

// versionAware reports whether a rule depends on the PyO3 facts table.
func versionAware(code string) bool {
	switch code[0] {
	case 'A', 'F', 'C':
		return true
	}
	return code == "N006"
}

// factsTable renders facts.Rows(): one line per PyO3 release range.
func factsTable() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s %-11s %-11s %-12s %-9s %-15s %-11s %s\n", "PyO3", "CPython", "PyPy", "free-thr.", "gil_used", "abi3 features", "ext-module", "source")
	for _, r := range facts.Rows() {
		ft := "-"
		if len(r.FreeThreaded) > 0 {
			parts := make([]string, len(r.FreeThreaded))
			for i, m := range r.FreeThreaded {
				parts[i] = fmt.Sprintf("3.%dt", m)
			}
			ft = strings.Join(parts, ",")
		} else if r.FreeThreadedError {
			ft = "refused"
		}
		gil := "-"
		if r.GILUsedOption {
			gil = fmt.Sprintf("def. %v", r.GILUsedDefault)
		}
		pypy := "-"
		if r.PyPyMin > 0 {
			pypy = fmt.Sprintf("3.%d-3.%d", r.PyPyMin, r.PyPyMax)
		}
		hi := 0
		for _, f := range r.Abi3Features {
			var m int
			if _, err := fmt.Sscanf(f, "abi3-py3%d", &m); err == nil && m > hi {
				hi = m
			}
		}
		abi3 := fmt.Sprintf("py3%d-py3%d", r.Abi3MinMinor(), hi)
		if r.Abi3t {
			abi3 += "+t"
		}
		fmt.Fprintf(&b, "%-8s %-11s %-11s %-12s %-9s %-15s %-11s %s\n", r.From.String(), fmt.Sprintf("3.%d-3.%d", r.CPythonMin, r.CPythonMax), pypy, ft, gil, abi3, r.ExtensionModule, r.Source)
	}
	return b.String()
}

// rulesMarkdown is the README's rule table, generated from the rules' own
// Summary strings (a test keeps README.md in sync with it).
func rulesMarkdown() string {
	var b strings.Builder
	b.WriteString("| code | name | severity | what it checks |\n|---|---|---|---|\n")
	for _, r := range analysis.Rules() {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.Code, r.Name, r.Severity, strings.ReplaceAll(r.Summary, "|", "\\|"))
	}
	return b.String()
}
