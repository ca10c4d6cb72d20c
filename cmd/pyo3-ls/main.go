// Command pyo3-ls checks PyO3/maturin projects (pyo3-ls check), explains its
// rules, and serves the Language Server (pyo3-ls serve).
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
