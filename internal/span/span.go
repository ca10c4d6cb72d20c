// Package span holds byte ranges and the conversion from byte offsets to the
// line/column positions shown to users (1-based characters for text output,
// 0-based lines with UTF-16 code units for LSP and JSON).
package span

import (
	"sort"
	"unicode/utf16"
	"unicode/utf8"
)

// Range is a half-open byte range [Start, End) in a file's contents.
type Range struct {
	Start int
	End   int
}

// Valid reports whether the range is well formed.
func (r Range) Valid() bool { return r.Start >= 0 && r.End >= r.Start }

// IsZero reports whether r is the zero range.
func (r Range) IsZero() bool { return r.Start == 0 && r.End == 0 }

// Contains reports whether offset lies inside r (end inclusive, as editors
// expect for a cursor just after a token).
func (r Range) Contains(off int) bool { return off >= r.Start && off <= r.End }

// Position is a 0-based line and a 0-based column.
type Position struct {
	Line      int
	Character int
}

// Lines indexes the line starts of a text.
type Lines struct {
	src    []byte
	starts []int
}

// NewLines indexes src. Lines end at "\n"; a preceding "\r" belongs to the line.
func NewLines(src []byte) *Lines {
	starts := make([]int, 1, 64)
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &Lines{src: src, starts: starts}
}

// Count returns the number of lines.
func (l *Lines) Count() int { return len(l.starts) }

func (l *Lines) clamp(off int) int {
	if off < 0 {
		return 0
	}
	if off > len(l.src) {
		return len(l.src)
	}
	return off
}

// LineOf returns the 0-based line containing off.
func (l *Lines) LineOf(off int) int {
	off = l.clamp(off)
	return sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
}

// LineText returns the text of 0-based line n without its line terminator.
func (l *Lines) LineText(n int) string {
	if n < 0 || n >= len(l.starts) {
		return ""
	}
	start := l.starts[n]
	end := len(l.src)
	if n+1 < len(l.starts) {
		end = l.starts[n+1] - 1
	}
	if end > start && l.src[end-1] == '\r' {
		end--
	}
	return string(l.src[start:end])
}

// LineStart returns the byte offset of line n.
func (l *Lines) LineStart(n int) int {
	if n < 0 {
		return 0
	}
	if n >= len(l.starts) {
		return len(l.src)
	}
	return l.starts[n]
}

// UTF16 converts a byte offset to a 0-based line and UTF-16 column (LSP).
func (l *Lines) UTF16(off int) Position {
	off = l.clamp(off)
	line := l.LineOf(off)
	col := 0
	for i := l.starts[line]; i < off; {
		r, size := utf8.DecodeRune(l.src[i:])
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
		i += size
	}
	return Position{Line: line, Character: col}
}

// Chars converts a byte offset to a 0-based line and a 0-based column in
// Unicode characters (what rustc and ruff print, plus one).
func (l *Lines) Chars(off int) Position {
	off = l.clamp(off)
	line := l.LineOf(off)
	return Position{Line: line, Character: utf8.RuneCount(l.src[l.starts[line]:off])}
}

// OffsetUTF16 converts an LSP position (0-based line, UTF-16 column) to a byte
// offset, clamping to the line's end and the text's end.
func (l *Lines) OffsetUTF16(p Position) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(l.starts) {
		return len(l.src)
	}
	i := l.starts[p.Line]
	col := 0
	for i < len(l.src) && col < p.Character {
		if l.src[i] == '\n' {
			break
		}
		r, size := utf8.DecodeRune(l.src[i:])
		n := 1
		if r >= 0x10000 {
			n = len(utf16.Encode([]rune{r}))
		}
		if col+n > p.Character {
			break
		}
		col += n
		i += size
	}
	return i
}
