package versions

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a Cargo SemVer version: major.minor.patch[-pre][+build].
type Version struct {
	Major, Minor, Patch uint64
	Pre, Build          string // without the leading '-' / '+'; "" when absent
}

// SemverError is returned by ParseVersion and ParseReq.
type SemverError struct {
	Input string
	Msg   string
}

func (e *SemverError) Error() string {
	return fmt.Sprintf("invalid semver %q: %s", e.Input, e.Msg)
}

// ParseVersion parses a version exactly as semver::Version::parse does: no
// surrounding whitespace, no leading 'v', no leading zeros in the numeric
// components or in numeric pre-release identifiers, non-empty dot-separated
// identifiers made of [0-9A-Za-z-].
func ParseVersion(s string) (Version, error) {
	fail := func(msg string) (Version, error) { return Version{}, &SemverError{Input: s, Msg: msg} }
	if s == "" {
		return fail("empty string, expected a semver version")
	}
	var v Version
	var err string
	rest := s
	if v.Major, rest, err = numericIdent(rest, "major"); err != "" {
		return fail(err)
	}
	if rest, err = dot(rest, "major"); err != "" {
		return fail(err)
	}
	if v.Minor, rest, err = numericIdent(rest, "minor"); err != "" {
		return fail(err)
	}
	if rest, err = dot(rest, "minor"); err != "" {
		return fail(err)
	}
	if v.Patch, rest, err = numericIdent(rest, "patch"); err != "" {
		return fail(err)
	}
	pos := "patch version number"
	if strings.HasPrefix(rest, "-") {
		pos = "pre-release identifier"
		if v.Pre, rest, err = identifier(rest[1:], true); err != "" {
			return fail(err)
		}
		if v.Pre == "" {
			return fail("empty identifier segment in pre-release identifier")
		}
	}
	if strings.HasPrefix(rest, "+") {
		pos = "build metadata"
		if v.Build, rest, err = identifier(rest[1:], false); err != "" {
			return fail(err)
		}
		if v.Build == "" {
			return fail("empty identifier segment in build metadata")
		}
	}
	if rest != "" {
		return fail(fmt.Sprintf("unexpected character %q after %s", firstRune(rest), pos))
	}
	return v, nil
}

// MustParseVersion is ParseVersion that panics on error (for tables and tests).
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func numericIdent(s, pos string) (uint64, string, string) {
	var n uint64
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if n == 0 && i > 0 {
			return 0, s, "invalid leading zero in " + pos + " version number"
		}
		d := uint64(s[i] - '0')
		if n > (^uint64(0)-d)/10 {
			return 0, s, "value of " + pos + " version number exceeds u64::MAX"
		}
		n = n*10 + d
		i++
	}
	if i == 0 {
		if s == "" {
			return 0, s, "unexpected end of input while parsing " + pos + " version number"
		}
		return 0, s, fmt.Sprintf("unexpected character %q while parsing %s version number", firstRune(s), pos)
	}
	return n, s[i:], ""
}

func dot(s, pos string) (string, string) {
	if strings.HasPrefix(s, ".") {
		return s[1:], ""
	}
	if s == "" {
		return s, "unexpected end of input while parsing " + pos + " version number"
	}
	return s, fmt.Sprintf("unexpected character %q after %s version number", firstRune(s), pos)
}

