package versions

import (
	"fmt"
	"strconv"
	"strings"
)

// PreKind is a normalised PEP 440 pre-release kind.
type PreKind uint8

const (
	PreNone  PreKind = iota
	PreAlpha         // a, alpha
	PreBeta          // b, beta
	PreRC            // rc, c, pre, preview
)

func (k PreKind) String() string {
	switch k {
	case PreAlpha:
		return "a"
	case PreBeta:
		return "b"
	case PreRC:
		return "rc"
	}
	return ""
}

// LocalSegment is one dot-separated part of a local version label. A
// segment made only of digits that fits in a uint64 is numeric (and loses
// its leading zeros); anything else is lower-cased text.
type LocalSegment struct {
	Number uint64
	Text   string
	IsText bool
}

func (l LocalSegment) String() string {
	if l.IsText {
		return l.Text
	}
	return strconv.FormatUint(l.Number, 10)
}

func (l LocalSegment) compare(o LocalSegment) int {
	switch {
	case !l.IsText && !o.IsText:
		return cmpU(l.Number, o.Number)
	case l.IsText && o.IsText:
		return cmpS(l.Text, o.Text)
	case !l.IsText:
		return 1
	}
	return -1
}

// PyVersion is a parsed PEP 440 version, normalised.
type PyVersion struct {
	Epoch   uint64
	Release []uint64 // at least one number; trailing zeros are kept for String
	Pre     PreKind
	PreNum  uint64
	HasPost bool
	Post    uint64
	HasDev  bool
	Dev     uint64
	Local   []LocalSegment
}

// PEP440Error is returned by ParsePyVersion and ParseSpecifiers.
type PEP440Error struct {
	Input string
	Msg   string
}

func (e *PEP440Error) Error() string {
	return fmt.Sprintf("invalid PEP 440 version %q: %s", e.Input, e.Msg)
}

// ParsePyVersion parses a version the way pep440_rs 0.7.3 Version::from_str
// does, which is PEP 440's normalisation grammar: surrounding ASCII
// whitespace, an optional 'v', case-insensitive letters, an epoch "N!",
// pre-releases spelled a/alpha/b/beta/c/rc/pre/preview with optional
// [-_.] separators and an implicit 0, post-releases as "-N" or
// [-_.](post|rev|r)[-_.]N, dev releases [-_.]dev[-_.]N, and a local label
// "+seg[-_.]seg…". A wildcard ("1.2.*") is rejected.
func ParsePyVersion(s string) (PyVersion, error) {
	v, wild, err := parsePattern(s)
	if err != nil {
		return PyVersion{}, err
	}
	if wild {
		return PyVersion{}, &PEP440Error{Input: s, Msg: "wildcards are not allowed in a version"}
	}
	return v, nil
}

