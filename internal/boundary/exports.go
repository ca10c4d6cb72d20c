// Package boundary puts the two sides of a PyO3 extension's boundary side by
// side: what the extension module exports (resolved across the crate's Rust
// files from rustsrc.ScanPy) and what the Python package expects (its
// imports from the extension and the extension's .pyi stub, read with
// pysrc). The E rules and the editor features read it.
package boundary

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/rustsrc"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// Kind is the kind of an exported name.
type Kind uint8

const (
	Function Kind = iota + 1
	Class
	Const
	Submodule
)

func (k Kind) String() string {
	switch k {
	case Function:
		return "function"
	case Class:
		return "class"
	case Const:
		return "constant"
	case Submodule:
		return "submodule"
	}
	return "name"
}

// Item is one name the extension module exports.
type Item struct {
	Name  string
	Kind  Kind
	File  *project.SourceFile // where the function/class is defined, else where it is added
	At    span.Range          // its identifier (function/class), or the add site
	Func  *rustsrc.PyFunction
	Class *ClassInfo
	Cfg   bool // present only under some cfg
}

// ClassInfo is a #[pyclass] with the members of its #[pymethods] blocks.
type ClassInfo struct {
	*rustsrc.PyClass
	File    *project.SourceFile
	Members []Member
	// Open: members may come from elsewhere (a base class, a macro, an
	// unreadable block, the multiple-pymethods pattern in a file not scanned).
	Open bool
}

// Member is a class member with its file.
type Member struct {
	*rustsrc.Member
	File *project.SourceFile
}

// Lookup returns the members named name.
func (c *ClassInfo) Lookup(name string) []Member {
	var out []Member
	for _, m := range c.Members {
		if m.Name == name {
			out = append(out, m)
		}
	}
	return out
}

// Exports is the resolved export list of one #[pymodule].
type Exports struct {
	Module   string // the Python module name, e.g. "pkg._core"
	RootFile *project.SourceFile
	Root     *rustsrc.Module
	Items    []*Item // in source order
	byName   map[string]*Item
	// Open: the list may be incomplete (see Reason, OpenFile/OpenAt).
	Open     bool
	Reason   string
	OpenFile *project.SourceFile
	OpenAt   span.Range
}

// Lookup returns the exported item named name, or nil.
func (e *Exports) Lookup(name string) *Item {
	if e == nil {
		return nil
	}
	return e.byName[name]
}

// Names returns the exported names, sorted.
func (e *Exports) Names() []string {
	out := make([]string, 0, len(e.Items))
	for _, it := range e.Items {
		out = append(out, it.Name)
	}
	sort.Strings(out)
	return out
}

// Index holds the crate's Python-visible items by Rust identifier.
type Index struct {
	funcs   map[string][]fnRef
	classes map[string][]*ClassInfo
	mods    map[string][]modRef
	files   []*project.SourceFile
	// macroIdents are identifiers passed to item-level macros anywhere.
	macroIdents map[string]bool
	complete    bool
}

type fnRef struct {
	f    *rustsrc.PyFunction
	file *project.SourceFile
}

type modRef struct {
	m    *rustsrc.Module
	file *project.SourceFile
}

// NewIndex indexes the project's Rust files.
func NewIndex(p *project.Project) *Index {
	ix := &Index{funcs: map[string][]fnRef{}, classes: map[string][]*ClassInfo{}, mods: map[string][]modRef{},
		files: p.RustFiles, macroIdents: map[string]bool{}, complete: p.RustComplete}
	methods := map[string][]Member{}
	openTypes := map[string]bool{}
	for _, f := range p.RustFiles {
		if f.Rust == nil || f.Rust.PyItems() == nil {
			continue
		}
		py := f.Rust.PyItems()
		for i := range py.Functions {
			fn := &py.Functions[i]
			ix.funcs[fn.Ident] = append(ix.funcs[fn.Ident], fnRef{fn, f})
		}
		for i := range py.Classes {
			c := &py.Classes[i]
			ci := &ClassInfo{PyClass: c, File: f, Open: c.Open}
			for j := range c.Members {
				ci.Members = append(ci.Members, Member{&c.Members[j], f})
			}
			ix.classes[c.Ident] = append(ix.classes[c.Ident], ci)
		}
		for i := range py.Methods {
			b := &py.Methods[i]
			for j := range b.Members {
				methods[b.Type] = append(methods[b.Type], Member{&b.Members[j], f})
			}
			if b.Open {
				openTypes[b.Type] = true
			}
		}
		for i := range f.Rust.Modules {
			m := &f.Rust.Modules[i]
			ix.mods[m.Ident] = append(ix.mods[m.Ident], modRef{m, f})
		}
		for k := range py.MacroIdents {
			ix.macroIdents[k] = true
		}
	}
	for id, cs := range ix.classes {
		for _, c := range cs {
			c.Members = append(c.Members, methods[id]...)
			if openTypes[id] || ix.macroIdents[id] || !ix.complete || len(cs) > 1 {
				c.Open = true
			}
		}
	}
	return ix
}

