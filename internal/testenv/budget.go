package testenv

import (
	"runtime/metrics"
	"testing"
	"time"
)

// Fuzz budgets: one fuzz input may use at most FuzzCPUBudget of CPU time
// and allocate at most FuzzAllocBudget bytes. A fuzzer that only looks for
// panics misses hangs and memory blow-ups (a 25,000-part dotted key, a
// "**" glob bomb): with a budget those are failures the fuzzer reports and
// minimises like a crash.
const (
	FuzzCPUBudget   = 1 * time.Second
	FuzzAllocBudget = 256 << 20
	// FuzzWallLimit catches hangs, which never return to be measured; it is
	// far above the CPU budget so a loaded machine cannot trip it.
	FuzzWallLimit = 30 * time.Second
)

var allocSample = []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}

func allocated() uint64 {
	metrics.Read(allocSample)
	if allocSample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return allocSample[0].Value.Uint64()
}

// Budget runs fn and fails t when it used more than FuzzCPUBudget of CPU
// time (all threads of the process: a fuzz worker runs one input at a
// time) or allocated more than FuzzAllocBudget bytes. Allocation is a
// count, not a sample, so that half of the budget never flakes; CPU time
// is not wall time, so a loaded machine does not make it flaky either.
func Budget(t testing.TB, what string, fn func()) {
	t.Helper()
	a0, c0 := allocated(), CPUTime()
	// A hang never returns to have its CPU time measured.
	finishWithin(t, what, FuzzWallLimit, fn)
	if d := allocated() - a0; d > FuzzAllocBudget {
		t.Fatalf("%s: allocated %d MB for one input (budget %d MB)", what, d>>20, FuzzAllocBudget>>20)
	}
	if c0 > 0 {
		if d := CPUTime() - c0; d > FuzzCPUBudget*cpuScale {
			t.Fatalf("%s: used %v of CPU for one input (budget %v)", what, d, FuzzCPUBudget*cpuScale)
		}
	}
}