// MustParsePyVersion is ParsePyVersion that panics on error.
func MustParsePyVersion(s string) PyVersion {
	v, err := ParsePyVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

type pyParser struct {
	s string
	i int
}

func (p *pyParser) done() bool { return p.i >= len(p.s) }

func (p *pyParser) bumpIf(lit string) bool {
	if len(p.s)-p.i >= len(lit) && strings.EqualFold(p.s[p.i:p.i+len(lit)], lit) {
		p.i += len(lit)
		return true
	}
	return false
}

func (p *pyParser) bumpSep() bool {
	if !p.done() && (p.s[p.i] == '.' || p.s[p.i] == '_' || p.s[p.i] == '-') {
		p.i++
		return true
	}
	return false
}

func isASCIISpace(c byte) bool {
	// Rust's u8::is_ascii_whitespace: space, \t, \n, \x0C, \r.
	return c == ' ' || c == '\t' || c == '\n' || c == '\x0c' || c == '\r'
}

func (p *pyParser) skipSpace() {
	for !p.done() && isASCIISpace(p.s[p.i]) {
		p.i++
	}
}

// number consumes ASCII digits; ok=false when there were none.
func (p *pyParser) number() (n uint64, ok bool, err string) {
	start := p.i
	for !p.done() && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	if p.i == start {
		return 0, false, ""
	}
	n, e := strconv.ParseUint(p.s[start:p.i], 10, 64)
	if e != nil {
		return 0, false, fmt.Sprintf("number %s is too big", p.s[start:p.i])
	}
	return n, true, ""
}

func parsePattern(s string) (PyVersion, bool, error) {
	fail := func(msg string) (PyVersion, bool, error) { return PyVersion{}, false, &PEP440Error{Input: s, Msg: msg} }
	p := &pyParser{s: s}
	var v PyVersion
	p.skipSpace()
	p.bumpIf("v")
	first, ok, err := p.number()
	if err != "" {
		return fail(err)
	}
	if !ok {
		return fail("expected version to start with a number")
	}
	if p.bumpIf("!") {
		v.Epoch = first
		first, ok, err = p.number()
		if err != "" {
			return fail(err)
		}
		if !ok {
			return fail("expected a release number after the epoch")
		}
	}
	v.Release = make([]uint64, 1, 3) // most versions have up to three numbers
	v.Release[0] = first
	for p.bumpIf(".") {
		n, ok, err := p.number()
		if err != "" {
			return fail(err)
		}
		if !ok {
			p.i--
			break
		}
		v.Release = append(v.Release, n)
	}
	if p.bumpIf(".*") {
		if !p.done() {
			return fail("wildcards must be at the end of the version")
		}
		return v, true, nil
	}
	// pre-release
	old := p.i
	p.bumpSep()
	kind := PreNone
	for _, sp := range []struct {
		s string
		k PreKind
	}{{"alpha", PreAlpha}, {"beta", PreBeta}, {"preview", PreRC}, {"pre", PreRC}, {"rc", PreRC}, {"a", PreAlpha}, {"b", PreBeta}, {"c", PreRC}} {
		if p.bumpIf(sp.s) {
			kind = sp.k
			break
		}
	}
	if kind == PreNone {
		p.i = old
	} else {
		p.bumpSep()
		n, _, err := p.number()
		if err != "" {
			return fail(err)
		}
		v.Pre, v.PreNum = kind, n
	}
	// post-release
	old = p.i
	gotPost := false
	if p.bumpIf("-") {
		n, ok, err := p.number()
		if err != "" {
			return fail(err)
		}
		if ok {
			v.HasPost, v.Post, gotPost = true, n, true
		} else {
			p.i = old
		}
	}
	if !gotPost {
		p.bumpSep()
		if p.bumpIf("post") || p.bumpIf("rev") || p.bumpIf("r") {
			p.bumpSep()
			n, _, err := p.number()
			if err != "" {
				return fail(err)
			}
			v.HasPost, v.Post = true, n
		} else {
			p.i = old
		}
	}
	// dev release
	old = p.i
	p.bumpSep()
	if p.bumpIf("dev") {
		p.bumpSep()
		n, _, err := p.number()
		if err != "" {
			return fail(err)
		}
		v.HasDev, v.Dev = true, n
	} else {
		p.i = old
	}
	// local
	if p.bumpIf("+") {
		precursor := '+'
		for {
			start := p.i
			for !p.done() && isASCIIAlnum(p.s[p.i]) {
				p.i++
			}
			seg := p.s[start:p.i]
			if seg == "" {
				return fail(fmt.Sprintf("expected a local segment after %q", precursor))
			}
			if n, e := strconv.ParseUint(seg, 10, 64); e == nil && allDigits(seg) {
				v.Local = append(v.Local, LocalSegment{Number: n})
			} else {
				v.Local = append(v.Local, LocalSegment{Text: strings.ToLower(seg), IsText: true})
			}
			if p.done() || !(p.s[p.i] == '.' || p.s[p.i] == '_' || p.s[p.i] == '-') {
				break
			}
			precursor = rune(p.s[p.i])
			p.i++
		}
	}
	p.skipSpace()
	if !p.done() {
		return fail(fmt.Sprintf("unexpected %q after %q", s[p.i:], s[:p.i]))
	}
	return v, false, nil
}

func isASCIIAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// String returns the normalised form, as pep440_rs prints it
// ("1!2.0rc1.post3.dev4+ubuntu.1"); release trailing zeros are kept.
func (v PyVersion) String() string { return string(v.appendTo(make([]byte, 0, 16))) }

// appendTo appends String() to b.
func (v PyVersion) appendTo(b []byte) []byte {
	if v.Epoch != 0 {
		b = strconv.AppendUint(b, v.Epoch, 10)
		b = append(b, '!')
	}
	for i, n := range v.Release {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, n, 10)
	}
	if v.Pre != PreNone {
		b = append(b, v.Pre.String()...)
		b = strconv.AppendUint(b, v.PreNum, 10)
	}
	if v.HasPost {
		b = append(b, ".post"...)
		b = strconv.AppendUint(b, v.Post, 10)
	}
	if v.HasDev {
		b = append(b, ".dev"...)
		b = strconv.AppendUint(b, v.Dev, 10)
	}
	if len(v.Local) > 0 {
		b = append(b, '+')
		for i, l := range v.Local {
			if i > 0 {
				b = append(b, '.')
			}
			if l.IsText {
				b = append(b, l.Text...)
			} else {
				b = strconv.AppendUint(b, l.Number, 10)
			}
		}
	}
	return b
}

