//go:build unix

package project

import (
	"fmt"
	"io/fs"
	"syscall"
)

// openFlags makes opening a FIFO (or a device) return at once instead of
// waiting for a writer; ReadFile then refuses it as not a regular file.
// Regular files ignore O_NONBLOCK. O_NOCTTY: never become the controlling terminal.
const openFlags = syscall.O_NONBLOCK | syscall.O_NOCTTY

// readOpen opens path (not following a final symlink when noFollow: a
// symlink then fails with ELOOP), checks on the open file that it is a
// regular file — the same file as pre when pre is set — and within its
// MaxSize, and reads it. Raw system calls (open, fstat, read, close): an
// os.File would add a poller registration (epoll_ctl) per file.
func readOpen(path string, noFollow bool, pre fs.FileInfo) ([]byte, error) {
	flags := syscall.O_RDONLY | syscall.O_CLOEXEC | openFlags
	if noFollow {
		flags |= syscall.O_NOFOLLOW
	}
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, flags, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	for {
		err = syscall.Fstat(fd, &st)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	if pre != nil {
		if ps, ok := pre.Sys().(*syscall.Stat_t); !ok || ps.Dev != st.Dev || ps.Ino != st.Ino {
			return nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
		}
	}
	limit := MaxSize(path)
	size := int64(st.Size)
	if size > limit {
		return nil, fmt.Errorf("%s: %w (%d bytes, limit %d)", path, ErrTooLarge, size, limit)
	}
	// Sized to the file plus one byte, so the read that sees EOF does not
	// grow it: two reads and one allocation for a file that did not change.
	buf := make([]byte, 0, size+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n <= 0 {
			break
		}
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("%s: %w", path, ErrTooLarge)
		}
	}
	return buf, nil
}

// isLoop reports whether err is a failed O_NOFOLLOW open of a symlink.
func isLoop(err error) bool {
	pe, ok := err.(*fs.PathError)
	return ok && pe.Op == "open" && pe.Err == syscall.ELOOP
}
