package tomldoc

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDepth is the deepest nesting Parse accepts: of arrays and inline
// tables, and of the parts of a dotted key or table header (plus the arrays
// and inline tables around it), so every walker of a Document recurses at
// most about 2*maxDepth levels (a header's table, then a dotted key in it).
const maxDepth = 100

// tableCap is the initial capacity of header tables' entry lists.
const tableCap = 8

// indexThreshold is the number of entries above which a table gets a map index.
const indexThreshold = 8

// Parse parses src. It never returns a nil document: on a syntax or
// semantic error it still returns what it could read, like taplo's parser,
// together with the first *Error, whose Range points at the offending text.
// Document.Errors lists every error found while recovering, and the tables
// that lost a statement to an error report Partial (see Value.Known).
//
// Recovery works line by line: a statement that fails on its own line is
// dropped and parsing resumes on the next line, into the same table; one
// that fails on a later line (an unterminated array or string swallowed the
// following lines) or a header that fails makes the parser skip to the next
// line that starts with '[' and the lines in between are lost. While
// recovering, errors are not recorded until a statement parses again, so
// one mistake gives one error. Parse never panics and runs in time linear
// in len(src).
func Parse(src []byte) (*Document, *Error) {
	p := &parser{src: src, s: string(src)}
	root := p.newValue()
	root.Kind = Table
	root.Range = Range{Start: 0, End: len(src)}
	root.Table = p.newTable(Root)
	p.root = root
	p.cur = root
	p.doc = &Document{Src: src, Root: root}
	if !utf8.Valid(src) {
		i := 0
		for i < len(src) {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		root.Table.partial = true
		err := &Error{Range: Range{Start: i, End: min(i+1, len(src))}, Msg: "invalid UTF-8"}
		p.doc.Errors = append(p.doc.Errors, err)
		return p.doc, err
	}
	p.parseDocument()
	if len(p.doc.Errors) > 0 {
		return p.doc, p.doc.Errors[0]
	}
	return p.doc, nil
}

// maxErrors caps Document.Errors.
const maxErrors = 100

type keySeg struct {
	name string
	r    Range
}

type parser struct {
	src   []byte
	s     string // string(src): substrings of it do not allocate
	pos   int
	depth int
	doc   *Document
	root  *Value
	cur   *Value // the table key/value pairs go to

	recovering  bool   // an error was recorded and no statement has parsed since
	stmtKey     string // the first key segment of the key/value pair being parsed
	stmtKeyOK   bool   // stmtKey was read (the error, if any, came after the key)
	headersOnly bool   // skip lines until one starts with '['

	keys    []keySeg // scratch for the key being parsed
	buf     []byte   // scratch for strings with escapes
	scratch []*Value // stack of array elements being parsed

	// slabs
	vals  []Value
	ents  []Entry
	tabs  []TableValue
	eptr  []*Entry // backing for small tables' Entries
	vptr  []*Value // backing for small arrays
	slab  int      // the largest slab size so far
	valsN int
	entsN int
	tabsN int

	nodes int // values allocated (maxNodes)
}

// ---------------------------------------------------------------------------
// allocation helpers

// The slabs start sized from the file (about one value or entry per 20
// bytes of TOML), so a 500-byte pyproject.toml does not carry kilobytes of
// unused slab while its document is alive, and grow up to 1,024 items.
func (p *parser) grow(n *int) int {
	if *n == 0 {
		*n = min(max(len(p.src)/20, 4), 1024)
	} else if *n < 1024 {
		*n *= 2
	}
	p.slab = max(p.slab, *n)
	return *n
}

func (p *parser) newValue() *Value {
	p.nodes++
	if len(p.vals) == 0 {
		p.vals = make([]Value, p.grow(&p.valsN))
	}
	v := &p.vals[0]
	p.vals = p.vals[1:]
	return v
}

// valueSlice returns a slice of n pointers, carved from a shared backing
// array for small n (with cap == n, so appends by users reallocate).
func (p *parser) valueSlice(n int) []*Value {
	if n > 64 {
		return make([]*Value, n)
	}
	if len(p.vptr) < n {
		p.vptr = make([]*Value, max(n, 4*p.slab))
	}
	s := p.vptr[:n:n]
	p.vptr = p.vptr[n:]
	return s
}

func (p *parser) newEntry(key string, r Range, v *Value) *Entry {
	if len(p.ents) == 0 {
		p.ents = make([]Entry, p.grow(&p.entsN))
	}
	e := &p.ents[0]
	p.ents = p.ents[1:]
	e.Key, e.KeyRange, e.Value = key, r, v
	return e
}

func (p *parser) newTable(k TableKind) *TableValue {
	if len(p.tabs) == 0 {
		// Like the other slabs, sized from the file and doubling (a quarter
		// as many tables as values), up to 256.
		if p.tabsN == 0 {
			p.tabsN = min(max(len(p.src)/80, 4), 256)
		} else if p.tabsN < 256 {
			p.tabsN *= 2
		}
		p.tabs = make([]TableValue, p.tabsN)
	}
	t := &p.tabs[0]
	p.tabs = p.tabs[1:]
	t.Kind = k
	// Give the entry list room from a shared backing array (append
	// reallocates past it): header tables and the root usually hold several
	// keys, implicit and inline tables a few.
	n := 4
	if k == Header || k == ArrayElement || k == Root {
		n = tableCap
	}
	if len(p.eptr) < n {
		p.eptr = make([]*Entry, tableCap*max(p.slab/4, 2))
	}
	t.Entries = p.eptr[:0:n]
	p.eptr = p.eptr[n:]
	return t
}

func (p *parser) newTableValue(k TableKind, r Range) *Value {
	v := p.newValue()
	v.Kind = Table
	v.Range = r
	v.Table = p.newTable(k)
	return v
}

func (t *TableValue) lookup(key string) *Entry {
	if t.index != nil {
		if i, ok := t.index[key]; ok {
			return t.Entries[i]
		}
		return nil
	}
	for _, e := range t.Entries {
		if e.Key == key {
			return e
		}
	}
	return nil
}

// add appends e; the caller has checked that the key is new.
func (t *TableValue) add(e *Entry) {
	t.Entries = append(t.Entries, e)
	if t.index != nil {
		t.index[e.Key] = len(t.Entries) - 1
	} else if len(t.Entries) > indexThreshold {
		t.index = make(map[string]int, 2*len(t.Entries))
		for i, x := range t.Entries {
			t.index[x.Key] = i
		}
	}
}

// ---------------------------------------------------------------------------
// errors

func (p *parser) errf(start, end int, format string, args ...any) *Error {
	if start > len(p.src) {
		start = len(p.src)
	}
	if end > len(p.src) {
		end = len(p.src)
	}
	if end < start {
		end = start
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Range: Range{Start: start, End: end}, Msg: msg}
}

// errAt reports an error at the character at off (an empty range at EOF).
func (p *parser) errAt(off int, format string, args ...any) *Error {
	if off >= len(p.src) {
		return p.errf(len(p.src), len(p.src), format, args...)
	}
	_, n := utf8.DecodeRune(p.src[off:])
	if p.src[off] == '\r' && off+1 < len(p.src) && p.src[off+1] == '\n' {
		n = 2
	}
	return p.errf(off, off+n, format, args...)
}

// describe names the character at off for error messages.
func (p *parser) describe(off int) string {
	if off >= len(p.src) {
		return "end of file"
	}
	c := p.src[off]
	switch {
	case c == '\n' || c == '\r':
		return "end of line"
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf("control character %U", rune(c))
	}
	r, _ := utf8.DecodeRune(p.src[off:])
	return fmt.Sprintf("%q", r)
}

func isControl(c byte) bool { return c < 0x20 && c != '\t' || c == 0x7f }

// ---------------------------------------------------------------------------
// lexical helpers

var bareKeyChar = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['_'], t['-'] = true, true
	return
}()

