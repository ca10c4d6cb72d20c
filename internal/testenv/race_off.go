//go:build !race

package testenv

const cpuScale = 1
