//go:build !linux

package project

import (
	"io/fs"
	"os"
)

var readDir = os.ReadDir

// readDirStat is readDir that also returns the directory's os.Stat (taken
// before the listing) when stat is set.
func readDirStat(path string, stat bool) ([]fs.DirEntry, fs.FileInfo, error) {
	var info fs.FileInfo
	if stat {
		st, err := os.Stat(path)
		if err != nil {
			return nil, nil, err
		}
		info = st
	}
	es, err := os.ReadDir(path)
	return es, info, err
}
