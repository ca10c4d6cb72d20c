//go:build unix && !darwin && !ios && !freebsd && !netbsd

package project

import (
	"syscall"
	"time"
)

// statMtime is the modification time of an fstat (Mtim on Linux and most
// other Unixes).
func statMtime(st *syscall.Stat_t) time.Time { return time.Unix(st.Mtim.Unix()) }
