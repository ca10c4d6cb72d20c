package rustsrc

import (
	"bytes"
	"strings"
)

// This file finds what a PyO3 extension makes visible to Python: the
// #[pyfunction]s and #[pyclass]es with their Python names and signatures,
// the members of #[pymethods] blocks, and what each #[pymodule] adds to its
// module. It is a second token pass over the file (ScanPy), kept apart from
// Scan's hot loop; it never panics and runs in linear time.
//
// A module's export list is only a list of Rust references (function and
// class identifiers, literal constant names); resolving them to Python names
// across files is the caller's job (package boundary). Whenever the body of a
// module does something the scanner cannot follow (a computed name, a macro
// that receives the module, include!, a helper function that receives the
// module, a loop), the module is marked Open: rules that need the complete
// set stay quiet.

// ParamKind is how a Python parameter is passed.
type ParamKind uint8

const (
	PosOrKw ParamKind = iota // ordinary parameter
	PosOnly                  // before a `/`
	KwOnly                   // after `*` or `*args`
	VarArgs                  // *args
	VarKw                    // **kwargs
)

// Param is one Python-visible parameter.
type Param struct {
	Name       string
	Kind       ParamKind
	HasDefault bool
	Default    string // the Rust default expression's text (signature attribute only)
	// MaybeDefault: a trailing Option<T> parameter without a signature
	// attribute; older PyO3 versions give it an implicit None default.
	MaybeDefault bool
	Range        Range
}

// Signature is the Python-visible signature of a function or method.
type Signature struct {
	Params   []Param
	FromAttr bool // from #[pyo3(signature = (...))]
	// Unknown is true when the parameters could not be read (a pattern
	// parameter, a signature option that did not parse).
	Unknown bool
	Range   Range // the signature option's parenthesised list, else the Rust parameter list
	// TextSig is the literal of #[pyo3(text_signature = "...")] (what
	// __text_signature__, inspect.signature and stubtest see), "" if unset.
	TextSig string
}

// PyFunction is a #[pyfunction] (or an old-style #[pyfn(m)] inside a module function).
type PyFunction struct {
	Ident      string // Rust identifier (r# removed)
	IdentRange Range
	Start      int    // start of the item (its first attribute)
	Name       string // Python name: name option or Ident
	NameRange  Range  // the name option's literal, zero if unset
	Sig        Signature
	RustSig    Range // `fn name(...) -> T` up to the body or ';'
	// Module is the IdentRange.Start of the #[pymodule] mod whose body
	// directly holds it (declarative modules export such items), else -1.
	Module int
	// PyFnModule is the IdentRange.Start of the #[pymodule] fn whose body
	// holds it as #[pyfn(m)] (it is added to that module), else -1.
	PyFnModule int
	Cfg        bool
}

// MemberKind is the kind of a class member.
type MemberKind uint8

const (
	Method MemberKind = iota + 1
	New
	Getter
	Setter
	StaticMethod
	ClassMethod
	ClassAttr
	FieldAttr // a struct field with #[pyo3(get/set)] or get_all/set_all
	Variant   // an enum variant (a class attribute)
)

func (k MemberKind) String() string {
	switch k {
	case Method:
		return "method"
	case New:
		return "constructor"
	case Getter:
		return "getter"
	case Setter:
		return "setter"
	case StaticMethod:
		return "staticmethod"
	case ClassMethod:
		return "classmethod"
	case ClassAttr:
		return "class attribute"
	case FieldAttr:
		return "field"
	case Variant:
		return "enum variant"
	}
	return "member"
}

// Member is one Python-visible member of a class.
type Member struct {
	Kind       MemberKind
	Ident      string
	IdentRange Range
	Start      int
	Name       string // Python name (`__new__` for #[new])
	Sig        Signature
	RustSig    Range
	Cfg        bool
}

// PyClass is a #[pyclass] struct or enum.
type PyClass struct {
	Ident      string
	IdentRange Range
	Start      int
	Name       string
	NameRange  Range
	Enum       bool
	Module     int // like PyFunction.Module
	Cfg        bool
	// Open: the class gets members the scanner cannot list (extends = a
	// base class, dict, a field list it could not read).
	Open    bool
	Members []Member // fields with get/set, enum variants
}

// PyMethods is one #[pymethods] impl block.
type PyMethods struct {
	Type      string // the implemented type's identifier
	TypeRange Range
	Members   []Member
	Open      bool // holds a macro invocation that may add members
}

// ExportKind is the kind of an entry a module adds.
type ExportKind uint8

const (
	ExpFunction  ExportKind = iota + 1 // Ident names a #[pyfunction]
	ExpClass                           // Ident names a #[pyclass]
	ExpConst                           // Name is the literal attribute name
	ExpSubmodule                       // Ident names a #[pymodule], or Name is a PyModule::new literal
	ExpUse                             // #[pymodule_export] use: Ident is a function, class or module
)

// Export is one thing a #[pymodule] adds to its module.
type Export struct {
	Kind  ExportKind
	Ident string // Rust identifier (last path segment) of the item
	Name  string // the Python name when the source gives it literally
	Range Range  // where it is added (the identifier or literal)
	Cfg   bool
}

// ModuleExports is what one #[pymodule] adds.
type ModuleExports struct {
	IdentStart int // Module.IdentRange.Start of the #[pymodule] item
	Exports    []Export
	Open       bool
	OpenReason string
	OpenRange  Range
}

// Py is what ScanPy found.
type Py struct {
	Functions []PyFunction
	Classes   []PyClass
	Methods   []PyMethods
	Modules   []ModuleExports
	// MacroIdents holds identifiers passed to item-level macro invocations
	// (they may generate #[pymethods] for those types), capped.
	MacroIdents map[string]bool
}

