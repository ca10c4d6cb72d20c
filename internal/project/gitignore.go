package project

import (
	"path"
	"path/filepath"
	"strings"
)

// This file is a small .gitignore matcher, written here rather than taken
// from a library: discovery needs git's precedence across nested files and
// the repository's info/exclude, which the small libraries leave to the
// caller (sabhiram/go-gitignore matches one file's patterns and has not
// changed since 2021), and go-git's gitignore package would bring go-git's
// dependency tree for ~150 lines. It follows gitignore(5):
//   - blank lines and "#" comments are skipped; "\#" and "\!" are literal;
//     trailing spaces are dropped unless escaped with "\";
//   - "!" re-includes what an earlier pattern excluded;
//   - a trailing "/" matches directories only;
//   - a "/" at the start or in the middle anchors the pattern to the
//     .gitignore's directory; otherwise it matches a name at any depth;
//   - "**/" at the start, "/**/" in the middle and "/**" at the end match
//     any number of directories; "*", "?" and "[...]" (also "[!...]")
//     never match "/";
//   - a deeper .gitignore overrides a higher one, and .git/info/exclude
//     comes below every .gitignore; within one file the last match wins.
// Matching is O(pattern segments × path segments) per pattern (no
// backtracking blow-up on "**/**/**").

// ignorePattern is one line of a .gitignore.
type ignorePattern struct {
	segs     []string // split at "/", "**" kept as a segment
	literal  []bool   // segs[i] has no glob character: compared as a string
	suffix   []bool   // segs[i] is "*" + a literal: compared with HasSuffix
	prefix   []string // the literal text segs[i] starts with (before any of *?[\): a name without it cannot match
	anchored bool
	dirOnly  bool
	negate   bool
	globstar bool // a "**" segment
}

// parseIgnore reads the patterns of one .gitignore (or info/exclude).
func parseIgnore(src string) []ignorePattern {
	var out []ignorePattern
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSuffix(line, "\r")
		// trailing spaces go unless escaped
		for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, "\\ ") {
			line = line[:len(line)-1]
		}
		if line == "" || line[0] == '#' {
			continue
		}
		var p ignorePattern
		if line[0] == '!' {
			p.negate = true
			line = line[1:]
		} else if strings.HasPrefix(line, "\\#") || strings.HasPrefix(line, "\\!") {
			line = line[1:]
		}
		if strings.HasSuffix(line, "/") {
			p.dirOnly = true
			line = strings.TrimRight(line, "/")
		}
		if line == "" {
			continue
		}
		if strings.Contains(line, "/") {
			p.anchored = true
			line = strings.TrimLeft(line, "/")
			if line == "" {
				continue
			}
		}
		for _, s := range strings.Split(line, "/") {
			if s == "" {
				continue // "a//b" is "a/b"
			}
			if s != "**" {
				s = strings.ReplaceAll(s, "**", "*") // "a**b" is "a*b" inside one name
				s = strings.ReplaceAll(s, "[!", "[^")
			}
			p.segs = append(p.segs, s)
		}
		if len(p.segs) == 0 {
			continue
		}
		if !p.anchored && len(p.segs) == 1 && p.segs[0] == "**" {
			p.anchored = true // "**" alone matches everything
		}
		if p.anchored && len(p.segs) == 2 && p.segs[0] == "**" && p.segs[1] != "**" {
			p.anchored, p.segs = false, p.segs[1:] // "**/x" is "x" at any depth
		}
		for _, s := range p.segs {
			p.globstar = p.globstar || s == "**"
			p.literal = append(p.literal, !strings.ContainsAny(s, "*?[\\"))
			p.suffix = append(p.suffix, len(s) > 1 && s[0] == '*' && !strings.ContainsAny(s[1:], "*?[\\"))
			pre := s
			if k := strings.IndexAny(s, "*?[\\"); k >= 0 {
				pre = s[:k]
			}
			p.prefix = append(p.prefix, pre)
		}
		out = append(out, p)
	}
	return out
}

// match reports whether the pattern matches rel ("/"-separated, relative
// to the .gitignore's directory, split at "/" in parts); isDir tells
// whether rel is a directory.
func (p *ignorePattern) match(rel string, parts []string, isDir bool) bool {
	if p.dirOnly && !isDir {
		return false
	}
	if !p.anchored {
		return p.segMatch(0, parts[len(parts)-1]) // the last segment of rel (verdict splits it once)
	}
	if !p.globstar {
		if len(p.segs) != len(parts) {
			return false
		}
		for i := range p.segs {
			if !p.segMatch(i, parts[i]) {
				return false
			}
		}
		return true
	}
	return ignoreSegs(p, parts)
}

func (p *ignorePattern) segMatch(i int, name string) bool {
	if p.literal[i] {
		return p.segs[i] == name
	}
	if p.suffix[i] {
		return strings.HasSuffix(name, p.segs[i][1:])
	}
	if !strings.HasPrefix(name, p.prefix[i]) {
		return false // path.Match would compare the same literal prefix first
	}
	m, err := path.Match(p.segs[i], name)
	return err == nil && m
}

