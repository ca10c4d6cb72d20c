package pysrc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// skipStringSlow is skipString's triple-quoted loop one byte at a time (the
// implementation before it jumped with IndexByte): the oracle.
func skipStringSlow(src []byte, q int) int {
	n := len(src)
	quote := src[q]
	if q+2 < n && src[q+1] == quote && src[q+2] == quote {
		i := q + 3
		for i < n {
			switch {
			case src[i] == '\\':
				i += 2
			case src[i] == quote && i+2 < n && src[i+1] == quote && src[i+2] == quote:
				return i + 3
			default:
				i++
			}
		}
		return n
	}
	return skipString(src, q)
}

func checkSkipString(t *testing.T, src []byte) {
	t.Helper()
	for q, c := range src {
		if c == '"' || c == '\'' {
			if got, want := skipString(src, q), skipStringSlow(src, q); got != want {
				t.Fatalf("skipString(%q, %d) = %d, want %d", src, q, got, want)
			}
		}
	}
}

func TestSkipStringMatchesSlow(t *testing.T) {
	for _, s := range []string{
		`"""a"""`, `"""a\"""b"""`, `"""a\\"""`, `"""`, `""""`, `"""""`, `""""""`, `"""\`, `"""a\`, `"""a"`, `"""a""`,
		`'''x'' '' ' '''`, `'''\''''`, `'''\\'''`, `"""a'''b"""`, "\"\"\"a\nb\n\\\n\"\"\"", `''''''`, `'''a\''`,
		`"""` + strings.Repeat(`\x`, 1000) + `"""`, `"""` + strings.Repeat(`"`, 7),
	} {
		checkSkipString(t, []byte(s))
	}
	for _, root := range filepath.SplitList(os.Getenv("PYSRC_TREE")) {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".py") && !strings.HasSuffix(p, ".pyi") {
				return nil
			}
			if src, err := os.ReadFile(p); err == nil && len(src) < 256<<10 {
				checkSkipString(t, src)
			}
			return nil
		})
	}
}

func FuzzSkipString(f *testing.F) {
	f.Add([]byte(`"""a\"""b"""`))
	f.Add([]byte(`'''\''''`))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 4096 {
			return
		}
		checkSkipString(t, src)
	})
}

func TestNameClass(t *testing.T) {
	for i := 0; i < 256; i++ {
		c := byte(i)
		start := c == '_' || (c|0x20) >= 'a' && (c|0x20) <= 'z' || c >= 0x80
		cont := start || c >= '0' && c <= '9'
		if isNameStart(c) != start || isNameCont(c) != cont {
			t.Errorf("byte %#x: isNameStart %v isNameCont %v, want %v %v", c, isNameStart(c), isNameCont(c), start, cont)
		}
	}
}
