package versions

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// SpecOp is a PEP 440 comparison operator.
type SpecOp string

const (
	SpecEqual        SpecOp = "=="
	SpecNotEqual     SpecOp = "!="
	SpecArbitrary    SpecOp = "==="
	SpecCompatible   SpecOp = "~="
	SpecLess         SpecOp = "<"
	SpecLessEqual    SpecOp = "<="
	SpecGreater      SpecOp = ">"
	SpecGreaterEqual SpecOp = ">="
)

// Specifier is one clause of a specifier set. Wildcard is only ever set
// with == and != ("==3.12.*", "!=3.11.*").
type Specifier struct {
	Op       SpecOp
	Version  PyVersion
	Wildcard bool
}

// Specifiers is a comma-separated specifier set such as a requires-python
// value; it admits a version when every clause does. The empty set admits
// everything. Clauses keep their source order.
type Specifiers []Specifier

// ParseSpecifiers parses a specifier set as pep440_rs 0.7.3
// VersionSpecifiers::from_str: "" is the empty set; otherwise the text is
// split on ',' and every part must be `ws* op ws* version ws*` (so a
// trailing comma or an empty clause is an error). Local labels are only
// allowed with ==, != and ===; ".*" only with == and !=; ~= needs at least
// two release numbers.
//
// The result may be shared with other callers (parses are memoised: every
// project of a workspace has the same requires-python and build
// requirements): do not modify its clauses. Appending copies.
func ParseSpecifiers(s string) (Specifiers, error) {
	if len(s) > maxMemoKey {
		return parseSpecifiers(s)
	}
	specMu.RLock()
	r, hit := specCache[s]
	specMu.RUnlock()
	if !hit {
		r.s, r.err = parseSpecifiers(s)
		specMu.Lock()
		if len(specCache) < maxSpecCache {
			specCache[s] = r
		}
		specMu.Unlock()
	}
	return r.s[:len(r.s):len(r.s)], r.err
}

type specResult struct {
	s   Specifiers
	err error
}

var (
	specMu    sync.RWMutex
	specCache = map[string]specResult{}
)

const (
	maxSpecCache = 4096
	maxMemoKey   = 256 // longer inputs are parsed each time, not kept
)

func parseSpecifiers(s string) (Specifiers, error) {
	if s == "" {
		return Specifiers{}, nil
	}
	var out Specifiers
	for _, part := range strings.Split(s, ",") {
		sp, err := ParseSpecifier(part)
		if err != nil {
			return nil, &PEP440Error{Input: s, Msg: err.(*PEP440Error).Msg}
		}
		out = append(out, sp)
	}
	return out, nil
}

// MustParseSpecifiers is ParseSpecifiers that panics on error.
func MustParseSpecifiers(s string) Specifiers {
	sp, err := ParseSpecifiers(s)
	if err != nil {
		panic(err)
	}
	return sp
}

func isUnicodeSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// ParseSpecifier parses one clause such as ">= 3.9" or "==3.12.*".
func ParseSpecifier(spec string) (Specifier, error) {
	fail := func(msg string) (Specifier, error) { return Specifier{}, &PEP440Error{Input: spec, Msg: msg} }
	rest := strings.TrimLeftFunc(spec, isUnicodeSpace)
	n := 0
	for n < len(rest) && strings.IndexByte("=!~<>", rest[n]) >= 0 {
		n++
	}
	if n == 0 {
		return fail("unexpected end of version specifier, expected operator")
	}
	op := SpecOp(rest[:n])
	switch op {
	case SpecEqual, SpecNotEqual, SpecArbitrary, SpecCompatible, SpecLess, SpecLessEqual, SpecGreater, SpecGreaterEqual:
	default:
		return fail(fmt.Sprintf("no such comparison operator %q, must be one of ~= == != <= >= < > ===", op))
	}
	rest = strings.TrimLeftFunc(rest[n:], isUnicodeSpace)
	end := strings.IndexFunc(rest, isUnicodeSpace)
	if end < 0 {
		end = len(rest)
	}
	vtext := rest[:end]
	if vtext == "" {
		return fail("unexpected end of version specifier, expected version")
	}
	v, wild, err := parsePattern(vtext)
	if err != nil {
		return fail(err.(*PEP440Error).Msg)
	}
	if wild && op != SpecEqual && op != SpecNotEqual {
		return fail(fmt.Sprintf("operator %s cannot be used with a wildcard version specifier", op))
	}
	if v.IsLocal() && (wild || !(op == SpecEqual || op == SpecNotEqual || op == SpecArbitrary)) {
		return fail(fmt.Sprintf("operator %s is incompatible with versions containing non-empty local segments", op))
	}
	if op == SpecCompatible && len(v.Release) < 2 {
		return fail("the ~= operator requires at least two segments in the release version")
	}
	if trail := strings.TrimLeftFunc(rest[end:], isUnicodeSpace); trail != "" {
		return fail(fmt.Sprintf("trailing %q is not allowed", trail))
	}
	return Specifier{Op: op, Version: v, Wildcard: wild}, nil
}

