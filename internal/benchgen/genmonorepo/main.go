// Command genmonorepo writes the synthetic benchmark trees of package
// benchgen: `genmonorepo monorepo DIR N` (a Cargo workspace of N maturin
// projects) or `genmonorepo project DIR NAME` (one standalone project).
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/pyo3-ls/pyo3-ls/internal/benchgen"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: genmonorepo monorepo DIR N | genmonorepo project DIR NAME")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "monorepo":
		n, cerr := strconv.Atoi(os.Args[3])
		if cerr != nil {
			fmt.Fprintln(os.Stderr, cerr)
			os.Exit(2)
		}
		_, err = benchgen.Monorepo(os.Args[2], n)
	case "project":
		err = benchgen.Project(os.Args[2], os.Args[3])
	default:
		err = fmt.Errorf("unknown kind %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