// tokenChar are the characters that may continue a number, boolean or datetime.
var tokenChar = func() (t [256]bool) {
	t = bareKeyChar
	t['+'], t['.'], t[':'] = true, true, true
	return
}()

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) skipWS() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// comment scans a comment starting at p.pos ('#') and records it.
func (p *parser) comment() *Error {
	start := p.pos
	i := start + 1
	for i < len(p.src) {
		c := p.src[i]
		if c == '\n' {
			break
		}
		if c == '\r' && i+1 < len(p.src) && p.src[i+1] == '\n' {
			break
		}
		if isControl(c) {
			return p.errAt(i, "control character %U is not allowed in a comment", rune(c))
		}
		i++
	}
	p.doc.Comments = append(p.doc.Comments, Comment{Range: Range{Start: start, End: i}, Text: p.s[start+1 : i]})
	p.pos = i
	return nil
}

// newline consumes "\n" or "\r\n" at p.pos and reports whether it did.
func (p *parser) newline() bool {
	if p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '\n':
			p.pos++
			return true
		case '\r':
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == '\n' {
				p.pos += 2
				return true
			}
		}
	}
	return false
}

// skipWSNL skips whitespace, newlines and comments (inside arrays).
func (p *parser) skipWSNL() *Error {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n':
			p.pos++
		case '\r':
			if !p.newline() {
				return p.errAt(p.pos, "carriage return must be followed by a newline")
			}
		case '#':
			if err := p.comment(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

// endOfLine expects optional whitespace, an optional comment and a newline or EOF.
func (p *parser) endOfLine(what string) *Error {
	p.skipWS()
	if p.pos < len(p.src) && p.src[p.pos] == '#' {
		if err := p.comment(); err != nil {
			return err
		}
	}
	if p.pos >= len(p.src) || p.newline() {
		return nil
	}
	return p.errAt(p.pos, "expected newline after %s, found %s", what, p.describe(p.pos))
}

// ---------------------------------------------------------------------------
// document structure

func (p *parser) parseDocument() {
	if len(p.src) >= 3 && p.src[0] == 0xEF && p.src[1] == 0xBB && p.src[2] == 0xBF {
		p.pos = 3
	}
	for {
		p.skipWS()
		if p.pos >= len(p.src) {
			return
		}
		if p.headersOnly && p.src[p.pos] != '[' {
			p.pos = p.lineAfter(p.pos)
			continue
		}
		stmt := p.pos
		p.stmtKey, p.stmtKeyOK = "", false
		var err *Error
		switch c := p.src[p.pos]; c {
		case '\n':
			p.pos++
			continue
		case '\r':
			if !p.newline() {
				err = p.errAt(p.pos, "carriage return must be followed by a newline")
			}
		case '#':
			err = p.comment()
		case '[':
			p.headersOnly = false
			if err = p.parseHeader(); err == nil {
				err = p.endOfLine("table header")
			} else {
				// The lines up to the next header belong to a table we
				// could not read: any table may be missing keys.
				p.cur = p.root
				p.root.Table.partial = true
				p.headersOnly = true
			}
			if err == nil {
				p.recovering = false
			}
		default:
			if err = p.parseKeyVal(p.cur); err == nil {
				err = p.endOfLine("value")
			}
			if err == nil {
				p.recovering = false
			}
		}
		if err != nil {
			p.recover(err, stmt)
		}
		if p.nodes > maxNodes {
			// Memory is bounded by the count of values, not by the 10 MB
			// file limit alone (5 million one-digit array elements took
			// 1.2 GB): stop here, with what was read.
			if err == nil || err.Msg != tooManyValues {
				p.recover(p.errAt(p.pos, "%s", tooManyValues), stmt)
			}
			p.root.Table.partial = true
			return
		}
	}
}

// maxNodes bounds the values and entries of one document: about 150 bytes
// each, so at most ~75 MB; the largest real Cargo.lock seen (450 KB) has
// about 20,000.
const maxNodes = 500_000

var tooManyValues = fmt.Sprintf("document too large: more than %d values", maxNodes)

// recover records err (unless an earlier error is still being recovered
// from), marks the current table partial and moves p.pos to where parsing
// resumes: see Parse.
func (p *parser) recover(err *Error, stmt int) {
	if !p.recovering && len(p.doc.Errors) < maxErrors {
		p.doc.Errors = append(p.doc.Errors, err)
	}
	p.recovering = true
	p.depth = 0
	p.scratch = p.scratch[:0]
	far := max(p.pos, err.Range.End-1, err.Range.Start, stmt)
	if far >= len(p.src) {
		p.cur.Table.partial = true
		p.pos = len(p.src)
		return
	}
	stmtLineEnd := p.lineAfter(stmt)
	if far < stmtLineEnd {
		// The statement failed on its own line: resume on the next one.
		// When its key was read, only that key is lost.
		if p.stmtKeyOK {
			p.cur.Table.lose(p.stmtKey)
		} else {
			p.cur.Table.partial = true
		}
		p.pos = max(stmtLineEnd, p.pos)
		return
	}
	p.cur.Table.partial = true
	// A construct spanning lines broke: what follows up to the next header
	// may be its content. A header swallowed by it is read again.
	p.headersOnly = true
	ls := p.lineStart(far)
	i := ls
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t') {
		i++
	}
	if i < len(p.src) && p.src[i] == '[' && ls > stmt {
		p.pos = ls
		return
	}
	p.pos = p.lineAfter(far)
}

// lineAfter returns the offset just after the newline ending the line holding off.
func (p *parser) lineAfter(off int) int {
	if i := strings.IndexByte(p.s[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(p.src)
}

// lineStart returns the offset of the start of the line holding off.
func (p *parser) lineStart(off int) int {
	return strings.LastIndexByte(p.s[:off], '\n') + 1
}

// parseKey parses a possibly dotted key at p.pos into p.keys.
func (p *parser) parseKey() *Error {
	p.keys = p.keys[:0]
	for {
		p.skipWS()
		start := p.pos
		if start >= len(p.src) {
			return p.errAt(start, "expected key, found end of file")
		}
		var name string
		switch c := p.src[start]; {
		case c == '"':
			if strings.HasPrefix(p.s[start:], `"""`) {
				return p.errf(start, start+3, "multi-line strings cannot be keys")
			}
			s, err := p.basicString()
			if err != nil {
				return err
			}
			name = s
		case c == '\'':
			if strings.HasPrefix(p.s[start:], `'''`) {
				return p.errf(start, start+3, "multi-line strings cannot be keys")
			}
			s, err := p.literalString()
			if err != nil {
				return err
			}
			name = s
		case bareKeyChar[c]:
			i := start
			for i < len(p.src) && bareKeyChar[p.src[i]] {
				i++
			}
			name = p.s[start:i]
			p.pos = i
		default:
			return p.errAt(start, "expected key, found %s", p.describe(start))
		}
		p.keys = append(p.keys, keySeg{name: name, r: Range{Start: start, End: p.pos}})
		if p.depth+len(p.keys)-1 > maxDepth {
			return p.errf(start, p.pos, "key nested too deep (more than %d parts and enclosing arrays or inline tables)", maxDepth)
		}
		p.skipWS()
		if p.pos < len(p.src) && p.src[p.pos] == '.' {
			p.pos++
			continue
		}
		return nil
	}
}

// keyPath formats keys[:n] for messages.
func keyPath(keys []keySeg) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('.')
		}
		bare := k.name != ""
		for j := 0; j < len(k.name); j++ {
			if !bareKeyChar[k.name[j]] {
				bare = false
				break
			}
		}
		if bare {
			b.WriteString(k.name)
		} else {
			b.WriteString(strconv.Quote(k.name))
		}
	}
	return b.String()
}

