//go:build !unix

package project

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
)

const openFlags = 0

// readOpen opens path, checks on the open file that it is a regular file
// (the same file as pre when set) within its MaxSize, and reads it. There
// is no O_NOFOLLOW here: without pre, the type is checked by a fresh Stat
// (ConfinedFS has resolved a final symlink already).
func readOpen(path string, noFollow bool, pre fs.FileInfo) ([]byte, error) {
	data, _, err := readOpenStat(path, noFollow, pre)
	return data, err
}

// readOpenStat is readOpen that also returns the open file's Stat.
func readOpenStat(path string, noFollow bool, pre fs.FileInfo) ([]byte, fs.FileInfo, error) {
	if pre == nil {
		st, err := os.Lstat(path)
		if err != nil {
			return nil, nil, err
		}
		if !st.Mode().IsRegular() {
			return nil, nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
		}
		pre = st
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() || !os.SameFile(pre, st) {
		return nil, nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	limit := MaxSize(path)
	if st.Size() > limit {
		return nil, nil, fmt.Errorf("%s: %w (%d bytes, limit %d)", path, ErrTooLarge, st.Size(), limit)
	}
	buf := bytes.NewBuffer(make([]byte, 0, st.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, nil, fmt.Errorf("%s: %w", path, ErrTooLarge)
	}
	return data, st, nil
}

func isLoop(err error) bool { return false }
