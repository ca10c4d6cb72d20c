// Package testenv holds what tests share about their environment.
//
// The default `go test ./...` stays fast (under 30 s on a 2-core machine);
// stress tests — huge trees, thousands of LSP edits — run only when the
// environment variable PYO3_LS_STRESS is set to a non-empty value other
// than "0". CI (.ci/run) sets it.
package testenv

import (
	"os"
	"testing"
	"time"
)

// StressVar is the environment variable that enables the stress tests.
const StressVar = "PYO3_LS_STRESS"

// Stress reports whether stress tests were asked for.
func Stress() bool {
	v := os.Getenv(StressVar)
	return v != "" && v != "0"
}

// SkipUnlessStress skips t unless PYO3_LS_STRESS asks for stress tests.
func SkipUnlessStress(t testing.TB, what string) {
	t.Helper()
	if !Stress() {
		t.Skipf("stress test (%s): set %s=1 to run it", what, StressVar)
	}
}

// HangLimit is how long NoHang waits before it calls a computation hung.
// It is a hang detector, not a speed check: quadratic work on the
// pathological inputs the tests feed would take hours, linear work takes
// well under a second, and a loaded CI machine must never make the test
// flaky. Speed is measured by the Benchmark* functions instead.
const HangLimit = 2 * time.Minute

// NoHang runs fn and fails t if it has not returned within HangLimit.
func NoHang(t testing.TB, what string, fn func()) {
	t.Helper()
	finishWithin(t, what, HangLimit, fn)
}

// finishWithin runs fn and fails t if it has not returned within limit.
func finishWithin(t testing.TB, what string, limit time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("%s: did not finish within %v (hang or super-linear work)", what, limit)
	}
}
