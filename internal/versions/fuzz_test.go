package versions

import "testing"

func FuzzParseReq(f *testing.F) {
	for _, s := range []string{"0.23", "^0.23", ">=0.22.2, <0.24", "~1.2.3-beta", "1.2.*", "*", ">1.0.0-alpha", "=1.2.3+b", " 1 ,2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseReq(s)
		if err != nil {
			return
		}
		out := r.String()
		r2, err := ParseReq(out)
		if err != nil {
			t.Fatalf("ParseReq(%q).String() = %q does not parse: %v", s, out, err)
		}
		if r2.String() != out {
			t.Fatalf("round trip %q → %q → %q", s, out, r2.String())
		}
		lo, ok := r.Lowest()
		if ok && !r.Matches(lo) {
			t.Fatalf("%q.Lowest() = %s does not match", s, lo)
		}
		if ok {
			if _, err := ParseVersion(lo.String()); err != nil {
				t.Fatalf("%q.Lowest() = %q is not a valid version: %v", s, lo, err)
			}
		}
	})
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"1.2.3", "1.0.0-alpha.1+b.2", "0.0.0-0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err != nil {
			return
		}
		if v.String() != s {
			t.Fatalf("ParseVersion(%q).String() = %q", s, v)
		}
		if _, err := SemverToPEP440(v); err != nil {
			return
		}
	})
}

func FuzzParsePyVersion(f *testing.F) {
	for _, s := range []string{"1.0", "v1!2.0rc1.post3.dev4+Ubuntu-1", "1.0.0-alpha.1", "1.0-1", " 2012.10 ", "1.0a.", "1.0+001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParsePyVersion(s)
		if err != nil {
			return
		}
		out := v.String()
		if want := fmtString(v); out != want {
			t.Fatalf("ParsePyVersion(%q).String() = %q, fmt gives %q", s, out, want)
		}
		v2, err := ParsePyVersion(out)
		if err != nil {
			t.Fatalf("ParsePyVersion(%q).String() = %q does not parse: %v", s, out, err)
		}
		if v2.String() != out || v2.Compare(v) != 0 {
			t.Fatalf("round trip %q → %q → %q", s, out, v2)
		}
	})
}

func FuzzParseSpecifiers(f *testing.F) {
	for _, s := range []string{">=3.9", ">=3.9,<3.14", "~=3.10", "!=3.11.*", "==3.12.*", "===3.12.0", "<3.13", ">3.9", " >= 3.9 , < 4 ", "==1.0+local"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sp, err := ParseSpecifiers(s)
		if err != nil {
			return
		}
		out := sp.String()
		if want := fmtSpecifiers(sp); out != want {
			t.Fatalf("ParseSpecifiers(%q).String() = %q, fmt gives %q", s, out, want)
		}
		sp2, err := ParseSpecifiers(out)
		if err != nil {
			t.Fatalf("ParseSpecifiers(%q).String() = %q does not parse: %v", s, out, err)
		}
		if sp2.String() != out {
			t.Fatalf("round trip %q → %q → %q", s, out, sp2)
		}
		// The helpers must not panic and must agree with each other.
		lo, ok := sp.LowestMinor(3)
		hi, _, ok2 := sp.HighestMinor(3)
		if ok != ok2 || (ok && lo > hi) {
			t.Fatalf("%q: LowestMinor %d,%v HighestMinor %d,%v", s, lo, ok, hi, ok2)
		}
	})
}
