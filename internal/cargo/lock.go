package cargo

import (
	"sync"

	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// LockPackage is one [[package]] of Cargo.lock.
type LockPackage struct {
	Name    string
	Version string
	Source  string
	Deps    []string // "name" or "name version" or "name version (source)"
	Range   tomldoc.Range
}

// Lock is a parsed Cargo.lock.
type Lock struct {
	Path     string
	Doc      *tomldoc.Document
	Packages []LockPackage

	// byName indexes Packages by name and deps holds each package's
	// dependencies as indexes into Packages; built once, since every project
	// of a workspace shares the lock and asks for its reachable set.
	indexOnce sync.Once
	byName    map[string][]int
	deps      [][]int32
}

func (l *Lock) index() map[string][]int {
	l.indexOnce.Do(func() {
		l.byName = make(map[string][]int, len(l.Packages))
		for i, p := range l.Packages {
			l.byName[p.Name] = append(l.byName[p.Name], i)
		}
		l.deps = make([][]int32, len(l.Packages))
		ends := make([]int, len(l.Packages))
		var all []int32 // one backing array for every package's edges
		for i := range l.Packages {
			for _, d := range l.Packages[i].Deps {
				name, ver := splitLockDep(d)
				for _, j := range l.byName[name] {
					if ver == "" || l.Packages[j].Version == ver {
						all = append(all, int32(j))
					}
				}
			}
			ends[i] = len(all)
		}
		start := 0
		for i, end := range ends {
			l.deps[i] = all[start:end:end]
			start = end
		}
	})
	return l.byName
}

// LockFromDoc builds the model from a parsed Cargo.lock.
func LockFromDoc(path string, doc *tomldoc.Document) *Lock {
	l := &Lock{Path: path, Doc: doc}
	p := doc.Root.Get("package")
	if p == nil {
		return l
	}
	tables := p.Value.Tables()
	if len(tables) > 0 {
		l.Packages = make([]LockPackage, 0, len(tables))
	}
	for _, t := range tables {
		var lp LockPackage
		if s, ok := tomldoc.StrOf(t.Get("name")); ok {
			lp.Name = s.Value
		}
		if s, ok := tomldoc.StrOf(t.Get("version")); ok {
			lp.Version = s.Value
		}
		if s, ok := tomldoc.StrOf(t.Get("source")); ok {
			lp.Source = s.Value
		}
		if e := t.Get("dependencies"); e != nil && e.Value != nil && e.Value.Kind == tomldoc.Array {
			for _, v := range e.Value.Arr { // the strings, as StrsOf gives them, without its []Str
				if v.Kind == tomldoc.String {
					if lp.Deps == nil {
						lp.Deps = make([]string, 0, len(e.Value.Arr))
					}
					lp.Deps = append(lp.Deps, v.Str)
				}
			}
		}
		lp.Range = t.Range
		l.Packages = append(l.Packages, lp)
	}
	return l
}

// Versions returns the locked versions of package name.
func (l *Lock) Versions(name string) []LockPackage {
	if l == nil {
		return nil
	}
	var out []LockPackage
	for _, i := range l.index()[name] {
		out = append(out, l.Packages[i])
	}
	return out
}

// Reachable returns the locked packages reachable from the root package
// rootName (its normal, build and dev dependencies, transitively), in the
// order a depth-first walk meets them; the pointers are into l.Packages.
func (l *Lock) Reachable(rootName string) []*LockPackage {
	if l == nil {
		return nil
	}
	byName := l.index()
	seen := make([]bool, len(l.Packages))
	stack := make([]int32, 0, 32)
	for _, i := range byName[rootName] {
		if l.Packages[i].Source == "" { // a local (path/workspace) package
			stack = append(stack, int32(i))
		}
	}
	if len(stack) == 0 {
		for _, i := range byName[rootName] {
			stack = append(stack, int32(i))
		}
	}
	out := make([]*LockPackage, 0, 32)
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[i] {
			continue
		}
		seen[i] = true
		out = append(out, &l.Packages[i])
		stack = append(stack, l.deps[i]...)
	}
	return out
}

func splitLockDep(d string) (name, version string) {
	name = d
	for i := 0; i < len(d); i++ {
		if d[i] == ' ' {
			name = d[:i]
			rest := d[i+1:]
			for j := 0; j < len(rest); j++ {
				if rest[j] == ' ' {
					return name, rest[:j]
				}
			}
			return name, rest
		}
	}
	return name, ""
}
