package analysis

import (
	"strconv"

	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

func rangeAt(off int) span.Range { return span.Range{Start: off, End: off} }

// lineIndent returns the whitespace that starts the line containing off.
func lineIndent(src []byte, off int) string {
	if off > len(src) {
		off = len(src)
	}
	start := off
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := start
	for end < off && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// quoteTOML renders s as a TOML basic string.
func quoteTOML(s string) string { return strconv.Quote(s) }
