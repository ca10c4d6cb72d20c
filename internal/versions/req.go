package versions

import (
	"fmt"
	"strings"
)

// Op is a Cargo comparator operator.
type Op int

const (
	OpExact     Op = iota // =I.J.K
	OpGreater             // >I.J.K
	OpGreaterEq           // >=I.J.K
	OpLess                // <I.J.K
	OpLessEq              // <=I.J.K
	OpTilde               // ~I.J.K
	OpCaret               // ^I.J.K, and the default for a bare version
	OpWildcard            // I.J.* (only when written without an operator)
)

func (o Op) String() string {
	switch o {
	case OpExact:
		return "="
	case OpGreater:
		return ">"
	case OpGreaterEq:
		return ">="
	case OpLess:
		return "<"
	case OpLessEq:
		return "<="
	case OpTilde:
		return "~"
	case OpCaret:
		return "^"
	}
	return ""
}

// Comparator is one comma-separated part of a requirement. Minor and Patch
// are only meaningful when HasMinor/HasPatch are set (partial versions such
// as "0.23" or "1.*" leave them unset). Pre is only ever set with a patch.
// Build metadata in a requirement is accepted and dropped, as semver does.
type Comparator struct {
	Op       Op
	Major    uint64
	Minor    uint64
	HasMinor bool
	Patch    uint64
	HasPatch bool
	Pre      string
}

// Req is a Cargo version requirement. An empty Req is "*" (matches every
// version without a pre-release).
type Req struct {
	Comparators []Comparator
}

// ParseReq parses a requirement exactly as semver::VersionReq::from_str:
// leading spaces are skipped, a lone "*"/"x"/"X" is STAR, otherwise up to
// 32 comma-separated comparators, each an optional operator and a full or
// partial version (wildcards allowed for minor/patch).
func ParseReq(s string) (Req, error) {
	fail := func(msg string) (Req, error) { return Req{}, &SemverError{Input: s, Msg: msg} }
	text := strings.TrimLeft(s, " ")
	if ch, rest, ok := wildcard(text); ok {
		rest = strings.TrimLeft(rest, " ")
		if rest == "" {
			return Req{}, nil
		} else if strings.HasPrefix(rest, ",") {
			return fail(fmt.Sprintf("wildcard req (%c) must be the only comparator in the version req", ch))
		}
		return fail("unexpected character after wildcard in version req")
	}
	var out []Comparator
	for {
		c, pos, rest, err := parseComparator(text)
		if err != "" {
			if ch, r, ok := wildcard(text); ok {
				r = strings.TrimLeft(r, " ")
				if r == "" || strings.HasPrefix(r, ",") {
					err = fmt.Sprintf("wildcard req (%c) must be the only comparator in the version req", ch)
				}
			}
			return fail(err)
		}
		out = append(out, c)
		if rest == "" {
			return Req{Comparators: out}, nil
		}
		if !strings.HasPrefix(rest, ",") {
			return fail(fmt.Sprintf("expected comma after %s, found %q", posName(pos), firstRune(rest)))
		}
		text = strings.TrimLeft(rest[1:], " ")
		if len(out) == 32 {
			return fail("excessive number of version comparators")
		}
	}
}

// MustParseReq is ParseReq that panics on error.
func MustParseReq(s string) Req {
	r, err := ParseReq(s)
	if err != nil {
		panic(err)
	}
	return r
}

func wildcard(s string) (byte, string, bool) {
	if s != "" && (s[0] == '*' || s[0] == 'x' || s[0] == 'X') {
		return s[0], s[1:], true
	}
	return 0, s, false
}