func describeExisting(v *Value) string {
	if v.Kind == Table {
		switch v.Table.Kind {
		case Inline:
			return "an inline table"
		case Dotted:
			return "a table (defined by dotted keys)"
		case Header:
			return "a table"
		case ArrayElement:
			return "an array of tables"
		}
		return "a table"
	}
	if v.aot {
		return "an array of tables"
	}
	k := v.Kind.String()
	switch k[0] {
	case 'a', 'i', 'o':
		return "an " + k
	}
	return "a " + k
}

// parseHeader parses [a.b] or [[a.b]] and makes its table current.
func (p *parser) parseHeader() *Error {
	start := p.pos
	p.pos++
	isArray := p.pos < len(p.src) && p.src[p.pos] == '['
	if isArray {
		p.pos++
	}
	if err := p.parseKey(); err != nil {
		return err
	}
	keyEnd := p.keys[len(p.keys)-1].r.End
	if p.pos >= len(p.src) || p.src[p.pos] != ']' {
		if isArray {
			return p.errf(start, keyEnd, "unterminated array of tables header, expected ']]'")
		}
		return p.errf(start, keyEnd, "unterminated table header, expected ']'")
	}
	p.pos++
	if isArray {
		if p.pos >= len(p.src) || p.src[p.pos] != ']' {
			return p.errf(start, p.pos, "unterminated array of tables header, expected ']]'")
		}
		p.pos++
	}
	hdr := Range{Start: start, End: p.pos}
	keys := p.keys
	t := p.root
	for i, k := range keys[:len(keys)-1] {
		e := t.Table.lookup(k.name)
		if e == nil {
			nv := p.newTableValue(Implicit, k.r)
			t.Table.add(p.newEntry(k.name, k.r, nv))
			t = nv
			continue
		}
		v := e.Value
		switch {
		case v.Kind == Table && v.Table.Kind == Inline:
			return p.errf(k.r.Start, k.r.End, "cannot extend inline table `%s`", keyPath(keys[:i+1]))
		case v.Kind == Table:
			t = v
		case v.aot:
			t = v.Arr[len(v.Arr)-1]
		case v.Kind == Array:
			return p.errf(k.r.Start, k.r.End, "cannot extend static array `%s`", keyPath(keys[:i+1]))
		default:
			return p.errf(k.r.Start, k.r.End, "key `%s` is already defined as %s", keyPath(keys[:i+1]), describeExisting(v))
		}
	}
	last := keys[len(keys)-1]
	e := t.Table.lookup(last.name)
	if isArray {
		elem := p.newTableValue(ArrayElement, hdr)
		if e == nil {
			arr := p.newValue()
			arr.Kind = Array
			arr.Range = hdr
			arr.aot = true
			arr.Arr = []*Value{elem}
			t.Table.add(p.newEntry(last.name, last.r, arr))
		} else if e.Value.aot {
			e.Value.Arr = append(e.Value.Arr, elem)
		} else if e.Value.Kind == Array {
			return p.errf(last.r.Start, last.r.End, "cannot append to static array `%s` with [[%s]]", keyPath(keys), keyPath(keys))
		} else {
			return p.errf(last.r.Start, last.r.End, "key `%s` is already defined as %s", keyPath(keys), describeExisting(e.Value))
		}
		p.cur = elem
		return nil
	}
	if e == nil {
		nv := p.newTableValue(Header, hdr)
		t.Table.add(p.newEntry(last.name, last.r, nv))
		p.cur = nv
		return nil
	}
	v := e.Value
	if v.Kind == Table {
		switch v.Table.Kind {
		case Implicit:
			v.Table.Kind = Header
			v.Range = hdr
			e.KeyRange = last.r
			p.cur = v
			return nil
		case Dotted:
			return p.errf(last.r.Start, last.r.End, "table [%s] was already defined by dotted keys", keyPath(keys))
		case Inline:
			return p.errf(last.r.Start, last.r.End, "table [%s] was already defined as an inline table", keyPath(keys))
		}
		return p.errf(last.r.Start, last.r.End, "table [%s] defined twice", keyPath(keys))
	}
	if v.aot {
		return p.errf(last.r.Start, last.r.End, "table [%s] is already defined as an array of tables", keyPath(keys))
	}
	return p.errf(last.r.Start, last.r.End, "key `%s` is already defined as %s", keyPath(keys), describeExisting(v))
}