// Function returns the #[pyfunction] with Rust identifier id when it is unambiguous.
func (ix *Index) Function(id string) (*rustsrc.PyFunction, *project.SourceFile, bool) {
	fs := ix.funcs[id]
	if len(fs) == 0 {
		return nil, nil, false
	}
	for _, f := range fs[1:] {
		if f.f.Name != fs[0].f.Name {
			return nil, nil, false
		}
	}
	return fs[0].f, fs[0].file, true
}

// Class returns the #[pyclass] with Rust identifier id when it is unambiguous.
func (ix *Index) Class(id string) (*ClassInfo, bool) {
	cs := ix.classes[id]
	if len(cs) == 0 {
		return nil, false
	}
	for _, c := range cs[1:] {
		if c.Name != cs[0].Name {
			return nil, false
		}
	}
	return cs[0], true
}

// Classes returns every class, for lookups by Python name.
func (ix *Index) Classes() []*ClassInfo {
	var out []*ClassInfo
	for _, cs := range ix.classes {
		out = append(out, cs...)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Start < out[j].Start || out[i].Start == out[j].Start && out[i].File.Path < out[j].File.Path
	})
	return out
}

// Functions returns every #[pyfunction] with its file.
func (ix *Index) Functions() []FuncRef {
	var out []FuncRef
	for _, fs := range ix.funcs {
		for _, f := range fs {
			out = append(out, FuncRef{f.f, f.file})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File.Path != out[j].File.Path {
			return out[i].File.Path < out[j].File.Path
		}
		return out[i].Func.Start < out[j].Func.Start
	})
	return out
}

// FuncRef is a #[pyfunction] with its file.
type FuncRef struct {
	Func *rustsrc.PyFunction
	File *project.SourceFile
}

