package rustsrc

import (
	"math"
	"strings"
)

// Scan scans one Rust source file. It never panics and runs in linear time.
//
// It works on tokens, not on a syntax tree: attributes are collected until the
// next item keyword, `{`/`}` are counted to know where inline `mod` bodies end,
// and everything else is passed over. Comments, strings of every kind and char
// literals are skipped by the lexer, so text inside them is never reported.
//
// Offsets are kept in 32 bits: a file larger than 2 GiB is scanned only up to
// that size.
func Scan(src []byte) *File {
	if len(src) > math.MaxInt32 {
		src = src[:math.MaxInt32]
	}
	s := scanner{src: src, lx: newLexer(src)}
	s.run()
	s.f.Comments = s.lx.comments
	s.f.src = src
	return &s.f
}

// modFrame is an open inline `mod name { ... }` body.
type modFrame struct {
	depth int   // brace depth inside the body
	mod   int   // index in File.Modules when the mod is a #[pymodule], else -1
	name  Range // the module identifier (without r#)
}

// pending holds what the attributes seen since the last item boundary say.
type pending struct {
	any         bool
	pymodule    bool // an unconditional #[pymodule]
	pymoduleCfg bool // #[cfg_attr(..., pymodule)]
	attrRange   Range

	name       string
	nameRange  Range
	nameSource string
	cfgNames   []string

	gil      int8 // 0 unset, 1 false, 2 true
	gilRange Range

	submodule bool
	cfg       bool
	cfgPreds  []Range // #[cfg(PRED)] predicates on the item
	pmPreds   []Range // PRED of #[cfg_attr(PRED, pymodule...)]

	path       string
	noMangle   bool
	exportName string
	exportRng  Range

	visStart int // start of `pub` when seen, else -1
}

type scanner struct {
	src   []byte
	lx    *lexer
	f     File
	p     pending
	depth int
	mods  []modFrame
	// withinStr caches within() while withinOK.
	withinStr string
	withinOK  bool
	lastEnd   int // end of the last consumed token
}

// attribute kinds recognised by meta.
const (
	akOther = iota
	akPymodule
	akPyo3
	akCfg
	akCfgAttr
	akPath
	akNoMangle
	akExportName
	akUnsafe
)

func (s *scanner) next() token {
	t := s.lx.next()
	if t.kind() != tEOF {
		s.lastEnd = int(t.end)
	}
	return t
}

func (s *scanner) peek() token { return s.lx.peek() }

func (s *scanner) text(r Range) string { return string(s.src[r.Start:r.End]) }

func (s *scanner) reset() {
	if s.p.any || s.p.visStart >= 0 {
		s.p = pending{visStart: -1}
	}
}

func (s *scanner) run() {
	s.p.visStart = -1
	for {
		t := s.next()
		switch t.kind() {
		case tEOF:
			return
		case tPunct:
			switch t.punct() {
			case '#':
				inner := false
				if s.peek().isPunct('!') {
					s.next()
					inner = true
				}
				if s.peek().isPunct('[') {
					s.next()
					if inner {
						// Inner attributes (#![...]) describe the enclosing
						// item, not the next one.
						saved := s.p
						s.p = pending{}
						s.attribute(int(t.start))
						s.p = saved
					} else {
						s.attribute(int(t.start))
					}
					continue
				}
				s.reset()
			case '{':
				s.depth++
				s.reset()
			case '}':
				if s.depth > 0 {
					if n := len(s.mods); n > 0 && s.mods[n-1].depth == s.depth {
						s.mods = s.mods[:n-1]
						s.withinOK = false
					}
					s.depth--
				}
				s.reset()
			default:
				s.reset()
			}
		case tIdent:
			if t.raw() {
				s.reset()
				continue
			}
			switch string(s.src[t.start:t.end]) {
			case "pub":
				if s.p.visStart < 0 {
					s.p.visStart = int(t.start)
				}
				if s.peek().isPunct('(') {
					s.next()
					closeGroup(s)
				}
			case "extern":
				if s.peek().kind() == tStr {
					s.next()
				}
			case "unsafe", "async", "const", "default", "safe":
				// Qualifiers: keep the pending attributes.
			case "fn":
				s.fnItem()
				s.reset()
			case "mod":
				s.modItem()
				s.reset()
			case "use":
				if s.p.visStart >= 0 {
					s.useItem()
				}
				s.reset()
			default:
				s.reset()
			}
		default:
			s.reset()
		}
	}
}