// parseKeyVal parses `key = value` at p.pos into table t.
func (p *parser) parseKeyVal(t *Value) *Error {
	if err := p.parseKey(); err != nil {
		return err
	}
	keys := p.keys
	p.stmtKey, p.stmtKeyOK = keys[0].name, true
	for i, k := range keys[:len(keys)-1] {
		e := t.Table.lookup(k.name)
		if e == nil {
			nv := p.newTableValue(Dotted, k.r)
			t.Table.add(p.newEntry(k.name, k.r, nv))
			t = nv
			continue
		}
		v := e.Value
		if v.aot {
			return p.errf(k.r.Start, k.r.End, "cannot add keys to array of tables `%s` with dotted keys", keyPath(keys[:i+1]))
		}
		if v.Kind != Table {
			return p.errf(k.r.Start, k.r.End, "key `%s` is already defined as %s", keyPath(keys[:i+1]), describeExisting(v))
		}
		switch v.Table.Kind {
		case Dotted:
			t = v
		case Implicit:
			// A table created by a header prefix ([a.b.c] creates a.b) may
			// be given keys through dotted keys; it can no longer be
			// defined by its own header afterwards.
			v.Table.Kind = Dotted
			t = v
		case Inline:
			return p.errf(k.r.Start, k.r.End, "cannot extend inline table `%s`", keyPath(keys[:i+1]))
		default:
			return p.errf(k.r.Start, k.r.End, "cannot add keys to table `%s` with dotted keys: it is defined by a header", keyPath(keys[:i+1]))
		}
	}
	last := keys[len(keys)-1]
	if e := t.Table.lookup(last.name); e != nil {
		if e.Value.Kind == Table {
			return p.errf(last.r.Start, last.r.End, "duplicate key `%s`: it is already a table", keyPath(keys))
		}
		return p.errf(last.r.Start, last.r.End, "duplicate key `%s`", keyPath(keys))
	}
	p.skipWS()
	if p.pos >= len(p.src) || p.src[p.pos] != '=' {
		return p.errAt(p.pos, "expected '=' after key, found %s", p.describe(p.pos))
	}
	p.pos++
	p.skipWS()
	// The dotted parts count as nesting for the value's own arrays and
	// inline tables (a.b.c = {d.e = {...}}), so depth stays bounded.
	extra := len(keys) - 1
	p.depth += extra
	v, err := p.parseValue()
	p.depth -= extra
	if err != nil {
		return err
	}
	t.Table.add(p.newEntry(last.name, last.r, v))
	return nil
}

