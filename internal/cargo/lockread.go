package cargo

import (
	"bytes"
	"unicode/utf8"

	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// ReadLock reads a Cargo.lock in the exact shape cargo writes it — comment
// lines, `version = N`, `[[package]]` tables of name, version, source,
// checksum and a one-string-per-line dependencies array — straight into the
// model, without building a TOML document (a 50,000-package, 12 MB lock
// costs the document ~70 MB; this reader keeps only the packages). It gives
// up (ok false) on anything else: other keys or tables, escapes, control
// characters, duplicate keys, invalid UTF-8; the caller then parses the file
// as TOML, so syntax errors are reported as before. The model equals
// LockFromDoc's for every file it accepts (Doc is nil).
func ReadLock(path string, src []byte) (l *Lock, ok bool) {
	if !utf8.Valid(src) {
		return nil, false
	}
	l = &Lock{Path: path}
	// One copy of the text: names, versions and dependencies are substrings
	// of it, not one allocation each. b is always a subslice of src, so its
	// offset in src is cap(src) - cap(b).
	text := string(src)
	str := func(b []byte) (string, []byte, bool) {
		n, ok := basicString(b)
		if !ok {
			return "", nil, false
		}
		off := cap(src) - cap(b)
		return text[off+1 : off+n-1], b[n:], true
	}
	var cur *LockPackage
	var seen uint8 // keys seen in the current package
	inDeps := false
	for pos := 0; pos < len(src); {
		end := bytes.IndexByte(src[pos:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += pos
		}
		start := pos
		pos = end + 1
		line := src[start:end]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		if inDeps {
			t := bytes.TrimLeft(line, " \t")
			if len(t) == 1 && t[0] == ']' {
				inDeps = false
				continue
			}
			s, rest, ok := str(t)
			if !ok || (len(rest) != 1 || rest[0] != ',') && len(rest) != 0 {
				return nil, false
			}
			cur.Deps = append(cur.Deps, s)
			continue
		}
		if len(line) == 0 || line[0] == '#' {
			if bytes.Contains(line, []byte("pyo3-ls:")) {
				return nil, false // a suppression comment: needs the document
			}
			continue
		}
		if string(line) == "[[package]]" {
			if cur != nil {
				l.Packages = append(l.Packages, *cur)
			}
			cur = &LockPackage{Range: tomldoc.Range{Start: start, End: start + len(line)}}
			seen = 0
			continue
		}
		eq := bytes.Index(line, []byte(" = "))
		if eq <= 0 {
			return nil, false
		}
		key, val := string(line[:eq]), line[eq+3:]
		if cur == nil {
			if key != "version" || !digits(val) {
				return nil, false
			}
			continue
		}
		var bit uint8
		var dst *string
		switch key {
		case "name":
			bit, dst = 1, &cur.Name
		case "version":
			bit, dst = 2, &cur.Version
		case "source":
			bit, dst = 4, &cur.Source
		case "checksum":
			bit = 8
		case "dependencies":
			bit = 16
		default:
			return nil, false
		}
		if seen&bit != 0 {
			return nil, false
		}
		seen |= bit
		if bit == 16 {
			if string(val) != "[" {
				return nil, false
			}
			inDeps = true
			continue
		}
		s, rest, ok := str(val)
		if !ok || len(rest) != 0 {
			return nil, false
		}
		if dst != nil {
			*dst = s
		}
	}
	if inDeps {
		return nil, false
	}
	if cur != nil {
		l.Packages = append(l.Packages, *cur)
	}
	return l, true
}

// basicString returns the length of the "..." string (quotes included)
// at the start of b, which must hold no escape or control character.
func basicString(b []byte) (int, bool) {
	if len(b) < 2 || b[0] != '"' {
		return 0, false
	}
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return i + 1, true
		case c == '\\' || c < 0x20 && c != '\t' || c == 0x7f:
			return 0, false
		}
	}
	return 0, false
}

func digits(b []byte) bool {
	if len(b) == 0 || len(b) > 1 && b[0] == '0' {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
