package versions

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// fmtString is PyVersion.String as it was written with fmt and a
// strings.Builder: the oracle of the appending version.
func fmtString(v PyVersion) string {
	var b strings.Builder
	if v.Epoch != 0 {
		fmt.Fprintf(&b, "%d!", v.Epoch)
	}
	for i, n := range v.Release {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.FormatUint(n, 10))
	}
	if v.Pre != PreNone {
		fmt.Fprintf(&b, "%s%d", v.Pre, v.PreNum)
	}
	if v.HasPost {
		fmt.Fprintf(&b, ".post%d", v.Post)
	}
	if v.HasDev {
		fmt.Fprintf(&b, ".dev%d", v.Dev)
	}
	if len(v.Local) > 0 {
		b.WriteByte('+')
		for i, l := range v.Local {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(l.String())
		}
	}
	return b.String()
}

// fmtSpecifiers is Specifiers.String as it was written.
func fmtSpecifiers(s Specifiers) string {
	parts := make([]string, len(s))
	for i, sp := range s {
		if sp.Wildcard {
			parts[i] = string(sp.Op) + fmtString(sp.Version) + ".*"
		} else {
			parts[i] = string(sp.Op) + fmtString(sp.Version)
		}
	}
	return strings.Join(parts, ", ")
}

func TestStringMatchesFmt(t *testing.T) {
	for _, s := range []string{"1.0", "v1!2.0rc1.post3.dev4+Ubuntu-1", "1.0.0-alpha.1", "1.0-1", " 2012.10 ", "1.0+001",
		"18446744073709551615.0.1", "1.2.3.4.5.6", "0!0", "1.0b2.dev0", "1.0+abc.7.X"} {
		v, err := ParsePyVersion(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got, want := v.String(), fmtString(v); got != want {
			t.Errorf("%q: String() = %q, fmt gives %q", s, got, want)
		}
	}
	for _, s := range []string{">=3.9", ">=3.9,<3.14", "~=3.10", "!=3.11.*", "==3.12.*", "===3.12.0", " >= 3.9 , < 4 ", "==1.0+local"} {
		sp, err := ParseSpecifiers(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got, want := sp.String(), fmtSpecifiers(sp); got != want {
			t.Errorf("%q: String() = %q, fmt gives %q", s, got, want)
		}
	}
}

func TestSemverStringAndPEP440(t *testing.T) {
	for _, s := range []string{"0.0.0", "1.2.3", "18446744073709551615.0.7", "1.0.0-alpha.1", "1.0.0+abc", "1.0.0-rc.2+x.y", "2.0.0-1"} {
		v, err := ParseVersion(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		want := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
		if v.Pre != "" {
			want += "-" + v.Pre
		}
		if v.Build != "" {
			want += "+" + v.Build
		}
		if got := v.String(); got != want {
			t.Errorf("%q: String() = %q, want %q", s, got, want)
		}
		// The X.Y.Z shortcut gives what parsing the string gives.
		got, gerr := SemverToPEP440(v)
		exp, eerr := ParsePyVersion(v.String())
		if (gerr == nil) != (eerr == nil) || gerr == nil && (got.String() != exp.String() || got.Compare(exp) != 0 || fmtString(got) != fmtString(exp)) {
			t.Errorf("%q: SemverToPEP440 = %v, %v; ParsePyVersion = %v, %v", s, got, gerr, exp, eerr)
		}
	}
}
