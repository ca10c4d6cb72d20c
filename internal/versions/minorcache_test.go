package versions

import "testing"

// The memoised LowestMinor/HighestMinor agree with the uncached scans, on
// first and on repeated calls.
func TestMinorCacheAgrees(t *testing.T) {
	for _, spec := range []string{"", ">=3.9", ">=3.9,<3.14", "<3.14,>=3.9", "==3.12.*", "!=3.11.*,>=3.8", "~=3.10", ">3.9.99", "<3", "===3.11.2", ">=1.9.4,<2.0", "==2.*", ">=3.9.0rc1", "==3.10.1+local"} {
		s, err := ParseSpecifiers(spec)
		if err != nil {
			t.Fatalf("%q: %v", spec, err)
		}
		for major := 0; major <= 3; major++ {
			wm, wok := s.lowestMinor(major)
			hm, hb, hok := s.highestMinor(major)
			for i := 0; i < 2; i++ {
				if m, ok := s.LowestMinor(major); m != wm || ok != wok {
					t.Errorf("%q LowestMinor(%d) = %d,%v want %d,%v", spec, major, m, ok, wm, wok)
				}
				if m, b, ok := s.HighestMinor(major); m != hm || b != hb || ok != hok {
					t.Errorf("%q HighestMinor(%d) = %d,%v,%v want %d,%v,%v", spec, major, m, b, ok, hm, hb, hok)
				}
			}
		}
	}
}
