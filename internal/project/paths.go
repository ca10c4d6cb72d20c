package project

import (
	"path/filepath"
	"strings"
)

// The paths pyo3-ls handles are mostly clean and absolute already (the walk
// builds them by appending names to a clean root), and filepath.Clean costs
// about a thousand instructions on one even then: cleanPath, pathJoin and
// pathDir give filepath.Clean, Join and Dir's results, looking first whether
// the work is needed.

// isCleanAbs reports whether p is absolute and filepath.Clean(p) == p.
func isCleanAbs(p string) bool {
	if filepath.Separator != '/' || p == "" || p[0] != '/' {
		return false
	}
	if p == "/" {
		return true
	}
	for i := 0; ; {
		// p[i] == '/': the component after it must be a name, not empty,
		// "." or "..".
		rest := p[i+1:]
		if rest == "" || rest[0] == '/' {
			return false
		}
		if rest[0] == '.' && (len(rest) == 1 || rest[1] == '/' || rest[1] == '.' && (len(rest) == 2 || rest[2] == '/')) {
			return false
		}
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return true
		}
		i += 1 + j
	}
}

// cleanPath is filepath.Clean(p).
func cleanPath(p string) string {
	if isCleanAbs(p) {
		return p
	}
	return filepath.Clean(p)
}

// pathJoin is filepath.Join(elem...).
func pathJoin(elem ...string) string {
	n := 0
	for _, e := range elem {
		if e != "" {
			n += len(e) + 1
		}
	}
	if n == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n)
	for _, e := range elem {
		if e == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(filepath.Separator)
		}
		b.WriteString(e)
	}
	return cleanPath(b.String())
}

// pathDir is filepath.Dir(p).
func pathDir(p string) string {
	if !isCleanAbs(p) {
		return filepath.Dir(p)
	}
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}
