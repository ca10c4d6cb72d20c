// Package pysrc is a small tolerant reader of Python source and stub files:
// it finds imports, __all__, and the top-level functions, classes and
// variables with their signatures (and the members of top-level classes). It
// is not a Python parser: it splits the file into logical lines, follows
// indentation to know which block a line is in, and reads the few statement
// forms it knows. Anything else is skipped. It never fails, panics or hangs,
// and runs in linear time.
package pysrc

import (
	"bytes"

	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// Range is a byte range in the source.
type Range = span.Range

type tokKind uint8

const (
	tName tokKind = iota + 1
	tNumber
	tString
	tOp
)

// Offsets are int32 (files are far below 2 GB): 12 bytes a token, and the
// token buffer is sized from the file.
type token struct {
	start, end int32
	kind       tokKind
}

// line is one logical line: its tokens and the column of its first token.
type line struct {
	indent int
	toks   []token
}

// maxTokens bounds the tokens kept per logical line (a longer line is cut).
const maxTokens = 1 << 16

// lines splits src into logical lines. Brackets join physical lines, as do
// backslashes at line ends; strings (triple-quoted too) and comments are
// recognised; a ';' at depth 0 splits a physical line into statements with
// the same indentation.
func lines(src []byte) []line {
	// Tokens of all lines share one buffer; each line is a window into it.
	all := make([]token, 0, len(src)/6+16)
	type span struct{ indent, start, end int }
	var spans []span
	cur := span{}
	depth := 0
	startOfLine := true
	col := 0
	n := len(src)
	i := 0
	if n >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		i = 3
	}
	flush := func() {
		if len(all) > cur.start {
			cur.end = len(all)
			spans = append(spans, cur)
		}
		cur = span{start: len(all)}
	}
	for i < n {
		c := src[i]
		if startOfLine {
			// measure indentation
			col = 0
			for i < n && (src[i] == ' ' || src[i] == '\t' || src[i] == '\f') {
				if src[i] == '\t' {
					col = (col/8 + 1) * 8
				} else {
					col++
				}
				i++
			}
			startOfLine = false
			continue
		}
		switch {
		case c == '\n':
			i++
			if depth == 0 {
				flush()
				startOfLine = true
			}
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
			continue
		case c == '#':
			if k := bytes.IndexByte(src[i:], '\n'); k >= 0 {
				i += k
			} else {
				i = n
			}
			continue
		case c == '\\' && i+1 < n && (src[i+1] == '\n' || src[i+1] == '\r'):
			i += 2
			if i < n && src[i-1] == '\r' && src[i] == '\n' {
				i++
			}
			continue
		}
		if len(all) == cur.start {
			cur.indent = col
		}
		start := i
		var t token
		switch {
		case isNameStart(c):
			j := i + 1
			for j < n && isNameCont(src[j]) {
				j++
			}
			// string prefixes: r, b, u, f, rb, br, fr, rf, t...
			if j < n && (src[j] == '\'' || src[j] == '"') && j-i <= 2 && isStrPrefix(src[i:j]) {
				i = skipString(src, j)
				t = token{int32(start), int32(i), tString}
			} else {
				i = j
				t = token{int32(start), int32(i), tName}
			}
		case c >= '0' && c <= '9' || c == '.' && i+1 < n && src[i+1] >= '0' && src[i+1] <= '9':
			j := i + 1
			for j < n && (isNameCont(src[j]) || src[j] == '.') {
				j++
			}
			i = j
			t = token{int32(start), int32(i), tNumber}
		case c == '\'' || c == '"':
			i = skipString(src, i)
			t = token{int32(start), int32(i), tString}
		default:
			i++
			switch c {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				if depth > 0 {
					depth--
				}
			case ';':
				if depth == 0 {
					ind := cur.indent
					flush()
					cur.indent = ind
					continue
				}
			case '*':
				if i < n && src[i] == '*' {
					i++
				}
			case '-':
				if i < n && src[i] == '>' {
					i++
				}
			}
			t = token{int32(start), int32(i), tOp}
		}
		if len(all)-cur.start < maxTokens {
			all = append(all, t)
		}
	}
	flush()
	out := make([]line, len(spans))
	for i, sp := range spans {
		out[i] = line{indent: sp.indent, toks: all[sp.start:sp.end:sp.end]}
	}
	return out
}

func isNameStart(c byte) bool { return nameClass[c]&nameStart != 0 }

func isNameCont(c byte) bool { return nameClass[c]&nameCont != 0 }

const (
	nameStart = 1 << iota // _, ASCII letters, any non-ASCII byte
	nameCont              // those and digits
)

// nameClass classifies bytes for the name loops (one load instead of a
// chain of comparisons).
var nameClass = func() (t [256]uint8) {
	for i := range t {
		c := byte(i)
		if c == '_' || (c|0x20) >= 'a' && (c|0x20) <= 'z' || c >= 0x80 {
			t[i] |= nameStart | nameCont
		}
		if c >= '0' && c <= '9' {
			t[i] |= nameCont
		}
	}
	return t
}()

func isStrPrefix(p []byte) bool {
	for _, c := range p {
		switch c | 0x20 {
		case 'r', 'b', 'u', 'f', 't':
		default:
			return false
		}
	}
	return true
}

// skipString returns the offset after the string literal whose quote is at
// q (a prefix, if any, is before q). An unterminated single-quoted string
// ends at the line end; an unterminated triple-quoted one at EOF.
func skipString(src []byte, q int) int {
	n := len(src)
	quote := src[q]
	if q+2 < n && src[q+1] == quote && src[q+2] == quote {
		// Jump from one quote or backslash to the next (docstrings are
		// long); qpos, the next quote at or after i, is looked for again
		// only once i has passed it, so this stays linear.
		i := q + 3
		qpos := -1
		for i < n {
			if qpos < i {
				qpos = n
				if k := bytes.IndexByte(src[i:], quote); k >= 0 {
					qpos = i + k
				}
			}
			if b := bytes.IndexByte(src[i:qpos], '\\'); b >= 0 {
				i += b + 2
				continue
			}
			i = qpos
			if i >= n {
				break
			}
			if i+2 < n && src[i+1] == quote && src[i+2] == quote {
				return i + 3
			}
			i++
		}
		return n
	}
	i := q + 1
	for i < n {
		switch src[i] {
		case '\\':
			i += 2
			continue
		case quote:
			return i + 1
		case '\n':
			return i
		}
		i++
	}
	if i > n {
		return n
	}
	return i
}

// MayImportFrom reports whether src may hold a from-import whose module path
// has more than one component or a leading dot and ends in the name last
// (`from ._core import x`, `from pkg._core import x`): it is false only when
// no occurrence of last in src is a whole name that follows a '.' (blanks
// and line continuations between them allowed). It lets a caller skip
// parsing files that cannot import from an extension module.
func MayImportFrom(src []byte, last string) bool {
	if last == "" {
		return true
	}
	pat := []byte(last)
	for off := 0; ; {
		i := bytes.Index(src[off:], pat)
		if i < 0 {
			return false
		}
		k := off + i
		end := k + len(last)
		off = k + 1
		if k > 0 && isNameCont(src[k-1]) || end < len(src) && isNameCont(src[end]) {
			continue
		}
		j := k - 1
		for j >= 0 && (src[j] == ' ' || src[j] == '\t' || src[j] == '\r' || src[j] == '\f' || src[j] == '\n' || src[j] == '\\') {
			j--
		}
		if j >= 0 && src[j] == '.' {
			return true
		}
	}
}
