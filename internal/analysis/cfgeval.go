package analysis

import (
	"strings"
)

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
