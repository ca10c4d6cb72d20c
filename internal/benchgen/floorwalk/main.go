// Command floorwalk is the floor scripts/bench-compare measures pyo3-ls
// against: the least a checker of the same files must do. It walks each
// DIR like pyo3-ls's discovery (no symlinks followed; target/, .git/,
// node_modules/, virtualenvs and caches skipped) reading every directory,
// then reads each file named in the -files list (one path a line, relative
// to the working directory or absolute: the files pyo3-ls read) and adds up
// their bytes, so nothing is optimised away. Nothing is parsed.
//
//	floorwalk [-files LIST] DIR...
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

var skip = map[string]bool{
	"target": true, ".git": true, ".hg": true, ".svn": true, "node_modules": true,
	".venv": true, "venv": true, ".tox": true, ".nox": true, "__pycache__": true,
	"site-packages": true, ".mypy_cache": true, ".pytest_cache": true, ".ruff_cache": true,
}

func main() {
	list := flag.String("files", "", "file listing the files to read, one a line")
	flag.Parse()
	var dirs, files, bytes int
	var walk func(dir string)
	walk = func(dir string) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		dirs++
		for _, e := range entries {
			if e.IsDir() && !skip[e.Name()] {
				walk(dir + string(filepath.Separator) + e.Name())
			}
		}
	}
	for _, d := range flag.Args() {
		walk(filepath.Clean(d))
	}
	if *list != "" {
		f, err := os.Open(*list)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if b, err := os.ReadFile(sc.Text()); err == nil {
				files++
				bytes += len(b)
			}
		}
		f.Close()
	}
	fmt.Printf("%d directories, %d files, %d bytes\n", dirs, files, bytes)
}
