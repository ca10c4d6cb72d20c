package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	for {
		line, err := s.in.ReadString('\n')
		total += int64(len(line))
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
	body := make([]byte, length)
	n, err := io.ReadFull(s.in, body)
	total += int64(n)
	if err != nil {
		return nil, total, err
	}
	if bad && len(body) == 0 {
		return nil, total, nil
	}
	return body, total, nil
}

func (s *stream) replyDecodeError(body []byte, derr error) {
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	code := jsonrpc2.ParseError
	id := json.RawMessage("null")
	if json.Unmarshal(body, &probe) == nil {
		code = jsonrpc2.InvalidRequest
		if len(probe.ID) > 0 && (probe.ID[0] == '"' || (probe.ID[0] >= '0' && probe.ID[0] <= '9') || probe.ID[0] == '-') {
			id = probe.ID
		} else if len(probe.ID) == 0 {
			// A response without id, or a notification we cannot read: JSON-RPC
			// wants no answer to notifications, and an answer to a bad
			// response would confuse the client.
			return
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

var errClosed = errors.New("stream closed")

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
