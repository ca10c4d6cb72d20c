//go:build race

package testenv

// cpuScale widens the CPU budget under the race detector (5-10x slower).
const cpuScale = 10
