package facts

import "github.com/pyo3-ls/pyo3-ls/internal/versions"

// Release is one published version of the pyo3 crate.
type Release struct {
	Version string
	Yanked  bool
}

// PyO3Releases lists the pyo3 releases from 0.20 on, oldest first, with
// their yanked flag, as crates.io's sparse index (index.crates.io/py/o3/pyo3)
// listed them on 2026-11-30 (scripts/update-facts; generated_test.go checks
// this list against generated.json). Cargo never picks a yanked version for
// a new resolution.
var PyO3Releases = []Release{
	{"0.20.0", false},
	{"0.20.1", false},
	{"0.20.2", false},
	{"0.20.3", false},
	{"0.21.0-beta.0", false},
	{"0.21.0", false},
	{"0.21.1", false},
	{"0.21.2", false},
	{"0.22.0", true},
	{"0.22.1", true},
	{"0.22.2", true},
	{"0.22.3", true},
	{"0.22.4", false},
	{"0.22.5", false},
	{"0.22.6", false},
	{"0.23.0", true},
	{"0.23.1", true},
	{"0.23.2", true},
	{"0.23.3", false},
	{"0.23.4", false},
	{"0.23.5", false},
	{"0.24.0", false},
	{"0.24.1", false},
	{"0.24.2", false},
	{"0.25.0", false},
	{"0.25.1", false},
	{"0.26.0", false},
	{"0.27.0", false},
	{"0.27.1", false},
	{"0.27.2", false},
	{"0.28.0", true},
	{"0.28.1", true},
	{"0.28.2", false},
	{"0.28.3", false},
	{"0.29.0", false},
	{"0.29.1", false},
	{"0.29.2", false},
	{"0.29.3", false},
	{"0.30.1", false},
}

// NewestRelease returns the newest non-yanked known release that req
// admits: the version cargo resolves when there is no Cargo.lock (cargo
// picks the highest compatible version and never a yanked one, so "0.24"
// resolves to 0.24.2 and "0.22" to 0.22.6). Pre-releases count only when the
// requirement names one (versions.Req.Matches follows cargo there). ok is
// false when no known release matches (a requirement newer than this table):
// callers then fall back to req.Lowest().
func NewestRelease(req versions.Req) (versions.Version, bool) {
	for i := len(PyO3Releases) - 1; i >= 0; i-- {
		r := PyO3Releases[i]
		if r.Yanked {
			continue
		}
		v, err := versions.ParseVersion(r.Version)
		if err != nil {
			continue
		}
		if req.Matches(v) {
			return v, true
		}
	}
	return versions.Version{}, false
}

// MatchingReleases returns every non-yanked known release req admits,
// oldest first: the candidates cargo's resolver may pick from (it takes the
// newest, and backtracks to an older one when the newest lacks a requested
// feature).
func MatchingReleases(req versions.Req) []versions.Version {
	var out []versions.Version
	for _, r := range PyO3Releases {
		if r.Yanked {
			continue
		}
		if v, err := versions.ParseVersion(r.Version); err == nil && req.Matches(v) {
			out = append(out, v)
		}
	}
	return out
}
