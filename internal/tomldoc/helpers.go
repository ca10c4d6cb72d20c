package tomldoc

// Str is a string value with the ranges of its key and value, as models
// keep them for diagnostics.
type Str struct {
	Value    string
	Range    Range // the value, including quotes
	KeyRange Range // the key it was assigned to (zero for array elements)
}

// StrOf returns e's value as a Str if it is a string.
func StrOf(e *Entry) (Str, bool) {
	if e == nil || e.Value == nil || e.Value.Kind != String {
		return Str{}, false
	}
	return Str{Value: e.Value.Str, Range: e.Value.Range, KeyRange: e.KeyRange}, true
}

// StrsOf returns the string elements of an array entry (non-strings are skipped).
func StrsOf(e *Entry) []Str {
	if e == nil || e.Value == nil || e.Value.Kind != Array {
		return nil
	}
	out := make([]Str, 0, len(e.Value.Arr))
	for _, v := range e.Value.Arr {
		if v.Kind == String {
			out = append(out, Str{Value: v.Str, Range: v.Range})
		}
	}
	return out
}

// BoolOf returns e's boolean value, if it is one.
func BoolOf(e *Entry) (bool, bool) {
	if e == nil || e.Value == nil || e.Value.Kind != Bool {
		return false, false
	}
	return e.Value.Bool, true
}

// Tables returns the tables of an array-of-tables or array value (non-tables skipped).
func (v *Value) Tables() []*Value {
	if v == nil {
		return nil
	}
	if v.Kind == Table {
		return []*Value{v}
	}
	if v.Kind != Array {
		return nil
	}
	out := make([]*Value, 0, len(v.Arr))
	for _, x := range v.Arr {
		if x.Kind == Table {
			out = append(out, x)
		}
	}
	return out
}

// TypeName describes v's type for messages ("a string", "an array"...).
func (v *Value) TypeName() string {
	if v == nil {
		return "nothing"
	}
	switch v.Kind {
	case String:
		return "a string"
	case Integer:
		return "an integer"
	case Float:
		return "a float"
	case Bool:
		return "a boolean"
	case Array:
		return "an array"
	case Table:
		return "a table"
	default:
		return "a " + v.Kind.String()
	}
}

// StrSlab hands out *Str from shared chunks, so a model built from one
// document (pyproject.FromDoc, cargo.FromDoc) allocates its optional
// strings a few at a time instead of one by one. The zero value is ready.
type StrSlab struct{ buf []Str }

// Ptr returns a pointer to e's string value (StrOf), nil when e is not a string.
func (s *StrSlab) Ptr(e *Entry) *Str {
	v, ok := StrOf(e)
	if !ok {
		return nil
	}
	return s.New(v)
}

// New returns a pointer to a copy of v.
func (s *StrSlab) New(v Str) *Str {
	if len(s.buf) == cap(s.buf) {
		s.buf = make([]Str, 0, 8)
	}
	s.buf = append(s.buf, v)
	return &s.buf[len(s.buf)-1]
}
