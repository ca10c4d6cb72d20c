package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY opens a pseudo-terminal pair (Linux /dev/ptmx).
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		t.Skipf("unlockpt: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		t.Skipf("ptsname: %v", e)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pts: %v", err)
	}
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

// TestBinBareOnTerminal: plain `pyo3-ls` with a terminal on stdin says on
// stderr, in one line, that it waits as a language server; with a pipe (how
// editors start it) it says nothing of the kind and serves.
func TestBinBareOnTerminal(t *testing.T) {
	_, slave := openPTY(t)
	cmd := exec.Command(pyo3ls(t))
	cmd.Stdin = slave
	stderr, _ := cmd.StderrPipe()
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stderr).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, stderr)
	}()
	select {
	case line := <-lines:
		if !strings.Contains(line, "waiting for a language client") || !strings.Contains(line, "pyo3-ls check") {
			t.Errorf("first stderr line %q", line)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no hint on stderr")
	}
	cmd.Process.Kill()
	cmd.Wait() // stdout is only read once the copy into it has finished
	if stdout.Len() != 0 {
		t.Errorf("stdout (the protocol channel) got %q", stdout.String())
	}

	// Through a pipe: no hint; the server reads EOF and stops.
	_, _, errOut := runBin(t, "", nil)
	if strings.Contains(errOut, "waiting for a language client") {
		t.Errorf("hint printed without a terminal: %s", errOut)
	}
}

// TestBinColorAutoOnTerminal: --color auto colors a terminal unless NO_COLOR
// is set (to anything non-empty).
func TestBinColorAutoOnTerminal(t *testing.T) {
	dir := fixtureDir(t, "N001/fail-fn-name")
	for _, tc := range []struct {
		env   []string
		args  []string
		color bool
	}{
		{nil, nil, true},
		{nil, []string{"--color", "auto"}, true},
		{[]string{"NO_COLOR=1"}, nil, false},
		{nil, []string{"--color", "never"}, false},
	} {
		master, slave := openPTY(t)
		cmd := exec.Command(pyo3ls(t), append(append([]string{"check"}, tc.args...), dir)...)
		cmd.Env = append(os.Environ(), tc.env...)
		if tc.env == nil {
			cmd.Env = nil
			for _, e := range os.Environ() {
				if !strings.HasPrefix(e, "NO_COLOR=") {
					cmd.Env = append(cmd.Env, e)
				}
			}
		}
		cmd.Stdout = slave
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		slave.Close()
		out, _ := io.ReadAll(master) // EIO once the slave side is closed and drained
		if got := bytes.Contains(out, []byte("\x1b[1;31m")); got != tc.color || !bytes.Contains(out, []byte("N001")) {
			t.Errorf("env %v args %v: colored %v, want %v:\n%q", tc.env, tc.args, got, tc.color, out)
		}
	}
}