// maxWithinDepth bounds the inline-module nesting under which `mod x;`
// declarations are reported, so that building ModDecl.Within stays linear.
const maxWithinDepth = 128

// within returns the path of the open inline modules, "a::b", cached until
// the module stack changes.
func (s *scanner) within() string {
	if len(s.mods) == 0 {
		return ""
	}
	if !s.withinOK {
		var b strings.Builder
		for i, fr := range s.mods {
			if i > 0 {
				b.WriteString("::")
			}
			b.Write(s.src[fr.name.Start:fr.name.End])
		}
		s.withinStr = b.String()
		s.withinOK = true
	}
	return s.withinStr
}

// enclosingPymodule returns the index of the #[pymodule] mod whose body
// directly contains the current position, or -1.
func (s *scanner) enclosingPymodule() int {
	if n := len(s.mods); n > 0 && s.mods[n-1].depth == s.depth {
		return s.mods[n-1].mod
	}
	return -1
}

func (s *scanner) newModule(kind ItemKind, id token) {
	p := &s.p
	m := Module{
		Kind:       kind,
		Ident:      string(s.src[id.vStart():id.vEnd]),
		IdentRange: id.rng(),
		AttrRange:  p.attrRange,
		NameRange:  p.nameRange,
		NameSource: p.nameSource,
		NameCfg:    len(p.cfgNames) > 0,
		CfgNames:   p.cfgNames,
		Submodule:  p.submodule,
		Cfg:        p.cfg || (p.pymoduleCfg && !p.pymodule),
		Parent:     s.enclosingPymodule(),
	}
	if p.pymodule {
		m.CfgPredicates = s.predTexts(p.cfgPreds)
	} else {
		m.CfgPredicates = s.predTexts(p.cfgPreds, p.pmPreds)
	}
	m.Name = m.Ident
	if p.nameSource != "" {
		m.Name = p.name
	}
	if p.gil != 0 {
		v := p.gil == 2
		m.GILUsed = &v
		m.GILUsedRange = p.gilRange
	}
	// PyO3 makes a nested `#[pymodule] mod` a submodule; a nested
	// `#[pymodule] fn` is not collected by the enclosing module.
	m.Nested = m.Parent >= 0 && kind == ModItem
	s.f.Modules = append(s.f.Modules, m)
}

func (s *scanner) fnItem() {
	id := s.peek()
	if id.kind() != tIdent {
		return
	}
	s.next()
	if s.p.pymodule || s.p.pymoduleCfg {
		s.newModule(FnItem, id)
	}
	const prefix = "PyInit_"
	if s.p.exportName != "" {
		if strings.HasPrefix(s.p.exportName, prefix) {
			s.f.PyInits = append(s.f.PyInits, PyInitFn{
				Name:     s.p.exportName[len(prefix):],
				Range:    s.p.exportRng,
				NoMangle: true,
			})
		}
		return
	}
	if w := s.src[id.vStart():id.vEnd]; len(w) > len(prefix) && string(w[:len(prefix)]) == prefix {
		s.f.PyInits = append(s.f.PyInits, PyInitFn{
			Name:     string(w[len(prefix):]),
			Range:    id.rng(),
			NoMangle: s.p.noMangle,
		})
	}
}

func (s *scanner) modItem() {
	id := s.peek()
	if id.kind() != tIdent {
		return
	}
	s.next()
	nt := s.peek()
	switch {
	case nt.isPunct('{'):
		s.next()
		idx := -1
		if s.p.pymodule || s.p.pymoduleCfg {
			s.newModule(ModItem, id)
			idx = len(s.f.Modules) - 1
		}
		s.depth++
		s.withinOK = false
		s.mods = append(s.mods, modFrame{depth: s.depth, mod: idx, name: id.vrng()})
	case nt.isPunct(';'):
		s.next()
		d := ModDecl{
			Name:  string(s.src[id.vStart():id.vEnd]),
			Range: id.rng(),
			Path:  s.p.path,
			Cfg:   s.p.cfg,

			CfgPredicates: s.predTexts(s.p.cfgPreds),
		}
		if len(s.mods) > maxWithinDepth {
			// Not resolvable in practice; building Within here would make
			// adversarial inputs quadratic.
			return
		}
		d.Within = s.within()
		s.f.ModDecls = append(s.f.ModDecls, d)
	}
}

