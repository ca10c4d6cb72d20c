package server

import (
	"os"
	"runtime/debug"
	"testing"
)

// A discovery pass collects like the CLI (GOGC=400 under a soft limit of
// at least passGCFloor) and gives the process's settings back at its end;
// nested passes (several servers in one process) restore once, at the last.
func TestPassGCSettingsRestored(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT set: passes leave the settings alone")
	}
	passGCState.mu.Lock()
	busy := passGCState.active > 0
	passGCState.mu.Unlock()
	if busy {
		t.Skip("another server's pass holds the settings")
	}
	percent := debug.SetGCPercent(150)
	defer debug.SetGCPercent(percent)
	limit := debug.SetMemoryLimit(1 << 40)
	defer debug.SetMemoryLimit(limit)

	a := startPassGC()
	b := startPassGC()
	if got := debug.SetGCPercent(passGCPercent); got != passGCPercent {
		t.Errorf("during a pass GOGC = %d, want %d", got, passGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got < passGCFloor || got >= 1<<40 {
		t.Errorf("during a pass the memory limit = %d, want >= %d", got, passGCFloor)
	}
	for range passGCEvery {
		a.tick()
	}
	a.stop()
	if got := debug.SetGCPercent(passGCPercent); got != passGCPercent {
		t.Errorf("one of two passes ended: GOGC = %d, want %d", got, passGCPercent)
	}
	b.stop()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("after the passes GOGC = %d, want 150", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("after the passes the memory limit = %d, want %d", got, int64(1<<40))
	}
	var none *passGC // GOGC or GOMEMLIMIT set
	none.tick()
	none.stop()
}
