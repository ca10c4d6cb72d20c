package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

type codeActionParams struct {
	TextDocument struct {
		URI string `json:"uri"`
	} `json:"textDocument"`
	Range   lspRange `json:"range"`
	Context struct {
		Only []string `json:"only"`
	} `json:"context"`
}

// codeAction offers the fixes the analysis attaches to diagnostics under
// the range, plus "Ignore CODE for this line". The project is checked again
// so fixes always match the current buffers.
func (s *Server) codeAction(ctx context.Context, raw json.RawMessage) (any, error) {
	var p codeActionParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, badParams(err)
	}
	if len(p.Context.Only) > 0 {
		ok := false
		for _, k := range p.Context.Only {
			if k == "quickfix" || strings.HasPrefix("quickfix", k) {
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
	opts := s.analysisOptions()
	actions := []protocol.CodeAction{}
	seen := map[string]bool{}
	for _, proj := range s.projectsOf(path) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if isPython(path) {
			analysis.Inspect(proj).Boundary() // reads the package's .py/.pyi files into proj (python.go)
		}
		file := proj.File(path)
		if file == nil || !s.inWorkspace(path, proj) {
			continue
		}
		lines := file.Lines()
		start := lines.OffsetUTF16(span.Position{Line: p.Range.Start.Line, Character: p.Range.Start.Character})
		end := lines.OffsetUTF16(span.Position{Line: p.Range.End.Line, Character: p.Range.End.Character})
		linesOf := func(path string) *span.Lines {
			if f := proj.File(path); f != nil {
				return f.Lines()
			}
			return span.NewLines(nil)
		}
		for _, d := range analysis.Run(proj, opts) {
			if d.Path != path || d.Range.End < start || d.Range.Start > end {
				continue
			}
			ld := toLSP(d, linesOf, s.uriFor)
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