// useItem recognises `pub use a::b::*;` after the `use` keyword. It consumes
// only tokens that fit the pattern; anything else is left to the main loop.
func (s *scanner) useItem() {
	var path []byte
	needSeg := true
	if s.peek().isPunct(':') {
		// Leading "::".
		s.next()
		if !s.peek().isPunct(':') {
			return
		}
		s.next()
		path = append(path, "::"...)
	}
	for {
		t := s.peek()
		switch {
		case needSeg && t.kind() == tIdent:
			s.next()
			path = append(path, s.src[t.start:t.end]...)
			needSeg = false
		case !needSeg && t.isPunct(':'):
			s.next()
			if !s.peek().isPunct(':') {
				return
			}
			s.next()
			needSeg = true
		case needSeg && t.isPunct('*') && len(path) > 2:
			s.next()
			end := int(t.end)
			if s.peek().isPunct(';') {
				end = int(s.next().end)
			}
			s.f.GlobUses = append(s.f.GlobUses, GlobUse{
				Path:  string(path[:len(path)-2]), // drop the trailing "::"
				Range: Range{Start: s.p.visStart, End: end},
			})
			return
		default:
			return
		}
		if !needSeg {
			continue
		}
		path = append(path, "::"...)
	}
}

// tokenStream is what the group helpers below need of a scanner: scanner
// and pyScanner each keep their own bookkeeping in next().
type tokenStream interface {
	next() token
	peek() token
}

// closeGroup consumes tokens up to and including the delimiter that closes
// the group whose opening delimiter was just consumed. Delimiter kinds are
// not matched against each other; the scan stops at EOF.
func closeGroup[S tokenStream](s S) {
	depth := 1
	for {
		t := s.next()
		if t.kind() == tEOF {
			return
		}
		if t.kind() != tPunct {
			continue
		}
		switch t.punct() {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				return
			}
		}
	}
}

// skipElem consumes tokens up to (not including) a ',' or a closing
// delimiter at the current group level.
func skipElem[S tokenStream](s S) {
	depth := 0
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
			case ',':
				if depth == 0 {
					return
				}
			}
		}
		s.next()
	}
}

// atClose reports whether the next token closes the current group (or is EOF).
func atClose[S tokenStream](s S) bool {
	t := s.peek()
	return t.kind() == tEOF || t.kind() == tPunct && (t.punct() == ')' || t.punct() == ']' || t.punct() == '}')
}

// attribute parses an outer attribute whose "#[" has been consumed; start is
// the offset of '#'.
func (s *scanner) attribute(start int) {
	s.p.any = true
	pm, pmCfg := s.p.pymodule, s.p.pymoduleCfg
	s.meta(false, 0)
	closeGroup(s)
	r := Range{Start: start, End: s.lastEnd}
	if (s.p.pymodule && !pm) || (s.p.pymoduleCfg && !pmCfg && !s.p.pymodule) {
		s.p.attrRange = r
	}
}

// meta parses one attribute meta item: a path optionally followed by a
// delimited group or `= value`. cond is true under cfg_attr. depth bounds the
// recursion through cfg_attr(...)/unsafe(...): deeper metas are skipped.
func (s *scanner) meta(cond bool, depth int) {
	kind, ok := s.attrPath()
	if !ok {
		return
	}
	t := s.peek()
	cfgStart := -1
	switch {
	case t.isPunct('('), t.isPunct('['), t.isPunct('{'):
		s.next()
		switch kind {
		case akPymodule, akPyo3:
			if kind == akPymodule {
				s.markPymodule(cond)
			}
			src := "pyo3"
			if kind == akPymodule {
				src = "pymodule"
			}
			s.options(src, cond)
		case akCfgAttr:
			if depth >= maxMetaDepth {
				break
			}
			predStart := int(s.peek().start)
			skipElem(s) // the predicate
			pred := Range{Start: predStart, End: s.lastEnd}
			before := s.p.pymoduleCfg
			for s.peek().isPunct(',') {
				s.next()
				if atClose(s) {
					break
				}
				s.meta(true, depth+1)
				skipElem(s)
			}
			if !before && s.p.pymoduleCfg && pred.End > pred.Start && len(s.p.pmPreds) < maxPreds {
				s.p.pmPreds = append(s.p.pmPreds, pred)
			}
		case akUnsafe:
			if depth >= maxMetaDepth {
				break
			}
			s.meta(cond, depth+1)
			skipElem(s)
		case akCfg:
			s.p.cfg = true
			cfgStart = int(s.peek().start)
		}
		closeGroup(s)
		if cfgStart >= 0 && s.lastEnd-1 > cfgStart && len(s.p.cfgPreds) < maxPreds {
			s.p.cfgPreds = append(s.p.cfgPreds, Range{Start: cfgStart, End: s.lastEnd - 1})
		}
	case t.isPunct('='):
		s.next()
		v := s.peek()
		if v.kind() == tStr && v.plain() {
			s.next()
			switch kind {
			case akPath:
				if !cond {
					s.p.path = string(s.src[v.vStart():v.vEnd])
				}
			case akExportName:
				s.p.exportName = string(s.src[v.vStart():v.vEnd])
				s.p.exportRng = v.vrng()
			}
		}
	default:
		switch kind {
		case akPymodule:
			s.markPymodule(cond)
		case akNoMangle:
			s.p.noMangle = true
		}
	}
}

