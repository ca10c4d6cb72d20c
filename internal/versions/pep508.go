package versions

import (
	"strings"
	"sync"
)

// Requirement is a PEP 508 requirement (a [build-system] requires or
// [project] dependencies entry) split into its parts. The split is
// tolerant: it never fails, and a part it cannot find is empty.
type Requirement struct {
	Name   string // as written
	Spec   string // version specifiers, "" if none
	URL    bool   // name @ url
	Marker string // after ';', "" if none
}

// ParseRequirement splits a PEP 508 requirement: name, optional extras
// (skipped), then either "@ url" or version specifiers (optionally in
// parentheses), then an optional "; marker".
//
// Results are memoised by input (bounded): every project of a workspace
// lists the same build requirements, and several rules read them.
func ParseRequirement(s string) Requirement {
	if len(s) > maxMemoKey {
		return parseRequirement(s)
	}
	reqMu.RLock()
	r, hit := reqCache[s]
	reqMu.RUnlock()
	if !hit {
		r = parseRequirement(s)
		reqMu.Lock()
		if len(reqCache) < maxSpecCache {
			reqCache[s] = r
		}
		reqMu.Unlock()
	}
	return r
}

var (
	reqMu    sync.RWMutex
	reqCache = map[string]Requirement{}
)

func parseRequirement(s string) Requirement {
	var r Requirement
	if i := strings.IndexByte(s, ';'); i >= 0 {
		r.Marker = strings.TrimSpace(s[i+1:])
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (isAlnumByte(s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.') {
		i++
	}
	r.Name = s[:i]
	rest := strings.TrimSpace(s[i:])
	if strings.HasPrefix(rest, "[") {
		if j := strings.IndexByte(rest, ']'); j >= 0 {
			rest = strings.TrimSpace(rest[j+1:])
		}
	}
	if strings.HasPrefix(rest, "@") {
		r.URL = true
		return r
	}
	rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(rest, "("), ")"))
	r.Spec = rest
	return r
}

// NormalizedName is the requirement's name lowercased with '_' and '.'
// read as '-', for comparing project names ("Maturin", "maturin").
func (r Requirement) NormalizedName() string { return NormalizeName(r.Name) }

// NormalizeName lowercases a project name and reads '_' and '.' as '-'.
func NormalizeName(n string) string {
	for i := 0; i < len(n); i++ {
		if c := n[i]; c == '_' || c == '.' || c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(nameSeparators.Replace(n))
		}
	}
	return n // already normal: the common case, without allocating
}

var nameSeparators = strings.NewReplacer("_", "-", ".", "-")

func isAlnumByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}