// parseComparator returns the comparator, the name of the last position
// parsed (for messages), the rest after trailing spaces, and an error.
func parseComparator(input string) (Comparator, string, string, string) {
	var c Comparator
	text := input
	switch {
	case strings.HasPrefix(text, "="):
		c.Op, text = OpExact, text[1:]
	case strings.HasPrefix(text, ">="):
		c.Op, text = OpGreaterEq, text[2:]
	case strings.HasPrefix(text, ">"):
		c.Op, text = OpGreater, text[1:]
	case strings.HasPrefix(text, "<="):
		c.Op, text = OpLessEq, text[2:]
	case strings.HasPrefix(text, "<"):
		c.Op, text = OpLess, text[1:]
	case strings.HasPrefix(text, "~"):
		c.Op, text = OpTilde, text[1:]
	case strings.HasPrefix(text, "^"):
		c.Op, text = OpCaret, text[1:]
	default:
		c.Op = OpCaret
	}
	defaultOp := len(text) == len(input)
	text = strings.TrimLeft(text, " ")

	pos := "major"
	var err string
	if c.Major, text, err = numericIdent(text, pos); err != "" {
		return c, pos, text, err
	}
	hasWildcard := false
	if strings.HasPrefix(text, ".") {
		text = text[1:]
		pos = "minor"
		if _, r, ok := wildcard(text); ok {
			hasWildcard = true
			if defaultOp {
				c.Op = OpWildcard
			}
			text = r
		} else {
			if c.Minor, text, err = numericIdent(text, pos); err != "" {
				return c, pos, text, err
			}
			c.HasMinor = true
		}
	}
	if strings.HasPrefix(text, ".") {
		text = text[1:]
		pos = "patch"
		if _, r, ok := wildcard(text); ok {
			if defaultOp {
				c.Op = OpWildcard
			}
			text = r
		} else if hasWildcard {
			return c, pos, text, "unexpected character after wildcard in version req"
		} else {
			if c.Patch, text, err = numericIdent(text, pos); err != "" {
				return c, pos, text, err
			}
			c.HasPatch = true
		}
	}
	if c.HasPatch && strings.HasPrefix(text, "-") {
		pos = "pre-release"
		if c.Pre, text, err = identifier(text[1:], true); err != "" {
			return c, pos, text, err
		}
		if c.Pre == "" {
			return c, pos, text, "empty identifier segment in pre-release identifier"
		}
	}
	if c.HasPatch && strings.HasPrefix(text, "+") {
		pos = "build metadata"
		var b string
		if b, text, err = identifier(text[1:], false); err != "" {
			return c, pos, text, err
		}
		if b == "" {
			return c, pos, text, "empty identifier segment in build metadata"
		}
	}
	text = strings.TrimLeft(text, " ")
	return c, pos, text, ""
}

// String formats the comparator as semver does ("^0.23", ">=1.2.3-rc.1", "1.*").
func (c Comparator) String() string {
	var b strings.Builder
	b.WriteString(c.Op.String())
	fmt.Fprintf(&b, "%d", c.Major)
	if c.HasMinor {
		fmt.Fprintf(&b, ".%d", c.Minor)
		if c.HasPatch {
			fmt.Fprintf(&b, ".%d", c.Patch)
			if c.Pre != "" {
				b.WriteString("-" + c.Pre)
			}
		} else if c.Op == OpWildcard {
			b.WriteString(".*")
		}
	} else if c.Op == OpWildcard {
		b.WriteString(".*")
	}
	return b.String()
}

// String formats the requirement as semver does: "*" when empty, else the
// comparators joined by ", ".
func (r Req) String() string {
	if len(r.Comparators) == 0 {
		return "*"
	}
	parts := make([]string, len(r.Comparators))
	for i, c := range r.Comparators {
		parts[i] = c.String()
	}
	return strings.Join(parts, ", ")
}

// Matches reports whether v satisfies every comparator, with semver's
// pre-release rule: a version with a pre-release only matches if some
// comparator has the same major.minor.patch and a pre-release of its own.
func (r Req) Matches(v Version) bool {
	for _, c := range r.Comparators {
		if !c.matchesImpl(v) {
			return false
		}
	}
	if v.Pre == "" {
		return true
	}
	for _, c := range r.Comparators {
		if c.preCompatible(v) {
			return true
		}
	}
	return false
}

// Matches reports whether v satisfies this single comparator (with the
// pre-release rule applied to the comparator alone).
func (c Comparator) Matches(v Version) bool {
	return c.matchesImpl(v) && (v.Pre == "" || c.preCompatible(v))
}

func (c Comparator) preCompatible(v Version) bool {
	return c.Major == v.Major && c.HasMinor && c.Minor == v.Minor && c.HasPatch && c.Patch == v.Patch && c.Pre != ""
}

func (c Comparator) matchesImpl(v Version) bool {
	switch c.Op {
	case OpExact, OpWildcard:
		return c.exact(v)
	case OpGreater:
		return c.greater(v)
	case OpGreaterEq:
		return c.exact(v) || c.greater(v)
	case OpLess:
		return c.less(v)
	case OpLessEq:
		return c.exact(v) || c.less(v)
	case OpTilde:
		return c.tilde(v)
	case OpCaret:
		return c.caret(v)
	}
	return false
}

func (c Comparator) exact(v Version) bool {
	if v.Major != c.Major {
		return false
	}
	if c.HasMinor && v.Minor != c.Minor {
		return false
	}
	if c.HasPatch && v.Patch != c.Patch {
		return false
	}
	return v.Pre == c.Pre
}

