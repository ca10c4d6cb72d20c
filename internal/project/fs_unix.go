//go:build unix

package project

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"syscall"
	"time"
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
	data, _, err := readOpenStat(path, noFollow, pre)
	return data, err
}

// readOpenStat is readOpen that also returns what fstat said of the open
// file (before reading it), as os.Stat would have said it.
func readOpenStat(path string, noFollow bool, pre fs.FileInfo) ([]byte, fs.FileInfo, error) {
	flags := syscall.O_RDONLY | syscall.O_CLOEXEC | openFlags
	if noFollow {
		flags |= syscall.O_NOFOLLOW
	}
	fd, err := openRetry(path, flags)
	if err != nil {
		return nil, nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := fstatRetry(fd, &st); err != nil {
		return nil, nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	if pre != nil {
		if ps, ok := pre.Sys().(*syscall.Stat_t); !ok || ps.Dev != st.Dev || ps.Ino != st.Ino {
			return nil, nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
		}
	}
	info := statInfo(path, &st)
	limit := MaxSize(path)
	size := int64(st.Size)
	if size > limit {
		return nil, nil, fmt.Errorf("%s: %w (%d bytes, limit %d)", path, ErrTooLarge, size, limit)
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
			return nil, nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n <= 0 {
			break
		}
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, nil, fmt.Errorf("%s: %w", path, ErrTooLarge)
		}
	}
	return buf, info, nil
}

// statInfo is an fstat of a regular file or a directory as os.Stat says it.
func statInfo(path string, st *syscall.Stat_t) fdInfo {
	info := fdInfo{name: filepath.Base(path), size: st.Size, mode: fs.FileMode(st.Mode & 0o777), mtime: statMtime(st)}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		info.mode |= fs.ModeDir
	}
	if st.Mode&syscall.S_ISUID != 0 {
		info.mode |= fs.ModeSetuid
	}
	if st.Mode&syscall.S_ISGID != 0 {
		info.mode |= fs.ModeSetgid
	}
	if st.Mode&syscall.S_ISVTX != 0 {
		info.mode |= fs.ModeSticky
	}
	return info
}

// fdInfo is the fs.FileInfo of a regular file's or a directory's fstat
// (what os.Stat's would say: the type, the permission bits, setuid, setgid
// and sticky).
type fdInfo struct {
	name  string
	size  int64
	mode  fs.FileMode
	mtime time.Time
}

func (i fdInfo) Name() string       { return i.name }
func (i fdInfo) Size() int64        { return i.size }
func (i fdInfo) Mode() fs.FileMode  { return i.mode }
func (i fdInfo) ModTime() time.Time { return i.mtime }
func (i fdInfo) IsDir() bool        { return i.mode.IsDir() }
func (i fdInfo) Sys() any           { return nil }

// isLoop reports whether err is a failed O_NOFOLLOW open of a symlink.
func isLoop(err error) bool {
	pe, ok := err.(*fs.PathError)
	return ok && pe.Op == "open" && pe.Err == syscall.ELOOP
}

// openRetry is syscall.Open, retried on EINTR.
func openRetry(path string, flags int) (int, error) {
	for {
		fd, err := syscall.Open(path, flags, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// fstatRetry is syscall.Fstat, retried on EINTR.
func fstatRetry(fd int, st *syscall.Stat_t) error {
	for {
		if err := syscall.Fstat(fd, st); err != syscall.EINTR {
			return err
		}
	}
}