// ignoreSegs matches pattern segments against path segments, "**" standing
// for any number of path segments (at least one when it ends the pattern:
// "a/**" matches what is inside a, not a itself). Dynamic programming over
// (pattern, path) positions, so the cost is bounded by their product.
func ignoreSegs(p *ignorePattern, parts []string) bool {
	segs := p.segs
	// ok[j]: segs[:i] matches parts[:j]
	ok := make([]bool, len(parts)+1)
	ok[0] = true
	for i, s := range segs {
		next := make([]bool, len(parts)+1)
		if s == "**" {
			last := i == len(segs)-1
			seen := false
			for j := 0; j <= len(parts); j++ {
				if last {
					next[j] = seen // at least one segment consumed
				} else {
					next[j] = seen || ok[j]
				}
				seen = seen || ok[j]
			}
		} else {
			for j := 1; j <= len(parts); j++ {
				if ok[j-1] && p.segMatch(i, parts[j-1]) {
					next[j] = true
				}
			}
		}
		ok = next
	}
	return ok[len(parts)]
}

// verdict returns whether the last pattern of pats matching rel ignores it,
// and whether any matched at all.
func verdict(pats []ignorePattern, rel string, isDir bool) (ignored, matched bool) {
	parts := strings.Split(rel, "/")
	for i := len(pats) - 1; i >= 0; i-- {
		if pats[i].match(rel, parts, isDir) {
			return !pats[i].negate, true
		}
	}
	return false, false
}

// ignoreStack is the chain of ignore files in force in a directory: the
// innermost first, then its parents, up to the repository root.
type ignoreStack struct {
	dir    string // the directory the patterns are relative to
	pats   []ignorePattern
	parent *ignoreStack
}

func (s *ignoreStack) push(dir string, pats []ignorePattern) *ignoreStack {
	if len(pats) == 0 {
		return s
	}
	return &ignoreStack{dir: dir, pats: pats, parent: s}
}

// ignored reports whether full (an absolute or root-relative path below
// every dir in the stack) is ignored: the innermost file with a matching
// pattern decides.
func (s *ignoreStack) ignored(full string, isDir bool) bool {
	for ; s != nil; s = s.parent {
		rel, ok := relBelow(s.dir, full)
		if !ok {
			continue
		}
		if ign, matched := verdict(s.pats, rel, isDir); matched {
			return ign
		}
	}
	return false
}

// relBelow returns full relative to dir with "/" separators, when full lies
// strictly below dir.
func relBelow(dir, full string) (string, bool) {
	prefix := dir
	if !strings.HasSuffix(prefix, string(filepath.Separator)) {
		prefix += string(filepath.Separator)
	}
	if !strings.HasPrefix(full, prefix) || len(full) == len(prefix) {
		return "", false
	}
	return filepath.ToSlash(full[len(prefix):]), true
}

// repoIgnores returns the ignore files in force at dir from above it: the
// repository's .git/info/exclude and the .gitignore files of the
// directories from the repository root (the nearest ancestor holding .git)
// down to dir's parent. dir's own .gitignore is not included (the walk
// reads it with dir's entries). Outside a repository there are none.
func repoIgnores(l *Loader, dir string) *ignoreStack {
	var chain []string // dir's ancestors, innermost first, up to the repository root
	repo := ""
	for d, i := dir, 0; i < 256; i++ {
		if _, err := statType(l.FS, pathJoin(d, ".git")); err == nil {
			repo = d
			break
		}
		parent := pathDir(d)
		if parent == d {
			break
		}
		d = parent
		chain = append(chain, d)
	}
	if repo == "" {
		return nil
	}
	s := infoExclude(l, repo)
	for i := len(chain) - 1; i >= 0; i-- {
		d := chain[i]
		if src, err := l.FS.ReadFile(pathJoin(d, ".gitignore")); err == nil {
			s = s.push(d, parseIgnore(string(src)))
		}
	}
	return s
}

// infoExclude returns the patterns of repo's .git/info/exclude (none when
// .git is a file, as in a worktree).
func infoExclude(l *Loader, repo string) *ignoreStack {
	var s *ignoreStack
	if src, err := l.FS.ReadFile(pathJoin(repo, ".git", "info", "exclude")); err == nil {
		s = s.push(repo, parseIgnore(string(src)))
	}
	return s
}

// GitIgnored reports whether a .gitignore between the file's directory and
// the repository root (the first directory holding .git) ignores path, or
// one of the directories holding it. Rules use it for files that are
// missing; discovery has its own walk (WalkOptions.NoRespectGitignore).
func (p *Project) GitIgnored(file string) bool {
	file = cleanPath(file)
	for dir := pathDir(file); ; dir = pathDir(dir) {
		if data, err := p.FS.ReadFile(pathJoin(dir, ".gitignore")); err == nil {
			rel, err := filepath.Rel(dir, file)
			if err == nil && ignoredBy(string(data), filepath.ToSlash(rel)) {
				return true
			}
		}
		if _, err := statType(p.FS, pathJoin(dir, ".git")); err == nil {
			return false
		}
		if parent := pathDir(dir); parent == dir {
			return false
		}
	}
}

// ignoredBy reports whether one .gitignore's text ignores the file rel
// ("/"-separated, relative to the .gitignore's directory) or a directory
// holding it (git does not look inside an ignored directory, so a later
// "!" cannot bring the file back).
func ignoredBy(gitignore, rel string) bool {
	pats := parseIgnore(gitignore)
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		if ign, _ := verdict(pats, strings.Join(parts[:i], "/"), true); ign {
			return true
		}
	}
	ign, _ := verdict(pats, rel, false)
	return ign
}
