package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

type document struct {
	uri     string
	version int32
	text    []byte
	// tooLarge: above project.MaxFileSize, not kept (read as T003);
	// dropped: a change was too costly to apply, the disk stands in.
	tooLarge, dropped bool
}

// uriToPath converts a file:// URI (a string or a protocol.DocumentURI) to
// a clean absolute path.
func uriToPath[U ~string](uri U) (string, bool) {
	if uri == "" {
		return "", false
	}
	u, err := url.Parse(string(uri))
	if err != nil || u.Scheme != "file" {
		return "", false
	}
	p := u.Path
	if p == "" {
		return "", false
	}
	return filepath.Clean(filepath.FromSlash(p)), true
}

// spanPos converts an LSP position to span's (both 0-based line, UTF-16
// column; LSP's are unsigned).
func spanPos(p protocol.Position) span.Position {
	return span.Position{Line: int(p.Line), Character: int(p.Character)}
}

// pathToURI converts an absolute path to a file:// URI.
func pathToURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// uriFor returns the URI the client used for path, or a new one.
func (s *Server) uriFor(path string) string {
	s.mu.Lock()
	u, ok := s.uris[path]
	s.mu.Unlock()
	if ok {
		return u
	}
	return pathToURI(path)
}

// changeEvent is TextDocumentContentChangeEvent with an optional range
// (protocol v0.12 has a non-pointer Range and cannot tell a full-text change
// from an insertion at 0:0). Every other LSP type the server reads or writes
// is go.lsp.dev/protocol's, but for initializeParams (server.go).
type changeEvent struct {
	Range *protocol.Range `json:"range"`
	Text  string          `json:"text"`
}

