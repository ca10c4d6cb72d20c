package project

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/cargo"
	"github.com/pyo3-ls/pyo3-ls/internal/pyproject"
)

// Project is the snapshot of one maturin project that rules read.
type Project struct {
	Dir string // the directory holding pyproject.toml

	PyprojectFile *SourceFile
	Pyproject     *pyproject.File // nil when pyproject.toml cannot be read; what could be read when it has TOML errors

	// ManifestPath is the Cargo.toml maturin would use; ManifestFromConfig
	// tells whether [tool.maturin] manifest-path chose it.
	ManifestPath       string
	ManifestFromConfig bool
	ManifestFile       *SourceFile
	Manifest           *cargo.Manifest // nil when missing or unreadable; what could be read when it has TOML errors

	WorkspaceFile *SourceFile     // the workspace root's Cargo.toml when it is another file
	Workspace     *cargo.Manifest // nil when the crate is not in a workspace (or is its root)

	LockFile *SourceFile
	Lock     *cargo.Lock

	// RustFiles are the library's sources: the lib root and the files its
	// `mod x;` declarations lead to.
	RustFiles []*SourceFile
	// RustComplete is false when a declared module file could not be found
	// or the library root is missing: absence findings must then stay quiet.
	RustComplete bool
	// SkippedRust are library sources that exist but could not be read
	// (above MaxFileSize, permissions); Files lists them so T003 reports them.
	SkippedRust []*SourceFile

	// RustGates maps a Rust file to the cfg predicates of the `mod x;`
	// declarations that lead to it (empty for the library root).
	RustGates map[string][]string

	// HasLib is true when the crate's library root (src/lib.rs or [lib] path) exists.
	HasLib bool

	// PythonRoot is where maturin looks for the Python package (python-source, src/ or Dir).
	PythonRoot string

	// ConfigFiles are the workspace-level pyproject.toml files above Dir
	// (up to the repository root) that hold [tool.pyo3-ls], nearest first.
	ConfigFiles []*SourceFile

	FS FS

	// python holds the package's Python files read by PythonFile (python.go).
	python pythonFiles
}

// Files returns every file the project read (for publishing diagnostics and suppressions).
func (p *Project) Files() []*SourceFile {
	pf := &p.python
	pf.mu.Lock()
	defer pf.mu.Unlock()
	// One allocation: the rules and the checkers call this several times per project.
	out := make([]*SourceFile, 0, 4+len(p.RustFiles)+len(p.SkippedRust)+len(p.ConfigFiles)+len(pf.files))
	for _, f := range [...]*SourceFile{p.PyprojectFile, p.ManifestFile, p.WorkspaceFile, p.LockFile} {
		if f != nil {
			out = append(out, f)
		}
	}
	out = append(out, p.RustFiles...)
	out = append(out, p.SkippedRust...)
	out = append(out, p.ConfigFiles...)
	return append(out, pf.files...)
}

// File returns the project's file at path, or nil.
func (p *Project) File(path string) *SourceFile {
	for _, f := range p.Files() {
		if f.Path == path {
			return f
		}
	}
	return nil
}

// IsDir reports whether path is a directory (following symlinks).
func (p *Project) IsDir(path string) bool {
	typ, err := statType(p.FS, path)
	return err == nil && typ.IsDir()
}

// IsFile reports whether path is an existing non-directory.
func (p *Project) IsFile(path string) bool {
	typ, err := statType(p.FS, path)
	return err == nil && !typ.IsDir()
}

// Rel returns path relative to the project directory, with '/'.
func (p *Project) Rel(path string) string {
	r, err := filepath.Rel(p.Dir, path)
	if err != nil {
		return path
	}
	return filepath.ToSlash(r)
}

// Load builds the snapshot of the project whose pyproject.toml is at path.
func Load(l *Loader, pyprojectPath string) *Project {
	p := &Project{Dir: pathDir(cleanPath(pyprojectPath)), FS: l.FS, RustComplete: true}
	p.python.loader = l
	p.PyprojectFile, p.Pyproject = l.Pyproject(pyprojectPath)
	p.ConfigFiles = findConfigFiles(l, p.Dir)
	p.PythonRoot = p.Dir
	if p.Pyproject == nil {
		return p
	}
	pp := p.Pyproject
	srcLayout := false
	if pp.Name != nil {
		pkg := pathJoin(p.Dir, "src", pyproject.NormalizeName(pp.Name.Value), "__init__.py")
		if p.IsFile(pathJoin(p.Dir, "rust", "Cargo.toml")) && p.IsFile(pkg) {
			srcLayout = true
		}
		for _, extra := range pp.PythonPackages {
			if p.IsFile(pathJoin(p.Dir, "rust", "Cargo.toml")) && p.IsFile(pathJoin(p.Dir, "src", extra.Value, "__init__.py")) {
				srcLayout = true
			}
		}
	}
	switch {
	case pp.ManifestPath != nil:
		p.ManifestPath = pathJoin(p.Dir, filepath.FromSlash(pp.ManifestPath.Value))
		p.ManifestFromConfig = true
	case srcLayout:
		p.ManifestPath = pathJoin(p.Dir, "rust", "Cargo.toml")
	default:
		p.ManifestPath = pathJoin(p.Dir, "Cargo.toml")
	}
	switch {
	case pp.PythonSource != nil:
		p.PythonRoot = pathJoin(p.Dir, filepath.FromSlash(pp.PythonSource.Value))
	case srcLayout:
		p.PythonRoot = pathJoin(p.Dir, "src")
	}
	if !p.IsFile(p.ManifestPath) {
		return p
	}
	p.ManifestFile, p.Manifest = l.Manifest(p.ManifestPath)
	if p.Manifest == nil {
		return p
	}
	crateDir := pathDir(p.ManifestPath)
	lockDir := crateDir
	if p.Manifest.Workspace == nil {
		if wsPath, ws := findWorkspace(l, crateDir); ws != nil {
			p.WorkspaceFile, p.Workspace = l.TOML(wsPath), ws
			lockDir = pathDir(wsPath)
		}
	}
	if lp := pathJoin(lockDir, "Cargo.lock"); p.IsFile(lp) {
		p.LockFile, p.Lock = l.Lock(lp)
	}
	p.loadRust(l, crateDir)
	return p
}

