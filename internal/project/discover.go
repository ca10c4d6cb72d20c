package project

import (
	"bytes"
	"errors"
	"io/fs"
	"path/filepath"
	"sort"
)

// skipDirs are never descended into.
var skipDirs = map[string]bool{
	"target": true, ".git": true, ".hg": true, ".svn": true, "node_modules": true,
	".venv": true, "venv": true, ".tox": true, ".nox": true, "__pycache__": true,
	"site-packages": true, ".mypy_cache": true, ".pytest_cache": true, ".ruff_cache": true,
}

// MaxWalkEntries bounds how many directory entries one discovery walk visits.
const MaxWalkEntries = 2_000_000

// Discover returns the pyproject.toml files of maturin projects under root
// (root may also be a pyproject.toml or a file inside a project directory).
// Symlinked directories are not followed, so loops and links out of the tree
// are harmless. The result is sorted.
func Discover(l *Loader, root string) ([]string, error) {
	root = filepath.Clean(root)
	st, err := l.FS.Stat(root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		if filepath.Base(root) == "pyproject.toml" {
			return []string{root}, nil
		}
		root = filepath.Dir(root)
	}
	var out []string
	visited := 0
	var walk func(dir string, depth int)
	walk = func(dir string, depth int) {
		if depth > 64 || visited > MaxWalkEntries {
			return
		}
		entries, err := l.FS.ReadDir(dir)
		if err != nil {
			return
		}
		visited += len(entries)
		for _, e := range entries {
			if e.Name() == "pyvenv.cfg" {
				return // a virtualenv
			}
		}
		for _, e := range entries {
			name := e.Name()
			full := filepath.Join(dir, name)
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				continue
			case e.IsDir():
				if skipDirs[name] {
					continue
				}
				walk(full, depth+1)
			case name == "pyproject.toml":
				if IsMaturinPyproject(l, full) {
					out = append(out, full)
				}
			}
		}
	}
	walk(root, 0)
	sort.Strings(out)
	return out, nil
}

// IsMaturinPyproject reports whether path is a pyproject.toml maturin builds:
// build-backend "maturin" or a [tool.maturin] table. A file that does not
// parse counts when it mentions maturin, so its syntax error gets reported.
func IsMaturinPyproject(l *Loader, path string) bool {
	f, pp := l.Pyproject(path)
	if f.ReadErr == nil && isTemplate(f.Src) {
		return false // a cookiecutter/jinja template, not a project
	}
	if pp != nil {
		return pp.IsMaturinProject()
	}
	if errors.Is(f.ReadErr, ErrTooLarge) {
		return true // reported as T003
	}
	return f.ReadErr == nil && bytes.Contains(f.Src, []byte("maturin"))
}

// isTemplate reports whether a pyproject.toml is a template (cookiecutter,
// copier, jinja, polars' runtime template): its names contain placeholders.
func isTemplate(src []byte) bool {
	return bytes.Contains(src, []byte("{{")) && (bytes.Contains(src, []byte("}}")) || bytes.Contains(src, []byte("%}")))
}
