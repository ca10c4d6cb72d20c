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

// isCleanAbs reports whether p is absolute and filepath.Clean(p) == p:
// one pass over the bytes, looking at each component's start (no empty,
// "." or ".." component, no trailing separator).
func isCleanAbs(p string) bool {
	if filepath.Separator != '/' || p == "" || p[0] != '/' {
		return false
	}
	n := len(p)
	if n == 1 {
		return true
	}
	if p[n-1] == '/' {
		return false
	}
	if !strings.Contains(p, "//") && !strings.Contains(p, "/.") {
		return true // no empty component, none starting with a dot
	}
	for i := 1; i < n; i++ {
		if p[i-1] != '/' {
			continue
		}
		// p[i] starts a component
		switch p[i] {
		case '/':
			return false
		case '.':
			if i+1 == n || p[i+1] == '/' || p[i+1] == '.' && (i+2 == n || p[i+2] == '/') {
				return false
			}
		}
	}
	return true
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
