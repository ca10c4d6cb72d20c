package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// maxMessage bounds one message body; larger frames are skipped.
const maxMessage = 64 << 20

// stream is a jsonrpc2.Stream with LSP's Content-Length framing that, unlike
// jsonrpc2.NewStream, survives bad input: jsonrpc2's Conn closes the
// connection on any Read error, so a malformed header or body must not be
// one. Bad headers are skipped up to the next blank line; a body that is not
// a JSON-RPC message is answered with a ParseError / InvalidRequest error
// response (id null, or the id when one can be read) and reading goes on.
// Only I/O errors (EOF, closed pipe) end the stream.
type stream struct {
	in     *bufio.Reader
	out    io.Writer
	closer io.Closer
	log    *zap.Logger

	mu sync.Mutex // serialises writes

	// skip is what the last frame's Content-Length announced beyond the
	// end of its JSON value: discarded before the next header while it is
	// white space, so a too-large Content-Length neither blocks nor
	// swallows the next message.
	skip int64
}

func newStream(in io.Reader, out io.Writer, closer io.Closer, log *zap.Logger) *stream {
	return &stream{in: bufio.NewReaderSize(in, 64<<10), out: out, closer: closer, log: log}
}

// Read implements jsonrpc2.Stream.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		body, n, err := s.readFrame()
		if err != nil {
			return nil, n, err
		}
		if body == nil {
			continue // a bad frame, already logged
		}
		msg, derr := jsonrpc2.DecodeMessage(body)
		if derr == nil {
			return msg, n, nil
		}
		s.log.Warn("malformed message", zap.Error(derr), zap.ByteString("body", truncate(body, 200)))
		s.replyDecodeError(body, derr)
	}
}

// readFrame returns one message body, or nil (and no error) for a frame it
// had to skip.
func (s *stream) readFrame() ([]byte, int64, error) {
	var total int64
	length := int64(-1)
	bad := false
	sawHeader := false
	for s.skip > 0 {
		b, err := s.in.Peek(1)
		if err != nil {
			return nil, total, err
		}
		if b[0] != ' ' && b[0] != '\t' && b[0] != '\r' && b[0] != '\n' {
			break
		}
		s.in.Discard(1)
		s.skip--
		total++
	}
	s.skip = 0
	for {
		line, n, err := s.readLine()
		total += n
		if err != nil {
			return nil, total, err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			if !sawHeader {
				continue // stray blank lines between frames
			}
			break
		}
		sawHeader = true
		// A too-short Content-Length leaves the tail of the last body
		// glued in front of the next header: look for the header anywhere
		// in the line, so the stream resynchronises on the next frame.
		if i := lastIndexFold(line, "content-length:"); i > 0 {
			line = line[i:]
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			s.log.Warn("invalid header line", zap.String("line", truncStr(line, 200)))
			bad = true
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || n < 0 {
				s.log.Warn("invalid Content-Length", zap.String("value", truncStr(value, 50)))
				bad = true
				continue
			}
			length = n
		}
	}
	if length < 0 {
		s.log.Warn("frame without Content-Length skipped")
		return nil, total, nil
	}
	if length > maxMessage {
		s.log.Warn("message too large, skipped", zap.Int64("bytes", length))
		n, err := io.CopyN(io.Discard, s.in, length)
		total += n
		return nil, total, err
	}
	body, err := s.readBody(length)
	total += int64(len(body))
	if err != nil {
		return nil, total, err
	}
	if bad && len(body) == 0 {
		return nil, total, nil
	}
	return body, total, nil
}

// maxHeaderLine bounds one header line; the rest of a longer line is
// discarded (reading it whole would let a newline-free stream take all memory).
const maxHeaderLine = 4 << 10