// identifier mirrors semver's parse.rs identifier(): it consumes
// dot-separated [0-9A-Za-z-]+ segments. An empty result with no error means
// no identifier started here.
func identifier(s string, pre bool) (string, string, string) {
	what := "build metadata"
	if pre {
		what = "pre-release identifier"
	}
	acc, seg := 0, 0
	nondigit := false
	for {
		var c byte
		ok := acc+seg < len(s)
		if ok {
			c = s[acc+seg]
		}
		switch {
		case ok && (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-'):
			seg++
			nondigit = true
		case ok && c >= '0' && c <= '9':
			seg++
		default:
			if seg == 0 {
				if acc == 0 && !(ok && c == '.') {
					return "", s, ""
				}
				return "", s, "empty identifier segment in " + what
			}
			if pre && seg > 1 && !nondigit && s[acc] == '0' {
				return "", s, "invalid leading zero in " + what
			}
			acc += seg
			if ok && c == '.' {
				acc++
				seg = 0
				nondigit = false
			} else {
				return s[:acc], s[acc:], ""
			}
		}
	}
}

// String formats the version as semver does.
func (v Version) String() string {
	b := make([]byte, 0, 16+len(v.Pre)+len(v.Build))
	b = strconv.AppendUint(b, v.Major, 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, v.Minor, 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, v.Patch, 10)
	if v.Pre != "" {
		b = append(b, '-')
		b = append(b, v.Pre...)
	}
	if v.Build != "" {
		b = append(b, '+')
		b = append(b, v.Build...)
	}
	return string(b)
}

// IsPrerelease reports whether v has a pre-release part.
func (v Version) IsPrerelease() bool { return v.Pre != "" }

// Compare orders versions like semver's Ord for Version: major, minor,
// patch, then pre-release precedence (a release is greater than any of its
// pre-releases), then build metadata as a final tie-break (semver 1.0 orders
// build metadata too, so 1.0.0+a != 1.0.0+b; SemVer precedence proper ignores it:
// use ComparePrecedence for that).
func (v Version) Compare(o Version) int {
	if c := v.ComparePrecedence(o); c != 0 {
		return c
	}
	return compareBuild(v.Build, o.Build)
}

// ComparePrecedence is Compare without the build-metadata tie-break.
func (v Version) ComparePrecedence(o Version) int {
	if c := cmpU(v.Major, o.Major); c != 0 {
		return c
	}
	if c := cmpU(v.Minor, o.Minor); c != 0 {
		return c
	}
	if c := cmpU(v.Patch, o.Patch); c != 0 {
		return c
	}
	return comparePre(v.Pre, o.Pre)
}

// Less reports v.Compare(o) < 0.
func (v Version) Less(o Version) bool { return v.Compare(o) < 0 }

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpS(a, b string) int { return strings.Compare(a, b) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// comparePre implements semver's Ord for Prerelease (empty is greatest).
func comparePre(a, b string) int {
	if a == b {
		return 0
	}
	if a == "" {
		return 1
	}
	if b == "" {
		return -1
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i, l := range as {
		if i >= len(bs) {
			return 1
		}
		r := bs[i]
		ld, rd := allDigits(l), allDigits(r)
		var c int
		switch {
		case ld && rd:
			c = cmpU(uint64(len(l)), uint64(len(r)))
			if c == 0 {
				c = cmpS(l, r)
			}
		case ld:
			return -1
		case rd:
			return 1
		default:
			c = cmpS(l, r)
		}
		if c != 0 {
			return c
		}
	}
	if len(bs) > len(as) {
		return -1
	}
	return 0
}

// compareBuild implements semver's Ord for BuildMetadata.
func compareBuild(a, b string) int {
	if a == b {
		return 0
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i, l := range as {
		if i >= len(bs) {
			return 1
		}
		r := bs[i]
		ld, rd := allDigits(l), allDigits(r)
		var c int
		switch {
		case ld && rd:
			lv, rv := strings.TrimLeft(l, "0"), strings.TrimLeft(r, "0")
			c = cmpU(uint64(len(lv)), uint64(len(rv)))
			if c == 0 {
				c = cmpS(lv, rv)
			}
			if c == 0 {
				c = cmpU(uint64(len(l)), uint64(len(r)))
			}
		case ld:
			return -1
		case rd:
			return 1
		default:
			c = cmpS(l, r)
		}
		if c != 0 {
			return c
		}
	}
	if len(bs) > len(as) {
		return -1
	}
	return 0
}
