package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Safe makes text from a checked repository (a message quoting a TOML or
// Rust value, a path with a crafted directory name) safe to print on one
// terminal line: C0 control characters (including ESC, CR, LF and TAB) and
// DEL become their Unicode control pictures, C1 controls (U+0080–U+009F,
// which some terminals honour as CSI/OSC) and the bidirectional overrides
// and isolates (Trojan Source) become \u escapes, and invalid UTF-8 bytes
// U+FFFD. Other text is returned unchanged.
func Safe(s string) string { return safe(s, false) }

// safeLines is Safe keeping line feeds (GitHub annotations escape them as %0A).
func safeLines(s string) string { return safe(s, true) }

func safe(s string, keepLF bool) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && !(keepLF && c == '\n') || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case r == '\n' && keepLF:
			b.WriteByte('\n')
		case r < 0x20:
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune('\u2421')
		case r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f || r == 0x061c:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// jsonSafeWriter escapes, inside JSON output, the characters encoding/json
// leaves raw but a terminal may act on: DEL and the C1 controls (U+0080–
// U+009F). Their UTF-8 forms can only occur inside JSON strings, so the
// \u escapes keep the document valid and its values unchanged.
type jsonSafeWriter struct{ w io.Writer }

func (j jsonSafeWriter) Write(p []byte) (int, error) {
	if bytes.IndexByte(p, 0x7f) < 0 && bytes.IndexByte(p, 0xc2) < 0 {
		_, err := j.w.Write(p)
		return len(p), err
	}
	out := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == 0x7f:
			out = append(out, `\u007f`...)
		case p[i] == 0xc2 && i+1 < len(p) && p[i+1] >= 0x80 && p[i+1] <= 0x9f:
			out = append(out, fmt.Sprintf(`\u%04x`, rune(p[i+1]))...)
			i++
		default:
			out = append(out, p[i])
		}
	}
	_, err := j.w.Write(out)
	return len(p), err
}
