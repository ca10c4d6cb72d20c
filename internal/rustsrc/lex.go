package rustsrc

import (
	"bytes"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF      tokKind = iota
	tIdent            // identifier or keyword (raw identifiers r#x too)
	tLifetime         // 'a, 'static
	tStr              // any string literal: "..", b"..", c"..", r#".."#, ...
	tChar             // char or byte literal: 'a', b'\n'
	tNum              // numeric literal (loosely lexed)
	tPunct            // one punctuation byte; compound operators are several tokens
)

// token is one lexical token: start/end is the whole token; for tIdent
// vStart()/vEnd is the identifier without any r# prefix, for tStr it is the
// literal's contents between the quotes (escapes are not processed).
//
// It has four fields so that the compiler keeps tokens in registers; wider
// structs are copied through memory on every return, which costs
// store-forwarding stalls on the scanner's hot path.
type token struct {
	start int32
	end   int32
	vEnd  int32
	meta  uint32 // kind | flags<<4 | punct<<8 | (vStart-start)<<16
}

const (
	fRaw   = 1 << 0 // raw identifier (r#x) or raw string
	fPlain = 1 << 1 // tStr: a plain "..." or r"..." string (no b/c prefix)
)

func mk(kind tokKind, flags uint32, punct byte, start, end, vStart, vEnd int) token {
	off := vStart - start
	if off < 0 || off > 0xFFFF || vStart > vEnd {
		off, vEnd = 0, start
	}
	return token{start: int32(start), end: int32(end), vEnd: int32(vEnd),
		meta: uint32(kind) | flags<<4 | uint32(punct)<<8 | uint32(off)<<16}
}

func (t token) kind() tokKind { return tokKind(t.meta & 0xF) }
func (t token) punct() byte   { return byte(t.meta >> 8) }
func (t token) raw() bool     { return t.meta&(fRaw<<4) != 0 }
func (t token) plain() bool   { return t.meta&(fPlain<<4) != 0 }
func (t token) vStart() int32 { return t.start + int32(t.meta>>16) }
func (t token) rng() Range    { return Range{Start: int(t.start), End: int(t.end)} }
func (t token) vrng() Range   { return Range{Start: int(t.vStart()), End: int(t.vEnd)} }

func (t token) isPunct(c byte) bool { return t.meta&0xFF0F == uint32(tPunct)|uint32(c)<<8 }

// lexer turns Rust source into tokens, skipping whitespace and comments.
// Line comments (not doc comments) are appended to comments. It never reads
// out of bounds and always advances, so it terminates on any input.
type lexer struct {
	src      []byte
	pos      int
	comments []LineComment
	peeked   bool
	la       token
	closed   bool // the last quoted() literal had its closing quote
}

func newLexer(src []byte) *lexer {
	lx := &lexer{src: src}
	// UTF-8 byte order mark.
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		lx.pos = 3
	}
	// Shebang line: "#!" not followed by '[' (an inner attribute).
	if len(src) >= lx.pos+2 && src[lx.pos] == '#' && src[lx.pos+1] == '!' {
		j := lx.pos + 2
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		if j >= len(src) || src[j] != '[' {
			for lx.pos < len(src) && src[lx.pos] != '\n' {
				lx.pos++
			}
		}
	}
	return lx
}

func (lx *lexer) peek() token {
	if !lx.peeked {
		lx.la = lx.lex()
		lx.peeked = true
	}
	return lx.la
}

func (lx *lexer) next() token {
	if lx.peeked {
		lx.peeked = false
		return lx.la
	}
	return lx.lex()
}

func isIdentStart(c byte) bool { return byteClass[c]&cIdentStart != 0 }

func isIdentCont(c byte) bool { return byteClass[c]&cIdentCont != 0 }

