package pysrc

import "strings"

// ParamKind is how a parameter is passed.
type ParamKind uint8

const (
	PosOrKw ParamKind = iota
	PosOnly
	KwOnly
	VarArgs
	VarKw
)

// Param is one parameter of a def.
type Param struct {
	Name       string
	Kind       ParamKind
	HasDefault bool
	Annotation string
	Range      Range
}

// DefKind is the kind of a definition.
type DefKind uint8

const (
	Func DefKind = iota + 1
	Class
	Var // NAME = ..., NAME: T [= ...]
)

// Def is a top-level definition (or a class member).
type Def struct {
	Kind      DefKind
	Name      string
	NameRange Range
	// Range spans the whole definition: decorators, header and body lines.
	Range      Range
	Params     []Param
	Returns    string   // the return annotation's text
	Decorators []string // dotted names after '@', without arguments
	Bases      []string // class bases' text
	Members    []*Def   // class body
	// Conditional: under an if/try block (sys.version_info checks in stubs).
	Conditional bool
	Async       bool
	Indent      int // column of the def/class keyword
	// BodyIndent is the indentation of a class body's first line (-1 for a
	// one-line body such as `class X: ...`).
	BodyIndent int
	// BadParams: the parameter list could not be read.
	BadParams bool
}

// HasDecorator reports whether the def carries a decorator whose last dotted
// component is name (e.g. "overload" matches "typing.overload").
func (d *Def) HasDecorator(name string) bool {
	for _, x := range d.Decorators {
		if x == name || strings.HasSuffix(x, "."+name) {
			return true
		}
	}
	return false
}

// ImportName is one `name [as alias]` of a from-import.
type ImportName struct {
	Name  string
	As    string
	Range Range // the imported name
}

// Import is a `from X import ...` or `import X` statement.
type Import struct {
	From        bool   // from-import
	Level       int    // leading dots of a from-import
	Module      string // dotted module after the dots ("" for `from . import x`)
	ModuleRange Range
	Names       []ImportName // from-import names, or the modules of `import a.b as c`
	Star        bool
	StarRange   Range
	Range       Range
	// TopLevel: executed when the module is imported (module level, not
	// under if/try/with/def/class).
	TopLevel     bool
	TypeChecking bool // under `if TYPE_CHECKING:`
}

// Module is what the reader found in one file.
type Module struct {
	Imports []Import
	Defs    []*Def
	// All holds the literal entries of __all__ (assignments, += and
	// .extend/.append with literal lists); AllDynamic is set when __all__ is
	// built some other way.
	All        []string
	AllRanges  []Range
	HasAll     bool
	AllDynamic bool
	// Getattr: a module-level __getattr__ (the stub or module is open).
	Getattr bool

	byName   map[string][]*Def // top-level definitions by name
	imported map[string]bool   // names bound by imports
}

// Def returns the top-level definition named name (the last one), or nil.
func (m *Module) Def(name string) *Def {
	ds := m.byName[name]
	if len(ds) == 0 {
		return nil
	}
	return ds[len(ds)-1]
}

// Defs returns every top-level definition named name, in source order.
func (m *Module) Named(name string) []*Def { return m.byName[name] }

// Imported reports whether an import binds name at module level
// (`from x import name`, `import name`, `import a.b` binds a, `as` aliases).
func (m *Module) Imported(name string) bool { return m.imported[name] }

func (m *Module) index() {
	m.byName = make(map[string][]*Def, len(m.Defs))
	for _, d := range m.Defs {
		m.byName[d.Name] = append(m.byName[d.Name], d)
	}
	m.imported = map[string]bool{}
	for _, im := range m.Imports {
		for _, n := range im.Names {
			bound := n.As
			if bound == "" {
				bound = n.Name
				if !im.From {
					bound, _, _ = strings.Cut(n.Name, ".")
				}
			}
			m.imported[bound] = true
		}
	}
}

// block is an open compound statement.
type block struct {
	indent int
	kind   byte // 'c' class, 'd' def, 'i' if/else/try/with/for/while, 't' TYPE_CHECKING
	class  *Def
}

const maxDefs = 1 << 16

// Parse reads src. It never fails: what it does not understand it skips.
func Parse(src []byte) *Module { return parse(src, false) }

// ParseImports reads only the imports of src: its Imports are those Parse
// finds (same statements, flags and ranges; the block structure is followed
// the same way), but no definitions, __all__ or variables are read, which
// is most of Parse's work on a module full of functions.
func ParseImports(src []byte) *Module { return parse(src, true) }

