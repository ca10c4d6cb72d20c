package project

// maxConfigLevels bounds how far above a project pyo3-ls looks for a
// workspace-level pyproject.toml with [tool.pyo3-ls].
const maxConfigLevels = 32

// findConfigFiles returns the pyproject.toml files in the directories above
// dir that hold a [tool.pyo3-ls] table, nearest first. The walk stops after
// the repository root (a directory holding .git) or the file-system root.
// Each file is read through the loader, so it is parsed once and its
// diagnostics and suppressions can be shown like any other file's.
func findConfigFiles(l *Loader, dir string) []*SourceFile {
	if _, oneShot := l.FS.(*StatCache); oneShot {
		// The same ancestors for every project of a tree: looked at once
		// per directory (a one-shot check: the tree does not change).
		var out []*SourceFile
		for _, h := range l.configsAbove(dir, 0) {
			if h.dist <= maxConfigLevels {
				out = append(out, l.TOML(h.path))
			}
		}
		return out
	}
	var out []*SourceFile
	for i := 0; i < maxConfigLevels; i++ {
		if _, err := statType(l.FS, pathJoin(dir, ".git")); err == nil {
			break // dir is the repository root, already looked at
		}
		parent := pathDir(dir)
		if parent == dir {
			break
		}
		dir = parent
		path := pathJoin(dir, "pyproject.toml")
		if isConfigFile(l, path) {
			out = append(out, l.TOML(path))
		}
	}
	return out
}

// isConfigFile reports whether path is a pyproject.toml with [tool.pyo3-ls].
func isConfigFile(l *Loader, path string) bool {
	if typ, err := statType(l.FS, path); err != nil || typ.IsDir() {
		return false
	}
	f := l.TOML(path)
	return f.Doc != nil && f.Doc.Root.Lookup("tool", "pyo3-ls") != nil
}

// configHit is a configuration file dist directories above the directory
// it was looked up from.
type configHit struct {
	path string
	dist int
}

// configsAbove is findConfigFiles' walk without its bound: the
// configuration files above dir up to the repository root or the
// file-system root, nearest first.
func (l *Loader) configsAbove(dir string, depth int) []configHit {
	if _, err := statType(l.FS, pathJoin(dir, ".git")); err == nil {
		return nil // dir is the repository root
	}
	parent := pathDir(dir)
	if parent == dir {
		return nil
	}
	from := l.configsFrom(parent, depth+1)
	if len(from) == 0 {
		return nil
	}
	hits := make([]configHit, len(from))
	for i, h := range from {
		hits[i] = configHit{h.path, h.dist + 1}
	}
	return hits
}

// configsFrom is, remembered per directory, dir's own configuration file
// (at distance 0) and those above it unless dir is the repository root.
func (l *Loader) configsFrom(dir string, depth int) []configHit {
	l.mu.Lock()
	hits, ok := l.configs[dir]
	l.mu.Unlock()
	if ok {
		return hits
	}
	if path := pathJoin(dir, "pyproject.toml"); isConfigFile(l, path) {
		hits = append(hits, configHit{path, 0})
	}
	if depth < 256 {
		hits = append(hits, l.configsAbove(dir, depth)...)
	}
	l.mu.Lock()
	if l.configs == nil {
		l.configs = map[string][]configHit{}
	}
	l.configs[dir] = hits
	l.mu.Unlock()
	return hits
}
