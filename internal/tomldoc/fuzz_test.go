package tomldoc

import (
	"bytes"
	"fmt"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
	"io/fs"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	tomltest "github.com/toml-lang/toml-test/v2"
)

// burntSushiOnly reports whether a document that BurntSushi/toml accepts and
// we reject is a known, expected difference: BurntSushi/toml v1.6.0 implements
// TOML 1.1 (newlines and trailing commas in inline tables, \e and \xHH
// escapes, times without seconds), and it does not detect some of the
// table-redefinition rules (see the skip list in its toml_test.go). It also
// skips a UTF-16 byte order mark, which is not UTF-8.
func burntSushiOnly(src []byte, err *Error) bool {
	if (bytes.HasPrefix(src, []byte("\xff\xfe")) || bytes.HasPrefix(src, []byte("\xfe\xff"))) &&
		err.Msg == "invalid UTF-8" && err.Range.Start < 2 {
		return true
	}
	for _, m := range []string{
		// TOML 1.1 features.
		"newlines are not allowed in an inline table",
		"trailing comma is not allowed in an inline table",
		"invalid escape sequence \\e",
		"invalid escape sequence \\x",
		"expected HH:MM:SS",
		// BurntSushi quirk: Go's time package accepts offsets like +12:60.
		"time zone offset out of range",
		// BurntSushi quirks: it lets dotted keys and headers extend tables
		// that TOML 1.0 says are closed.
		"with dotted keys",
		"was already defined by dotted keys",
		"cannot extend inline table",
		"it is already a table",
	} {
		if strings.Contains(err.Msg, m) {
			return true
		}
	}
	return false
}

func FuzzParse(f *testing.F) {
	fsys := tomltest.TestCases()
	list, _ := fs.ReadFile(fsys, "files-toml-1.0.0")
	for _, path := range strings.Fields(string(list)) {
		if !strings.HasSuffix(path, ".toml") {
			continue
		}
		if b, err := fs.ReadFile(fsys, path); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(pyprojectSample))
	f.Add([]byte(genCargoLock(3)))
	f.Fuzz(func(t *testing.T, src []byte) {
		testenv.Budget(t, "tomldoc.Parse", func() {
			doc, perr := Parse(src)
			if doc == nil {
				t.Fatal("nil document")
			}
			checkRanges(t, doc.Root, len(src))
			if perr != nil {
				if len(doc.Errors) == 0 || doc.Errors[0] != perr || !doc.Root.AnyPartial() {
					t.Fatalf("error %v not first of Errors %v, or no partial table", perr, doc.Errors)
				}
				for _, e := range doc.Errors {
					if !e.Range.Valid() || e.Range.End > len(src) {
						t.Fatalf("bad error range %+v for len %d", e.Range, len(src))
					}
				}
			} else if len(doc.Errors) > 0 || doc.Root.AnyPartial() {
				t.Fatalf("no error returned but Errors %v", doc.Errors)
			}
			var bs map[string]any
			bsErr := toml.Unmarshal(src, &bs)
			switch {
			case perr != nil && bsErr == nil:
				if !burntSushiOnly(src, perr) {
					t.Fatalf("we reject, BurntSushi accepts:\n%q\nour error: %s at %v", src, perr.Msg, perr.Range)
				}
			case perr == nil && bsErr != nil:
				// No known exceptions: BurntSushi/toml v1.6.0 accepts a superset
				// of TOML 1.0.
				t.Fatalf("we accept, BurntSushi rejects:\n%q\nBurntSushi: %v", src, bsErr)
			case perr == nil && bsErr == nil:
				if d := compareGo("", doc.Root, bs); d != "" {
					t.Fatalf("values differ for %q: %s", src, d)
				}
			}
		})
	})
}

func checkRanges(t *testing.T, v *Value, n int) {
	if !v.Range.Valid() || v.Range.End > n {
		t.Fatalf("bad value range %+v (len %d)", v.Range, n)
	}
	switch v.Kind {
	case Array:
		for _, x := range v.Arr {
			checkRanges(t, x, n)
		}
	case Table:
		for _, e := range v.Table.Entries {
			if !e.KeyRange.Valid() || e.KeyRange.End > n {
				t.Fatalf("bad key range %+v for %q", e.KeyRange, e.Key)
			}
			checkRanges(t, e.Value, n)
		}
	}
}

var dtLayouts = map[Kind]string{
	OffsetDateTime: time.RFC3339Nano,
	LocalDateTime:  "2006-01-02T15:04:05.999999999",
	LocalDate:      "2006-01-02",
	LocalTime:      "15:04:05.999999999",
}

// compareGo compares our value with BurntSushi's decoding of it.
func compareGo(path string, v *Value, bs any) string {
	switch v.Kind {
	case Table:
		m, ok := bs.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: table vs %T", path, bs)
		}
		if len(m) != len(v.Table.Entries) {
			return fmt.Sprintf("%s: %d keys vs %d", path, len(v.Table.Entries), len(m))
		}
		for _, e := range v.Table.Entries {
			x, ok := m[e.Key]
			if !ok {
				return fmt.Sprintf("%s: missing key %q", path, e.Key)
			}
			if d := compareGo(path+"."+e.Key, e.Value, x); d != "" {
				return d
			}
		}
		return ""
	case Array:
		var xs []any
		switch a := bs.(type) {
		case []any:
			xs = a
		case []map[string]any:
			for _, m := range a {
				xs = append(xs, m)
			}
		default:
			return fmt.Sprintf("%s: array vs %T", path, bs)
		}
		if len(xs) != len(v.Arr) {
			return fmt.Sprintf("%s: len %d vs %d", path, len(v.Arr), len(xs))
		}
		for i, x := range v.Arr {
			if d := compareGo(fmt.Sprintf("%s[%d]", path, i), x, xs[i]); d != "" {
				return d
			}
		}
		return ""
	case String:
		if s, ok := bs.(string); !ok || s != v.Str {
			return fmt.Sprintf("%s: %q vs %#v", path, v.Str, bs)
		}
	case Integer:
		if i, ok := bs.(int64); !ok || i != v.Int {
			return fmt.Sprintf("%s: %d vs %#v", path, v.Int, bs)
		}
	case Float:
		f, ok := bs.(float64)
		if !ok || !(f == v.Float || math.IsNaN(f) && math.IsNaN(v.Float)) {
			return fmt.Sprintf("%s: %v vs %#v", path, v.Float, bs)
		}
	case Bool:
		if b, ok := bs.(bool); !ok || b != v.Bool {
			return fmt.Sprintf("%s: %v vs %#v", path, v.Bool, bs)
		}
	default:
		tm, ok := bs.(time.Time)
		if !ok {
			return fmt.Sprintf("%s: %s vs %#v", path, v.Kind, bs)
		}
		ours, err := time.Parse(dtLayouts[v.Kind], v.Str)
		if err != nil {
			return fmt.Sprintf("%s: cannot parse our %s %q: %v", path, v.Kind, v.Str, err)
		}
		want := tm.Format(dtLayouts[v.Kind])
		if v.Kind == OffsetDateTime {
			if !ours.Equal(tm) {
				return fmt.Sprintf("%s: %s vs %s", path, v.Str, want)
			}
		} else if ours.Format(dtLayouts[v.Kind]) != want {
			return fmt.Sprintf("%s: %s vs %s", path, v.Str, want)
		}
	}
	return ""
}