// ModuleExports returns the exports of the #[pymodule] whose identifier starts at off.
func (p *Py) ModuleExportsAt(off int) *ModuleExports {
	if p == nil {
		return nil
	}
	for i := range p.Modules {
		if p.Modules[i].IdentStart == off {
			return &p.Modules[i]
		}
	}
	return nil
}

var pyMarkers = [][]byte{[]byte("pyfunction"), []byte("pyclass"), []byte("pymethods"), []byte("pymodule"), []byte("pyfn")}

// ScanPy scans a Rust file for Python-visible items. Files that mention no
// PyO3 item attribute are skipped at the cost of a substring search.
func ScanPy(src []byte) *Py {
	out := &Py{}
	found := false
	for _, m := range pyMarkers {
		if bytes.Contains(src, m) {
			found = true
			break
		}
	}
	if !found {
		return out
	}
	if len(src) > 1<<31-1 {
		src = src[:1<<31-1]
	}
	s := &pyScanner{src: src, lx: newLexer(src), out: out}
	s.run()
	return out
}

// frame kinds
const (
	frOther     = iota
	frModMod    // #[pymodule] mod body
	frModFn     // #[pymodule] fn (or #[pymodule_init] fn) body
	frMethods   // #[pymethods] impl body
	frPlainMod  // a plain mod body
	frFnBody    // any other fn body
	frItemBlock // struct/enum/trait body etc
)

type pyFrame struct {
	kind  int
	depth int // brace depth inside the body
	mod   int // ModuleExports index for frModMod/frModFn
	meth  int // Methods index for frMethods
	param string
	// let tracking in module fn bodies
	lastLet string
	letName map[string]string
	pend    bool // a #[cfg] attribute is pending for the next statement
}

// pyAttrs are the attributes collected before an item.
type pyAttrs struct {
	any                                      bool
	start                                    int
	pyfunction, pyclass, pymethods, pymodule bool
	pyfn                                     bool
	export, init                             bool
	isNew, getter, setter                    bool
	static, classmethod, classattr           bool
	cfg                                      bool
	name                                     string
	nameRange                                Range
	accessorName                             string // #[getter(x)]
	sig                                      *Signature
	sigBad                                   bool
	textSig                                  string
	extends, dict, getAll, setAll            bool
	get, set                                 bool // field #[pyo3(get, set)]
}

type pyScanner struct {
	src    []byte
	lx     *lexer
	out    *Py
	depth  int
	frames []pyFrame
	a      pyAttrs
	// the last two consumed tokens (prev2 zero = start of file)
	prev, prev2 token
	// ordinary receiver parameters are left out of method signatures
}

func (s *pyScanner) next() token {
	t := s.lx.next()
	s.prev2, s.prev = s.prev, t
	return t
}

// afterItemBoundary reports whether the token before the last consumed one
// ends an item or opens a body (so the last token starts an item).
func (s *pyScanner) afterItemBoundary() bool {
	t := s.prev2
	return t.kind() == tEOF || t.isPunct(';') || t.isPunct('{') || t.isPunct('}') || t.isPunct(']')
}
func (s *pyScanner) peek() token { return s.lx.peek() }
func (s *pyScanner) text(t token) string {
	return string(s.src[t.vStart():t.vEnd])
}
func (s *pyScanner) word(t token) string { return string(s.src[t.start:t.end]) }

func (s *pyScanner) top() *pyFrame {
	if n := len(s.frames); n > 0 {
		return &s.frames[n-1]
	}
	return nil
}

// direct returns the innermost frame when the current position is directly
// in its body (not in a nested block).
func (s *pyScanner) direct() *pyFrame {
	if f := s.top(); f != nil && f.depth == s.depth {
		return f
	}
	return nil
}

// modFnFrame returns the innermost module-function frame enclosing the position.
func (s *pyScanner) modFnFrame() *pyFrame {
	for i := len(s.frames) - 1; i >= 0; i-- {
		switch s.frames[i].kind {
		case frModFn:
			return &s.frames[i]
		case frFnBody, frModMod, frMethods, frPlainMod:
			return nil
		}
	}
	return nil
}

func (s *pyScanner) resetAttrs() {
	if s.a.any {
		s.a = pyAttrs{}
	}
}

const maxPyFrames = 256

func (s *pyScanner) push(f pyFrame) {
	s.depth++
	f.depth = s.depth
	if len(s.frames) < maxPyFrames {
		s.frames = append(s.frames, f)
	}
}

func (s *pyScanner) run() {
	for {
		t := s.next()
		switch t.kind() {
		case tEOF:
			return
		case tPunct:
			switch t.punct() {
			case '#':
				inner := s.peek().isPunct('!')
				if inner {
					s.next()
				}
				if s.peek().isPunct('[') {
					s.next()
					if inner {
						closeGroup(s)
					} else {
						s.attribute(int(t.start))
					}
					continue
				}
				s.resetAttrs()
			case '{':
				s.depth++
				s.resetAttrs()
			case '}':
				if s.depth > 0 {
					if f := s.top(); f != nil && f.depth == s.depth {
						s.frames = s.frames[:len(s.frames)-1]
					}
					s.depth--
				}
				s.resetAttrs()
			case ';':
				if f := s.modFnFrame(); f != nil {
					f.pend = false
				}
				s.resetAttrs()
			default:
				s.resetAttrs()
			}
		case tIdent:
			if t.raw() {
				s.bodyIdent(t)
				s.resetAttrs()
				continue
			}
			switch s.word(t) {
			case "pub":
				if s.peek().isPunct('(') {
					s.next()
					closeGroup(s)
				}
			case "unsafe", "async", "const", "extern", "default", "safe":
				if s.word(t) == "const" {
					if s.constItem() {
						continue
					}
				}
				if s.word(t) == "extern" && s.peek().kind() == tStr {
					s.next()
				}
			case "fn":
				s.fnItem()
				s.resetAttrs()
			case "mod":
				s.modItem()
				s.resetAttrs()
			case "impl":
				s.implItem()
				s.resetAttrs()
			case "struct", "enum", "union":
				s.typeItem(s.word(t) == "enum")
				s.resetAttrs()
			case "use":
				s.useItem()
				s.resetAttrs()
			default:
				s.bodyIdent(t)
				s.resetAttrs()
			}
		default:
			s.resetAttrs()
		}
	}
}

