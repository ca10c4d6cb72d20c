package analysis

import (
	"fmt"

	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

func init() {
	register(ruleT004)
}

var ruleT004 = &Rule{
	Code: "T004", Name: "newer-than-facts", Severity: Info,
	Summary: "The project uses a PyO3 or maturin newer than pyo3-ls's facts table",
	Doc: `What: the resolved PyO3 (from Cargo.lock, or assumed from the requirement) is newer than the
newest release the facts table was read from, or build-system requires only maturin releases
newer than the one its [tool.maturin] key list comes from.

Why: the version rules (A, C, F, N006) then use the newest known row, and unknown
[tool.maturin] keys may be new ones; their messages say so. Findings can be missing or stale
until pyo3-ls is updated (scripts/update-facts regenerates the table from crates.io).

Fix: update pyo3-ls. Nothing is wrong with the project.

Versions: facts for PyO3 up to ` + "0.30.1" + ` and maturin ` + "1.16.0" + ` (docs/facts.md).`,
	Run: runT004,
}

func runT004(p *Pass) {
	in := p.Info()
	if v := in.PyO3Version(); v.NewerThanFacts() && in.PyO3 != nil && in.PyO3.Version != nil && in.PyO3.VersionIn != nil {
		p.Report(Diagnostic{Location: Location{Path: in.PyO3.VersionIn.Path, Range: in.PyO3.Version.Range},
			Message: fmt.Sprintf("%s is newer than pyo3-ls's facts table (PyO3 up to %s): version rules use %s's facts", v.DescribeSource(), facts.NewestKnown, facts.NewestKnown)})
	}
	pp := p.Project.Pyproject
	if pp == nil {
		return
	}
	for _, r := range pp.Requires {
		rq := versions.ParseRequirement(r.Value)
		if rq.NormalizedName() != "maturin" || rq.URL || rq.Spec == "" {
			continue
		}
		spec, err := versions.ParseSpecifiers(rq.Spec)
		if err != nil {
			continue
		}
		known, err := versions.ParsePyVersion(facts.MaturinKnown.String())
		if err != nil || spec.Admits(known) {
			continue
		}
		if lo, ok := spec.LowestMinor(1); ok && lo > int(facts.MaturinKnown.Minor) {
			p.Report(Diagnostic{Location: Location{Path: pp.Path, Range: r.Range},
				Message: fmt.Sprintf("%q admits only maturin releases newer than %s, the newest pyo3-ls's facts know: [tool.maturin] keys and values are checked against %s", r.Value, facts.MaturinKnown, facts.MaturinKnown)})
		}
	}
}
