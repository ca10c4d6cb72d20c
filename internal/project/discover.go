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
	var out []string
	err := Walk(l, root, func(path string) { out = append(out, path) })
	sort.Strings(out)
	return out, err
}

// Walk calls found for each maturin project's pyproject.toml under root as
// the walk meets it (in walk order, not sorted), so a caller can check the
// first projects while the walk goes on. See Discover.
func Walk(l *Loader, root string, found func(pyproject string)) error {
	return WalkReport(l, root, found, nil)
}

// WalkReport is Walk that also tells skipped (when not nil) about each
// candidate it passes over and why: a pyproject.toml that cannot be read,
// is a symlink or looks like a template, a directory that cannot be listed
// or that a virtualenv's pyvenv.cfg marks. The root itself is never
// skipped: when it is a directory that cannot be listed, WalkReport
// returns the error.
func WalkReport(l *Loader, root string, found func(pyproject string), skipped func(path, reason string)) error {
	return WalkWith(l, root, WalkOptions{Skipped: skipped}, found)
}

// WalkOptions tune a discovery walk. The zero value is the default walk.
type WalkOptions struct {
	// NoRespectGitignore makes the walk look into directories that
	// .gitignore files (and the repository's .git/info/exclude) ignore; by
	// default they are passed over silently, as ruff does (its
	// respect-gitignore setting). Only directories are passed over: a
	// pyproject.toml in a searched directory counts even when a pattern
	// matches it (a tracked file git keeps whatever .gitignore says).
	NoRespectGitignore bool

	// Skipped, when set, hears about each candidate passed over, with the
	// reason (see WalkReport).
	Skipped func(path, reason string)
}

// noNewProjects are directory names the walk does not descend into looking
// for projects (below the root): build and distribution output (setuptools'
// build/, wheels and sdists in dist/). A project found elsewhere still reads
// whatever files of them it references.
var noNewProjects = map[string]bool{"build": true, "dist": true}

// WalkWith is WalkReport with options. Besides skipDirs, build/ and dist/
// below the root and, unless opts.NoRespectGitignore, whatever the
// .gitignore files from the repository root (the nearest directory holding
// .git) down ignore are not searched (directories only; see WalkOptions). A .gitignore counts also outside a git
// repository, from the root down (exported snapshots keep their
// .gitignore). The root itself is never skipped, even when ignored.
func WalkWith(l *Loader, root string, opts WalkOptions, found func(pyproject string)) error {
	skipped := opts.Skipped
	if skipped == nil {
		skipped = func(string, string) {}
	}
	root = filepath.Clean(root)
	st, err := l.FS.Stat(root)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		if filepath.Base(root) == "pyproject.toml" {
			found(root)
			return nil
		}
		root = filepath.Dir(root)
	}
	if _, err := l.FS.ReadDir(root); err != nil {
		return err
	}
	respect := !opts.NoRespectGitignore
	var ignores *ignoreStack
	if respect {
		ignores = repoIgnores(l, root)
	}
	visited := 0
	var walk func(dir string, depth int, ign *ignoreStack)
	walk = func(dir string, depth int, ign *ignoreStack) {
		if depth > 64 || visited > MaxWalkEntries {
			skipped(dir, "too deep or too many entries")
			return
		}
		entries, err := l.FS.ReadDir(dir)
		if err != nil {
			skipped(dir, "cannot list the directory: "+errText(err))
			return
		}
		visited += len(entries)
		if depth > 0 {
			for _, e := range entries {
				if e.Name() == "pyvenv.cfg" && isVenvConfig(l, dir+string(filepath.Separator)+e.Name()) {
					for _, x := range entries {
						if x.Name() == "pyproject.toml" {
							skipped(dir, "a virtualenv (pyvenv.cfg), not searched")
						}
					}
					return
				}
			}
		}
		if respect {
			var gitignore []ignorePattern
			for _, e := range entries {
				switch name := e.Name(); {
				case name == ".git" && depth > 0:
					// a nested repository: its parents' patterns stop here
					ign = infoExclude(l, dir)
				case name == ".gitignore" && e.Type().IsRegular():
					if src, err := l.FS.ReadFile(dir + string(filepath.Separator) + name); err == nil {
						gitignore = parseIgnore(string(src))
					}
				}
			}
			ign = ign.push(dir, gitignore)
		}
		// Paths are joined only for what is used (a directory descended
		// into, a pyproject.toml), not for every entry.
		for _, e := range entries {
			name := e.Name()
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				if name == "pyproject.toml" {
					skipped(dir+string(filepath.Separator)+name, "a symlink (not followed while looking for projects)")
				}
				continue
			case e.IsDir():
				if skipDirs[name] || noNewProjects[name] {
					continue
				}
				full := dir + string(filepath.Separator) + name
				if ign != nil && ign.ignored(full, true) {
					continue
				}
				walk(full, depth+1, ign)
			case name == "pyproject.toml":
				// An ignored pyproject.toml in a searched directory is still
				// taken: git keeps tracked files whatever .gitignore says,
				// and that is what such a file usually is (adriangb/pgpq's
				// json/.gitignore ignores "/*" and re-includes the sources
				// but not its tracked pyproject.toml).
				full := dir + string(filepath.Separator) + name
				ok, why := maturinCandidate(l, full)
				if ok {
					found(full)
				} else if why != "" {
					skipped(full, why)
				}
			}
		}
	}
	walk(root, 0, ignores)
	return nil
}

