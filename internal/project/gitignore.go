package project

import (
	"path"
	"path/filepath"
	"strings"
)

// GitIgnored reports whether a .gitignore between the file's directory and
// the repository root (the first directory holding .git) ignores path. It
// understands the common forms — names, globs, anchored "/x" and "a/b"
// patterns, trailing "/" — and ignores negations and "**", so it errs
// towards "not ignored". Rules use it only for files that are missing.
func (p *Project) GitIgnored(file string) bool {
	file = filepath.Clean(file)
	for dir := filepath.Dir(file); ; dir = filepath.Dir(dir) {
		if data, err := p.FS.ReadFile(filepath.Join(dir, ".gitignore")); err == nil {
			rel, err := filepath.Rel(dir, file)
			if err == nil && ignoredBy(string(data), filepath.ToSlash(rel)) {
				return true
			}
		}
		if _, err := p.FS.Stat(filepath.Join(dir, ".git")); err == nil {
			return false
		}
		if parent := filepath.Dir(dir); parent == dir {
			return false
		}
	}
}

// ignoredBy matches rel (relative to the .gitignore's directory, with '/')
// against the file's patterns; the last matching pattern wins.
func ignoredBy(gitignore, rel string) bool {
	parts := strings.Split(rel, "/")
	ignored := false
	for _, line := range strings.Split(gitignore, "\n") {
		pat := strings.TrimSpace(line)
		if pat == "" || strings.HasPrefix(pat, "#") || strings.Contains(pat, "**") {
			continue
		}
		negate := strings.HasPrefix(pat, "!")
		pat = strings.TrimPrefix(pat, "!")
		pat = strings.TrimSuffix(pat, "/")
		match := false
		if strings.Contains(pat, "/") {
			pat = strings.TrimPrefix(pat, "/")
			// anchored: the pattern names a path from this directory, or a
			// directory that contains rel
			segs := strings.Split(pat, "/")
			if len(segs) <= len(parts) {
				ok := true
				for i, s := range segs {
					if m, err := path.Match(s, parts[i]); err != nil || !m {
						ok = false
						break
					}
				}
				match = ok
			}
		} else {
			for _, part := range parts {
				if m, err := path.Match(pat, part); err == nil && m {
					match = true
					break
				}
			}
		}
		if match {
			ignored = !negate
		}
	}
	return ignored
}
