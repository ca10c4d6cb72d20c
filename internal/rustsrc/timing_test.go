package rustsrc

import (
	"os"
	"testing"
	"time"
)

// TestCompareTimes reports the best-of-300 wall time of Scan on the benchmark
// source next to a trivial byte loop and the bare lexer, interleaved so that a
// loaded machine affects all of them alike. Set RUSTSRC_CPUTIME=1 to run it.
func TestCompareTimes(t *testing.T) {
	if os.Getenv("RUSTSRC_CPUTIME") == "" {
		t.Skip("RUSTSRC_CPUTIME not set")
	}
	src := benchSource()
	fns := map[string]func(){
		"byte loop": func() {
			n := 0
			for _, c := range src {
				if c == '\n' || c == '"' {
					n++
				}
			}
			if n == 0 {
				panic(1)
			}
		},
		"lex": func() {
			lx := newLexer(src)
			for lx.next().kind() != tEOF {
			}
		},
		"snext": func() {
			s := scanner{src: src, lx: newLexer(src)}
			for s.next().kind() != tEOF {
			}
		},
		"scan": func() { Scan(src) },
	}
	best := map[string]time.Duration{}
	for r := 0; r < 300; r++ {
		for k, f := range fns {
			st := time.Now()
			f()
			d := time.Since(st)
			if b, ok := best[k]; !ok || d < b {
				best[k] = d
			}
		}
	}
	t.Log(best)
}