func parse(src []byte, importsOnly bool) *Module {
	m := &Module{}
	p := parser{src: src, m: m}
	ls := lines(src)
	var stack []block
	var decorators []string
	decoStart := -1
	var openDefs []*Def // defs/classes whose body may continue, to extend their ranges
	for li := range ls {
		ln := &ls[li]
		for len(stack) > 0 && ln.indent <= stack[len(stack)-1].indent {
			stack = stack[:len(stack)-1]
		}
		p.toks = ln.toks
		for len(openDefs) > 0 && ln.indent <= openDefs[len(openDefs)-1].Indent {
			openDefs = openDefs[:len(openDefs)-1]
		}
		for _, d := range openDefs {
			d.Range.End = int(ln.toks[len(ln.toks)-1].end)
		}
		inClass := len(stack) > 0 && stack[len(stack)-1].kind == 'c'
		var cls *Def
		if inClass {
			cls = stack[len(stack)-1].class
			if cls != nil && cls.BodyIndent < 0 {
				cls.BodyIndent = ln.indent
			}
		}
		topLevel := len(stack) == 0
		conditional, inDef, typeChecking, nested := false, false, false, false
		for _, b := range stack {
			switch b.kind {
			case 'i':
				conditional = true
			case 't':
				conditional, typeChecking = true, true
			case 'd':
				inDef = true
			case 'c':
				nested = true
			}
		}
		// Definitions are collected at module level (also under if/try) and
		// directly in a class body.
		defLevel := !inDef && (!nested || inClass && len(stack) > 0 && allBut(stack, 'c'))
		first := p.word(0)
		if importsOnly {
			// The same blocks as below, without reading what they define.
			switch {
			case first == "def" || first == "async" && p.word(1) == "def":
				if p.endsWithColon() {
					stack = append(stack, block{indent: ln.indent, kind: 'd'})
				}
				continue
			case first == "class":
				if p.endsWithColon() {
					stack = append(stack, block{indent: ln.indent, kind: 'c'})
				}
				continue
			case first != "from" && first != "import" && first != "if" && first != "elif" &&
				first != "else" && first != "try" && first != "except" && first != "finally" &&
				first != "with" && first != "for" && first != "while" && first != "match" && first != "case" &&
				first != "async":
				continue
			}
		}
		switch {
		case p.isOp(0, '@'):
			if decoStart < 0 {
				decoStart = int(ln.toks[0].start)
			}
			if name := p.dotted(1); name != "" && len(decorators) < 64 {
				decorators = append(decorators, name)
			}
			continue
		case first == "def" || first == "async" && p.word(1) == "def":
			off := 1
			if first == "async" {
				off = 2
			}
			d := p.def(off, ln.indent)
			d.Async = first == "async"
			d.Decorators = decorators
			if decoStart >= 0 {
				d.Range.Start = decoStart
			}
			d.Conditional = conditional
			if d.Name != "" && defLevel {
				p.addDef(d, cls, inClass)
				if d.Name == "__getattr__" && !inClass {
					m.Getattr = true
				}
				openDefs = append(openDefs, d)
			}
			if p.endsWithColon() {
				stack = append(stack, block{indent: ln.indent, kind: 'd'})
			}
		case first == "class":
			d := p.class(ln.indent)
			d.Decorators = decorators
			if decoStart >= 0 {
				d.Range.Start = decoStart
			}
			d.Conditional = conditional
			if d.Name != "" && defLevel {
				p.addDef(d, cls, inClass)
				openDefs = append(openDefs, d)
			}
			if p.endsWithColon() {
				var c *Def
				if d.Name != "" && defLevel {
					c = d
				}
				stack = append(stack, block{indent: ln.indent, kind: 'c', class: c})
			}
		case first == "from" || first == "import":
			if inDef || inClass {
				break
			}
			imp := p.importStmt()
			imp.TopLevel = topLevel
			imp.TypeChecking = typeChecking
			if len(m.Imports) < maxDefs {
				m.Imports = append(m.Imports, imp)
			}
		case first == "if" || first == "elif":
			kind := byte('i')
			if first == "if" && (p.word(1) == "TYPE_CHECKING" || p.word(1) == "typing" && p.isOp(2, '.') && p.word(3) == "TYPE_CHECKING") {
				kind = 't'
			}
			if first == "elif" {
				kind = 'i'
			}
			if p.endsWithColon() {
				stack = append(stack, block{indent: ln.indent, kind: kind})
			}
		case first == "else" || first == "try" || first == "except" || first == "finally" ||
			first == "with" || first == "for" || first == "while" || first == "match" || first == "case" ||
			first == "async" && (p.word(1) == "with" || p.word(1) == "for"):
			if p.endsWithColon() {
				stack = append(stack, block{indent: ln.indent, kind: 'i'})
			}
		default:
			if first != "" && !inDef && defLevel && !importsOnly {
				p.assignment(cls, inClass, conditional, ln.indent)
			}
		}
		decorators = nil
		decoStart = -1
	}
	m.index()
	return m
}

