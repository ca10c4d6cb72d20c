package versions

import (
	"math/rand"
	"testing"
)

// TestAdmitsMinorSameAsEveryPatch holds AdmitsMinor, which tries only the
// patches where some clause's answer can change, to its definition (try
// every patch 0..99) on specifier sets built from every operator and
// versions with every kind of part near the patch boundaries.
func TestAdmitsMinorSameAsEveryPatch(t *testing.T) {
	ops := []string{"==", "!=", "===", "~=", "<", "<=", ">", ">="}
	vers := []string{
		"3", "3.0", "3.9", "3.9.0", "3.9.1", "3.9.2", "3.9.98", "3.9.99", "3.9.100", "3.10", "3.10.5",
		"3.9.1.1", "3.9.0.0.1", "3.9rc1", "3.9.1rc1", "3.9.0a1", "3.9.post1", "3.9.1.post2", "3.9.dev0",
		"3.9.1.dev3", "3.9.1+local", "3.9+abc.1", "1!3.9", "1!3.9.1", "2.7", "4.0", "3.12.0b2", "3.11.4",
	}
	wild := []string{"3.*", "3.9.*", "3.9.1.*", "3.10.*", "2.*", "3.9.0.*"}
	var clauses []string
	for _, op := range ops {
		for _, v := range vers {
			clauses = append(clauses, op+v)
		}
	}
	for _, w := range wild {
		clauses = append(clauses, "=="+w, "!="+w)
	}
	var sets []Specifiers
	for _, c := range clauses {
		if s, err := ParseSpecifiers(c); err == nil {
			sets = append(sets, s)
		}
	}
	single := len(sets)
	if single < 150 {
		t.Fatalf("only %d single clauses parsed", single)
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 1500; i++ {
		n := 2 + rng.Intn(2)
		var s Specifiers
		for j := 0; j < n; j++ {
			s = append(s, sets[rng.Intn(single)]...)
		}
		sets = append(sets, s)
	}
	admitted := 0
	for _, s := range sets {
		for major := 2; major <= 4; major++ {
			for minor := 0; minor <= 12; minor++ {
				got, want := s.AdmitsMinor(major, minor), s.admitsMinorEveryPatch(major, minor)
				if got != want {
					t.Fatalf("%q AdmitsMinor(%d, %d) = %v, every patch says %v", s.String(), major, minor, got, want)
				}
				if want {
					admitted++
				}
			}
		}
	}
	if admitted == 0 || admitted == len(sets)*3*13 {
		t.Fatalf("degenerate sets: %d of %d admitted", admitted, len(sets)*3*13)
	}
}
