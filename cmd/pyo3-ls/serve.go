package main

import (
	"fmt"
	"io"
)

func serveMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "pyo3-ls: the language server is not built yet")
	return 2
}
