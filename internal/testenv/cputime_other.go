//go:build !unix

package testenv

import "time"

// cpuTime is not measured here: only the allocation budget applies.
func cpuTime() time.Duration { return 0 }