// allBut reports whether every open block but the innermost is an if-like block
// (a class directly at module level or under if/try).
func allBut(stack []block, _ byte) bool {
	for _, b := range stack[:len(stack)-1] {
		if b.kind != 'i' && b.kind != 't' {
			return false
		}
	}
	return true
}

type parser struct {
	src  []byte
	m    *Module
	toks []token
}

func (p *parser) addDef(d *Def, cls *Def, inClass bool) {
	if inClass {
		if cls != nil && len(cls.Members) < maxDefs {
			cls.Members = append(cls.Members, d)
		}
		return
	}
	if len(p.m.Defs) < maxDefs {
		p.m.Defs = append(p.m.Defs, d)
	}
}

func (p *parser) text(t token) string { return string(p.src[t.start:t.end]) }

func (p *parser) word(i int) string {
	if i < len(p.toks) && p.toks[i].kind == tName {
		return p.text(p.toks[i])
	}
	return ""
}

func (p *parser) isOp(i int, c byte) bool {
	if i >= len(p.toks) || p.toks[i].kind != tOp {
		return false
	}
	t := p.toks[i]
	return t.end-t.start == 1 && p.src[t.start] == c
}

func (p *parser) isOpStr(i int, s string) bool {
	return i < len(p.toks) && p.toks[i].kind == tOp && p.text(p.toks[i]) == s
}

func (p *parser) endsWithColon() bool {
	return len(p.toks) > 0 && p.isOp(len(p.toks)-1, ':')
}

// dotted reads a.b.c starting at token i.
func (p *parser) dotted(i int) string {
	var b strings.Builder
	for i < len(p.toks) && p.toks[i].kind == tName {
		b.WriteString(p.text(p.toks[i]))
		// A dot continues the name only when a name follows it ("from A."
		// is A and a stray dot, so callers can count the name's tokens).
		if !p.isOp(i+1, '.') || i+2 >= len(p.toks) || p.toks[i+2].kind != tName {
			break
		}
		b.WriteByte('.')
		i += 2
	}
	return b.String()
}

// topLevel returns the index of the first one-character operator sep in
// tokens [i, end) outside brackets, or end.
func (p *parser) topLevel(i, end int, sep byte) int {
	depth := 0
	for j := i; j < end; j++ {
		if p.toks[j].kind != tOp || p.toks[j].end-p.toks[j].start != 1 {
			continue
		}
		switch c := p.src[p.toks[j].start]; c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case sep:
			if depth == 0 {
				return j
			}
		}
	}
	return end
}

