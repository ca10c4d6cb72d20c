package project

import "path"

// MatchSegments reports whether the glob segments ps match the path
// segments rs: "**" matches any number of segments (zero included), every
// other segment is a path.Match pattern for one segment.
//
// It runs in O(len(ps)·len(rs)) segment matches (dynamic programming over
// suffixes), so a crafted pattern cannot make it exponential: the former
// backtracking matcher tried every split for every "**" and never finished
// on members = ["**/**/…/x"].
func MatchSegments(ps, rs []string) bool {
	m := len(rs)
	// next[j]: ps[i+1:] matches rs[j:]; cur[j]: ps[i:] matches rs[j:].
	next := make([]bool, m+1)
	cur := make([]bool, m+1)
	next[m] = true
	for i := len(ps) - 1; i >= 0; i-- {
		p := ps[i]
		if p == "**" {
			cur[m] = next[m]
			for j := m - 1; j >= 0; j-- {
				cur[j] = next[j] || cur[j+1]
			}
		} else {
			cur[m] = false
			for j := m - 1; j >= 0; j-- {
				cur[j] = false
				if next[j+1] {
					ok, err := path.Match(p, rs[j])
					cur[j] = err == nil && ok
				}
			}
		}
		next, cur = cur, next
	}
	return next[0]
}
