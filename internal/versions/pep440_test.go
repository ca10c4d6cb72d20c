package versions

import (
	"sort"
	"strings"
	"testing"
)

func TestParsePyVersionAgainstCrate(t *testing.T) {
	for _, row := range append(readTSV(t, "pep440_versions.tsv"), readTSV(t, "pep440_versions_fuzz.tsv")...) {
		in, status, want := row[0], row[1], row[2]
		v, err := ParsePyVersion(in)
		if status == "ok" {
			if err != nil {
				t.Errorf("ParsePyVersion(%q): unexpected error %v", in, err)
			} else if v.String() != want {
				t.Errorf("ParsePyVersion(%q) = %q, pep440_rs says %q", in, v, want)
			}
		} else if err == nil {
			t.Errorf("ParsePyVersion(%q) = %q, pep440_rs fails: %s", in, v, want)
		}
	}
}

func TestSemverToPEP440AgainstCrate(t *testing.T) {
	for _, row := range readTSV(t, "semver_to_pep440.tsv") {
		in, status, want := row[0], row[1], row[2]
		p, err := SemverToPEP440(MustParseVersion(in))
		if status == "ok" {
			if err != nil || p.String() != want {
				t.Errorf("SemverToPEP440(%s) = %q, %v; maturin/pep440_rs gives %q", in, p, err, want)
			}
		} else if err == nil {
			t.Errorf("SemverToPEP440(%s) = %q, maturin/pep440_rs fails: %s", in, p, want)
		}
	}
}