// open marks the module of frame f open.
func (s *pyScanner) open(f *pyFrame, reason string, r Range) {
	if f == nil || f.mod < 0 || f.mod >= len(s.out.Modules) {
		return
	}
	m := &s.out.Modules[f.mod]
	if !m.Open {
		m.Open, m.OpenReason, m.OpenRange = true, reason, r
	}
}

func (s *pyScanner) addExport(f *pyFrame, e Export) {
	if f == nil || f.mod < 0 || f.mod >= len(s.out.Modules) {
		return
	}
	if f.pend {
		e.Cfg = true
	}
	m := &s.out.Modules[f.mod]
	if len(m.Exports) < 100000 {
		m.Exports = append(m.Exports, e)
	}
}

// bodyIdent handles an identifier that is not an item keyword: inside a
// module function it may be the module, a macro, a loop or a `let`.
func (s *pyScanner) bodyIdent(t token) {
	w := s.word(t)
	if s.peek().isPunct('!') && !t.raw() {
		s.macroCall(t)
		return
	}
	f := s.modFnFrame()
	if f == nil {
		return
	}
	switch w {
	case "for", "while", "loop":
		s.open(f, "a loop adds to the module", t.rng())
		return
	case "let":
		n := s.peek()
		if n.kind() == tIdent && s.word(n) == "mut" {
			s.next()
			n = s.peek()
		}
		if n.kind() == tIdent {
			s.next()
			f.lastLet = s.text(n)
		}
		return
	case "PyModule":
		// PyModule::new(py, "name") / new_bound: remember the name for a later add_submodule.
		if s.peek().isPunct(':') {
			s.next()
			if s.peek().isPunct(':') {
				s.next()
				fn := s.peek()
				if fn.kind() == tIdent && strings.HasPrefix(s.word(fn), "new") {
					s.next()
					if s.peek().isPunct('(') {
						s.next()
						lit := s.firstLiteral()
						if lit != "" && f.lastLet != "" {
							if f.letName == nil {
								f.letName = map[string]string{}
							}
							if len(f.letName) < 1000 {
								f.letName[f.lastLet] = lit
							}
						}
					}
				}
			}
		}
		return
	}
	if f.param == "" || s.text(t) != f.param {
		return
	}
	// The module itself: only known method calls keep the set closed.
	if s.a.cfg {
		f.pend = true
	}
	if !s.peek().isPunct('.') {
		s.open(f, "the module is passed on or used in an expression", t.rng())
		return
	}
	s.next()
	mt := s.peek()
	if mt.kind() != tIdent {
		s.open(f, "the module is used in an expression", t.rng())
		return
	}
	s.next()
	method := s.word(mt)
	switch method {
	case "py", "name", "gil_used", "getattr", "hasattr", "filename", "as_any", "as_ref", "as_borrowed":
		return
	case "add_class":
		// add_class::<T>()
		if s.peek().isPunct(':') {
			s.next()
			if s.peek().isPunct(':') {
				s.next()
				if s.peek().isPunct('<') {
					s.next()
					id, r := s.typePathLast('>')
					if id != "" {
						s.addExport(f, Export{Kind: ExpClass, Ident: id, Range: r})
						return
					}
				}
			}
		}
		s.open(f, "add_class without a type", mt.rng())
	case "add_function", "add_wrapped":
		if !s.peek().isPunct('(') {
			s.open(f, "unrecognised "+method, mt.rng())
			return
		}
		s.next()
		e, ok := s.wrapArg()
		if !ok {
			s.open(f, method+" of a value the scanner cannot follow", mt.rng())
			return
		}
		s.addExport(f, e)
	case "add", "setattr":
		if !s.peek().isPunct('(') {
			s.open(f, "unrecognised "+method, mt.rng())
			return
		}
		s.next()
		v := s.peek()
		if v.kind() == tStr && v.plain() {
			s.next()
			if s.peek().isPunct(',') {
				s.addExport(f, Export{Kind: ExpConst, Name: s.text(v), Range: v.rng()})
				closeGroup(s)
				return
			}
		}
		s.open(f, "a name computed at run time", mt.rng())
		closeGroup(s)
	case "add_submodule":
		if !s.peek().isPunct('(') {
			s.open(f, "unrecognised add_submodule", mt.rng())
			return
		}
		s.next()
		if s.peek().isPunct('&') {
			s.next()
		}
		a := s.peek()
		if a.kind() == tIdent {
			s.next()
			if s.peek().isPunct(')') {
				if name, ok := f.letName[s.text(a)]; ok {
					s.next()
					s.addExport(f, Export{Kind: ExpSubmodule, Name: name, Range: a.rng()})
					return
				}
			}
		}
		s.open(f, "a submodule whose name the scanner cannot read", mt.rng())
		closeGroup(s)
	default:
		s.open(f, "the module's "+method+" method", mt.rng())
	}
}

