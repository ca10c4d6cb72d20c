package server

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// A discovery pass (the initial analysis of a workspace, a new folder) is a
// one-shot check of many projects: like `pyo3-ls check` (tuneGC in
// cmd/pyo3-ls), it collects at 5x the live heap instead of 2x, under a
// soft memory limit that keeps the process near the CLI's peak. The limit
// follows the live heap (at least twice it, see passGC.adjust), so a
// workspace that keeps more than the floor alive is never collected more
// often than with the default settings. Outside such passes (keystrokes,
// requests) the settings are the process's own again. Nothing changes when
// GOGC or GOMEMLIMIT is set.
//
// 10,000-project monorepo, pyo3-ls serve until the initial analysis is
// over: ~4.0 s CPU at 85 MB -> ~3.5 s at ~120 MB (pyo3-ls check: ~2.3 s,
// ~100 MB).

const (
	passGCPercent = 400
	passGCFloor   = 128 << 20 // bytes: the soft limit when little is live
	passGCEvery   = 64        // projects between two limit adjustments
)

// passGCState is shared by every Server of the process (the settings are
// the process's): the first pass to start saves the settings, the last to
// end restores them.
var passGCState struct {
	mu           sync.Mutex
	active       int
	percent      int
	limit        int64
	disabledOnce sync.Once
	disabled     bool
}

// passGC is one discovery pass's hold on the GC settings (nil: none).
type passGC struct{ n int }

func startPassGC() *passGC {
	st := &passGCState
	st.disabledOnce.Do(func() {
		st.disabled = os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != ""
	})
	if st.disabled {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.active == 0 {
		st.limit = debug.SetMemoryLimit(-1)
		adjustPassLimit()
		st.percent = debug.SetGCPercent(passGCPercent)
	}
	st.active++
	return &passGC{}
}

// tick is called per project analysed; every passGCEvery projects the
// limit follows the live heap.
func (g *passGC) tick() {
	if g == nil {
		return
	}
	g.n++
	if g.n%passGCEvery != 0 {
		return
	}
	st := &passGCState
	st.mu.Lock()
	if st.active > 0 {
		adjustPassLimit()
	}
	st.mu.Unlock()
}

// stop gives the settings back (the last pass to end restores them).
func (g *passGC) stop() {
	if g == nil {
		return
	}
	st := &passGCState
	st.mu.Lock()
	st.active--
	if st.active == 0 {
		debug.SetGCPercent(st.percent)
		debug.SetMemoryLimit(st.limit)
	}
	st.mu.Unlock()
}

// adjustPassLimit sets the soft memory limit to the larger of the floor
// and twice the live heap (what GOGC=100 would allow); passGCState.mu held.
func adjustPassLimit() {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	var live int64
	if s[0].Value.Kind() == metrics.KindUint64 {
		live = int64(s[0].Value.Uint64())
	}
	debug.SetMemoryLimit(max(passGCFloor, 2*live))
}
