//go:build darwin || ios || freebsd || netbsd

package project

import (
	"syscall"
	"time"
)

// statMtime is the modification time of an fstat (Mtimespec on the BSDs).
func statMtime(st *syscall.Stat_t) time.Time { return time.Unix(st.Mtimespec.Unix()) }
