package analysis

import "strings"

// KnownSelector reports whether s is a rule code or a prefix of one ("N", "N00", "N001").
func KnownSelector(s string) bool {
	s = strings.ToUpper(s)
	if s == "ALL" {
		return true
	}
	for code := range registry {
		if strings.HasPrefix(code, s) {
			return true
		}
	}
	return false
}

func matchesAny(code string, sels []string) bool {
	for _, s := range sels {
		s = strings.ToUpper(s)
		if s == "ALL" || strings.HasPrefix(code, s) {
			return true
		}
	}
	return false
}