// ---------------------------------------------------------------------------
// values

func (p *parser) parseValue() (*Value, *Error) {
	start := p.pos
	if p.nodes > maxNodes {
		return nil, p.errAt(p.pos, "%s", tooManyValues)
	}
	if start >= len(p.src) {
		return nil, p.errAt(start, "expected value, found end of file")
	}
	switch c := p.src[start]; c {
	case '"':
		var s string
		var err *Error
		if strings.HasPrefix(p.s[start:], `"""`) {
			s, err = p.multiBasicString()
		} else {
			s, err = p.basicString()
		}
		if err != nil {
			return nil, err
		}
		return p.scalar(String, start, s), nil
	case '\'':
		var s string
		var err *Error
		if strings.HasPrefix(p.s[start:], `'''`) {
			s, err = p.multiLiteralString()
		} else {
			s, err = p.literalString()
		}
		if err != nil {
			return nil, err
		}
		return p.scalar(String, start, s), nil
	case '[':
		return p.parseArray()
	case '{':
		return p.parseInlineTable()
	case '\n', '\r', '#':
		return nil, p.errAt(start, "expected value, found %s", p.describe(start))
	}
	// Boolean, number or datetime: a run of token characters.
	end := start
	for end < len(p.src) && tokenChar[p.src[end]] {
		end++
	}
	if end == start {
		return nil, p.errAt(start, "expected value, found %s", p.describe(start))
	}
	tok := p.s[start:end]
	switch tok {
	case "true", "false":
		v := p.scalar(Bool, start, "")
		v.Range.End = end
		v.Bool = tok == "true"
		p.pos = end
		return v, nil
	}
	if v, err, ok := p.tryDateTime(start, end); ok {
		return v, err
	}
	c := tok[0]
	if !isDigit(c) && c != '+' && c != '-' && c != 'i' && c != 'n' {
		return nil, p.errf(start, end, "invalid value `%s` (strings must be quoted)", tok)
	}
	p.pos = end
	v := p.newValue()
	v.Range = Range{Start: start, End: end}
	if isInt, ok := p.number(tok, v); !ok {
		if v.Str != "" {
			return nil, p.errf(start, end, "%s `%s`", v.Str, tok)
		}
		return nil, p.errf(start, end, "invalid number `%s`", tok)
	} else if isInt {
		v.Kind = Integer
	} else {
		v.Kind = Float
	}
	return v, nil
}

func (p *parser) scalar(k Kind, start int, s string) *Value {
	v := p.newValue()
	v.Kind = k
	v.Range = Range{Start: start, End: p.pos}
	v.Str = s
	return v
}

func (p *parser) enter() *Error {
	p.depth++
	if p.depth > maxDepth {
		return p.errAt(p.pos, "nesting too deep (more than %d nested arrays or inline tables)", maxDepth)
	}
	return nil
}

func (p *parser) parseArray() (*Value, *Error) {
	start := p.pos
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++
	base := len(p.scratch)
	for {
		if err := p.skipWSNL(); err != nil {
			return nil, err
		}
		if p.pos >= len(p.src) {
			return nil, p.errAt(p.pos, "unterminated array, expected ']'")
		}
		if p.src[p.pos] == ']' {
			break
		}
		if p.src[p.pos] == ',' {
			return nil, p.errAt(p.pos, "expected value in array, found ','")
		}
		elem, err := p.parseValue()
		if err != nil {
			return nil, err
		}
		p.scratch = append(p.scratch, elem)
		if err := p.skipWSNL(); err != nil {
			return nil, err
		}
		if p.pos >= len(p.src) {
			return nil, p.errAt(p.pos, "unterminated array, expected ']'")
		}
		if p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.src[p.pos] == ']' {
			break
		}
		return nil, p.errAt(p.pos, "expected ',' or ']' in array, found %s", p.describe(p.pos))
	}
	p.pos++
	p.depth--
	v := p.newValue()
	v.Kind = Array
	v.Range = Range{Start: start, End: p.pos}
	if n := len(p.scratch) - base; n > 0 {
		v.Arr = p.valueSlice(n)
		copy(v.Arr, p.scratch[base:])
		clear(p.scratch[base:])
		p.scratch = p.scratch[:base]
	} else {
		v.Arr = []*Value{}
	}
	return v, nil
}

func (p *parser) parseInlineTable() (*Value, *Error) {
	start := p.pos
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++
	v := p.newTableValue(Inline, Range{Start: start})
	p.skipWS()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
	} else {
		for {
			p.skipWS()
			if err := p.inlineNewline(); err != nil {
				return nil, err
			}
			if err := p.parseKeyVal(v); err != nil {
				return nil, err
			}
			p.skipWS()
			if p.pos >= len(p.src) {
				return nil, p.errAt(p.pos, "unterminated inline table, expected '}'")
			}
			c := p.src[p.pos]
			if c == '}' {
				p.pos++
				break
			}
			if c == ',' {
				p.pos++
				p.skipWS()
				if p.pos < len(p.src) && p.src[p.pos] == '}' {
					return nil, p.errAt(p.pos-1, "trailing comma is not allowed in an inline table")
				}
				continue
			}
			if err := p.inlineNewline(); err != nil {
				return nil, err
			}
			return nil, p.errAt(p.pos, "expected ',' or '}' in inline table, found %s", p.describe(p.pos))
		}
	}
	p.depth--
	v.Range.End = p.pos
	return v, nil
}

