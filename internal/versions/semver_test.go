package versions

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// readTSV reads a testdata table produced by running the real Rust crates
// (semver 1.0.28, pep440_rs 0.7.3) over the inputs; see testdata/README.md.
func readTSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rows = append(rows, strings.Split(sc.Text(), "\t"))
	}
	if len(rows) == 0 {
		t.Fatalf("%s is empty", name)
	}
	return rows
}

func TestParseVersionAgainstCrate(t *testing.T) {
	for _, row := range readTSV(t, "semver_versions.tsv") {
		in, status, want := row[0], row[1], row[2]
		v, err := ParseVersion(in)
		if status == "ok" {
			if err != nil {
				t.Errorf("ParseVersion(%q): unexpected error %v", in, err)
			} else if v.String() != want {
				t.Errorf("ParseVersion(%q).String() = %q, want %q", in, v.String(), want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseVersion(%q) = %v, want error %q", in, v, want)
		} else if !strings.Contains(err.Error(), want) {
			t.Errorf("ParseVersion(%q) error %q, want it to contain the crate's %q", in, err, want)
		}
	}
}

func TestParseReqAgainstCrate(t *testing.T) {
	// semver_reqs_fuzz.tsv: inputs FuzzParseReq found, run through the crate
	// (their error texts differ only in how Rust escapes control characters,
	// so only the outcome is compared).
	hand := len(readTSV(t, "semver_reqs.tsv"))
	for i, row := range append(readTSV(t, "semver_reqs.tsv"), readTSV(t, "semver_reqs_fuzz.tsv")...) {
		in, status, want := row[0], row[1], row[2]
		if i >= hand && status != "ok" {
			want = ""
		}
		r, err := ParseReq(in)
		if status == "ok" {
			if err != nil {
				t.Errorf("ParseReq(%q): unexpected error %v", in, err)
			} else if r.String() != want {
				t.Errorf("ParseReq(%q).String() = %q, want %q", in, r.String(), want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseReq(%q) = %v, want error %q", in, r, want)
		} else if !strings.Contains(err.Error(), want) {
			t.Errorf("ParseReq(%q) error %q, want it to contain the crate's %q", in, err, want)
		}
	}
}

func TestMatchesAgainstCrate(t *testing.T) {
	n := 0
	for _, row := range readTSV(t, "semver_matches.tsv") {
		req, ver, want := row[0], row[1], row[2]
		r, rerr := ParseReq(req)
		v, verr := ParseVersion(ver)
		switch {
		case strings.HasPrefix(want, "reqerr"):
			if rerr == nil {
				t.Errorf("ParseReq(%q) succeeded, crate fails", req)
			}
		case strings.HasPrefix(want, "verr"):
			if verr == nil {
				t.Errorf("ParseVersion(%q) succeeded, crate fails", ver)
			}
		default:
			if rerr != nil || verr != nil {
				t.Errorf("%q / %q: parse errors %v %v", req, ver, rerr, verr)
				continue
			}
			n++
			if got := r.Matches(v); (got && want != "true") || (!got && want != "false") {
				t.Errorf("ParseReq(%q).Matches(%s) = %v, crate says %s", req, ver, got, want)
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d match cases checked", n)
	}
}

func TestMatchesTable(t *testing.T) {
	for _, tc := range []struct {
		req, ver string
		want     bool
	}{
		{"0.23", "0.23.0", true},
		{"0.23", "0.23.5", true},
		{"0.23", "0.24.0", false},
		{"0.23", "0.22.9", false},
		{"1", "1.9.9", true},
		{"1", "2.0.0", false},
		{"0.0.3", "0.0.3", true},
		{"0.0.3", "0.0.4", false},
		{"~1.2", "1.2.9", true},
		{"~1.2", "1.3.0", false},
		{"~1", "1.9.0", true},
		{">0.22", "0.22.9", false},
		{">0.22", "0.23.0", true},
		{">0.22.0", "0.22.1", true},
		{">=0.22.2, <0.24", "0.23.5", true},
		{">=0.22.2, <0.24", "0.24.0", false},
		{"<0.24", "0.24.0-rc.1", false},
		{"0.23.*", "0.23.3", true},
		{"*", "1.0.0-alpha", false},
		{">=1.0.0-alpha", "1.0.0-beta", true},
		{">=1.0.0-alpha", "1.0.1-beta", false}, // pre-release of another patch
		{">=1.0.0-alpha", "1.0.1", true},
		{"^0.1.2-rc.1", "0.1.2-rc.2", true},
		{"^0.1.2-rc.1", "0.1.2", true},
		{"=1.2.3+build", "1.2.3+other", true}, // build metadata ignored
	} {
		if got := MustParseReq(tc.req).Matches(MustParseVersion(tc.ver)); got != tc.want {
			t.Errorf("%q matches %s = %v, want %v", tc.req, tc.ver, got, tc.want)
		}
	}
}

func TestLowest(t *testing.T) {
	for _, tc := range []struct {
		req  string
		want string // "" = none
	}{
		{"0.23", "0.23.0"},
		{"^0.23.1", "0.23.1"},
		{"~0.22.2", "0.22.2"},
		{"=0.22.2", "0.22.2"},
		{">=0.22.2, <0.24", "0.22.2"},
		{">0.22", "0.23.0"},
		{">0.22.0", "0.22.1"},
		{">1", "2.0.0"},
		{"*", "0.0.0"},
		{"<0.24", "0.0.0"},
		{"0.*", "0.0.0"},
		{"0.23.*", "0.23.0"},
		{">=1.0.0-rc.1", "1.0.0-rc.1"},
		{">1.0.0-alpha", "1.0.0-alpha.0"},
		{"=1.0, >=1.0.0-alpha", "1.0.0"},
		{">=0.20, <0.23", "0.20.0"},
		{">=0.25, <0.24", ""},
		{"<0.0.0", ""},
		{"=0.22.2, >0.22.2", ""},
		{">18446744073709551615", ""},
	} {
		r := MustParseReq(tc.req)
		got, ok := r.Lowest()
		if tc.want == "" {
			if ok {
				t.Errorf("%q.Lowest() = %s, want none", tc.req, got)
			}
			continue
		}
		if !ok || got.String() != tc.want {
			t.Errorf("%q.Lowest() = %s, %v; want %s", tc.req, got, ok, tc.want)
		}
	}
}

// TestLowestIsLowest checks Lowest against brute force over the crate-verified
// requirement and version lists.
func TestLowestIsLowest(t *testing.T) {
	var vers []Version
	for _, row := range readTSV(t, "semver_versions.tsv") {
		if row[1] == "ok" {
			vers = append(vers, MustParseVersion(row[0]))
		}
	}
	for _, row := range readTSV(t, "semver_reqs.tsv") {
		if row[1] != "ok" {
			continue
		}
		r := MustParseReq(row[0])
		lo, ok := r.Lowest()
		if ok && !r.Matches(lo) {
			t.Errorf("%q.Lowest() = %s which it does not match", row[0], lo)
		}
		for _, v := range vers {
			if r.Matches(v) && (!ok || v.Compare(lo) < 0) {
				t.Errorf("%q admits %s, below Lowest() = %s, %v", row[0], v, lo, ok)
			}
		}
	}
}

func TestVersionCompare(t *testing.T) {
	order := []string{"0.0.0", "1.0.0-0", "1.0.0-1", "1.0.0-9", "1.0.0-10", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
		"1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.0+1", "1.0.0+a", "1.0.1", "1.1.0", "2.0.0"}
	for i := range order {
		for j := range order {
			a, b := MustParseVersion(order[i]), MustParseVersion(order[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := a.Compare(b); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", a, b, got, want)
			}
		}
	}
	if MustParseVersion("1.0.0+a").ComparePrecedence(MustParseVersion("1.0.0+b")) != 0 {
		t.Error("precedence must ignore build metadata")
	}
}
