package analysis

import (
	"regexp"
	"testing"
)

var pep508NameRx = regexp.MustCompile(`(?i)^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$`)

// TestPEP508NameSameAsRegexp holds the written-out name check to the
// metadata spec's regexp on names built from every character class the
// regexp distinguishes, including case-folding letters and invalid UTF-8.
func TestPEP508NameSameAsRegexp(t *testing.T) {
	parts := []string{"", "a", "Z", "0", "9", ".", "_", "-", " ", "\u212a", "\u017f", "é", "\xff", "!", "k", "S", "ß", "\u0130"}
	var names []string
	for _, a := range parts {
		for _, b := range parts {
			for _, c := range parts {
				names = append(names, a+b+c)
			}
		}
	}
	names = append(names, "pyo3-ls", "my_ext.core", "-x", "x-", "x..y", "\u212aelvin")
	valid := 0
	for _, n := range names {
		got, want := pep508Name(n), pep508NameRx.MatchString(n)
		if got != want {
			t.Fatalf("pep508Name(%q) = %v, the regexp says %v", n, got, want)
		}
		if want {
			valid++
		}
	}
	if valid == 0 || valid == len(names) {
		t.Fatalf("degenerate: %d of %d valid", valid, len(names))
	}
}