// inlineNewline reports a newline or comment inside an inline table.
func (p *parser) inlineNewline() *Error {
	if p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '\n', '\r', '#':
			return p.errAt(p.pos, "newlines are not allowed in an inline table (TOML 1.0), expected '}'")
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// strings

func (p *parser) unterminated(start int) *Error {
	i := start
	for i < len(p.src) && p.src[i] != '\n' {
		i++
	}
	if i > start && p.src[i-1] == '\r' {
		i--
	}
	return p.errf(start, i, "unterminated string")
}

// basicString parses "..." at p.pos.
func (p *parser) basicString() (string, *Error) {
	start := p.pos
	i := start + 1
	for i < len(p.src) {
		c := p.src[i]
		if c == '"' {
			p.pos = i + 1
			return p.s[start+1 : i], nil
		}
		if c == '\\' {
			break
		}
		if isControl(c) {
			if c == '\n' || c == '\r' {
				return "", p.unterminated(start)
			}
			return "", p.errAt(i, "control character %U must be escaped in a string", rune(c))
		}
		i++
	}
	if i >= len(p.src) {
		return "", p.unterminated(start)
	}
	// Slow path: escapes.
	b := append(p.buf[:0], p.src[start+1:i]...)
	for i < len(p.src) {
		c := p.src[i]
		switch {
		case c == '"':
			p.pos = i + 1
			p.buf = b
			return string(b), nil
		case c == '\\':
			var err *Error
			b, i, err = p.escape(b, i)
			if err != nil {
				return "", err
			}
		case c == '\n' || c == '\r':
			return "", p.unterminated(start)
		case isControl(c):
			return "", p.errAt(i, "control character %U must be escaped in a string", rune(c))
		default:
			b = append(b, c)
			i++
		}
	}
	return "", p.unterminated(start)
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// escape decodes the escape sequence at i (a backslash) and appends it to b.
func (p *parser) escape(b []byte, i int) ([]byte, int, *Error) {
	if i+1 >= len(p.src) {
		return b, i, p.errf(i, i+1, "incomplete escape sequence")
	}
	switch c := p.src[i+1]; c {
	case 'b':
		return append(b, '\b'), i + 2, nil
	case 't':
		return append(b, '\t'), i + 2, nil
	case 'n':
		return append(b, '\n'), i + 2, nil
	case 'f':
		return append(b, '\f'), i + 2, nil
	case 'r':
		return append(b, '\r'), i + 2, nil
	case '"':
		return append(b, '"'), i + 2, nil
	case '\\':
		return append(b, '\\'), i + 2, nil
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		r := 0
		for j := 0; j < n; j++ {
			k := i + 2 + j
			if k >= len(p.src) || hexVal(p.src[k]) < 0 {
				return b, i, p.errf(i, min(k, len(p.src)), "invalid escape sequence: \\%c needs %d hex digits", c, n)
			}
			r = r<<4 | hexVal(p.src[k])
		}
		if r > utf8.MaxRune || (r >= 0xD800 && r <= 0xDFFF) {
			return b, i, p.errf(i, i+2+n, "invalid escape sequence %s: not a Unicode scalar value", p.s[i:i+2+n])
		}
		return utf8.AppendRune(b, rune(r)), i + 2 + n, nil
	default:
		e := p.errAt(i+1, "")
		if c == '\n' || c == '\r' {
			e.Msg = "invalid escape sequence: backslash at end of line (only allowed in multi-line strings)"
		} else {
			e.Msg = "invalid escape sequence \\" + p.s[i+1:e.Range.End]
		}
		e.Range.Start = i
		return b, i, e
	}
}

// literalString parses '...' at p.pos.
func (p *parser) literalString() (string, *Error) {
	start := p.pos
	for i := start + 1; i < len(p.src); i++ {
		c := p.src[i]
		if c == '\'' {
			p.pos = i + 1
			return p.s[start+1 : i], nil
		}
		if isControl(c) {
			if c == '\n' || c == '\r' {
				break
			}
			return "", p.errAt(i, "control character %U is not allowed in a literal string", rune(c))
		}
	}
	return "", p.unterminated(start)
}

// multiStart skips the opening delimiter and a newline right after it.
func (p *parser) multiStart() int {
	i := p.pos + 3
	if i < len(p.src) && p.src[i] == '\n' {
		i++
	} else if i+1 < len(p.src) && p.src[i] == '\r' && p.src[i+1] == '\n' {
		i += 2
	}
	return i
}

// closing checks for the closing delimiter q at i; it returns the number of
// quotes that belong to the content and whether the string ends here.
func (p *parser) closing(i int, q byte) (content int, end bool, err *Error) {
	n := 0
	for i+n < len(p.src) && p.src[i+n] == q {
		n++
	}
	if n < 3 {
		return n, false, nil
	}
	if n > 5 {
		return 0, false, p.errf(i, i+n, "too many quotes at the end of a multi-line string")
	}
	return n - 3, true, nil
}

func (p *parser) multiBasicString() (string, *Error) {
	start := p.pos
	i := p.multiStart()
	contentStart := i
	escaped := false
	var b []byte
	for i < len(p.src) {
		c := p.src[i]
		switch {
		case c == '"':
			n, end, err := p.closing(i, '"')
			if err != nil {
				return "", err
			}
			if end {
				p.pos = i + n + 3
				if !escaped {
					return p.s[contentStart : i+n], nil
				}
				b = append(b, p.src[i:i+n]...)
				p.buf = b
				return string(b), nil
			}
			if escaped {
				b = append(b, p.src[i:i+n]...)
			}
			i += n
		case c == '\\':
			if !escaped {
				escaped = true
				b = append(p.buf[:0], p.src[contentStart:i]...)
			}
			// Line-ending backslash: skip whitespace and newlines.
			j := i + 1
			for j < len(p.src) && (p.src[j] == ' ' || p.src[j] == '\t') {
				j++
			}
			if j < len(p.src) && (p.src[j] == '\n' || (p.src[j] == '\r' && j+1 < len(p.src) && p.src[j+1] == '\n')) {
				for j < len(p.src) {
					if d := p.src[j]; d == ' ' || d == '\t' || d == '\n' {
						j++
					} else if d == '\r' && j+1 < len(p.src) && p.src[j+1] == '\n' {
						j += 2
					} else {
						break
					}
				}
				i = j
				continue
			}
			var err *Error
			b, i, err = p.escape(b, i)
			if err != nil {
				return "", err
			}
		case c == '\n':
			if escaped {
				b = append(b, c)
			}
			i++
		case c == '\r':
			if i+1 < len(p.src) && p.src[i+1] == '\n' {
				if escaped {
					b = append(b, '\r', '\n')
				}
				i += 2
				continue
			}
			return "", p.errAt(i, "carriage return must be followed by a newline")
		case isControl(c):
			return "", p.errAt(i, "control character %U must be escaped in a string", rune(c))
		default:
			if escaped {
				b = append(b, c)
			}
			i++
		}
	}
	p.pos = len(p.src) // it swallowed the rest of the file
	return "", p.errf(start, start+3, "unterminated multi-line string")
}

func (p *parser) multiLiteralString() (string, *Error) {
	start := p.pos
	i := p.multiStart()
	contentStart := i
	for i < len(p.src) {
		c := p.src[i]
		switch {
		case c == '\'':
			n, end, err := p.closing(i, '\'')
			if err != nil {
				return "", err
			}
			if end {
				p.pos = i + n + 3
				return p.s[contentStart : i+n], nil
			}
			i += n
		case c == '\n':
			i++
		case c == '\r':
			if i+1 < len(p.src) && p.src[i+1] == '\n' {
				i += 2
				continue
			}
			return "", p.errAt(i, "carriage return must be followed by a newline")
		case isControl(c):
			return "", p.errAt(i, "control character %U is not allowed in a literal string", rune(c))
		default:
			i++
		}
	}
	p.pos = len(p.src) // it swallowed the rest of the file
	return "", p.errf(start, start+3, "unterminated multi-line string")
}

// ---------------------------------------------------------------------------
// numbers

// digitsOK validates a run of digits of the given base with single
// underscores between digits, returning the index after it.
func digitsOK(s string, i int, base int) (int, bool) {
	start := i
	for i < len(s) {
		c := s[i]
		if c == '_' {
			if i == start || i+1 >= len(s) || !isBaseDigit(s[i+1], base) || !isBaseDigit(s[i-1], base) {
				return i, false
			}
			i++
			continue
		}
		if !isBaseDigit(c, base) {
			break
		}
		i++
	}
	return i, i > start
}

func isBaseDigit(c byte, base int) bool {
	switch base {
	case 2:
		return c == '0' || c == '1'
	case 8:
		return c >= '0' && c <= '7'
	case 16:
		return hexVal(c) >= 0
	}
	return isDigit(c)
}

// number parses tok into v.Int or v.Float. It reports whether tok is an
// integer and whether it is valid.
func (p *parser) number(tok string, v *Value) (isInt, ok bool) {
	i := 0
	neg := false
	if tok[0] == '+' || tok[0] == '-' {
		neg = tok[0] == '-'
		i++
	}
	switch tok[i:] {
	case "inf":
		v.Float = math.Inf(1)
		if neg {
			v.Float = math.Inf(-1)
		}
		return false, true
	case "nan":
		v.Float = math.NaN()
		if neg {
			v.Float = math.Copysign(v.Float, -1)
		}
		return false, true
	}
	if i == 0 && len(tok) > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'o' || tok[1] == 'b') {
		base := 16
		switch tok[1] {
		case 'o':
			base = 8
		case 'b':
			base = 2
		}
		end, good := digitsOK(tok, 2, base)
		if !good || end != len(tok) {
			return true, false
		}
		var n uint64
		for j := 2; j < len(tok); j++ {
			if tok[j] == '_' {
				continue
			}
			d := uint64(hexVal(tok[j]))
			if n > (math.MaxInt64-d)/uint64(base) {
				v.Str = "integer out of range"
				return true, false
			}
			n = n*uint64(base) + d
		}
		v.Int = int64(n)
		return true, true
	}
	intStart := i
	end, good := digitsOK(tok, i, 10)
	if !good {
		return true, false
	}
	if tok[intStart] == '0' && end-intStart > 1 {
		v.Str = "leading zeros are not allowed in number"
		return true, false
	}
	i = end
	isInt = true
	if i < len(tok) && tok[i] == '.' {
		isInt = false
		if end, good = digitsOK(tok, i+1, 10); !good {
			return false, false
		}
		i = end
	}
	if i < len(tok) && (tok[i] == 'e' || tok[i] == 'E') {
		isInt = false
		i++
		if i < len(tok) && (tok[i] == '+' || tok[i] == '-') {
			i++
		}
		if end, good = digitsOK(tok, i, 10); !good {
			return false, false
		}
		i = end
	}
	if i != len(tok) {
		return isInt, false
	}
	if isInt {
		var n uint64
		for j := intStart; j < len(tok); j++ {
			if tok[j] == '_' {
				continue
			}
			d := uint64(tok[j] - '0')
			if n > (1<<63-d)/10 {
				v.Str = "integer out of range"
				return true, false
			}
			n = n*10 + d
		}
		if neg {
			v.Int = -int64(n) // n == 1<<63 wraps to MinInt64
		} else {
			if n > math.MaxInt64 {
				v.Str = "integer out of range"
				return true, false
			}
			v.Int = int64(n)
		}
		return true, true
	}
	var arr [64]byte
	b := arr[:0]
	for j := 0; j < len(tok); j++ {
		if tok[j] != '_' {
			b = append(b, tok[j])
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		v.Str = "float out of range" // reported by the caller
		return false, false
	}
	v.Float = f
	return false, true
}

// ---------------------------------------------------------------------------
// dates and times

func (p *parser) digitsAt(i, n int) (int, bool) {
	if i+n > len(p.src) {
		return 0, false
	}
	x := 0
	for j := i; j < i+n; j++ {
		if !isDigit(p.src[j]) {
			return 0, false
		}
		x = x*10 + int(p.src[j]-'0')
	}
	return x, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// timeAt parses HH:MM:SS[.frac] at i and returns the index after it, or -1
// if the text does not have the shape of a time, or -2 if it is out of range.
func (p *parser) timeAt(i int) int {
	h, ok1 := p.digitsAt(i, 2)
	m, ok2 := p.digitsAt(i+3, 2)
	s, ok3 := p.digitsAt(i+6, 2)
	if !ok1 || !ok2 || !ok3 || p.src[i+2] != ':' || p.src[i+5] != ':' {
		return -1
	}
	i += 8
	if i < len(p.src) && p.src[i] == '.' {
		j := i + 1
		for j < len(p.src) && isDigit(p.src[j]) {
			j++
		}
		if j == i+1 {
			return -1
		}
		i = j
	}
	if h > 23 || m > 59 || s > 59 {
		return -2
	}
	return i
}

// tryDateTime parses a datetime at start. It returns ok == false if the
// text there does not look like a date or time (it is then a number).
func (p *parser) tryDateTime(start, tokEnd int) (v *Value, err *Error, ok bool) {
	var kind Kind
	var end int
	bad := func(what string) (*Value, *Error, bool) {
		e := tokEnd
		if end > e {
			e = end
		}
		return nil, p.errf(start, e, "invalid %s `%s`", what, p.s[start:e]), true
	}
	if y, isNum := p.digitsAt(start, 4); isNum && start+4 < len(p.src) && p.src[start+4] == '-' {
		mo, ok1 := p.digitsAt(start+5, 2)
		d, ok2 := p.digitsAt(start+8, 2)
		if !ok1 || !ok2 || p.src[start+7] != '-' {
			return bad("date (expected YYYY-MM-DD)")
		}
		end = start + 10
		if mo < 1 || mo > 12 {
			return bad("date (month out of range)")
		}
		if d < 1 || d > daysIn(mo, y) {
			return bad("date (day out of range)")
		}
		kind = LocalDate
		if end+1 < len(p.src) && (p.src[end] == 'T' || p.src[end] == 't' || (p.src[end] == ' ' && isDigit(p.src[end+1]))) {
			te := p.timeAt(end + 1)
			if te == -1 {
				end = max(tokEnd, end+1)
				for end < len(p.src) && tokenChar[p.src[end]] {
					end++
				}
				return bad("datetime (expected HH:MM:SS)")
			}
			if te == -2 {
				end += 9
				return bad("datetime (time out of range)")
			}
			end = te
			kind = LocalDateTime
			if end < len(p.src) {
				switch p.src[end] {
				case 'Z', 'z':
					end++
					kind = OffsetDateTime
				case '+', '-':
					oh, ok1 := p.digitsAt(end+1, 2)
					om, ok2 := p.digitsAt(end+4, 2)
					if !ok1 || !ok2 || p.src[end+3] != ':' {
						return bad("datetime (expected a time zone offset like +01:00)")
					}
					end += 6
					if oh > 23 || om > 59 {
						return bad("datetime (time zone offset out of range)")
					}
					kind = OffsetDateTime
				}
			}
		}
	} else if _, isNum := p.digitsAt(start, 2); isNum && start+2 < len(p.src) && p.src[start+2] == ':' {
		te := p.timeAt(start)
		if te == -1 {
			return bad("time (expected HH:MM:SS)")
		}
		if te == -2 {
			end = start + 8
			return bad("time (out of range)")
		}
		end = te
		kind = LocalTime
	} else {
		return nil, nil, false
	}
	if end < len(p.src) && tokenChar[p.src[end]] {
		for end < len(p.src) && tokenChar[p.src[end]] {
			end++
		}
		return bad("datetime")
	}
	raw := p.s[start:end]
	str := raw
	if kind == LocalDateTime || kind == OffsetDateTime {
		if raw[10] != 'T' || raw[len(raw)-1] == 'z' {
			b := []byte(raw)
			b[10] = 'T'
			if b[len(b)-1] == 'z' {
				b[len(b)-1] = 'Z'
			}
			str = string(b)
		}
	}
	v = p.newValue()
	v.Kind = kind
	v.Range = Range{Start: start, End: end}
	v.Str = str
	p.pos = end
	return v, nil, true
}