// wrapArg reads the argument of add_function(...)/add_wrapped(...) after
// the '(' and consumes through the ')': wrap_pyfunction!(path, ..) or
// wrap_pymodule!(path).
func (s *pyScanner) wrapArg() (Export, bool) {
	t := s.peek()
	if t.kind() != tIdent || t.raw() {
		closeGroup(s)
		return Export{}, false
	}
	s.next()
	w := s.word(t)
	kind := ExportKind(0)
	switch w {
	case "wrap_pyfunction", "wrap_pyfunction_bound":
		kind = ExpFunction
	case "wrap_pymodule":
		kind = ExpSubmodule
	}
	if kind == 0 || !s.peek().isPunct('!') {
		closeGroup(s)
		return Export{}, false
	}
	s.next()
	if o := s.peek(); !(o.isPunct('(') || o.isPunct('[') || o.isPunct('{')) {
		closeGroup(s)
		return Export{}, false
	}
	s.next()
	id, r := s.typePathLast(',')
	closeGroup(s) // the macro's group (typePathLast stops before ',' or ')')
	closeGroup(s) // the call's group
	if id == "" {
		return Export{}, false
	}
	return Export{Kind: kind, Ident: id, Range: r}, true
}

// typePathLast reads a path like a::b::C (with an optional leading ::) and
// returns its last segment; it stops before stop, ')' or any other token
// (generic arguments make it fail). For stop '>' it consumes the '>'.
func (s *pyScanner) typePathLast(stop byte) (string, Range) {
	if s.peek().isPunct(':') {
		s.next()
		if s.peek().isPunct(':') {
			s.next()
		}
	}
	var last token
	ok := false
	for {
		t := s.peek()
		if t.kind() != tIdent {
			break
		}
		s.next()
		last, ok = t, true
		if !s.peek().isPunct(':') {
			break
		}
		s.next()
		if !s.peek().isPunct(':') {
			return "", Range{}
		}
		s.next()
	}
	if !ok {
		return "", Range{}
	}
	n := s.peek()
	if n.isPunct(stop) || n.isPunct(')') || n.isPunct(',') {
		if stop == '>' && n.isPunct('>') {
			s.next()
		}
		return s.text(last), last.vrng()
	}
	return "", Range{}
}

// firstLiteral returns the first plain string literal at the top level of
// the group just opened, and consumes the group.
func (s *pyScanner) firstLiteral() string {
	depth := 1
	lit := ""
	for {
		t := s.next()
		switch t.kind() {
		case tEOF:
			return lit
		case tStr:
			if lit == "" && depth == 1 && t.plain() {
				lit = s.text(t)
			}
		case tPunct:
			switch t.punct() {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				depth--
				if depth == 0 {
					return lit
				}
			}
		}
	}
}

const maxMacroIdents = 4096

