package model

import (
	"path/filepath"
	"strings"
)

// Layout says where maturin puts the extension (project_layout.rs
// ProjectLayout::determine).
type Layout struct {
	Mixed     bool   // <python root>/<first component> is a directory: a mixed Rust/Python layout
	PkgDir    string // <python root>/<first component>: the Python package directory
	ExtDir    string // where the extension file lands in a mixed layout
	FirstPart string // the first component of the module name
}

// Layout is computed once per snapshot (several rules and the hover ask).
func (in *Project) Layout() Layout {
	in.layoutOnce.Do(func() { in.lay = in.computeLayout() })
	return in.lay
}

func (in *Project) computeLayout() Layout {
	p := in.Snapshot
	parts := strings.Split(in.Module.Full, ".")
	l := Layout{FirstPart: parts[0], PkgDir: filepath.Join(p.PythonRoot, parts[0])}
	if p.IsDir(l.PkgDir) && !(p.IsFile(filepath.Join(l.PkgDir, "Cargo.toml")) && !p.IsFile(filepath.Join(l.PkgDir, "__init__.py"))) {
		l.Mixed = true
	}
	if len(parts) > 1 {
		l.ExtDir = filepath.Join(append([]string{p.PythonRoot}, parts[:len(parts)-1]...)...)
	} else {
		l.ExtDir = l.PkgDir
	}
	return l
}

// WheelLocation says where maturin puts the extension inside the wheel
// (binding_generator generate_binding): in a mixed layout beside the Python
// package (pkg/sub/_core for "pkg.sub._core", foo/foo for "foo"); in a
// pure-Rust layout in a generated package named after the extension, with any
// dotted prefix dropped (_core/_core). Path has no file suffix.
func (in *Project) WheelLocation() (path string, mixed bool, pkgDir string) {
	if !in.Module.Set {
		return "", false, ""
	}
	l := in.Layout()
	parts := strings.Split(in.Module.Full, ".")
	if l.Mixed {
		if len(parts) == 1 {
			return parts[0] + "/" + parts[0], true, l.PkgDir
		}
		return strings.Join(parts, "/"), true, l.PkgDir
	}
	return in.Module.Ext + "/" + in.Module.Ext, false, l.PkgDir
}
