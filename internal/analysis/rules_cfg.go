package analysis

import (
	"fmt"
	"strings"
)

// plainBuildFeatures returns the crate features a plain maturin build
// enables (walkBuildFeatures: default and [tool.maturin] features; conditional
// entries count as enabled), and false when that is not known (all-features).
func (in *ProjectInfo) plainBuildFeatures() (map[string]bool, bool) {
	if in.p.Manifest == nil {
		return nil, false
	}
	if pp := in.p.Pyproject; pp != nil && pp.Maturin != nil {
		if b, ok := boolKey(pp.Maturin.Value, "all-features"); ok && b {
			return nil, false
		}
	}
	on := map[string]bool{}
	in.walkBuildFeatures(func(name string) { on[name] = true }, func(string, string, Location, string, bool) {})
	return on, true
}

// cfgValue is a three-valued cfg predicate result.
type cfgValue int8

const (
	cfgUnknown cfgValue = iota
	cfgFalse
	cfgTrue
)

// evalCfg evaluates a cfg predicate that uses only feature = "x", any(...)
// and all(...); anything else (not, target_os, unix, test…) is unknown.
func evalCfg(pred string, on map[string]bool) cfgValue {
	toks := cfgTokens(pred)
	pos := 0
	var expr func(depth int) cfgValue
	expr = func(depth int) cfgValue {
		if pos >= len(toks) || depth > 32 {
			return cfgUnknown
		}
		t := toks[pos]
		pos++
		switch {
		case t == "feature" && pos+1 < len(toks) && toks[pos] == "=" && strings.HasPrefix(toks[pos+1], `"`):
			name := strings.Trim(toks[pos+1], `"`)
			pos += 2
			if on[name] {
				return cfgTrue
			}
			return cfgFalse
		case (t == "any" || t == "all") && pos < len(toks) && toks[pos] == "(":
			pos++
			var vals []cfgValue
			for pos < len(toks) && toks[pos] != ")" {
				vals = append(vals, expr(depth+1))
				if pos < len(toks) && toks[pos] == "," {
					pos++
				} else if pos < len(toks) && toks[pos] != ")" {
					return cfgUnknown
				}
			}
			if pos >= len(toks) {
				return cfgUnknown
			}
			// any: true if one is true; all: false if one is false;
			// otherwise unknown if one is unknown.
			decisive, rest := cfgTrue, cfgFalse
			if t == "all" {
				decisive, rest = cfgFalse, cfgTrue
			}
			result := rest
			for _, v := range vals {
				if v == decisive {
					result = decisive
					break
				}
				if v == cfgUnknown {
					result = cfgUnknown
				}
			}
			pos++ // ")"
			return result
		}
		return cfgUnknown
	}
	v := expr(0)
	if pos != len(toks) {
		return cfgUnknown
	}
	return v
}

func cfgTokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == ',' || c == '=':
			out = append(out, string(c))
			i++
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return append(out, "?")
			}
			out = append(out, s[i:j+1])
			i = j + 1
		default:
			j := i
			for j < len(s) && (isAlnum(s[j]) || s[j] == '_' || s[j] == ':') {
				j++
			}
			if j == i {
				return append(out, "?")
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out
}

var ruleN007 = register(&Rule{
	Code: "N007", Name: "pymodule-feature-gated", Severity: Warning,
	Summary: "The #[pymodule] is compiled only with a feature a plain build does not enable",
	Doc: `What: every #[pymodule] named like the extension is behind a Cargo feature — a #[cfg(feature =
"x")] or #[cfg_attr(feature = "x", pymodule)] on it, or on the ` + "`mod`" + ` declaration that leads to its
file — and neither the crate's default features nor [tool.maturin] features enable that
feature (pure-Rust layouts, where maturin's generated __init__.py imports the extension).

Why: maturin builds with the default features plus [tool.maturin] features. CI often passes
--features x, so the published wheels work, but any build without that flag — pip installing the
sdist on a platform without a wheel, maturin develop — compiles no #[pymodule], and the import
fails with "dynamic module does not define module export function (PyInit_x)".

Fix: add the feature to [tool.maturin] features = ["x"] (or to the crate's default features).

Only predicates made of feature = "...", any(...) and all(...) are evaluated; anything else
(not, target_os…) is assumed to be enabled, so the rule stays quiet. Versions: all.`,
	Run: func(p *Pass) {
		in := p.Info()
		pr := p.Project
		mn := in.Module
		if !mn.Set || !in.UsesPyO3Bindings() || !pr.RustComplete || in.layout().mixed {
			return
		}
		for _, f := range pr.RustFiles {
			for _, pi := range f.Rust.PyInits {
				if pi.Name == mn.Ext {
					return
				}
			}
		}
		on, known := in.plainBuildFeatures()
		if !known {
			return
		}
		var gated *PyModule
		var gate string
		for i, m := range in.Modules {
			if !m.TopLevel() || m.Module.Name != mn.Ext {
				continue
			}
			preds := append(append([]string(nil), pr.RustGates[m.File.Path]...), m.Module.CfgPredicates...)
			off := ""
			for _, pred := range preds {
				if evalCfg(pred, on) == cfgFalse {
					off = pred
					break
				}
			}
			if off == "" {
				return // compiled (or unknown) in a plain build
			}
			if gated == nil {
				gated, gate = &in.Modules[i], off
			}
		}
		if gated == nil {
			return
		}
		p.Report(Diagnostic{Location: moduleLocIdent(*gated),
			Message: fmt.Sprintf("#[pymodule] %s is compiled only when cfg(%s), which a plain maturin build does not enable (neither default nor [tool.maturin] features): a wheel built without --features (pip install of the sdist, maturin develop) has no PyInit_%s", gated.Module.Ident, gate, mn.Ext),
			Help:    "add the feature to [tool.maturin] features in pyproject.toml"})
	},
})