// findWorkspace walks up from crateDir like cargo does and returns the first
// Cargo.toml with a [workspace] whose members include crateDir.
func findWorkspace(l *Loader, crateDir string) (string, *cargo.Manifest) {
	dir := crateDir
	for i := 0; i < 64; i++ {
		parent := pathDir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
		cand := pathJoin(dir, "Cargo.toml")
		if typ, err := statType(l.FS, cand); err != nil || typ.IsDir() {
			continue
		}
		_, m := l.Manifest(cand)
		if m == nil || m.Workspace == nil {
			continue
		}
		if isMember(m, dir, crateDir) {
			return cand, m
		}
		return "", nil
	}
	return "", nil
}

func isMember(ws *cargo.Manifest, wsDir, crateDir string) bool {
	rel, err := filepath.Rel(wsDir, crateDir)
	if err != nil {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, ex := range ws.Exclude {
		if globMatch(strings.TrimSuffix(ex.Value, "/"), rel) {
			return false
		}
	}
	for _, m := range ws.Members {
		if globMatch(strings.TrimSuffix(strings.TrimPrefix(m.Value, "./"), "/"), rel) {
			return true
		}
	}
	// Path dependencies of the root are members too; we cannot see them
	// without resolving, so a crate below a workspace that lists no members
	// matching it is treated as outside.
	return false
}

// globMatch matches a cargo members glob (segments with * ? [..], and **).
func globMatch(pattern, rel string) bool {
	if pattern == rel {
		return true
	}
	ps := strings.Split(pattern, "/")
	rs := strings.Split(rel, "/")
	return matchSegs(ps, rs)
}

func matchSegs(ps, rs []string) bool { return MatchSegments(ps, rs) }

// loadRust reads the library root and follows `mod x;` declarations.
func (p *Project) loadRust(l *Loader, crateDir string) {
	m := p.Manifest
	libPath := pathJoin(crateDir, "src", "lib.rs")
	if m.LibPath != nil {
		libPath = pathJoin(crateDir, filepath.FromSlash(m.LibPath.Value))
	}
	typ, err := statType(p.FS, libPath)
	if errors.Is(err, ErrOutsideRoots) || errors.Is(err, ErrSystemPath) {
		// refused, not missing: T003 says so instead of staying silent
		p.RustComplete = false
		p.SkippedRust = append(p.SkippedRust, &SourceFile{Path: cleanPath(libPath), ReadErr: err})
		return
	}
	if err != nil || typ.IsDir() {
		p.RustComplete = false
		return
	}
	p.HasLib = true
	type item struct {
		path  string
		modRS bool     // lib.rs, main.rs, mod.rs or a #[path] root: children live beside it
		gates []string // cfg predicates of the declarations leading here
	}
	seen := map[string]bool{}
	queue := []item{{libPath, true, nil}}
	for len(queue) > 0 && len(p.RustFiles) < 2000 {
		it := queue[0]
		queue = queue[1:]
		if seen[it.path] {
			continue
		}
		seen[it.path] = true
		f := l.Rust(it.path)
		if f.ReadErr != nil {
			p.RustComplete = false
			if !errors.Is(f.ReadErr, fs.ErrNotExist) {
				p.SkippedRust = append(p.SkippedRust, f)
			}
			continue
		}
		p.RustFiles = append(p.RustFiles, f)
		if len(it.gates) > 0 {
			if p.RustGates == nil {
				p.RustGates = map[string][]string{}
			}
			p.RustGates[f.Path] = it.gates
		}
		dir := pathDir(it.path)
		if !it.modRS {
			dir = pathJoin(dir, strings.TrimSuffix(filepath.Base(it.path), ".rs"))
		}
		for _, d := range f.Rust.ModDecls {
			gates := it.gates
			if len(d.CfgPredicates) > 0 {
				gates = append(append([]string(nil), it.gates...), d.CfgPredicates...)
			}
			if d.Path != "" {
				queue = append(queue, item{pathJoin(pathDir(it.path), filepath.FromSlash(d.Path)), true, gates})
				continue
			}
			a := pathJoin(dir, d.Name+".rs")
			b := pathJoin(dir, d.Name, "mod.rs")
			switch {
			case p.IsFile(a):
				queue = append(queue, item{a, false, gates})
			case p.IsFile(b):
				queue = append(queue, item{b, true, gates})
			default:
				if !d.Cfg {
					p.RustComplete = false
				}
			}
		}
	}
}