// String formats the clause in normal form (">=3.9", "==3.12.*").
func (s Specifier) String() string { return string(s.appendTo(make([]byte, 0, 16))) }

func (s Specifier) appendTo(b []byte) []byte {
	b = append(b, s.Op...)
	b = s.Version.appendTo(b)
	if s.Wildcard {
		b = append(b, ".*"...)
	}
	return b
}

// String joins the clauses with ", " (pep440_rs's separator; pep440_rs
// also sorts them by version, this keeps the source order).
func (s Specifiers) String() string { return string(s.appendTo(make([]byte, 0, 32))) }

func (s Specifiers) appendTo(b []byte) []byte {
	for i, sp := range s {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = sp.appendTo(b)
	}
	return b
}

// Admits reports whether v satisfies every clause. Like pep440_rs
// VersionSpecifiers::contains, it applies no "exclude pre-releases unless
// asked" policy: ">=3.9" admits 3.10.0b1.
func (s Specifiers) Admits(v PyVersion) bool {
	for _, sp := range s {
		if !sp.Admits(v) {
			return false
		}
	}
	return true
}

// Admits mirrors pep440_rs 0.7.3 VersionSpecifier::contains, including its
// details: the candidate's local label is ignored unless the clause has one;
// ==X.* and ~= compare release prefixes without zero padding; >V rejects
// post-releases and local versions of V unless V is a post-release;
// <V rejects pre-/dev releases of V's release (even when V is itself a
// pre-release); === compares the normalised strings.
func (s Specifier) Admits(cand PyVersion) bool {
	this := s.Version
	other := cand
	if !this.IsLocal() {
		other = cand.WithoutLocal()
	}
	switch s.Op {
	case SpecEqual:
		if s.Wildcard {
			return this.Epoch == other.Epoch && zipEqual(this.Release, other.Release)
		}
		return other.Compare(this) == 0
	case SpecNotEqual:
		if s.Wildcard {
			return this.Epoch != other.Epoch || !zipEqual(this.Release, cand.Release)
		}
		return other.Compare(this) != 0
	case SpecArbitrary:
		return this.String() == cand.String()
	case SpecCompatible:
		if this.Epoch != other.Epoch {
			return false
		}
		if !zipEqual(this.Release[:len(this.Release)-1], other.Release) {
			return false
		}
		return other.Compare(this) >= 0
	case SpecGreater:
		return greaterThan(this, other)
	case SpecGreaterEqual:
		return greaterThan(this, other) || other.Compare(this) >= 0
	case SpecLess:
		return lessThan(this, other) && !(compareRelease(this.Release, other.Release) == 0 && other.AnyPrerelease())
	case SpecLessEqual:
		return lessThan(this, other) || other.Compare(this) <= 0
	}
	return false
}