// byteClass classifies bytes for the lexer's hot loops (one load instead
// of a chain of comparisons).
var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if b == '_' || (b|0x20) >= 'a' && (b|0x20) <= 'z' || b >= 0x80 {
			t[c] |= cIdentStart | cIdentCont
		}
		if b >= '0' && b <= '9' {
			t[c] |= cIdentCont
		}
		if b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == '\v' {
			t[c] |= cSpace
		}
	}
	return t
}()

const (
	cIdentStart = 1 << iota
	cIdentCont
	cSpace
)

// lex returns the next token.
func (lx *lexer) lex() token {
	src := lx.src
	n := len(src)
	pos := lx.pos
	for pos < n {
		c := src[pos]
		cl := byteClass[c]
		if cl&cSpace != 0 {
			pos++
			continue
		}
		if cl&cIdentStart != 0 {
			return lx.identOrPrefixed(pos)
		}
		if c == '/' && pos+1 < n {
			switch src[pos+1] {
			case '/':
				lx.pos = pos
				lx.lineComment()
				pos = lx.pos
				continue
			case '*':
				lx.pos = pos
				lx.blockComment()
				pos = lx.pos
				continue
			}
		}
		start := pos
		switch {
		case cl&cIdentCont != 0: // a digit (identifier starts were handled above)
			pos++
			for pos < n && byteClass[src[pos]]&cIdentCont != 0 {
				pos++
			}
			lx.pos = pos
			return mk(tNum, 0, 0, start, pos, start, start)
		case c == '"':
			lx.quoted(start + 1)
			return mk(tStr, fPlain, 0, start, lx.pos, start+1, lx.strEnd())
		case c == '\'':
			return lx.quote(start, start)
		}
		lx.pos = pos + 1
		return mk(tPunct, 0, c, start, pos+1, start, start)
	}
	lx.pos = pos
	return mk(tEOF, 0, 0, n, n, n, n)
}

// strEnd is the end of a quoted literal's contents given lx.pos just past it:
// before the closing quote, or at EOF for an unterminated literal.
func (lx *lexer) strEnd() int {
	if lx.closed {
		return lx.pos - 1
	}
	return lx.pos
}

// lineComment consumes a // comment; records it unless it is a doc comment.
func (lx *lexer) lineComment() {
	src := lx.src
	start := lx.pos
	end := len(src)
	if nl := bytes.IndexByte(src[start+2:], '\n'); nl >= 0 {
		end = start + 2 + nl
	}
	lx.pos = end
	// "///x" and "//!" are doc comments; "////" is an ordinary comment.
	if start+2 < len(src) {
		c := src[start+2]
		if c == '!' || (c == '/' && (start+3 >= len(src) || src[start+3] != '/')) {
			return
		}
	}
	if end > start+2 && src[end-1] == '\r' {
		end--
	}
	lx.comments = append(lx.comments, LineComment{Range: Range{Start: start, End: end}})
}

// blockComment consumes a possibly nested /* */ comment (to EOF if unterminated).
func (lx *lexer) blockComment() {
	src := lx.src
	i := lx.pos + 2
	depth := 1
	for i < len(src) {
		switch {
		case src[i] == '*' && i+1 < len(src) && src[i+1] == '/':
			i += 2
			depth--
			if depth == 0 {
				lx.pos = i
				return
			}
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
			i += 2
			depth++
		default:
			i++
		}
	}
	lx.pos = len(src)
}

// quoted consumes a "..." body with escapes starting at i (just after the
// opening quote) and leaves lx.pos after the closing quote (or at EOF).
func (lx *lexer) quoted(i int) {
	src := lx.src
	for i < len(src) {
		switch src[i] {
		case '\\':
			i += 2
			continue
		case '"':
			lx.pos = i + 1
			lx.closed = true
			return
		}
		i++
	}
	lx.pos = len(src)
	lx.closed = false
}