// readLine reads one header line, keeping at most its last maxHeaderLine
// bytes (a header glued after a body's tail sits at its end).
func (s *stream) readLine() (string, int64, error) {
	var keep []byte
	var n int64
	for {
		frag, err := s.in.ReadSlice('\n')
		n += int64(len(frag))
		keep = append(keep, frag...)
		if len(keep) > maxHeaderLine {
			keep = append(keep[:0], keep[len(keep)-maxHeaderLine:]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return string(keep), n, err
	}
}

// readBody reads a body of at most length bytes. When the body is a JSON
// object or array it stops where that value ends: the rest of what length
// announced is skipped lazily (s.skip) if it is white space, and pushed back
// to be read as the next frame if it is not, so a Content-Length that is
// too large neither waits for bytes that will never come nor swallows the
// next message.
func (s *stream) readBody(length int64) ([]byte, error) {
	body := make([]byte, 0, min(length, 64<<10))
	var sc jsonEnd
	for int64(len(body)) < length {
		want := length - int64(len(body))
		if n := int64(s.in.Buffered()); n == 0 {
			if _, err := s.in.Peek(1); err != nil {
				return body, err
			}
		}
		chunk, _ := s.in.Peek(int(min(want, int64(s.in.Buffered()))))
		off := len(body)
		body = append(body, chunk...)
		s.in.Discard(len(chunk))
		end, done := sc.feed(body, off)
		if !done {
			continue
		}
		rest := body[end:]
		if len(bytes.TrimLeft(rest, " \t\r\n")) > 0 {
			// Another frame starts inside the announced length: give its
			// bytes back to the reader.
			s.in = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(append([]byte(nil), rest...)), s.in), 64<<10)
			s.log.Warn("Content-Length larger than the message; resynchronised", zap.Int64("announced", length), zap.Int("body", end))
			return body[:end], nil
		}
		s.skip = length - int64(len(body))
		return body[:end], nil
	}
	return body, nil
}

// jsonEnd finds where a JSON object or array that starts a body ends.
type jsonEnd struct {
	started, inString, escape, notContainer bool
	depth                                   int
}

// feed scans body from off (the bytes before were scanned already) and
// returns the end offset of the top-level value once it is complete.
func (j *jsonEnd) feed(body []byte, off int) (int, bool) {
	if j.notContainer {
		return 0, false
	}
	for i := off; i < len(body); i++ {
		c := body[i]
		if !j.started {
			switch c {
			case ' ', '\t', '\r', '\n':
				continue
			case '{', '[':
				j.started = true
				j.depth = 1
				continue
			}
			j.notContainer = true
			return 0, false
		}
		if j.inString {
			switch {
			case j.escape:
				j.escape = false
			case c == '\\':
				j.escape = true
			case c == '"':
				j.inString = false
			}
			continue
		}
		switch c {
		case '"':
			j.inString = true
		case '{', '[':
			j.depth++
		case '}', ']':
			j.depth--
			if j.depth == 0 {
				return i + 1, true
			}
		}
	}
	return 0, false
}

// lastIndexFold is strings.LastIndex ignoring ASCII case.
func lastIndexFold(s, sub string) int {
	return strings.LastIndex(strings.ToLower(s), sub)
}

// replyDecodeError answers a body that is not a JSON-RPC message: -32700
// (ParseError) when it is not JSON, -32600 (InvalidRequest) when it is JSON
// but not a message ({}, null, a number, a batch — LSP has no batches),
// with the id when one can be read. A notification (a method and no id)
// gets no answer, as JSON-RPC wants.
func (s *stream) replyDecodeError(body []byte, derr error) {
	code := jsonrpc2.ParseError
	id := json.RawMessage("null")
	if json.Valid(body) {
		code = jsonrpc2.InvalidRequest
		var probe map[string]json.RawMessage
		if json.Unmarshal(body, &probe) == nil && probe != nil {
			rid, hasID := probe["id"]
			_, hasMethod := probe["method"]
			switch {
			case hasID && len(rid) > 0 && (rid[0] == '"' || (rid[0] >= '0' && rid[0] <= '9') || rid[0] == '-'):
				id = rid
			case hasMethod && !hasID:
				return // a notification we cannot read
			}
		}
	}
	resp := fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"error":{"code":%d,"message":%q}}`, id, code, derr.Error())
	if err := s.writeRaw([]byte(resp)); err != nil {
		s.log.Warn("writing error response", zap.Error(err))
	}
}

// Write implements jsonrpc2.Stream.
func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return 0, fmt.Errorf("marshaling message: %w", err)
	}
	return int64(len(data)), s.writeRaw(data)
}

func (s *stream) writeRaw(data []byte) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "Content-Length: %d\r\n\r\n", len(data))
	buf.Write(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.out.Write(buf.Bytes())
	return err
}

// Close implements jsonrpc2.Stream.
func (s *stream) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

func truncStr(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
