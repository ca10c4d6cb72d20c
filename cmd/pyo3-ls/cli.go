package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/report"
)

// The command line is parsed with github.com/spf13/pflag: GNU/POSIX syntax
// as ruff and cargo users expect (flags before or after paths, `--` ends
// the flags, -o FILE and --output-file=FILE, -qs style short options),
// per-subcommand flag sets and generated flag help, with no dependencies of
// its own; it is the flag library under cobra, kubectl and hugo and is
// actively maintained. kong would also fit but drives the program from
// struct tags and its own help/error printing; with pflag, the one-line
// errors and stdout help this command promises stay ours.

const usage = `pyo3-ls — checks PyO3/maturin projects and serves a Language Server

Usage:
  pyo3-ls check [flags] [PATH...]   check the maturin projects at, under or around PATH (default .)
  pyo3-ls rules [--markdown]        list the rules
  pyo3-ls explain CODE              print a rule's documentation
  pyo3-ls serve [flags]             run the Language Server over stdio (also: plain pyo3-ls)
  pyo3-ls --version                 print the version

Options:
  -h, --help      print this help (every command has its own: pyo3-ls check --help)
  -V, --version   print the version

Exit codes: 0 no error or warning, 1 errors or warnings found, 2 usage or I/O error.
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		if isTerminal(stdin) {
			fmt.Fprintln(stderr, "pyo3-ls: waiting for a language client on stdin (this is the language server; run `pyo3-ls check` to check a project, `pyo3-ls --help` for help, Ctrl-C to quit)")
		}
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
		fmt.Fprintf(stdout, "pyo3-ls %s\n", Version())
		return 0
	case "-h", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return run([]string{args[1], "--help"}, stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return 0
	case "--stdio":
		return serveMain(args, stdin, stdout, stderr)
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "pyo3-ls: unknown option %s before the command; see `pyo3-ls --help`\n", args[0])
	} else {
		fmt.Fprintf(stderr, "pyo3-ls: unknown command %q (use check, rules, explain or serve); see `pyo3-ls --help`\n", args[0])
	}
	return 2
}

// isTerminal reports whether r is a terminal (not merely a character
// device: /dev/null is one too).
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	return ok && f != nil && term.IsTerminal(int(f.Fd()))
}

// newFlagSet returns a pflag set for a subcommand: errors come back to the
// caller (usageError prints them on one line), nothing is printed by pflag
// itself, and -h/--help is an ordinary flag.
func newFlagSet(name string) (*pflag.FlagSet, *bool) {
	fs := pflag.NewFlagSet("pyo3-ls "+name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	help := fs.BoolP("help", "h", false, "print this help")
	return fs, help
}

// usageError prints a one-line usage error naming the offending argument
// and the command's help, and returns exit code 2.
func usageError(stderr io.Writer, cmd string, err error) int {
	msg := err.Error()
	fmt.Fprintf(stderr, "pyo3-ls %s: %s; see `pyo3-ls %s --help`\n", cmd, oneLine(msg), cmd)
	return 2
}

func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}

// printHelp writes a command's help to stdout.
func printHelp(w io.Writer, head string, fs *pflag.FlagSet, tail string) {
	fmt.Fprint(w, head)
	fmt.Fprintf(w, "\nFlags:\n%s", flagUsages(fs))
	fmt.Fprint(w, tail)
}

// flagUsages lists the flags like pflag's FlagUsages, without the
// "[=true|false]" it adds to every boolean.
func flagUsages(fs *pflag.FlagSet) string {
	type row struct{ left, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		name, usage := pflag.UnquoteUsage(f)
		if f.Value.Type() != "bool" && name != "" {
			left += " " + name
		}
		if f.Value.Type() != "bool" && f.DefValue != "" && f.DefValue != "[]" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		width = max(width, len(left))
		rows = append(rows, row{left, usage})
	})
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%-*s   %s\n", width, r.left, r.usage)
	}
	return b.String()
}

// choice is a flag value restricted to a fixed set of words.
type choice struct {
	val     string
	allowed []string
}

func newChoice(def string, allowed ...string) *choice { return &choice{def, allowed} }

func (c *choice) String() string { return c.val }
func (c *choice) Type() string   { return strings.Join(c.allowed, "|") }
func (c *choice) Set(v string) error {
	for _, a := range c.allowed {
		if v == a {
			c.val = v
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(c.allowed, ", "))
}

// stringList is a comma-separated, repeatable list flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Type() string   { return "CODES" }
func (s *stringList) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*s = append(*s, part)
		}
	}
	return nil
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
	return isTerminal(w)
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
	fs, help := newFlagSet("rules")
	markdown := fs.Bool("markdown", false, "print the README's Markdown table instead")
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "rules", err)
	}
	if *help {
		printHelp(stdout, "Usage: pyo3-ls rules [--markdown]\n\nLists every rule: code, name, default severity, summary.\n", fs, "")
		return 0
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "rules", fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if *markdown {
		fmt.Fprint(stdout, rulesMarkdown())
		return 0
	}
	for _, r := range analysis.Rules() {
		fmt.Fprintf(stdout, "%-5s %-38s %-8s %s\n", r.Code, r.Name, r.Severity, r.Summary)
	}
	return 0
}

func explainMain(args []string, stdout, stderr io.Writer) int {
	fs, help := newFlagSet("explain")
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, "explain", err)
	}
	if *help {
		printHelp(stdout, "Usage: pyo3-ls explain CODE\n\nPrints a rule's documentation (CODE is a code such as N001 or a name such as module-name-mismatch).\n", fs, "")
		return 0
	}
	if fs.NArg() != 1 {
		return usageError(stderr, "explain", errors.New("expects exactly one rule code"))
	}
	code := fs.Arg(0)
	r := analysis.Lookup(code)
	if r == nil {
		fmt.Fprintf(stderr, "pyo3-ls explain: unknown rule %q; see `pyo3-ls rules`\n", code)
		return 2
	}
	fmt.Fprintf(stdout, "%s (%s) — default severity: %s\n\n%s\n\n%s\n", r.Code, r.Name, r.Severity, r.Summary, r.Doc)
	if r.PyO3Facts {
		fmt.Fprintf(stdout, "\nPyO3 facts this rule uses:\n\n%s", factsTable())
	}
	return 0
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
