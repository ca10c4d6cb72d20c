package tomldoc

import (
	"runtime"
	"strings"
	"testing"
)

func docDepth(v *Value) int {
	if v == nil {
		return 0
	}
	best := 0
	switch v.Kind {
	case Table:
		if v.Table != nil {
			for _, e := range v.Table.Entries {
				if d := docDepth(e.Value); d > best {
					best = d
				}
			}
		}
	case Array:
		for _, el := range v.Arr {
			if d := docDepth(el); d > best {
				best = d
			}
		}
	}
	return best + 1
}

// Issue 16 item 2: dotted keys and headers are capped like arrays, so a
// 50 KB key of depth 25,000 cannot build a 25,000-level document that
// every walker (the server's tomlpos, the rules) recurses through.
func TestDottedKeyAndHeaderDepthCapped(t *testing.T) {
	deep := strings.TrimSuffix(strings.Repeat("a.", 25000), ".")
	for name, src := range map[string]string{
		"dotted key":      deep + " = 1\n",
		"header":          "[" + deep + "]\n",
		"array of tables": "[[" + deep + "]]\n",
		"inline dotted":   "x = {" + deep + " = 1}\n",
	} {
		doc, err := Parse([]byte(src))
		if err == nil {
			t.Errorf("%s of depth 25,000 accepted", name)
			continue
		}
		if !strings.Contains(err.Msg, "too deep") {
			t.Errorf("%s: error %q, want a depth error", name, err.Msg)
		}
		if doc != nil && docDepth(doc.Root) > 2*maxDepth+4 {
			t.Errorf("%s: partial document of depth %d", name, docDepth(doc.Root))
		}
	}
	// Every construction that stays under the caps is bounded in total:
	// a header of maxDepth parts, then a dotted key of maxDepth parts whose
	// value nests inline tables with dotted keys.
	part := strings.TrimSuffix(strings.Repeat("a.", maxDepth), ".")
	nested := strings.Repeat("{"+part+" = ", 50) + "1" + strings.Repeat("}", 50)
	src := "[" + part + "]\n" + part + " = " + nested + "\n"
	doc, _ := Parse([]byte(src))
	if doc != nil {
		if d := docDepth(doc.Root); d > 2*maxDepth+4 {
			t.Errorf("document depth %d, want at most %d", d, 2*maxDepth+4)
		}
	}
	// Ordinary dotted keys still parse.
	if _, err := Parse([]byte(strings.TrimSuffix(strings.Repeat("k.", 50), ".") + " = 1\n")); err != nil {
		t.Errorf("a 50-part dotted key: %v", err)
	}
}

// Issue 16 item 6: memory is bounded by the number of values, not only by
// the 10 MB file limit: a 4 MB array of 2 million one-digit integers
// allocated about 300 MB (a 10 MB one 1.2 GB in the CLI).
func TestValueCountBounded(t *testing.T) {
	for name, src := range map[string]string{
		"array":  "a = [" + strings.Repeat("1,", 2_000_000) + "]\n",
		"inline": "a = [" + strings.Repeat("{b=1},", 700_000) + "]\n",
		"keys": strings.Repeat("k = 1\n[t]\n", 1) + func() string {
			var b strings.Builder
			for i := 0; i < 600_000; i++ {
				b.WriteString("k")
				b.WriteString(strings.Repeat("x", i%7))
				b.WriteString(itoa(i))
				b.WriteString("=1\n")
			}
			return b.String()
		}(),
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		doc, err := Parse([]byte(src))
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Msg, "too large") {
			t.Errorf("%s: err = %v, want a too-many-values error", name, err)
		}
		if doc == nil {
			t.Errorf("%s: no partial document", name)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 160<<20 {
			t.Errorf("%s: parsing %d MB allocated %d MB", name, len(src)>>20, got>>20)
		}
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
