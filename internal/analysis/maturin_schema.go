package analysis

import "github.com/pyo3-ls/pyo3-ls/internal/tomldoc"

func checkMaturinTypes(p *Pass, path string, tbl *tomldoc.Value) {}