// closing returns the index of the bracket closing the one at i, or len(toks).
func (p *parser) closing(i int) int {
	depth := 0
	for j := i; j < len(p.toks); j++ {
		if p.toks[j].kind != tOp || p.toks[j].end-p.toks[j].start != 1 {
			continue
		}
		switch p.src[p.toks[j].start] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(p.toks)
}

// def reads `def name(params) -> ret:` with the name at token off.
func (p *parser) def(off, indent int) *Def {
	d := &Def{Kind: Func, Indent: indent, BodyIndent: -1}
	if len(p.toks) > 0 {
		d.Range = Range{Start: int(p.toks[0].start), End: int(p.toks[len(p.toks)-1].end)}
	}
	if off >= len(p.toks) || p.toks[off].kind != tName {
		return d
	}
	d.Name, d.NameRange = p.text(p.toks[off]), rng(p.toks[off])
	i := off + 1
	if p.isOp(i, '[') { // PEP 695 type parameters
		i = p.closing(i) + 1
	}
	if !p.isOp(i, '(') {
		d.BadParams = true
		return d
	}
	end := p.closing(i)
	d.Params, d.BadParams = p.params(i+1, end)
	if p.isOpStr(end+1, "->") {
		j := end + 2
		k := j
		for k < len(p.toks) && !(p.isOp(k, ':') && k == len(p.toks)-1) {
			k++
		}
		if j < len(p.toks) && k > j {
			d.Returns = string(p.src[p.toks[j].start:p.toks[k-1].end])
		}
	}
	return d
}

// params splits tokens [i, end) at depth-0 commas.
func (p *parser) params(i, end int) ([]Param, bool) {
	var out []Param
	kind := PosOrKw
	bad := false
	for i < end && i < len(p.toks) {
		// one element: up to a depth-0 comma
		j := p.topLevel(i, end, ',')
		el := p.toks[i:j]
		switch {
		case len(el) == 0:
		case p.isOp(i, '/') && len(el) == 1:
			for k := range out {
				if out[k].Kind == PosOrKw {
					out[k].Kind = PosOnly
				}
			}
		case p.isOp(i, '*') && len(el) == 1:
			kind = KwOnly
		case p.isOp(i, '*') && el[1].kind == tName:
			out = append(out, p.param(i+1, j, VarArgs))
			kind = KwOnly
		case p.isOpStr(i, "**") && len(el) > 1 && el[1].kind == tName:
			out = append(out, p.param(i+1, j, VarKw))
		case el[0].kind == tName:
			out = append(out, p.param(i, j, kind))
		default:
			bad = true
		}
		i = j + 1
		if len(out) > 1<<12 {
			return out, true
		}
	}
	// PEP 484: parameters named __x (not dunder) before any other are positional-only.
	for k := range out {
		n := out[k].Name
		if out[k].Kind == PosOrKw && strings.HasPrefix(n, "__") && !strings.HasSuffix(n, "__") {
			out[k].Kind = PosOnly
			continue
		}
		if k == 0 && (n == "self" || n == "cls") {
			continue
		}
		break
	}
	return out, bad
}

// param reads `name[: ann][= default]` in tokens [i, j).
func (p *parser) param(i, j int, kind ParamKind) Param {
	t := p.toks[i]
	pr := Param{Name: p.text(t), Kind: kind, Range: rng(t)}
	k := i + 1
	if k < j && p.isOp(k, ':') {
		s := k + 1
		e := p.topLevel(s, j, '=')
		if e > s {
			pr.Annotation = string(p.src[p.toks[s].start:p.toks[e-1].end])
		}
		k = e
	}
	if k < j && p.isOp(k, '=') {
		pr.HasDefault = true
	}
	return pr
}

// class reads `class Name(bases):`.
func (p *parser) class(indent int) *Def {
	d := &Def{Kind: Class, Indent: indent, BodyIndent: -1}
	if len(p.toks) > 0 {
		d.Range = Range{Start: int(p.toks[0].start), End: int(p.toks[len(p.toks)-1].end)}
	}
	if len(p.toks) < 2 || p.toks[1].kind != tName {
		return d
	}
	d.Name, d.NameRange = p.text(p.toks[1]), rng(p.toks[1])
	i := 2
	if p.isOp(i, '[') {
		i = p.closing(i) + 1
	}
	if p.isOp(i, '(') {
		end := p.closing(i)
		s := i + 1
		depth := 0
		for k := i + 1; k <= end && k < len(p.toks); k++ {
			isComma := p.isOp(k, ',') && depth == 0
			if p.toks[k].kind == tOp && p.toks[k].end-p.toks[k].start == 1 {
				switch p.src[p.toks[k].start] {
				case '(', '[', '{':
					depth++
				case ')', ']', '}':
					depth--
				}
			}
			if isComma || k == end {
				if k > s && len(d.Bases) < 64 {
					d.Bases = append(d.Bases, string(p.src[p.toks[s].start:p.toks[k-1].end]))
				}
				s = k + 1
			}
		}
	}
	return d
}

// importStmt reads `from X import ...` or `import X`.
func (p *parser) importStmt() Import {
	imp := Import{Range: Range{Start: int(p.toks[0].start), End: int(p.toks[len(p.toks)-1].end)}}
	if p.word(0) == "import" {
		i := 1
		for i < len(p.toks) {
			st := i
			name := p.dotted(i)
			if name == "" {
				break
			}
			i += 2*strings.Count(name, ".") + 1
			n := ImportName{Name: name, Range: Range{Start: int(p.toks[st].start), End: int(p.toks[i-1].end)}}
			if p.word(i) == "as" && i+1 < len(p.toks) {
				n.As = p.word(i + 1)
				i += 2
			}
			imp.Names = append(imp.Names, n)
			if !p.isOp(i, ',') {
				break
			}
			i++
		}
		return imp
	}
	imp.From = true
	i := 1
	for i < len(p.toks) && p.isOp(i, '.') {
		imp.Level++
		i++
	}
	if mod := p.dotted(i); mod != "" && mod != "import" && !strings.HasPrefix(mod, "import.") {
		imp.Module = mod
		st := i
		i += 2*strings.Count(mod, ".") + 1
		imp.ModuleRange = Range{Start: int(p.toks[st].start), End: int(p.toks[i-1].end)}
	}
	if p.word(i) != "import" {
		return imp
	}
	i++
	if p.isOpStr(i, "*") {
		imp.Star = true
		imp.StarRange = rng(p.toks[i])
		return imp
	}
	if p.isOp(i, '(') {
		i++
	}
	for i < len(p.toks) && p.toks[i].kind == tName {
		n := ImportName{Name: p.text(p.toks[i]), Range: rng(p.toks[i])}
		i++
		if p.word(i) == "as" && i+1 < len(p.toks) {
			n.As = p.word(i + 1)
			i += 2
		}
		if len(imp.Names) < maxDefs {
			imp.Names = append(imp.Names, n)
		}
		if !p.isOp(i, ',') {
			break
		}
		i++
	}
	return imp
}

// assignment reads NAME = ..., NAME: T = ..., and __all__ forms.
func (p *parser) assignment(cls *Def, inClass, conditional bool, indent int) {
	if len(p.toks) == 0 || p.toks[0].kind != tName {
		return
	}
	name := p.text(p.toks[0])
	m := p.m
	if name == "__all__" && !inClass {
		switch {
		case p.isOp(1, '=') || p.isOp(1, ':') || p.isOpStr(1, "+") && p.isOp(2, '='):
			if p.isOp(1, '=') || p.isOp(1, ':') {
				if m.HasAll && !conditional {
					m.All, m.AllRanges = nil, nil
				}
			}
			m.HasAll = true
			start := 2
			if p.isOp(1, ':') {
				// __all__: list[str] = [...]
				start = len(p.toks)
				for k := 2; k < len(p.toks); k++ {
					if p.isOp(k, '=') {
						start = k + 1
						break
					}
				}
			} else if p.isOpStr(1, "+") {
				start = 3
			}
			p.allList(start)
		case p.isOp(1, '.') && (p.word(2) == "extend" || p.word(2) == "append") && p.isOp(3, '('):
			m.HasAll = true
			p.allList(4)
		default:
			m.AllDynamic = true
		}
		return
	}
	if !(p.isOp(1, '=') || p.isOp(1, ':')) || p.isOp(2, '=') {
		return
	}
	d := &Def{Kind: Var, Name: name, NameRange: rng(p.toks[0]), Indent: indent, BodyIndent: -1,
		Range: Range{Start: int(p.toks[0].start), End: int(p.toks[len(p.toks)-1].end)}, Conditional: conditional}
	if p.isOp(1, ':') {
		e := len(p.toks)
		for k := 2; k < len(p.toks); k++ {
			if p.isOp(k, '=') {
				e = k
				break
			}
		}
		if e > 2 {
			d.Returns = string(p.src[p.toks[2].start:p.toks[e-1].end])
		}
	}
	p.addDef(d, cls, inClass)
}

// allList reads string literals of a list/tuple starting at token i; any
// other element makes __all__ dynamic.
func (p *parser) allList(i int) {
	m := p.m
	if i >= len(p.toks) {
		m.AllDynamic = true
		return
	}
	if p.isOp(i, '[') || p.isOp(i, '(') {
		i++
	}
	for ; i < len(p.toks); i++ {
		t := p.toks[i]
		switch {
		case t.kind == tString:
			if v, ok := literal(p.src[t.start:t.end]); ok {
				if len(m.All) < maxDefs {
					m.All = append(m.All, v)
					m.AllRanges = append(m.AllRanges, rng(t))
				}
			} else {
				m.AllDynamic = true
			}
		case p.isOp(i, ',') || p.isOp(i, ']') || p.isOp(i, ')'):
		default:
			m.AllDynamic = true
			return
		}
	}
}

// literal returns the value of a simple string literal without escapes.
func literal(b []byte) (string, bool) {
	if len(b) < 2 {
		return "", false
	}
	q := b[0]
	if q != '\'' && q != '"' || b[len(b)-1] != q {
		return "", false
	}
	v := b[1 : len(b)-1]
	for _, c := range v {
		if c == '\\' || c == q {
			return "", false
		}
	}
	return string(v), true
}

func rng(t token) Range { return Range{Start: int(t.start), End: int(t.end)} }
