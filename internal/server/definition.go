package server

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

func (s *Server) location(p *project.Project, path string, r span.Range) protocol.Location {
	var lines *span.Lines
	if f := p.File(path); f != nil {
		lines = f.Lines()
	} else {
		lines = span.NewLines(nil)
	}
	return protocol.Location{URI: protocol.DocumentURI(s.uriFor(path)), Range: toLSPRange(lines, r)}
}

// definition: module-name / [lib] name ↔ the #[pymodule]; a [tool.maturin]
// features entry → its [features] line in Cargo.toml (or the dependency);
// manifest-path → Cargo.toml; python-source → the Python package.
func (s *Server) definition(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.TextDocumentPositionParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, badParams(err)
	}
	c, err := s.cursorAt(ctx, p.TextDocument.URI, p.Position)
	if err != nil || c == nil {
		return nil, err
	}
	locs := []protocol.Location{}
	if isPython(c.path) {
		if l := s.pythonDefinition(c); l != nil { // python.go
			return l, nil
		}
		return locs, nil
	}
	for _, proj := range c.projects {
		in := model.New(proj)
		locs = append(locs, s.definitionIn(c, proj, in)...)
		if len(locs) > 0 {
			break
		}
	}
	return locs, nil
}

func (s *Server) definitionIn(c *cursor, p *project.Project, in *model.Project) []protocol.Location {
	var out []protocol.Location
	toModules := func() {
		var all, match []protocol.Location
		for _, m := range in.Modules {
			if !m.TopLevel() {
				continue
			}
			l := s.location(p, m.File.Path, m.Module.IdentRange)
			all = append(all, l)
			if m.Module.Name == in.Module.Ext {
				match = append(match, l)
			}
		}
		if len(match) > 0 {
			out = match
		} else {
			out = all
		}
	}
	if strings.HasSuffix(c.path, ".rs") {
		for _, m := range in.Modules {
			mod := m.Module
			if m.File.Path != c.path || c.off < mod.AttrRange.Start || c.off > max(mod.IdentRange.End, mod.NameRange.End) {
				continue
			}
			if in.Module.Set {
				out = append(out, s.location(p, in.Module.Loc.Path, in.Module.Loc.Range))
			}
			return out
		}
		return s.rustToStubDefinition(c) // python.go
	}
	h := findTOML(c.file.Doc, c.off)
	if h == nil {
		return nil
	}
	switch {
	case c.path == p.PyprojectFile.Path && h.under("tool", "maturin", "module-name"),
		c.path == p.ManifestPath && h.under("lib", "name"),
		c.path == p.PyprojectFile.Path && h.under("project", "name") && in.Module.Source == model.FromProjectName:
		toModules()
	case c.path == p.PyprojectFile.Path && h.under("tool", "maturin", "features") && h.Value != nil && h.Value.Kind == tomldoc.String:
		name := h.Value.Str
		if dep, _, ok := strings.Cut(name, "/"); ok {
			if p.Manifest != nil {
				if d := p.Manifest.DepByKey(strings.TrimSuffix(dep, "?")); d != nil {
					out = append(out, s.location(p, p.ManifestPath, d.KeyRange))
				}
			}
		} else if p.Manifest != nil {
			if f := p.Manifest.Features[name]; f != nil {
				out = append(out, s.location(p, p.ManifestPath, f.Entry.KeyRange))
			}
		}
	case c.path == p.PyprojectFile.Path && h.under("tool", "maturin", "manifest-path"):
		if p.IsFile(p.ManifestPath) {
			out = append(out, protocol.Location{URI: protocol.DocumentURI(s.uriFor(p.ManifestPath))})
		}
	case c.path == p.PyprojectFile.Path && h.under("tool", "maturin", "python-source"):
		target := p.PythonRoot
		if in.Module.Set {
			pkg := filepath.Join(p.PythonRoot, strings.Split(in.Module.Full, ".")[0])
			if init := filepath.Join(pkg, "__init__.py"); p.IsFile(init) {
				target = init
			} else if p.IsDir(pkg) {
				target = pkg
			}
		}
		if _, err := p.FS.Stat(target); err == nil {
			out = append(out, protocol.Location{URI: protocol.DocumentURI(s.uriFor(target))})
		}
	}
	return out
}

// documentSymbol outlines pyproject.toml's maturin-relevant tables.
func (s *Server) documentSymbol(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.DocumentSymbolParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, badParams(err)
	}
	c, err := s.cursorAt(ctx, p.TextDocument.URI, protocol.Position{})
	if err != nil || c == nil || c.file.Doc == nil || filepath.Base(c.path) != "pyproject.toml" {
		return []protocol.DocumentSymbol{}, err
	}
	lines := c.file.Lines()
	rng := func(r span.Range) protocol.Range { return toLSPRange(lines, r) }
	var sym func(name string, e *tomldoc.Entry, depth int) protocol.DocumentSymbol
	sym = func(name string, e *tomldoc.Entry, depth int) protocol.DocumentSymbol {
		full := span.Range{Start: e.KeyRange.Start, End: tableEnd(e.Value)}
		if e.Value.Range.Start < full.Start && !e.Value.Range.IsZero() {
			full.Start = e.Value.Range.Start
		}
		ds := protocol.DocumentSymbol{Name: name, Kind: protocol.SymbolKindProperty, Range: rng(full), SelectionRange: rng(e.KeyRange)}
		if e.Value.Kind == tomldoc.Table {
			ds.Kind = protocol.SymbolKindNamespace
			if depth < 3 {
				for _, ch := range e.Value.Table.Entries {
					ds.Children = append(ds.Children, sym(ch.Key, ch, depth+1))
				}
			}
		} else {
			ds.Detail = e.Value.TypeName()
		}
		return ds
	}
	out := []protocol.DocumentSymbol{}
	root := c.file.Doc.Root
	for _, path := range [][]string{{"build-system"}, {"project"}, {"tool", "maturin"}, {"tool", "pyo3-ls"}} {
		e := root.Lookup(path...)
		if e == nil || e.Value == nil || e.Value.Kind != tomldoc.Table {
			continue
		}
		out = append(out, sym(strings.Join(path, "."), e, 1))
	}
	return out, nil
}
