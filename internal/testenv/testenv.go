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