// IsPre reports a pre-release (a/b/rc); IsDev a dev release; IsPost a post
// release; IsLocal a local label. AnyPrerelease is IsPre || IsDev.
func (v PyVersion) IsPre() bool         { return v.Pre != PreNone }
func (v PyVersion) IsDev() bool         { return v.HasDev }
func (v PyVersion) IsPost() bool        { return v.HasPost }
func (v PyVersion) IsLocal() bool       { return len(v.Local) > 0 }
func (v PyVersion) AnyPrerelease() bool { return v.IsPre() || v.IsDev() }

// ReleaseAt returns release component i (0 when the release is shorter).
func (v PyVersion) ReleaseAt(i int) uint64 {
	if i < len(v.Release) {
		return v.Release[i]
	}
	return 0
}

// WithoutLocal returns v with the local label dropped.
func (v PyVersion) WithoutLocal() PyVersion {
	v.Local = nil
	return v
}

// Equal reports Compare(o) == 0 (so 1.0 equals 1.0.0).
func (v PyVersion) Equal(o PyVersion) bool { return v.Compare(o) == 0 }

func compareRelease(a, b []uint64) int {
	n := len(a)
	if len(b) > n {
		n = len(b)
	}
	for i := 0; i < n; i++ {
		var x, y uint64
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if c := cmpU(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// sortKey mirrors pep440_rs sortable_tuple: (class, pre number, post
// (absent < any), dev (absent = max)).
func (v PyVersion) sortKey() (class uint64, preN uint64, hasPost bool, post uint64, dev uint64) {
	devOrMax := ^uint64(0)
	if v.HasDev {
		devOrMax = v.Dev
	}
	switch {
	case v.Pre == PreNone && !v.HasPost && v.HasDev:
		return 1, 0, false, 0, v.Dev
	case v.Pre != PreNone:
		return 1 + uint64(v.Pre), v.PreNum, v.HasPost, v.Post, devOrMax
	case !v.HasPost:
		return 5, 0, false, 0, 0
	default:
		return 6, 0, true, v.Post, devOrMax
	}
}

// Compare orders versions by PEP 440: epoch, release (zero-padded), then
// .devN < aN < bN < rcN < release < .postN (with dev/post of pre-releases
// in between), then local labels (none < any; numeric segments sort above
// text segments).
func (v PyVersion) Compare(o PyVersion) int {
	if c := cmpU(v.Epoch, o.Epoch); c != 0 {
		return c
	}
	if c := compareRelease(v.Release, o.Release); c != 0 {
		return c
	}
	ac, ap, ahp, apo, ad := v.sortKey()
	bc, bp, bhp, bpo, bd := o.sortKey()
	if c := cmpU(ac, bc); c != 0 {
		return c
	}
	if c := cmpU(ap, bp); c != 0 {
		return c
	}
	if ahp != bhp {
		if ahp {
			return 1
		}
		return -1
	}
	if c := cmpU(apo, bpo); c != 0 {
		return c
	}
	if c := cmpU(ad, bd); c != 0 {
		return c
	}
	for i := range v.Local {
		if i >= len(o.Local) {
			return 1
		}
		if c := v.Local[i].compare(o.Local[i]); c != 0 {
			return c
		}
	}
	if len(o.Local) > len(v.Local) {
		return -1
	}
	return 0
}

// SemverToPEP440 converts a Cargo package version the way maturin does
// (metadata.rs: pep440_rs::Version::from_str(&semver.to_string())). It
// fails where maturin fails with "Rust version used in Cargo.toml is not a
// valid python version". Examples (verified against pep440_rs 0.7.3):
// 1.0.0-alpha.1 → 1.0.0a1, 1.0.0-beta → 1.0.0b0, 1.0.0-rc.2 → 1.0.0rc2,
// 1.0.0-pre.1 → 1.0.0rc1, 1.0.0-1 → 1.0.0.post1, 1.0.0-dev → 1.0.0.dev0,
// 1.0.0+abc → 1.0.0+abc; 1.0.0-foo and 1.0.0-alpha.beta fail.
func SemverToPEP440(v Version) (PyVersion, error) {
	if v.Pre == "" && v.Build == "" {
		// X.Y.Z is its own PEP 440 form (the common case: no string round trip).
		return PyVersion{Release: []uint64{v.Major, v.Minor, v.Patch}}, nil
	}
	return ParsePyVersion(v.String())
}