func sortedClauses(s string) string {
	if s == "" {
		return ""
	}
	parts := strings.Split(s, ", ")
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

func TestParseSpecifiersAgainstCrate(t *testing.T) {
	for _, row := range append(readTSV(t, "pep440_specifiers.tsv"), readTSV(t, "pep440_specifiers_fuzz.tsv")...) {
		in, status, want := row[0], row[1], row[2]
		s, err := ParseSpecifiers(in)
		if status == "ok" {
			// pep440_rs sorts clauses by version; compare as sets.
			if err != nil || sortedClauses(s.String()) != sortedClauses(want) {
				t.Errorf("ParseSpecifiers(%q) = %q, %v; pep440_rs gives %q", in, s, err, want)
			}
		} else if err == nil {
			t.Errorf("ParseSpecifiers(%q) = %q, pep440_rs fails: %s", in, s, want)
		}
	}
}

func TestAdmitsAgainstCrate(t *testing.T) {
	n := 0
	for _, row := range readTSV(t, "pep440_contains.tsv") {
		if len(row) < 3 || row[1] == "err" {
			continue
		}
		spec, ver, want := row[0], row[1], row[2]
		s, err := ParseSpecifiers(spec)
		if err != nil {
			t.Errorf("ParseSpecifiers(%q): %v", spec, err)
			continue
		}
		n++
		if got := s.Admits(MustParsePyVersion(ver)); (got && want != "true") || (!got && want != "false") {
			t.Errorf("%q admits %s = %v, pep440_rs says %s", spec, ver, got, want)
		}
	}
	if n < 1500 {
		t.Fatalf("only %d cases", n)
	}
}

func TestPyVersionCompare(t *testing.T) {
	order := []string{"1.0.dev0", "1.0a1.dev1", "1.0a1", "1.0a1.post1.dev1", "1.0a1.post1", "1.0a2", "1.0b1", "1.0rc1.dev1", "1.0rc1",
		"1.0", "1.0+abc", "1.0+abc.1", "1.0+1", "1.0+2.a", "1.0.post1.dev0", "1.0.post1", "1.0.post2", "1.0.1", "1.1.dev1", "1.1", "2", "1!0.1"}
	for i := range order {
		for j := range order {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := MustParsePyVersion(order[i]).Compare(MustParsePyVersion(order[j])); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
	if !MustParsePyVersion("1.0").Equal(MustParsePyVersion("1.0.0")) {
		t.Error("1.0 != 1.0.0")
	}
}

func TestMinorHelpers(t *testing.T) {
	for _, tc := range []struct {
		spec            string
		lo              int
		loOK            bool
		hi              int
		bounded, hiOK   bool
		admits, rejects []int
	}{
		{">=3.9", 9, true, 30, false, true, []int{9, 13, 30}, []int{8}},
		{">=3.9,<3.14", 9, true, 13, true, true, []int{9, 13}, []int{8, 14}},
		{"~=3.10", 10, true, 30, false, true, []int{10, 11}, []int{9}},
		{"~=3.10.2", 10, true, 10, true, true, []int{10}, []int{11}},
		{">=3.8,!=3.11.*", 8, true, 30, false, true, []int{8, 10, 12}, []int{11}},
		{"==3.12.*", 12, true, 12, true, true, []int{12}, []int{11, 13}},
		{"<3.13", 0, true, 12, true, true, []int{7, 12}, []int{13}},
		{"<=3.13", 0, true, 13, true, true, []int{13}, []int{14}},
		{">3.9", 9, true, 30, false, true, []int{9, 10}, []int{8}}, // 3.9.1 > 3.9
		{">3.9.*", 0, false, 0, true, false, nil, nil},             // parse error, see below
		{">=3.14,<3.9", 0, false, 0, true, false, nil, []int{9, 14}},
		{"", 0, true, 30, false, true, []int{0, 30}, nil},
		{">=3.12.0rc1", 12, true, 30, false, true, []int{12}, []int{11}},
		{"==3.13.0", 13, true, 13, true, true, []int{13}, []int{12, 14}},
	} {
		s, err := ParseSpecifiers(tc.spec)
		if err != nil {
			if tc.spec != ">3.9.*" {
				t.Errorf("ParseSpecifiers(%q): %v", tc.spec, err)
			}
			continue
		}
		lo, ok := s.LowestMinor(3)
		if lo != tc.lo || ok != tc.loOK {
			t.Errorf("%q LowestMinor = %d, %v; want %d, %v", tc.spec, lo, ok, tc.lo, tc.loOK)
		}
		hi, bounded, ok := s.HighestMinor(3)
		if hi != tc.hi || bounded != tc.bounded || ok != tc.hiOK {
			t.Errorf("%q HighestMinor = %d, %v, %v; want %d, %v, %v", tc.spec, hi, bounded, ok, tc.hi, tc.bounded, tc.hiOK)
		}
		for _, m := range tc.admits {
			if !s.AdmitsMinor(3, m) {
				t.Errorf("%q should admit 3.%d", tc.spec, m)
			}
		}
		for _, m := range tc.rejects {
			if s.AdmitsMinor(3, m) {
				t.Errorf("%q should not admit 3.%d", tc.spec, m)
			}
		}
	}
}

func TestSpecifierDetails(t *testing.T) {
	for _, tc := range []struct {
		spec, ver string
		want      bool
	}{
		{">3.9", "3.9.0.post1", false},
		{">3.9", "3.9.0+local", false},
		{">3.9", "3.9.1", true},
		{">3.9.post1", "3.9.post2", true},
		{"<3.13", "3.13.0a1", false},
		{"<3.13", "3.12.9", true},
		{"==3.9", "3.9.0+local", true},
		{"==3.9+local", "3.9.0", false},
		{"!=3.11.*", "3.11.4", false},
		{"!=3.11.*", "3.12.0", true},
		{"===3.12.0", "3.12.0", true},
		{"===3.12.0", "3.12", false},
		{">=3.9", "3.10.0b1", true}, // no pre-release policy, like pep440_rs contains
	} {
		if got := MustParseSpecifiers(tc.spec).Admits(MustParsePyVersion(tc.ver)); got != tc.want {
			t.Errorf("%q admits %s = %v, want %v", tc.spec, tc.ver, got, tc.want)
		}
	}
}

// TestAdmitsFuzzCorpusAgainstCrate: specifier sets the fuzzer found, each
// checked against 16 versions by pep440_rs.
func TestAdmitsFuzzCorpusAgainstCrate(t *testing.T) {
	for _, row := range readTSV(t, "pep440_contains_fuzz.tsv") {
		spec, ver, want := row[0], row[1], row[2]
		s, err := ParseSpecifiers(spec)
		if err != nil {
			t.Errorf("ParseSpecifiers(%q): %v", spec, err)
			continue
		}
		if got := s.Admits(MustParsePyVersion(ver)); (got && want != "true") || (!got && want != "false") {
			t.Errorf("%q admits %s = %v, pep440_rs says %s", spec, ver, got, want)
		}
	}
}
