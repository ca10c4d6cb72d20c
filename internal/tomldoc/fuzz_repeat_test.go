package tomldoc

import (
	"bytes"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

// FuzzParseRepeated builds documents from a token repeated many times (the
// shape of the inputs that blew up: a 25,000-part dotted key, millions of
// tiny values), which byte-level mutation of small seeds hardly reaches.
// The budget (testenv.Budget) turns a blow-up into a failure.
func FuzzParseRepeated(f *testing.F) {
	for _, s := range []struct {
		head, tok, tail string
		n               uint16
	}{
		{"", "a.", "a = 1\n", 30000},
		{"[", "a.", "a]\n", 30000},
		{"[[", "a.", "a]]\n", 30000},
		{"x = ", "[", "", 30000},
		{"x = ", "{a=", "1", 30000},
		{"x = {", "a.", "a = 1}\n", 30000},
		{"x = [", "1,", "]\n", 60000},
		{"", "k = 1\n", "", 60000},
		{"", "[t]\n", "", 60000},
		{"x = \"", "\\u0041", "\"\n", 30000},
	} {
		f.Add([]byte(s.head), []byte(s.tok), []byte(s.tail), s.n)
	}
	f.Fuzz(func(t *testing.T, head, tok, tail []byte, n uint16) {
		if len(tok) == 0 || len(tok) > 16 || len(head)+len(tail) > 256 {
			return
		}
		src := append(append(append([]byte(nil), head...), bytes.Repeat(tok, int(n))...), tail...)
		testenv.Budget(t, "tomldoc.Parse of a repeated token", func() {
			doc, _ := Parse(src)
			if doc == nil {
				t.Fatal("nil document")
			}
			checkRanges(t, doc.Root, len(src))
		})
	})
}