// rawQuoted consumes a raw string body starting at i (just after the opening
// quote) closed by '"' followed by hashes '#'s; sets lx.pos after it.
func (lx *lexer) rawQuoted(i, hashes int) (contentEnd int) {
	src := lx.src
	for i < len(src) {
		if src[i] == '"' {
			j := i + 1
			k := 0
			for k < hashes && j < len(src) && src[j] == '#' {
				j++
				k++
			}
			if k == hashes {
				lx.pos = j
				return i
			}
		}
		i++
	}
	lx.pos = len(src)
	return len(src)
}

// identOrPrefixed lexes an identifier, or a literal with a prefix
// (b"", br"", r"", r#""#, c"", cr"", b'x'), or a raw identifier r#x.
func (lx *lexer) identOrPrefixed(start int) token {
	src := lx.src
	n := len(src)
	i := start + 1
	for i < n && isIdentCont(src[i]) {
		i++
	}
	if i-start > 2 {
		// Most identifiers: longer than every string prefix below.
		lx.pos = i
		return mk(tIdent, 0, 0, start, i, start, i)
	}
	word := src[start:i]
	var next byte
	if i < n {
		next = src[i]
	}
	switch string(word) {
	case "r", "br", "cr":
		if next == '"' || next == '#' {
			j := i
			for j < n && src[j] == '#' {
				j++
			}
			hashes := j - i
			if j < n && src[j] == '"' {
				ce := lx.rawQuoted(j+1, hashes)
				return mk(tStr, fRaw|b2u(word[0] == 'r')*fPlain, 0, start, lx.pos, j+1, ce)
			}
			if string(word) == "r" && hashes == 1 && j < n && isIdentStart(src[j]) {
				// Raw identifier r#name.
				k := j + 1
				for k < n && isIdentCont(src[k]) {
					k++
				}
				lx.pos = k
				return mk(tIdent, fRaw, 0, start, k, j, k)
			}
		}
	case "b", "c":
		if next == '"' {
			lx.quoted(i + 1)
			return mk(tStr, 0, 0, start, lx.pos, i+1, lx.strEnd())
		}
		if next == '\'' && word[0] == 'b' {
			t := lx.quote(start, i)
			if t.kind() == tChar {
				return t
			}
			// Not a byte literal: fall back to the identifier "b".
			lx.pos = i
		}
	}
	lx.pos = i
	return mk(tIdent, 0, 0, start, i, start, i)
}

// quote lexes what starts with the quote at q (the token starts at start,
// before any b prefix): a char literal, a lifetime, or a lone quote.
func (lx *lexer) quote(start, q int) token {
	src := lx.src
	n := len(src)
	i := q + 1
	if i >= n {
		lx.pos = n
		return mk(tPunct, 0, '\'', start, n, start, start)
	}
	c := src[i]
	if c == '\\' {
		// Escaped char: '\n', '\'', '\x7f', '\u{1F600}'. Look for the closing
		// quote within a short distance on the same line.
		j := i + 2
		for lim := 0; j < n && lim < 12 && src[j] != '\n'; j, lim = j+1, lim+1 {
			if src[j] == '\'' {
				lx.pos = j + 1
				return mk(tChar, 0, 0, start, lx.pos, start, start)
			}
		}
		lx.pos = q + 1
		return mk(tPunct, 0, '\'', start, lx.pos, start, start)
	}
	size := 1
	if c >= 0x80 {
		_, size = utf8.DecodeRune(src[i:])
	}
	if i+size < n && src[i+size] == '\'' && c != '\n' {
		lx.pos = i + size + 1
		return mk(tChar, 0, 0, start, lx.pos, start, start)
	}
	if start == q && isIdentStart(c) {
		// Lifetime or label: 'a, 'static, 'r#ident.
		j := i + 1
		if c == 'r' && j+1 < n && src[j] == '#' && isIdentStart(src[j+1]) {
			j += 2
		}
		for j < n && isIdentCont(src[j]) {
			j++
		}
		lx.pos = j
		return mk(tLifetime, 0, 0, start, j, start, start)
	}
	lx.pos = q + 1
	return mk(tPunct, 0, '\'', start, lx.pos, start, start)
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
