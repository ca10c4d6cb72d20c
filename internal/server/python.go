package server

// Editor features at the Python/Rust boundary (.py/.pyi files of maturin
// projects, and #[pyfunction]/#[pyclass] items in Rust): hover, go to
// definition in both directions, and completion of `from pkg._core import |`.
// Diagnostics and quick fixes of .py/.pyi files come from the E rules
// through the ordinary analysis.

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/pyo3-ls/pyo3-ls/internal/boundary"
	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/pysrc"
	"github.com/pyo3-ls/pyo3-ls/internal/rustsrc"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// isPython reports whether path is a Python source or stub file.
func isPython(path string) bool {
	return strings.HasSuffix(path, ".py") || strings.HasSuffix(path, ".pyi")
}

// pyTarget is what a cursor in Python or Rust designates at the boundary.
type pyTarget struct {
	proj   *project.Project
	b      *model.Boundary
	item   *boundary.Item
	member *boundary.Member // a class member (with item the class)
	stub   *pysrc.Def       // the stub's definition, when the stub declares it
	name   string           // the Python name
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// wordAt returns the identifier around off and its range.
func wordAt(src []byte, off int) (string, span.Range) {
	if off < 0 || off > len(src) {
		return "", span.Range{}
	}
	s, e := off, off
	for s > 0 && isIdentByte(src[s-1]) {
		s--
	}
	for e < len(src) && isIdentByte(src[e]) {
		e++
	}
	return string(src[s:e]), span.Range{Start: s, End: e}
}

// pythonTarget resolves the name under the cursor in a .py/.pyi file.
func pythonTarget(c *cursor) *pyTarget {
	word, wr := wordAt(c.file.Src, c.off)
	if word == "" {
		return nil
	}
	for _, p := range c.projects {
		b := model.New(p).Boundary()
		if b.Exports == nil || b.Side == nil {
			continue
		}
		t := &pyTarget{proj: p, b: b}
		if b.Side.IsStub(c.path) && b.Side.Stub != nil {
			m := b.Side.Stub.Python()
			for _, d := range m.Defs {
				if d.NameRange == wr {
					t.name, t.stub, t.item = d.Name, d, b.Exports.Lookup(d.Name)
					return t
				}
				if d.Kind != pysrc.Class || !d.Range.Contains(c.off) {
					continue
				}
				for _, x := range d.Members {
					if x.NameRange != wr {
						continue
					}
					t.name, t.stub, t.item = d.Name+"."+x.Name, x, b.Exports.Lookup(d.Name)
					if t.item != nil && t.item.Class != nil {
						name := x.Name
						if name == "__init__" {
							name = "__new__"
						}
						if ms := t.item.Class.Lookup(name); len(ms) > 0 {
							t.member = &ms[0]
						}
					}
					return t
				}
			}
			return nil
		}
		m := pysrc.Parse(c.file.Src)
		for i := range m.Imports {
			im := &m.Imports[i]
			if !b.Side.ImportsExtension(c.path, im) {
				continue
			}
			for _, n := range im.Names {
				if n.Range == wr {
					t.name, t.item = n.Name, b.Exports.Lookup(n.Name)
					if st := b.Side.Stub; st != nil {
						t.stub = st.Python().Def(n.Name)
					}
					return t
				}
			}
		}
	}
	return nil
}

// rustTarget resolves a #[pyfunction]/#[pyclass] identifier under the cursor in Rust.
func rustTarget(c *cursor) *pyTarget {
	for _, p := range c.projects {
		b := model.New(p).Boundary()
		if b.Exports == nil {
			continue
		}
		for _, it := range b.Exports.Items {
			if it.File == nil || it.File.Path != c.path || !it.At.Contains(c.off) {
				continue
			}
			t := &pyTarget{proj: p, b: b, item: it, name: it.Name}
			if b.Side != nil && b.Side.Stub != nil {
				t.stub = b.Side.Stub.Python().Def(it.Name)
			}
			return t
		}
		// class members
		for _, it := range b.Exports.Items {
			if it.Class == nil {
				continue
			}
			for i := range it.Class.Members {
				m := &it.Class.Members[i]
				if m.File == nil || m.File.Path != c.path || !m.IdentRange.Contains(c.off) {
					continue
				}
				t := &pyTarget{proj: p, b: b, item: it, member: m, name: it.Name + "." + m.Name}
				if b.Side != nil && b.Side.Stub != nil {
					if cd := b.Side.Stub.Python().Def(it.Name); cd != nil {
						for _, x := range cd.Members {
							if x.Name == m.Name || m.Kind == rustsrc.New && x.Name == "__init__" {
								t.stub = x
								break
							}
						}
					}
				}
				return t
			}
		}
	}
	return nil
}

// boundaryHover renders the hover of a target.
func boundaryHover(t *pyTarget, fromRust bool) string {
	var b strings.Builder
	ex := t.b.Exports
	if t.item == nil {
		fmt.Fprintf(&b, "**%s.%s** is not exported by the extension module", ex.Module, t.name)
		if ex.Open {
			fmt.Fprintf(&b, " as far as pyo3-ls can tell (the export list is open: %s)", ex.Reason)
		}
		return b.String()
	}
	it := t.item
	fmt.Fprintf(&b, "**`%s.%s`** — %s", ex.Module, t.name, it.Kind)
	var sig *rustsrc.Signature
	var rsig span.Range
	var src []byte
	var docStart int
	var file *project.SourceFile
	switch {
	case t.member != nil:
		m := t.member
		fmt.Fprintf(&b, " member (%s)", m.Kind)
		sig, rsig, file, docStart = &m.Sig, m.RustSig, m.File, m.Start
	case it.Func != nil:
		sig, rsig, file, docStart = &it.Func.Sig, it.Func.RustSig, it.File, it.Func.Start
	case it.Class != nil:
		file, docStart = it.Class.File, it.Class.Start
	default:
		file = it.File
	}
	if file != nil {
		src = file.Src
	}
	if it.Cfg {
		b.WriteString(" (only under a #[cfg])")
	}
	b.WriteString("\n\n")
	pyName := t.name
	if i := strings.LastIndexByte(pyName, '.'); i >= 0 {
		pyName = pyName[i+1:]
	}
	if sig != nil {
		recv := ""
		if t.member != nil {
			switch t.member.Kind {
			case rustsrc.Method, rustsrc.Getter, rustsrc.Setter:
				recv = "self"
			case rustsrc.ClassMethod, rustsrc.New:
				recv = "cls"
			}
		}
		fmt.Fprintf(&b, "```python\ndef %s%s\n```\n", pyName, boundary.PySignature(*sig, recv))
		if src != nil && rsig.End > rsig.Start && rsig.End <= len(src) {
			fmt.Fprintf(&b, "```rust\n%s\n```\n", strings.TrimSpace(string(src[rsig.Start:rsig.End])))
		}
	} else if it.Class != nil {
		fmt.Fprintf(&b, "```python\nclass %s\n```\n```rust\n#[pyclass] %s\n```\n", it.Name, it.Class.Ident)
	}
	if src != nil {
		if doc := boundary.DocComment(src, docStart); doc != "" {
			b.WriteString("\n" + doc + "\n")
		}
	}
	if fromRust && t.b.Side != nil {
		switch {
		case t.b.Side.Stub == nil:
			b.WriteString("\n---\n\nNo type stub declares it (no " + filepathBase(t.b.Side.StubPath) + ").")
		case t.stub != nil:
			b.WriteString("\n---\n\nDeclared in the stub " + filepathBase(t.b.Side.Stub.Path) + ".")
		default:
			b.WriteString("\n---\n\nNot declared in the stub " + filepathBase(t.b.Side.Stub.Path) + " (E003).")
		}
	}
	return b.String()
}

func filepathBase(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// pythonHover is the hover of a .py/.pyi file.
func pythonHover(c *cursor) string {
	t := pythonTarget(c)
	if t == nil {
		return ""
	}
	return boundaryHover(t, false)
}

// rustBoundaryHover is the hover of a #[pyfunction]/#[pyclass] identifier.
func rustBoundaryHover(c *cursor) string {
	t := rustTarget(c)
	if t == nil {
		return ""
	}
	return boundaryHover(t, true)
}

// pythonDefinition: stub def/class or imported name → the Rust item.
func (s *Server) pythonDefinition(c *cursor) []protocol.Location {
	t := pythonTarget(c)
	if t == nil || t.item == nil {
		return nil
	}
	switch {
	case t.member != nil && t.member.File != nil:
		return []protocol.Location{s.location(t.proj, t.member.File.Path, t.member.IdentRange)}
	case t.stub != nil && t.stub.Kind == pysrc.Func && strings.Contains(t.name, "."):
		return nil // a stub member with no Rust counterpart
	case t.item.File != nil:
		return []protocol.Location{s.location(t.proj, t.item.File.Path, t.item.At)}
	}
	return nil
}

// rustToStubDefinition: a #[pyfunction]/#[pyclass] (or member) → its stub entry.
func (s *Server) rustToStubDefinition(c *cursor) []protocol.Location {
	t := rustTarget(c)
	if t == nil || t.stub == nil || t.b.Side == nil || t.b.Side.Stub == nil {
		return nil
	}
	return []protocol.Location{s.location(t.proj, t.b.Side.Stub.Path, t.stub.NameRange)}
}

var fromImportRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\s*from\s+(\.*[\w.]*)\s+import\s+\(?\s*((?:[\w]+(?:\s+as\s+\w+)?\s*,\s*)*)(\w*)$`)
})

// pythonCompletion completes `from pkg._core import |` with the exports.
func (s *Server) pythonCompletion(c *cursor) *protocol.CompletionList {
	src := c.file.Src
	lines := c.file.Lines()
	ln := lines.LineOf(c.off)
	prefix := string(src[lines.LineStart(ln):c.off])
	m := fromImportRe().FindStringSubmatch(prefix)
	if m == nil {
		return nil
	}
	mod := m[1]
	level := len(mod) - len(strings.TrimLeft(mod, "."))
	imp := &pysrc.Import{From: true, Level: level, Module: mod[level:]}
	for _, p := range c.projects {
		b := model.New(p).Boundary()
		if b.Exports == nil || b.Side == nil || !b.Side.ImportsExtension(c.path, imp) {
			continue
		}
		items := []protocol.CompletionItem{}
		for _, it := range b.Exports.Items {
			if !strings.HasPrefix(it.Name, m[3]) {
				continue
			}
			ci := protocol.CompletionItem{Label: it.Name, InsertText: it.Name, Detail: it.Kind.String()}
			switch it.Kind {
			case boundary.Function:
				ci.Kind = protocol.CompletionItemKindFunction
				if it.Func != nil {
					ci.Detail = "def " + it.Name + boundary.PySignature(it.Func.Sig, "")
				}
			case boundary.Class:
				ci.Kind = protocol.CompletionItemKindClass
			case boundary.Const:
				ci.Kind = protocol.CompletionItemKindConstant
			case boundary.Submodule:
				ci.Kind = protocol.CompletionItemKindModule
			}
			items = append(items, ci)
		}
		return &protocol.CompletionList{Items: items, IsIncomplete: b.Exports.Open}
	}
	return nil
}