func (c Comparator) greater(v Version) bool {
	if v.Major != c.Major {
		return v.Major > c.Major
	}
	if !c.HasMinor {
		return false
	}
	if v.Minor != c.Minor {
		return v.Minor > c.Minor
	}
	if !c.HasPatch {
		return false
	}
	if v.Patch != c.Patch {
		return v.Patch > c.Patch
	}
	return comparePre(v.Pre, c.Pre) > 0
}

func (c Comparator) less(v Version) bool {
	if v.Major != c.Major {
		return v.Major < c.Major
	}
	if !c.HasMinor {
		return false
	}
	if v.Minor != c.Minor {
		return v.Minor < c.Minor
	}
	if !c.HasPatch {
		return false
	}
	if v.Patch != c.Patch {
		return v.Patch < c.Patch
	}
	return comparePre(v.Pre, c.Pre) < 0
}

func (c Comparator) tilde(v Version) bool {
	if v.Major != c.Major {
		return false
	}
	if c.HasMinor && v.Minor != c.Minor {
		return false
	}
	if c.HasPatch && v.Patch != c.Patch {
		return v.Patch > c.Patch
	}
	return comparePre(v.Pre, c.Pre) >= 0
}

func (c Comparator) caret(v Version) bool {
	if v.Major != c.Major {
		return false
	}
	if !c.HasMinor {
		return true
	}
	if !c.HasPatch {
		if c.Major > 0 {
			return v.Minor >= c.Minor
		}
		return v.Minor == c.Minor
	}
	switch {
	case c.Major > 0:
		if v.Minor != c.Minor {
			return v.Minor > c.Minor
		} else if v.Patch != c.Patch {
			return v.Patch > c.Patch
		}
	case c.Minor > 0:
		if v.Minor != c.Minor {
			return false
		} else if v.Patch != c.Patch {
			return v.Patch > c.Patch
		}
	default:
		if v.Minor != c.Minor || v.Patch != c.Patch {
			return false
		}
	}
	return comparePre(v.Pre, c.Pre) >= 0
}

// lowerBound is the smallest version this comparator admits on its own
// (ignoring upper limits), in semver's total order.
func (c Comparator) lowerBound() (Version, bool) {
	v := Version{Major: c.Major, Minor: c.Minor, Patch: c.Patch, Pre: c.Pre}
	switch c.Op {
	case OpLess, OpLessEq:
		return Version{}, true
	case OpGreater:
		switch {
		case !c.HasMinor:
			if c.Major == ^uint64(0) {
				return Version{}, false
			}
			return Version{Major: c.Major + 1}, true
		case !c.HasPatch:
			if c.Minor == ^uint64(0) {
				return Version{}, false
			}
			return Version{Major: c.Major, Minor: c.Minor + 1}, true
		case c.Pre == "":
			if c.Patch == ^uint64(0) {
				return Version{}, false
			}
			v.Patch++
			return v, true
		default:
			// The immediate successor of a pre-release: append ".0".
			v.Pre += ".0"
			return v, true
		}
	}
	return v, true
}

// Lowest returns the lowest version the requirement admits, and false if it
// admits none. Examples: "0.23" → 0.23.0; ">=0.22.2, <0.24" → 0.22.2;
// ">0.22" → 0.23.0 (a partial version compares only on the fields given, so
// >0.22 excludes every 0.22.x); ">0.22.0" → 0.22.1; "*" → 0.0.0;
// ">=1.0.0-rc.1" → 1.0.0-rc.1.
func (r Req) Lowest() (Version, bool) {
	var lo Version
	for _, c := range r.Comparators {
		b, ok := c.lowerBound()
		if !ok {
			return Version{}, false
		}
		if b.Compare(lo) > 0 {
			lo = b
		}
	}
	if r.Matches(lo) {
		return lo, true
	}
	if lo.Pre != "" {
		// e.g. "=1.0, >=1.0.0-alpha": the pre-release bound is excluded by
		// another comparator, the release itself is not.
		lo.Pre = ""
		if r.Matches(lo) {
			return lo, true
		}
	}
	return Version{}, false
}

// IsExact reports whether the requirement pins one version ("=1.2.3").
func (r Req) IsExact() bool {
	return len(r.Comparators) == 1 && r.Comparators[0].Op == OpExact && r.Comparators[0].HasPatch
}

func posName(p string) string {
	switch p {
	case "major", "minor", "patch":
		return p + " version number"
	case "pre-release":
		return "pre-release identifier"
	}
	return p
}
