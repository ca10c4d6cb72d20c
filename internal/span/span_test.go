package span

import "testing"

func TestPositions(t *testing.T) {
	src := []byte("a = 1\r\nname = \"é😀x\"\n\nlast")
	l := NewLines(src)
	if l.Count() != 4 {
		t.Fatalf("Count = %d, want 4", l.Count())
	}
	x := len("a = 1\r\nname = \"é😀")
	if got := l.UTF16(x); got != (Position{1, 11}) { // é = 1 unit, 😀 = 2 units
		t.Errorf("UTF16 = %+v, want {1 11}", got)
	}
	if got := l.Chars(x); got != (Position{1, 10}) {
		t.Errorf("Chars = %+v, want {1 10}", got)
	}
	if got := l.OffsetUTF16(Position{1, 11}); got != x {
		t.Errorf("OffsetUTF16 = %d, want %d", got, x)
	}
	// Inside a surrogate pair: clamps to the character's start.
	if got := l.OffsetUTF16(Position{1, 10}); got != len("a = 1\r\nname = \"é") {
		t.Errorf("OffsetUTF16 inside a pair = %d", got)
	}
	// Past the end of a line clamps to the line end.
	if got := l.OffsetUTF16(Position{0, 99}); got != len("a = 1\r") {
		t.Errorf("OffsetUTF16 past line end = %d", got)
	}
	if got := l.LineText(0); got != "a = 1" {
		t.Errorf("LineText(0) = %q (CR must be dropped)", got)
	}
	if got := l.LineText(3); got != "last" {
		t.Errorf("LineText(3) = %q", got)
	}
	if got := l.UTF16(len(src) + 10); got != (Position{3, 4}) {
		t.Errorf("UTF16 past end = %+v", got)
	}
	if got := l.OffsetUTF16(Position{9, 0}); got != len(src) {
		t.Errorf("OffsetUTF16 past last line = %d", got)
	}
}