// Resolve builds the export list of the #[pymodule] root (in rootFile)
// imported as module.
func (ix *Index) Resolve(rootFile *project.SourceFile, root *rustsrc.Module, module string) *Exports {
	e := &Exports{Module: module, RootFile: rootFile, Root: root, byName: map[string]*Item{}}
	open := func(f *project.SourceFile, r span.Range, format string, args ...any) {
		if !e.Open {
			e.Open, e.Reason, e.OpenFile, e.OpenAt = true, fmt.Sprintf(format, args...), f, r
		}
	}
	if !ix.complete {
		open(rootFile, root.IdentRange, "some of the crate's Rust files could not be read")
	}
	add := func(it *Item) {
		if prev := e.byName[it.Name]; prev != nil {
			// A later add replaces the attribute; keep the first for navigation.
			prev.Cfg = prev.Cfg && it.Cfg
			return
		}
		e.byName[it.Name] = it
		e.Items = append(e.Items, it)
	}
	if rootFile == nil || rootFile.Rust == nil || rootFile.Rust.PyItems() == nil {
		open(rootFile, root.IdentRange, "the module's source was not scanned")
		return e
	}
	me := rootFile.Rust.PyItems().ModuleExportsAt(root.IdentRange.Start)
	if me == nil {
		open(rootFile, root.IdentRange, "the module's body was not read")
		return e
	}
	if me.Open {
		open(rootFile, me.OpenRange, "%s", me.OpenReason)
	}
	// Declarative module: items defined in its body.
	if root.Kind == rustsrc.ModItem {
		py := rootFile.Rust.PyItems()
		for i := range py.Functions {
			fn := &py.Functions[i]
			if fn.Module == root.IdentRange.Start {
				add(&Item{Name: fn.Name, Kind: Function, File: rootFile, At: fn.IdentRange, Func: fn, Cfg: fn.Cfg})
			}
		}
		for i := range py.Classes {
			c := &py.Classes[i]
			if c.Module == root.IdentRange.Start {
				ci, ok := ix.Class(c.Ident)
				if !ok {
					ci = &ClassInfo{PyClass: c, File: rootFile, Open: true}
				}
				add(&Item{Name: c.Name, Kind: Class, File: rootFile, At: c.IdentRange, Class: ci, Cfg: c.Cfg})
			}
		}
	}
	for _, x := range me.Exports {
		switch x.Kind {
		case rustsrc.ExpFunction:
			if fn, f, ok := ix.Function(x.Ident); ok {
				name := fn.Name
				if x.Name != "" {
					name = x.Name
				}
				add(&Item{Name: name, Kind: Function, File: f, At: fn.IdentRange, Func: fn, Cfg: x.Cfg || fn.Cfg})
			} else {
				open(rootFile, x.Range, "the function %s is not a #[pyfunction] found in the crate's sources", x.Ident)
			}
		case rustsrc.ExpClass:
			if c, ok := ix.Class(x.Ident); ok {
				add(&Item{Name: c.Name, Kind: Class, File: c.File, At: c.IdentRange, Class: c, Cfg: x.Cfg || c.Cfg})
			} else {
				open(rootFile, x.Range, "the class %s is not a #[pyclass] found in the crate's sources", x.Ident)
			}
		case rustsrc.ExpConst:
			add(&Item{Name: x.Name, Kind: Const, File: rootFile, At: x.Range, Cfg: x.Cfg})
		case rustsrc.ExpSubmodule:
			name := x.Name
			if name == "" {
				ms := ix.mods[x.Ident]
				if len(ms) == 1 {
					name = ms[0].m.Name
				}
			}
			if name == "" {
				open(rootFile, x.Range, "the submodule %s could not be resolved", x.Ident)
				continue
			}
			// PyO3 adds a submodule under the last component of its name.
			if i := strings.LastIndexByte(name, '.'); i >= 0 {
				name = name[i+1:]
			}
			add(&Item{Name: name, Kind: Submodule, File: rootFile, At: x.Range, Cfg: x.Cfg})
		case rustsrc.ExpUse:
			fn, ff, fok := ix.Function(x.Ident)
			c, cok := ix.Class(x.Ident)
			ms := ix.mods[x.Ident]
			switch {
			case fok && !cok && len(ms) == 0:
				add(&Item{Name: fn.Name, Kind: Function, File: ff, At: fn.IdentRange, Func: fn, Cfg: x.Cfg || fn.Cfg})
			case cok && !fok && len(ms) == 0:
				add(&Item{Name: c.Name, Kind: Class, File: c.File, At: c.IdentRange, Class: c, Cfg: x.Cfg || c.Cfg})
			case len(ms) == 1 && !fok && !cok:
				add(&Item{Name: ms[0].m.Name, Kind: Submodule, File: ms[0].file, At: ms[0].m.IdentRange, Cfg: x.Cfg})
			default:
				open(rootFile, x.Range, "%s is not an item found in the crate's sources", x.Ident)
			}
		}
	}
	return e
}

// DocComment returns the `///` doc comment lines just above the item that
// starts at start (attributes in between are skipped), without the slashes.
func DocComment(src []byte, start int) string {
	if start < 0 || start > len(src) {
		return ""
	}
	var lines []string
	end := start
	// move to the start of the item's line
	for end > 0 && src[end-1] != '\n' {
		end--
	}
	for n := 0; end > 0 && n < 200; n++ {
		ls := end - 1
		for ls > 0 && src[ls-1] != '\n' {
			ls--
		}
		line := strings.TrimSpace(string(src[ls : end-1]))
		end = ls
		switch {
		case strings.HasPrefix(line, "///"):
			lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(line, "///"), " "))
		case strings.HasPrefix(line, "#[") || line == "":
			if line == "" && len(lines) > 0 {
				n = 200
				continue
			}
		default:
			n = 200
			continue
		}
	}
	for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	return strings.Join(lines, "\n")
}