// macroCall handles `name!` (the '!' not yet consumed).
func (s *pyScanner) macroCall(t token) {
	w := s.word(t)
	startsItem := s.afterItemBoundary()
	s.next() // '!'
	o := s.peek()
	if !(o.isPunct('(') || o.isPunct('[') || o.isPunct('{')) {
		return // e.g. `macro_rules! name`
	}
	if w == "macro_rules" {
		return
	}
	s.next()
	f := s.modFnFrame()
	d := s.direct()
	itemLevel := startsItem && (len(s.frames) == 0 && s.depth == 0 || d != nil && (d.kind == frModMod || d.kind == frMethods || d.kind == frPlainMod))
	if w == "include" {
		if d != nil && d.kind == frModMod {
			s.open(d, "include! may add items", t.rng())
		} else if f != nil {
			s.open(f, "include! may add to the module", t.rng())
		} else if d != nil && d.kind == frMethods && d.meth < len(s.out.Methods) {
			s.out.Methods[d.meth].Open = true
		}
	}
	// Walk the group: collect identifiers; note whether the module appears.
	depth := 1
	usesModule := false
	for {
		x := s.next()
		if x.kind() == tEOF {
			break
		}
		if x.kind() == tIdent {
			if f != nil && f.param != "" && s.text(x) == f.param {
				usesModule = true
			}
			if itemLevel {
				if s.out.MacroIdents == nil {
					s.out.MacroIdents = map[string]bool{}
				}
				if len(s.out.MacroIdents) < maxMacroIdents {
					s.out.MacroIdents[s.text(x)] = true
				}
			}
			continue
		}
		if x.kind() != tPunct {
			continue
		}
		switch x.punct() {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	// wrap_pyfunction!(f, m) and wrap_pymodule! only build the object; an
	// add of it that the scanner cannot follow opens the set there.
	if usesModule && w != "wrap_pyfunction" && w != "wrap_pyfunction_bound" && w != "wrap_pymodule" {
		s.open(f, "the macro "+w+"! receives the module", t.rng())
	}
	if itemLevel && d != nil {
		switch d.kind {
		case frModMod:
			s.open(d, "the macro "+w+"! may add items to the module", t.rng())
		case frMethods:
			if d.meth < len(s.out.Methods) {
				s.out.Methods[d.meth].Open = true
			}
		}
	}
}

// attribute parses an outer attribute after "#[".
func (s *pyScanner) attribute(start int) {
	if !s.a.any {
		s.a = pyAttrs{any: true, start: start}
	}
	s.meta(false, 0)
	closeGroup(s)
}

func (s *pyScanner) meta(cond bool, depth int) {
	// path
	if s.peek().isPunct(':') {
		s.next()
		if s.peek().isPunct(':') {
			s.next()
		}
	}
	var last token
	segs := 0
	for {
		t := s.peek()
		if t.kind() != tIdent {
			break
		}
		s.next()
		last = t
		segs++
		if !s.peek().isPunct(':') {
			break
		}
		s.next()
		if s.peek().isPunct(':') {
			s.next()
		}
	}
	if segs == 0 {
		return
	}
	w := s.text(last)
	a := &s.a
	open := s.peek()
	hasGroup := open.isPunct('(') || open.isPunct('[') || open.isPunct('{')
	switch w {
	case "pyfunction":
		a.pyfunction = true
	case "pyclass":
		a.pyclass = true
	case "pymethods":
		a.pymethods = true
	case "pymodule":
		a.pymodule = true
	case "pyfn":
		a.pyfn = true
	case "pymodule_export":
		a.export = true
	case "pymodule_init":
		a.init = true
	case "new":
		a.isNew = true
	case "getter":
		a.getter = true
	case "setter":
		a.setter = true
	case "staticmethod":
		a.static = true
	case "classmethod":
		a.classmethod = true
	case "classattr":
		a.classattr = true
	case "cfg":
		a.cfg = true
		if hasGroup {
			s.next()
			closeGroup(s)
		}
		return
	case "cfg_attr":
		if hasGroup && depth < 8 {
			s.next()
			skipElem(s)
			a.cfg = true
			for s.peek().isPunct(',') {
				s.next()
				if atClose(s) {
					break
				}
				s.meta(true, depth+1)
				skipElem(s)
			}
			closeGroup(s)
			return
		}
	}
	if !hasGroup {
		return
	}
	s.next()
	switch w {
	case "pyfunction", "pyclass", "pyo3", "pymodule", "pyfn", "pymethods":
		s.options()
	case "getter", "setter":
		if t := s.peek(); t.kind() == tIdent {
			s.next()
			a.accessorName = s.text(t)
		} else if t.kind() == tStr && t.plain() {
			s.next()
			a.accessorName = s.text(t)
		}
	}
	closeGroup(s)
}

// options reads name = "...", signature = (...), extends = ..., dict,
// get_all, set_all, get, set.
func (s *pyScanner) options() {
	a := &s.a
	for {
		if atClose(s) {
			return
		}
		k := s.peek()
		if k.kind() == tIdent && !k.raw() {
			s.next()
			key := s.word(k)
			if s.peek().isPunct('=') {
				s.next()
				v := s.peek()
				switch key {
				case "name":
					if v.kind() == tStr && v.plain() {
						s.next()
						a.name, a.nameRange = s.text(v), v.rng()
					} else if v.kind() == tIdent {
						s.next()
						a.name, a.nameRange = s.text(v), v.vrng()
					}
				case "signature":
					if v.isPunct('(') {
						s.next()
						sig := s.sigAttr(int(v.start))
						a.sig = &sig
					}
				case "extends":
					a.extends = true
				case "text_signature":
					if v.kind() == tStr && v.plain() {
						s.next()
						a.textSig = s.text(v)
					}
				}
			} else {
				switch key {
				case "dict":
					a.dict = true
				case "get_all":
					a.getAll = true
				case "set_all":
					a.setAll = true
				case "get":
					a.get = true
				case "set":
					a.set = true
				}
			}
		}
		skipElem(s)
		if s.peek().isPunct(',') {
			s.next()
			continue
		}
		return
	}
}

// sigAttr parses the inside of signature = ( ... ) after the '('; consumes the ')'.
func (s *pyScanner) sigAttr(start int) Signature {
	sig := Signature{FromAttr: true}
	kind := PosOrKw
	var ps []Param
	for {
		if atClose(s) {
			t := s.peek()
			if t.isPunct(')') {
				s.next()
			}
			sig.Range = Range{Start: start, End: int(t.end)}
			break
		}
		t := s.peek()
		switch {
		case t.isPunct('/'):
			s.next()
			for i := range ps {
				if ps[i].Kind == PosOrKw {
					ps[i].Kind = PosOnly
				}
			}
		case t.isPunct('*'):
			s.next()
			if s.peek().isPunct('*') {
				s.next()
				if n := s.peek(); n.kind() == tIdent {
					s.next()
					ps = append(ps, Param{Name: s.text(n), Kind: VarKw, Range: n.rng()})
				} else {
					sig.Unknown = true
				}
			} else if n := s.peek(); n.kind() == tIdent {
				s.next()
				ps = append(ps, Param{Name: s.text(n), Kind: VarArgs, Range: n.rng()})
				kind = KwOnly
			} else {
				kind = KwOnly
			}
		case t.kind() == tIdent:
			s.next()
			p := Param{Name: s.text(t), Kind: kind, Range: t.rng()}
			if s.peek().isPunct('=') {
				s.next()
				ds := int(s.peek().start)
				skipElem(s)
				de := int(s.peek().start)
				p.HasDefault = true
				if de > ds {
					p.Default = strings.TrimSpace(string(s.src[ds:de]))
				}
			}
			ps = append(ps, p)
		default:
			sig.Unknown = true
		}
		skipElem(s)
		if s.peek().isPunct(',') {
			s.next()
		}
		if len(ps) > 10000 {
			sig.Unknown = true
		}
	}
	sig.Params = ps
	return sig
}

// rustParams parses a Rust parameter list after its '(' (consumes the ')')
// into the Python-visible parameters: drops `self` receivers, `py: Python`,
// module and `cls`/PyType parameters and, in methods, a first parameter
// typed with Self (slf: PyRef<Self>...).
func (s *pyScanner) rustParams(method bool) (sig Signature, moduleParam string, n int) {
	open := s.peek()
	sig.Range.Start = int(open.start)
	first := true
	for {
		if atClose(s) {
			t := s.peek()
			if t.isPunct(')') {
				s.next()
			}
			sig.Range.End = int(t.end)
			break
		}
		// attributes on parameters: #[pyo3(from_py_with = ...)]
		for s.peek().isPunct('#') {
			s.next()
			if s.peek().isPunct('[') {
				s.next()
				closeGroup(s)
			}
		}
		t := s.peek()
		pstart := int(t.start)
		// receiver forms: self, &self, &mut self, mut self, &'a self
		name := ""
		var nameTok token
		isSelf := false
		j := 0
		for j < 6 {
			x := s.peek()
			if x.isPunct('&') || x.kind() == tLifetime || x.kind() == tIdent && s.word(x) == "mut" {
				s.next()
				j++
				continue
			}
			break
		}
		x := s.peek()
		if x.kind() == tIdent {
			s.next()
			if s.word(x) == "self" {
				isSelf = true
			} else if s.peek().isPunct(':') {
				name, nameTok = s.text(x), x
			}
		}
		// type: from ':' to the ',' or ')'
		tstart, tend := 0, 0
		if !isSelf && s.peek().isPunct(':') {
			s.next()
			tstart = int(s.peek().start)
			s.skipElemAngle()
			tend = int(s.peek().start)
		} else {
			s.skipElemAngle()
		}
		var ty []byte
		if tend > tstart {
			ty = bytes.TrimSpace(s.src[tstart:tend])
		}
		switch {
		case isSelf:
		case name == "":
			if !isSelf {
				sig.Unknown = true
			}
		case isPythonToken(ty), bytes.Contains(ty, []byte("PyModule")):
		case method && first && (bytes.Contains(ty, []byte("Self")) || bytes.Contains(ty, []byte("PyType"))):
		default:
			p := Param{Name: name, Kind: PosOrKw, Range: Range{Start: pstart, End: int(nameTok.end)}}
			if bytes.HasPrefix(ty, []byte("Option")) {
				p.MaybeDefault = true
			} else {
				// only trailing Options get the implicit default
				for i := range sig.Params {
					sig.Params[i].MaybeDefault = false
				}
			}
			if len(sig.Params) < 10000 {
				sig.Params = append(sig.Params, p)
			}
		}
		if name != "" && bytes.Contains(ty, []byte("PyModule")) {
			moduleParam = name
		}
		if name != "" || isSelf {
			n++
		}
		first = false
		if s.peek().isPunct(',') {
			s.next()
		}
	}
	return sig, moduleParam, n
}

// isPythonToken reports whether a type is the GIL token Python<'py>.
func isPythonToken(ty []byte) bool {
	for _, p := range [][]byte{[]byte("::"), []byte("pyo3::"), []byte("prelude::")} {
		ty = bytes.TrimPrefix(ty, p)
	}
	return string(ty) == "Python" || bytes.HasPrefix(ty, []byte("Python<")) || bytes.HasPrefix(ty, []byte("Python <"))
}

// skipElemAngle is skipElem that also counts <...> (types hold commas in
// generic arguments). '->' is not an angle bracket.
func (s *pyScanner) skipElemAngle() {
	depth, angle := 0, 0
	prevDash := false
	for {
		t := s.peek()
		if t.kind() == tEOF {
			return
		}
		if t.kind() == tPunct {
			switch t.punct() {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				if depth == 0 {
					return
				}
				depth--
			case '<':
				angle++
			case '>':
				if !prevDash && angle > 0 {
					angle--
				}
			case ',':
				if depth == 0 && angle == 0 {
					return
				}
			}
			prevDash = t.punct() == '-'
		} else {
			prevDash = false
		}
		s.next()
	}
}

// fnItem handles `fn` (consumed).
func (s *pyScanner) fnItem() {
	a := s.a
	id := s.peek()
	if id.kind() != tIdent {
		return
	}
	s.next()
	itemStart := int(id.start) - 3
	if a.any {
		itemStart = a.start
	}
	// generics
	if s.peek().isPunct('<') {
		s.next()
		s.skipAngle()
	}
	d := s.direct()
	inMethods := d != nil && d.kind == frMethods
	var sig Signature
	param, nparams := "", 0
	if s.peek().isPunct('(') {
		s.next()
		sig, param, nparams = s.rustParams(inMethods && !a.static)
	} else {
		return
	}
	// return type / where clause up to '{' or ';'
	for {
		t := s.peek()
		if t.kind() == tEOF || t.isPunct('{') || t.isPunct(';') {
			break
		}
		s.next()
		if t.isPunct('(') || t.isPunct('[') {
			closeGroup(s)
		}
	}
	sigEnd := int(s.peek().start)
	rustSig := Range{Start: fnKeywordStart(s.src, int(id.start)), End: trimRight(s.src, sigEnd)}
	if a.sig != nil {
		sig = *a.sig
	}
	sig.TextSig = a.textSig
	ident := s.text(id)
	modFn := s.modFnFrame()
	switch {
	case a.pymodule || (a.init && d != nil && d.kind == frModMod):
		idx := -1
		if a.pymodule {
			s.out.Modules = append(s.out.Modules, ModuleExports{IdentStart: int(id.start)})
			idx = len(s.out.Modules) - 1
		} else {
			idx = d.mod
		}
		if s.peek().isPunct('{') {
			s.next()
			s.push(pyFrame{kind: frModFn, mod: idx, param: param})
			if param == "" && nparams > 0 {
				s.open(s.top(), "the module parameter is not a &Bound<PyModule>", id.rng())
			}
		}
		return
	case a.pyfunction || a.pyfn:
		fn := PyFunction{Ident: ident, IdentRange: id.rng(), Start: itemStart, Name: ident,
			Sig: sig, RustSig: rustSig, Module: -1, PyFnModule: -1, Cfg: a.cfg}
		if a.name != "" {
			fn.Name, fn.NameRange = a.name, a.nameRange
		}
		if a.sigBad {
			fn.Sig.Unknown = true
		}
		if d != nil && d.kind == frModMod && d.mod >= 0 {
			fn.Module = s.out.Modules[d.mod].IdentStart
		}
		if a.pyfn && modFn != nil && modFn.mod >= 0 {
			fn.PyFnModule = s.out.Modules[modFn.mod].IdentStart
			s.addExport(modFn, Export{Kind: ExpFunction, Ident: ident, Name: fn.Name, Range: id.rng(), Cfg: a.cfg})
		}
		s.out.Functions = append(s.out.Functions, fn)
	case inMethods:
		m := Member{Kind: Method, Ident: ident, IdentRange: id.rng(), Start: itemStart, Name: ident,
			Sig: sig, RustSig: rustSig, Cfg: a.cfg}
		switch {
		case a.isNew:
			m.Kind, m.Name = New, "__new__"
		case a.getter:
			m.Kind, m.Name = Getter, strings.TrimPrefix(ident, "get_")
			if a.accessorName != "" {
				m.Name = a.accessorName
			}
		case a.setter:
			m.Kind, m.Name = Setter, strings.TrimPrefix(ident, "set_")
			if a.accessorName != "" {
				m.Name = a.accessorName
			}
		case a.static:
			m.Kind = StaticMethod
		case a.classmethod:
			m.Kind = ClassMethod
		case a.classattr:
			m.Kind = ClassAttr
		}
		if a.name != "" && m.Kind != New {
			m.Name = a.name
		}
		if d.meth < len(s.out.Methods) && len(s.out.Methods[d.meth].Members) < 100000 {
			s.out.Methods[d.meth].Members = append(s.out.Methods[d.meth].Members, m)
		}
	}
	if s.peek().isPunct('{') {
		s.next()
		s.push(pyFrame{kind: frFnBody, mod: -1})
	}
}

// fnKeywordStart finds the `fn` keyword before the identifier at id.
func fnKeywordStart(src []byte, id int) int {
	i := id
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t' || src[i-1] == '\n' || src[i-1] == '\r') {
		i--
	}
	if i >= 2 && string(src[i-2:i]) == "fn" {
		return i - 2
	}
	return id
}

func trimRight(src []byte, end int) int {
	for end > 0 && (src[end-1] == ' ' || src[end-1] == '\t' || src[end-1] == '\n' || src[end-1] == '\r') {
		end--
	}
	return end
}

// skipAngle consumes up to the '>' closing a '<' just consumed.
func (s *pyScanner) skipAngle() {
	depth := 1
	for {
		t := s.next()
		if t.kind() == tEOF || t.isPunct('{') || t.isPunct(';') {
			return
		}
		if t.isPunct('<') {
			depth++
		} else if t.isPunct('>') {
			depth--
			if depth == 0 {
				return
			}
		}
	}
}

// modItem handles `mod` (consumed).
func (s *pyScanner) modItem() {
	a := s.a
	id := s.peek()
	if id.kind() != tIdent {
		return
	}
	s.next()
	if !s.peek().isPunct('{') {
		return
	}
	s.next()
	d := s.direct()
	if a.pymodule {
		if d != nil && d.kind == frModMod {
			name := s.text(id)
			if a.name != "" {
				name = a.name
			}
			s.addExport(d, Export{Kind: ExpSubmodule, Ident: s.text(id), Name: name, Range: id.rng(), Cfg: a.cfg})
		}
		s.out.Modules = append(s.out.Modules, ModuleExports{IdentStart: int(id.start)})
		s.push(pyFrame{kind: frModMod, mod: len(s.out.Modules) - 1})
		return
	}
	s.push(pyFrame{kind: frPlainMod, mod: -1})
}

// implItem handles `impl` (consumed).
func (s *pyScanner) implItem() {
	a := s.a
	if s.peek().isPunct('<') {
		s.next()
		s.skipAngle()
	}
	var last token
	angle := 0
	for {
		t := s.peek()
		if t.kind() == tEOF || t.isPunct(';') {
			return
		}
		if t.isPunct('{') {
			break
		}
		s.next()
		switch {
		case t.isPunct('<'):
			angle++
		case t.isPunct('>'):
			if angle > 0 {
				angle--
			}
		case t.kind() == tIdent && angle == 0 && s.word(t) != "for" && s.word(t) != "where":
			last = t
		case t.isPunct('(') || t.isPunct('['):
			closeGroup(s)
		}
	}
	s.next() // '{'
	if !a.pymethods || last.kind() != tIdent {
		s.push(pyFrame{kind: frItemBlock, mod: -1})
		return
	}
	s.out.Methods = append(s.out.Methods, PyMethods{Type: s.text(last), TypeRange: last.vrng()})
	s.push(pyFrame{kind: frMethods, mod: -1, meth: len(s.out.Methods) - 1})
}

// typeItem handles struct/enum/union (keyword consumed).
func (s *pyScanner) typeItem(isEnum bool) {
	a := s.a
	id := s.peek()
	if id.kind() != tIdent {
		return
	}
	s.next()
	if !a.pyclass {
		return
	}
	c := PyClass{Ident: s.text(id), IdentRange: id.rng(), Start: a.start, Name: s.text(id),
		Enum: isEnum, Module: -1, Cfg: a.cfg, Open: a.extends || a.dict}
	if a.name != "" {
		c.Name, c.NameRange = a.name, a.nameRange
	}
	if d := s.direct(); d != nil && d.kind == frModMod && d.mod >= 0 {
		c.Module = s.out.Modules[d.mod].IdentStart
	}
	if s.peek().isPunct('<') {
		s.next()
		s.skipAngle()
	}
	// skip a where clause
	for {
		t := s.peek()
		if t.kind() == tEOF || t.isPunct('{') || t.isPunct('(') || t.isPunct(';') {
			break
		}
		s.next()
	}
	switch {
	case s.peek().isPunct('{'):
		s.next()
		s.fields(&c, isEnum, a.getAll, a.setAll)
	case s.peek().isPunct('('):
		s.next()
		closeGroup(s)
		if a.getAll || a.setAll {
			c.Open = true
		}
	}
	s.out.Classes = append(s.out.Classes, c)
	s.resetAttrs()
}

// fields reads a struct's named fields or an enum's variants after '{' and
// consumes the '}'.
func (s *pyScanner) fields(c *PyClass, isEnum, getAll, setAll bool) {
	for n := 0; n < 100000; n++ {
		if atClose(s) {
			if s.peek().kind() != tEOF {
				s.next()
			}
			return
		}
		s.a = pyAttrs{}
		for s.peek().isPunct('#') {
			st := s.next()
			if s.peek().isPunct('[') {
				s.next()
				s.attribute(int(st.start))
			}
		}
		fa := s.a
		s.a = pyAttrs{}
		t := s.peek()
		if t.kind() == tIdent && s.word(t) == "pub" {
			s.next()
			if s.peek().isPunct('(') {
				s.next()
				closeGroup(s)
			}
			t = s.peek()
		}
		if t.kind() == tIdent {
			s.next()
			name := s.text(t)
			if fa.name != "" {
				name = fa.name
			}
			if isEnum {
				c.Members = append(c.Members, Member{Kind: Variant, Ident: s.text(t), IdentRange: t.rng(), Start: int(t.start), Name: name, Cfg: fa.cfg})
			} else if getAll || setAll || fa.get || fa.set {
				c.Members = append(c.Members, Member{Kind: FieldAttr, Ident: s.text(t), IdentRange: t.rng(), Start: int(t.start), Name: name, Cfg: fa.cfg})
			}
		}
		s.skipElemAngle()
		if s.peek().isPunct(',') {
			s.next()
		}
	}
}

// useItem handles `use` (consumed): #[pymodule_export] use a::b::{c, d};
func (s *pyScanner) useItem() {
	a := s.a
	d := s.direct()
	if !a.export || d == nil || d.kind != frModMod {
		return
	}
	s.useTree(d, a.cfg, 0)
}

// useTree reads one use tree and adds its leaves.
func (s *pyScanner) useTree(d *pyFrame, cfg bool, depth int) {
	var last token
	have := false
	for {
		t := s.peek()
		switch {
		case t.isPunct(':'):
			s.next()
			continue
		case t.kind() == tIdent:
			s.next()
			if s.word(t) == "as" {
				// the exported name is the item's own Python name; skip the alias
				if s.peek().kind() == tIdent {
					s.next()
				}
				continue
			}
			if s.word(t) != "self" {
				last, have = t, true
			}
			continue
		case t.isPunct('*'):
			s.next()
			s.open(d, "a glob #[pymodule_export] use", t.rng())
			return
		case t.isPunct('{'):
			s.next()
			if depth > 16 {
				closeGroup(s)
				return
			}
			for {
				if atClose(s) {
					if s.peek().kind() != tEOF {
						s.next()
					}
					break
				}
				before := s.peek().start
				s.useTree(d, cfg, depth+1)
				if s.peek().isPunct(',') {
					s.next()
				} else if s.peek().start == before {
					s.next()
				}
			}
			return
		}
		break
	}
	if have {
		s.addExport(d, Export{Kind: ExpUse, Ident: s.text(last), Range: last.vrng(), Cfg: cfg})
	}
}

// constItem handles `const NAME` in a module or #[pymethods]; reports whether it consumed the name.
func (s *pyScanner) constItem() bool {
	a := s.a
	id := s.peek()
	if id.kind() != tIdent || s.word(id) == "fn" || s.word(id) == "unsafe" || s.word(id) == "async" || s.word(id) == "extern" {
		return false
	}
	d := s.direct()
	if d == nil {
		return false
	}
	switch {
	case d.kind == frModMod && a.export:
		s.next()
		name := s.text(id)
		if a.name != "" {
			name = a.name
		}
		s.addExport(d, Export{Kind: ExpConst, Name: name, Ident: s.text(id), Range: id.rng(), Cfg: a.cfg})
		return true
	case d.kind == frMethods && a.classattr:
		s.next()
		name := s.text(id)
		if a.name != "" {
			name = a.name
		}
		if d.meth < len(s.out.Methods) {
			s.out.Methods[d.meth].Members = append(s.out.Methods[d.meth].Members,
				Member{Kind: ClassAttr, Ident: s.text(id), IdentRange: id.rng(), Start: a.start, Name: name, Cfg: a.cfg})
		}
		return true
	}
	return false
}
