// This file keeps editors/vscode (and the Go code some npm packages ship in
// node_modules) out of the pyo3-ls module, so `go test ./...` at the root
// does not pick it up.
module github.com/pyo3-ls/pyo3-ls/editors/vscode

go 1.26