func zipEqual(a, b []uint64) bool {
	for i := range a {
		if i >= len(b) {
			return true
		}
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func lessThan(this, other PyVersion) bool {
	if other.Epoch < this.Epoch {
		return true
	}
	if !this.AnyPrerelease() && other.IsPre() && compareRelease(this.Release, other.Release) == 0 {
		return false
	}
	return other.Compare(this) < 0
}

func greaterThan(this, other PyVersion) bool {
	if other.Epoch > this.Epoch {
		return true
	}
	if compareRelease(this.Release, other.Release) == 0 {
		if !this.IsPost() && other.IsPost() {
			return false
		}
		if other.IsLocal() {
			return false
		}
	}
	return other.Compare(this) > 0
}

// MaxMinorConsidered is the highest minor version the *Minor helpers look
// at: Python 3.30 is far enough in the future that "admits 3.30" can be
// read as "no upper bound".
const MaxMinorConsidered = 30

// AdmitsMinor reports whether some final release major.minor.patch
// (patch 0..99, no pre-, post-, dev- or local parts) is admitted.
func (s Specifiers) AdmitsMinor(major, minor int) bool {
	if major < 0 || minor < 0 {
		return false
	}
	// For a fixed major.minor, whether a clause admits major.minor.Z
	// depends only on how Z compares with the clause's third release number
	// p (0 when it has fewer): Z < p, Z = p or Z > p (the epoch, the
	// first two numbers, the pre-/post-/dev-/local parts and the ==X.*
	// prefixes do not change with Z). So the admitted patches are a union
	// of intervals that each start at 0, at some p or at some p+1, and
	// trying those starts finds one when any of 0..99 is admitted — the
	// same answer as trying all 100 (TestAdmitsMinorSameAsEveryPatch).
	var cands [16]uint64
	tried := cands[:0]
	try := func(patch uint64) bool {
		if patch > 99 {
			return false
		}
		for _, t := range tried {
			if t == patch {
				return false
			}
		}
		tried = append(tried, patch)
		return s.Admits(PyVersion{Release: []uint64{uint64(major), uint64(minor), patch}})
	}
	if try(0) {
		return true
	}
	for _, sp := range s {
		var p uint64
		if len(sp.Version.Release) >= 3 {
			p = sp.Version.Release[2]
		}
		if try(p) || (p < 99 && try(p+1)) {
			return true
		}
	}
	return false
}

// admitsMinorEveryPatch is AdmitsMinor by trying every patch 0..99: the
// definition AdmitsMinor is tested against.
func (s Specifiers) admitsMinorEveryPatch(major, minor int) bool {
	if major < 0 || minor < 0 {
		return false
	}
	for patch := 0; patch <= 99; patch++ {
		if s.Admits(PyVersion{Release: []uint64{uint64(major), uint64(minor), uint64(patch)}}) {
			return true
		}
	}
	return false
}

// LowestMinor returns the smallest minor X in 0..MaxMinorConsidered with
// AdmitsMinor(major, X); ok is false when there is none.
// For ">=3.9,<3.14" and major 3 it returns (9, true).
func (s Specifiers) LowestMinor(major int) (minor int, ok bool) {
	var buf [64]byte
	key := s.minorKey(buf[:0], 'L', major)
	if r, hit := loadMinor(key); hit {
		return r[0], r[1] == 1
	}
	minor, ok = s.lowestMinor(major)
	cacheMinor(key, [3]int{minor, b2i(ok)})
	return minor, ok
}

func (s Specifiers) lowestMinor(major int) (minor int, ok bool) {
	for m := 0; m <= MaxMinorConsidered; m++ {
		if s.AdmitsMinor(major, m) {
			return m, true
		}
	}
	return 0, false
}

// minorCache memoises LowestMinor and HighestMinor by the specifier set's
// normal form: each costs up to 31×100 Admits calls, and every project of
// a workspace asks the same question about the same requires-python
// (profiled at 28% of checking a 1,000-project workspace). Bounded so a
// long-running server cannot grow it without limit.
var (
	minorMu    sync.RWMutex
	minorCache = map[string][3]int{}
)

const maxMinorCache = 4096

// minorKey appends the cache key of a LowestMinor ('L') or HighestMinor
// ('H') question about major to b.
func (s Specifiers) minorKey(b []byte, kind byte, major int) []byte {
	b = append(b, kind)
	b = strconv.AppendInt(b, int64(major), 10)
	b = append(b, ' ')
	return s.appendTo(b)
}

// loadMinor looks key up without converting it to a string (no allocation).
func loadMinor(key []byte) ([3]int, bool) {
	minorMu.RLock()
	r, ok := minorCache[string(key)]
	minorMu.RUnlock()
	return r, ok
}

func cacheMinor(key []byte, v [3]int) {
	minorMu.Lock()
	if len(minorCache) < maxMinorCache && len(key) <= maxMemoKey {
		minorCache[string(key)] = v
	}
	minorMu.Unlock()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// HighestMinor returns the largest minor X in 0..MaxMinorConsidered with
// AdmitsMinor(major, X). ok is false when no minor is admitted. bounded is
// false when MaxMinorConsidered itself is admitted, i.e. the set has no
// upper bound in practice (">=3.9" → (30, false, true)); callers should
// then not treat minor as a real maximum. ">=3.9,<3.14" → (13, true, true).
func (s Specifiers) HighestMinor(major int) (minor int, bounded, ok bool) {
	var buf [64]byte
	key := s.minorKey(buf[:0], 'H', major)
	if r, hit := loadMinor(key); hit {
		return r[0], r[1] == 1, r[2] == 1
	}
	minor, bounded, ok = s.highestMinor(major)
	cacheMinor(key, [3]int{minor, b2i(bounded), b2i(ok)})
	return minor, bounded, ok
}

func (s Specifiers) highestMinor(major int) (minor int, bounded, ok bool) {
	for m := MaxMinorConsidered; m >= 0; m-- {
		if s.AdmitsMinor(major, m) {
			return m, m < MaxMinorConsidered, true
		}
	}
	return 0, true, false
}
