//go:build unix

package project

import "syscall"

// openFlags makes opening a FIFO (or a device) return at once instead of
// waiting for a writer; ReadFile then refuses it as not a regular file.
// Regular files ignore O_NONBLOCK. O_NOCTTY: never become the controlling terminal.
const openFlags = syscall.O_NONBLOCK | syscall.O_NOCTTY