// maxMetaDepth bounds nested cfg_attr(..., cfg_attr(...)) and unsafe(...).
const maxMetaDepth = 16

// maxPreds bounds the cfg predicates kept per item.
const maxPreds = 8

// predTexts returns the source text of predicate ranges.
func (s *scanner) predTexts(rs ...[]Range) []string {
	var out []string
	for _, r := range rs {
		for _, x := range r {
			out = append(out, s.text(x))
		}
	}
	return out
}

func (s *scanner) markPymodule(cond bool) {
	if cond {
		s.p.pymoduleCfg = true
	} else {
		s.p.pymodule = true
	}
}

// attrPath consumes an attribute path like `pymodule`, `pyo3::pymodule` or
// `::pyo3::prelude::pymodule` and classifies it.
func (s *scanner) attrPath() (kind int, ok bool) {
	segs := 0
	var last token
	if s.peek().isPunct(':') {
		s.next()
		if !s.peek().isPunct(':') {
			return 0, false
		}
		s.next()
		segs++ // a leading :: makes the path qualified
	}
	for {
		t := s.peek()
		if t.kind() != tIdent {
			return 0, false
		}
		s.next()
		last = t
		segs++
		if !s.peek().isPunct(':') {
			break
		}
		s.next()
		if !s.peek().isPunct(':') {
			return 0, false
		}
		s.next()
	}
	w := s.src[last.vStart():last.vEnd]
	if string(w) == "pymodule" {
		return akPymodule, true
	}
	if segs > 1 || last.raw() {
		return akOther, true
	}
	switch string(w) {
	case "pyo3":
		return akPyo3, true
	case "cfg":
		return akCfg, true
	case "cfg_attr":
		return akCfgAttr, true
	case "path":
		return akPath, true
	case "no_mangle":
		return akNoMangle, true
	case "export_name":
		return akExportName, true
	case "unsafe":
		return akUnsafe, true
	}
	return akOther, true
}

// options parses the comma-separated options of #[pymodule(...)] or
// #[pyo3(...)] after the opening delimiter, up to (not including) the close.
func (s *scanner) options(source string, cond bool) {
	for {
		if atClose(s) {
			return
		}
		k := s.peek()
		if k.kind() == tIdent && !k.raw() {
			s.next()
			key := s.src[k.start:k.end]
			if s.peek().isPunct('=') {
				s.next()
				v := s.peek()
				switch string(key) {
				case "name":
					if v.kind() == tStr && v.plain() {
						s.next()
						name := string(s.src[v.vStart():v.vEnd])
						if cond {
							s.p.cfgNames = append(s.p.cfgNames, name)
						} else if s.p.nameSource == "" {
							s.p.name = name
							s.p.nameRange = v.rng()
							s.p.nameSource = source
						}
					}
				case "gil_used":
					if v.kind() == tIdent && !v.raw() {
						switch string(s.src[v.start:v.end]) {
						case "true":
							s.next()
							s.p.gil = 2
							s.p.gilRange = Range{Start: int(k.start), End: int(v.end)}
						case "false":
							s.next()
							s.p.gil = 1
							s.p.gilRange = Range{Start: int(k.start), End: int(v.end)}
						}
					}
				}
			} else if string(key) == "submodule" {
				s.p.submodule = true
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
