package project

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

var lockPath = filepath.Join("..", "..", "testdata", "rules", "C004", "pass", "Cargo.lock")

// BenchmarkOSFSReadFile reads a 5 KB Cargo.lock through OSFS.
func BenchmarkOSFSReadFile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (OSFS{}).ReadFile(lockPath); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAllBaseline is the previous OSFS.ReadFile body (io.ReadAll
// from a 512-byte start), for comparison.
func BenchmarkReadAllBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(lockPath)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.Stat(); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1)); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
