package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// codeAction offers the fixes the analysis attached to the diagnostics the
// request is about, plus "Suppress CODE on this line". A diagnostic is
// about the request when the client names it in the context, when it
// overlaps the range, or when it sits on a line the range touches: Neovim,
// Helix and eglot ask with the cursor at column 1 of the offending line.
// The fixes come from the latest analysis (views), once it has seen every
// edit made before the request, so they apply to the client's text.
func (s *Server) codeAction(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.CodeActionParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, badParams(err)
	}
	if len(p.Context.Only) > 0 {
		ok := false
		for _, k := range p.Context.Only {
			if k == protocol.QuickFix || strings.HasPrefix(string(protocol.QuickFix), string(k)) {
				ok = true
			}
		}
		if !ok {
			return []protocol.CodeAction{}, nil
		}
	}
	path, ok := uriToPath(p.TextDocument.URI)
	if !ok {
		return nil, badParams(fmt.Errorf("unsupported URI %q", p.TextDocument.URI))
	}
	type named struct {
		r    protocol.Range
		code string
	}
	inContext := map[named]bool{}
	for _, cd := range p.Context.Diagnostics {
		if code, ok := cd.Code.(string); ok && code != "" {
			inContext[named{cd.Range, code}] = true
		}
	}
	firstLine, lastLine := p.Range.Start.Line, p.Range.End.Line
	if lastLine < firstLine {
		firstLine, lastLine = lastLine, firstLine
	}
	actions := []protocol.CodeAction{}
	seen := map[string]bool{}
	for _, v := range s.views(ctx, path, true) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		proj := v.proj
		if isPython(path) {
			model.New(proj).Boundary() // reads the package's .py/.pyi files into proj (python.go)
		}
		file := proj.File(path)
		if file == nil || !s.inWorkspace(path, proj) {
			continue
		}
		lines := file.Lines()
		start := lines.OffsetUTF16(spanPos(p.Range.Start))
		end := lines.OffsetUTF16(spanPos(p.Range.End))
		if end < start {
			start, end = end, start
		}
		linesOf := func(path string) *span.Lines {
			if f := proj.File(path); f != nil {
				return f.Lines()
			}
			return span.NewLines(nil)
		}
		for _, d := range v.diags {
			if d.Path != path {
				continue
			}
			ld := toLSP(d, linesOf, s.uriFor)
			r := ld.Range
			overlaps := d.Range.End >= start && d.Range.Start <= end
			onLine := r.Start.Line <= lastLine && r.End.Line >= firstLine
			if !overlaps && !onLine && !inContext[named{r, d.Code}] {
				continue
			}
			fixes := d.Fixes
			if sf, ok := analysis.SuppressFix(file, d); ok {
				fixes = append(fixes[:len(fixes):len(fixes)], sf)
			}
			for i, fx := range fixes {
				key := d.Code + "\x00" + fx.Title
				if i == len(d.Fixes) {
					key += fmt.Sprint(lines.LineOf(d.Range.Start)) // one "ignore" per line and code
				}
				if seen[key] || !s.editsInWorkspace(fx, proj) {
					continue
				}
				seen[key] = true
				edit := &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{}}
				for _, e := range fx.Edits {
					u := protocol.DocumentURI(s.uriFor(e.Path))
					edit.Changes[u] = append(edit.Changes[u], protocol.TextEdit{Range: toLSPRange(linesOf(e.Path), e.Range), NewText: e.NewText})
				}
				actions = append(actions, protocol.CodeAction{
					Title: fx.Title, Kind: protocol.QuickFix, Diagnostics: []protocol.Diagnostic{ld},
					IsPreferred: i < len(d.Fixes) && (fx.Preferred || len(d.Fixes) == 1), Edit: edit,
				})
			}
		}
	}
	return actions, nil
}

// editsInWorkspace reports whether every edit of fx stays in the workspace
// folders: a fix never offers to edit a file outside them.
func (s *Server) editsInWorkspace(fx analysis.Fix, p *project.Project) bool {
	for _, e := range fx.Edits {
		if !s.inWorkspace(e.Path, p) {
			return false
		}
	}
	return true
}
