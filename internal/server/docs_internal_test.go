package server

import (
	"testing"

	"go.lsp.dev/protocol"

	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// offsetUTF16 agrees with span.Lines.OffsetUTF16 everywhere, past the ends too.
func TestOffsetUTF16MatchesLines(t *testing.T) {
	for _, text := range []string{"", "a", "\n", "ab\ncd", "ab\ncd\n", "é😀x\n\nñ\r\nz", "😀"} {
		l := span.NewLines([]byte(text))
		for line := 0; line < 7; line++ {
			for ch := 0; ch < 8; ch++ {
				p := protocol.Position{Line: uint32(line), Character: uint32(ch)}
				want := l.OffsetUTF16(span.Position{Line: line, Character: ch})
				if got := offsetUTF16([]byte(text), p); got != want {
					t.Errorf("%q %+v: %d, want %d", text, p, got, want)
				}
			}
		}
	}
}