func (s *Server) didOpen(raw json.RawMessage) error {
	var p struct {
		TextDocument protocol.TextDocumentItem `json:"textDocument"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	path, ok := uriToPath(p.TextDocument.URI)
	if !ok {
		return fmt.Errorf("unsupported URI %q", p.TextDocument.URI)
	}
	text := []byte(p.TextDocument.Text)
	s.mu.Lock()
	doc := &document{uri: string(p.TextDocument.URI), version: p.TextDocument.Version, text: text}
	if int64(len(text)) > project.MaxSize(path) {
		doc.text, text = nil, nil // not kept: read as too large (T003), like such a file on disk
		doc.tooLarge = true
	}
	s.docs[path] = doc
	s.uris[path] = string(p.TextDocument.URI)
	s.mu.Unlock()
	s.setBuffer(path, doc)
	s.fileChanged(path)
	s.ensureProjectFor(path)
	return nil
}

func (s *Server) didChange(raw json.RawMessage) error {
	var p struct {
		TextDocument   protocol.VersionedTextDocumentIdentifier `json:"textDocument"`
		ContentChanges []changeEvent                            `json:"contentChanges"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	path, ok := uriToPath(p.TextDocument.URI)
	if !ok {
		return fmt.Errorf("unsupported URI %q", p.TextDocument.URI)
	}
	s.mu.Lock()
	doc := s.docs[path]
	if doc == nil {
		s.mu.Unlock()
		return fmt.Errorf("didChange for a document that is not open: %s", path)
	}
	text := doc.text
	// Each ranged change costs about the document's size (a line index and
	// a copy); past maxChangeWork the buffer is given up instead of
	// stalling the read loop (10,000 edits of a 1 MB document took 13 s):
	// the disk contents stand in until the editor sends the full text.
	// Decided before applying anything, from the sizes alone, so a costly
	// change is given up at once instead of after spending the bound.
	work, size := 0, len(text)
	for _, c := range p.ContentChanges {
		if c.Range == nil {
			work, size = 0, len(c.Text) // a full text: what follows edits that text
			continue
		}
		size += len(c.Text)
		work += size
	}
	changes := p.ContentChanges
	if work > maxChangeWork {
		s.log.Warn("didChange too costly to apply; the buffer is dropped until the next full text", zap.String("path", path), zap.Int("changes", len(p.ContentChanges)), zap.Int("bytes", len(text)))
		doc.dropped, doc.tooLarge, text = true, false, nil
		changes = nil
	}
	for _, c := range changes {
		if c.Range == nil {
			doc.tooLarge, doc.dropped = false, false
			text = []byte(c.Text)
			continue
		}
		if doc.tooLarge || doc.dropped {
			continue
		}
		text = applyChange(text, c)
	}
	if int64(len(text)) > project.MaxSize(path) {
		text, doc.tooLarge = nil, true
	}
	doc.text = text
	doc.version = p.TextDocument.Version
	s.mu.Unlock()
	s.setBuffer(path, doc)
	s.fileChanged(path)
	return nil
}

// maxChangeWork bounds the bytes one didChange may copy and index.
const maxChangeWork = 256 << 20

// setBuffer puts an open document into the overlay: its text, or the
// too-large marker, or nothing (the disk) when it was dropped.
func (s *Server) setBuffer(path string, doc *document) {
	switch {
	case doc.tooLarge:
		s.overlay.SetTooLarge(path)
	case doc.dropped:
		s.overlay.Delete(path)
	default:
		s.overlay.Set(path, doc.text)
	}
}

// applyChange returns a new slice with one content change applied; text is
// not modified (the loader may still hold it).
func applyChange(text []byte, c changeEvent) []byte {
	if c.Range == nil {
		return []byte(c.Text)
	}
	start := offsetUTF16(text, c.Range.Start)
	end := offsetUTF16(text, c.Range.End)
	if end < start {
		start, end = end, start
	}
	out := make([]byte, 0, len(text)-(end-start)+len(c.Text))
	out = append(out, text[:start]...)
	out = append(out, c.Text...)
	out = append(out, text[end:]...)
	return out
}

// offsetUTF16 is span.Lines.OffsetUTF16 without building the line index of
// the whole buffer: an edit of a 5 MB buffer costs a newline scan up to its
// line (bytes.IndexByte), not an index of every line.
func offsetUTF16(text []byte, pos protocol.Position) int {
	p := spanPos(pos)
	i := 0
	for l := 0; l < p.Line; l++ {
		j := bytes.IndexByte(text[i:], '\n')
		if j < 0 {
			return len(text)
		}
		i += j + 1
	}
	col := 0
	for i < len(text) && col < p.Character && text[i] != '\n' {
		r, size := utf8.DecodeRune(text[i:])
		n := 1
		if r >= 0x10000 {
			n = 2
		}
		if col+n > p.Character {
			break
		}
		col += n
		i += size
	}
	return i
}

func (s *Server) didClose(raw json.RawMessage) error {
	var p struct {
		TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	path, ok := uriToPath(p.TextDocument.URI)
	if !ok {
		return fmt.Errorf("unsupported URI %q", p.TextDocument.URI)
	}
	s.mu.Lock()
	delete(s.docs, path)
	if _, shown := s.published[path]; !shown {
		delete(s.uris, path) // bounded: only open documents and published paths keep a URI
	}
	s.mu.Unlock()
	s.overlay.Delete(path)
	s.fileChanged(path)
	return nil
}

// didSave: the buffer already shadows the disk, but a save is when other
// files change too (a formatter, a generated stub, a file the client never
// opened): the disk is polled at once.
func (s *Server) didSave(raw json.RawMessage) error {
	var p struct {
		TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return err
	}
	path, ok := uriToPath(p.TextDocument.URI)
	if !ok {
		return fmt.Errorf("unsupported URI %q", p.TextDocument.URI)
	}
	if _, open := s.overlay.Get(path); !open {
		s.watch.refresh(path)
		s.fileChanged(path)
	}
	s.watch.pollNow()
	return nil
}

func isTOML(path string) bool {
	return strings.HasSuffix(path, ".toml") || filepath.Base(path) == "Cargo.lock"
}
