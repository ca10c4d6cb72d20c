// Package tomldoc is pyo3-ls's position-aware TOML layer: it parses a TOML 1.0
// document into values that keep the byte range of every key, value and table
// header, keeps comments, and reports syntax errors with a range.
//
// BurntSushi/toml exposes positions only for parse errors, so this package has
// its own scanner; BurntSushi/toml serves as the differential oracle in tests.
package tomldoc

import "github.com/pyo3-ls/pyo3-ls/internal/span"

// Range is a byte range in the source.
type Range = span.Range

// Kind is the TOML type of a value.
type Kind uint8

const (
	String Kind = iota + 1
	Integer
	Float
	Bool
	OffsetDateTime
	LocalDateTime
	LocalDate
	LocalTime
	Array
	Table
)

var kindNames = [...]string{"", "string", "integer", "float", "boolean", "offset datetime", "local datetime", "local date", "local time", "array", "table"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// TableKind says how a table came to exist.
type TableKind uint8

const (
	// Implicit tables are created by a dotted key or a header's prefix ([a.b] creates a).
	Implicit TableKind = iota
	// Header tables are defined by [header].
	Header
	// ArrayElement tables are defined by [[header]].
	ArrayElement
	// Inline tables are written { ... }.
	Inline
	// Dotted tables are created by a dotted key in a key/value pair (a.b = 1 creates a).
	Dotted
	// Root is the document's top-level table.
	Root
)

// Value is a TOML value with its source range.
//
// The one-byte fields come last so that they share one word (a document
// holds one Value per TOML value: 88 bytes instead of 104).
type Value struct {
	Range Range   // the value's text; for Header/ArrayElement tables the header line's brackets; for implicit tables the key that created them
	Str   string  // String; the raw text for datetimes
	Int   int64   // Integer
	Float float64 // Float
	Arr   []*Value
	Table *TableValue
	Kind  Kind
	Bool  bool // Bool

	aot bool // Array created by [[header]] (an array of tables, which headers may extend)
}

// IsArrayOfTables reports whether v is an array created by [[header]] tables.
func (v *Value) IsArrayOfTables() bool { return v != nil && v.Kind == Array && v.aot }

// TableValue is an ordered table.
type TableValue struct {
	Kind    TableKind
	Entries []*Entry
	index   map[string]int
	partial bool     // a statement of this table was lost to a syntax error, its key unknown
	lost    []string // keys (first segments) whose key/value pair was lost to a syntax error
}

func (t *TableValue) lose(key string) {
	for _, k := range t.lost {
		if k == key {
			return
		}
	}
	t.lost = append(t.lost, key)
}

func (t *TableValue) isLost(key string) bool {
	for _, k := range t.lost {
		if k == key {
			return true
		}
	}
	return false
}

// Entry is one key of a table.
type Entry struct {
	Key      string
	KeyRange Range // the key's text (for a header key, its last segment inside the header)
	Value    *Value
}

// Comment is a `#` comment: Range covers the '#' to the line end (excluding the newline).
type Comment struct {
	Range Range
	Text  string // without the leading '#'
}

// Error is a syntax or semantic error in a TOML document.
type Error struct {
	Range Range
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

// Document is a parsed TOML file, or what could be read of it.
type Document struct {
	Src      []byte
	Root     *Value // Kind == Table, Table.Kind == Root
	Comments []Comment
	// Errors are the syntax and semantic errors, in source order; empty for
	// a valid document. Parse returns the first.
	Errors []*Error
}

// Partial reports whether the document has errors, so that some of it was not read.
func (d *Document) Partial() bool { return d != nil && len(d.Errors) > 0 }

// Partial reports whether v is a table that lost a statement whose key is
// unknown (a key/value pair broken before or across its key, or for the root
// a table header) to a syntax error: any key missing from it may be in the
// text that could not be read.
func (v *Value) Partial() bool {
	return v != nil && v.Kind == Table && v.Table.partial
}

// LostKeys are the keys (first segments of dotted keys) of v's key/value
// pairs that broke on their own line after their key was read: only these
// keys are unknown. For a table that is not Partial, every other key is
// known.
func (v *Value) LostKeys() []string {
	if v == nil || v.Kind != Table {
		return nil
	}
	return v.Table.lost
}

// Known reports whether what path names was read without loss. A value
// present at path is known unless it is a table that, or one of whose
// ancestors from v, is Partial (a lost header may have added to it); an
// absent path is known to be absent only if no table walked from v is
// Partial. For a valid document Known is always true.
func (v *Value) Known(path ...string) bool {
	cur := v
	tainted := false
	for _, k := range path {
		tainted = tainted || cur.Partial()
		if cur.Kind == Table && cur.Table.isLost(k) {
			return false
		}
		e := cur.Get(k)
		if e == nil {
			return !tainted
		}
		cur = e.Value
	}
	return cur.Kind != Table || !tainted && !cur.Partial()
}

// AnyPartial reports whether v or any table below it is Partial or lost keys.
func (v *Value) AnyPartial() bool {
	if v == nil {
		return false
	}
	switch v.Kind {
	case Table:
		if v.Table.partial || len(v.Table.lost) > 0 {
			return true
		}
		for _, e := range v.Table.Entries {
			if e.Value.AnyPartial() {
				return true
			}
		}
	case Array:
		for _, x := range v.Arr {
			if x.AnyPartial() {
				return true
			}
		}
	}
	return false
}

// Get returns the entry for key, or nil.
func (t *TableValue) Get(key string) *Entry {
	if t == nil {
		return nil
	}
	return t.lookup(key)
}

// Get returns the entry for key if v is a table, or nil.
func (v *Value) Get(key string) *Entry {
	if v == nil || v.Kind != Table {
		return nil
	}
	return v.Table.Get(key)
}

// Lookup follows a path of keys through nested tables and returns the entry, or nil.
func (v *Value) Lookup(path ...string) *Entry {
	var e *Entry
	cur := v
	for _, k := range path {
		e = cur.Get(k)
		if e == nil {
			return nil
		}
		cur = e.Value
	}
	return e
}

// LookupValue is Lookup returning the value.
func (v *Value) LookupValue(path ...string) *Value {
	if e := v.Lookup(path...); e != nil {
		return e.Value
	}
	return nil
}

// IsTable reports whether v is a table.
func (v *Value) IsTable() bool { return v != nil && v.Kind == Table }

// AsString returns the string and true if v is a string.
func (v *Value) AsString() (string, bool) {
	if v == nil || v.Kind != String {
		return "", false
	}
	return v.Str, true
}

// ToGo converts v to plain Go values: string, int64, float64, bool, the raw
// text for datetimes, []any and map[string]any.
func (v *Value) ToGo() any {
	switch v.Kind {
	case String, OffsetDateTime, LocalDateTime, LocalDate, LocalTime:
		return v.Str
	case Integer:
		return v.Int
	case Float:
		return v.Float
	case Bool:
		return v.Bool
	case Array:
		out := make([]any, len(v.Arr))
		for i, x := range v.Arr {
			out[i] = x.ToGo()
		}
		return out
	case Table:
		out := make(map[string]any, len(v.Table.Entries))
		for _, e := range v.Table.Entries {
			out[e.Key] = e.Value.ToGo()
		}
		return out
	}
	return nil
}
