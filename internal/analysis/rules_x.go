package analysis

// Family X: pyo3-ls's own configuration and suppression comments.

func init() {
	register(ruleX001, ruleX002)
}

var ruleX001 = &Rule{
	Code: ruleX001Code, Name: "invalid-config", Severity: Error,
	Summary: "The [tool.pyo3-ls] configuration has an unknown key, rule code or severity",
	Doc: `What: the [tool.pyo3-ls] table of pyproject.toml (the project's own, or a workspace-level
one above it, up to the repository root) has a key other than select, ignore, severity and
exclude; a value of the wrong type; a rule code or prefix that no rule has; a severity other
than "error", "warning", "info" or "hint"; or an invalid exclude glob.

Why: pyo3-ls would otherwise ignore the entry silently, and a misspelt code in ignore
("N01") or severity leaves the diagnostic you meant to silence or downgrade in place — or
a misspelt select turns every rule off without a word. The rest of the table still applies.

Fix: correct the entry; 'pyo3-ls rules' lists the codes. Example:
  [tool.pyo3-ls]
  select = ["N", "M", "F003"]        # codes or prefixes; default: every rule
  ignore = ["L002"]
  severity = { F003 = "warning" }
  exclude = ["examples/**"]          # globs relative to this file

Versions: all pyo3-ls versions; unrelated to maturin's and PyO3's.`,
	Run: runX001,
}

func runX001(p *Pass) {
	if p.config == nil {
		return
	}
	for _, pr := range p.config.problems {
		p.Report(Diagnostic{Location: pr.Location, Message: pr.msg})
	}
}

var ruleX002 = &Rule{
	Code: ruleX002Code, Name: "unused-suppression", Severity: Warning,
	Summary: "A pyo3-ls: ignore comment suppresses nothing or names an unknown rule",
	Doc: `What: a suppression comment — "# pyo3-ls: ignore[N001]" in TOML, "// pyo3-ls: ignore[N001]"
in Rust, "ignore" without brackets for every rule, "ignore-file[...]" for the whole file —
that suppresses no diagnostic, names a code no rule has, or cannot be read (a missing "]",
empty brackets). A code whose rule is turned off by select/ignore is not reported.
Like ruff's RUF100.

Why: a suppression that outlived its diagnostic hides the next real problem on that line
(the bare form hides every rule), and a misspelt code suppresses nothing while looking as
if it did.

Fix: remove the comment, or the unused codes from it; the quick fix does. Suppressions are
checked in the project's own pyproject.toml, Cargo.toml and Rust sources; a comment in a
file several projects share (the workspace Cargo.toml, Cargo.lock, a workspace-level
pyproject.toml) is not reported, since another project may need it.

Quick fixes: removing the comment, or the unused and unknown codes from it, is safe.

Versions: all pyo3-ls versions.`,
	Run: func(*Pass) {}, // Run reports it after matching every rule's diagnostics
}