// isVenvConfig reports whether a pyvenv.cfg is a virtualenv's: it names
// the interpreter's home (an empty or unrelated file does not hide a tree).
func isVenvConfig(l *Loader, path string) bool {
	src, err := l.FS.ReadFile(path)
	if err != nil {
		return false
	}
	for _, line := range bytes.Split(src, []byte("\n")) {
		k, _, ok := bytes.Cut(line, []byte("="))
		if ok && string(bytes.TrimSpace(k)) == "home" {
			return true
		}
	}
	return false
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

var maturinWord = []byte("maturin")

// IsMaturinPyproject reports whether path is a pyproject.toml maturin builds:
// build-backend "maturin" or a [tool.maturin] table. A file that does not
// parse counts when it mentions maturin, so its syntax error gets reported.
// A file that does not contain the word "maturin" is rejected without
// parsing it and without keeping it in the loader.
func IsMaturinPyproject(l *Loader, path string) bool {
	ok, _ := maturinCandidate(l, path)
	return ok
}

// maturinCandidate is IsMaturinPyproject with, for a file that mentions
// maturin but is not taken, the reason (empty for files that are simply
// not maturin projects).
func maturinCandidate(l *Loader, path string) (bool, string) {
	if !l.cached(path) {
		src, err := l.FS.ReadFile(path)
		switch {
		case errors.Is(err, ErrTooLarge):
			return true, "" // reported as T003
		case err != nil:
			return false, "cannot be read: " + errText(err)
		case !bytes.Contains(src, maturinWord):
			return false, ""
		case isTemplate(src):
			return false, "looks like a template ({{ … }}), not a project"
		}
		l.seed(path, src)
	}
	f, pp := l.Pyproject(path)
	if f.ReadErr == nil && isTemplate(f.Src) {
		return false, "looks like a template ({{ … }}), not a project"
	}
	if pp != nil && (f.TOMLErr == nil || pp.IsMaturinProject()) {
		return pp.IsMaturinProject(), ""
	}
	if errors.Is(f.ReadErr, ErrTooLarge) {
		return true, "" // reported as T003
	}
	if f.ReadErr != nil {
		return false, "cannot be read: " + errText(f.ReadErr)
	}
	return bytes.Contains(f.Src, maturinWord), ""
}

// isTemplate reports whether a pyproject.toml is a template (cookiecutter,
// copier, jinja, polars' runtime template): its names contain placeholders.
func isTemplate(src []byte) bool {
	return bytes.Contains(src, []byte("{{")) && (bytes.Contains(src, []byte("}}")) || bytes.Contains(src, []byte("%}")))
}

// FindEnclosing returns the pyproject.toml of the nearest maturin project
// at or above path (a file or directory), walking up to the filesystem root
// the way cargo looks for Cargo.toml and ruff for its configuration, or ""
// when there is none. A non-maturin pyproject.toml on the way (a Python
// package inside a maturin repository) does not stop the walk.
func FindEnclosing(l *Loader, path string) string {
	dir := filepath.Clean(path)
	if st, err := l.FS.Stat(dir); err != nil || !st.IsDir() {
		dir = filepath.Dir(dir)
	}
	for i := 0; i < 256; i++ {
		cand := filepath.Join(dir, "pyproject.toml")
		if st, err := l.FS.Stat(cand); err == nil && !st.IsDir() && IsMaturinPyproject(l, cand) {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return ""
}
