package project

import "path/filepath"

// maxConfigLevels bounds how far above a project pyo3-ls looks for a
// workspace-level pyproject.toml with [tool.pyo3-ls].
const maxConfigLevels = 32

// findConfigFiles returns the pyproject.toml files in the directories above
// dir that hold a [tool.pyo3-ls] table, nearest first. The walk stops after
// the repository root (a directory holding .git) or the file-system root.
// Each file is read through the loader, so it is parsed once and its
// diagnostics and suppressions can be shown like any other file's.
func findConfigFiles(l *Loader, dir string) []*SourceFile {
	var out []*SourceFile
	for i := 0; i < maxConfigLevels; i++ {
		if _, err := statType(l.FS, filepath.Join(dir, ".git")); err == nil {
			break // dir is the repository root, already looked at
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
		path := filepath.Join(dir, "pyproject.toml")
		if typ, err := statType(l.FS, path); err != nil || typ.IsDir() {
			continue
		}
		if f := l.TOML(path); f.Doc != nil && f.Doc.Root.Lookup("tool", "pyo3-ls") != nil {
			out = append(out, f)
		}
	}
	return out
}
