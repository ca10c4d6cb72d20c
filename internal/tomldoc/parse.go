package tomldoc

// Parse parses src. On a syntax or semantic error it returns a nil document
// and an *Error whose Range points at the offending text. Parse never panics
// and runs in time linear in len(src).
func Parse(src []byte) (*Document, *Error) {
	return nil, &Error{Msg: "tomldoc: parser not implemented yet"}
}
