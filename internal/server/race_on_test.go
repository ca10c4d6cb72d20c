//go:build race

package server_test

// raceEnabled scales the load test down under the race detector (5-10x slower).
const raceEnabled = true
