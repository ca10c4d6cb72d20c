package server

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
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
		file := proj.File(path)
		if file == nil {
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
			for _, fx := range d.Fixes {
				key := d.Code + "\x00" + fx.Title
				if seen[key] {
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
					IsPreferred: fx.Preferred || len(d.Fixes) == 1, Edit: edit,
				})
			}
			key := "ignore\x00" + d.Code + fmt.Sprint(lines.LineOf(d.Range.Start))
			if seen[key] {
				continue
			}
			seen[key] = true
			if te, ok := ignoreEdit(file, d); ok {
				actions = append(actions, protocol.CodeAction{
					Title: fmt.Sprintf("Ignore %s for this line", d.Code), Kind: protocol.QuickFix,
					Diagnostics: []protocol.Diagnostic{ld},
					Edit:        &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{protocol.DocumentURI(s.uriFor(path)): {te}}},
				})
			}
		}
	}
	return actions, nil
}

var existingDirective = regexp.MustCompile(`pyo3-ls:\s*ignore\[([^\]]*)\]`)

// ignoreEdit inserts a suppression comment for d (the syntax of
// internal/analysis/suppress.go): at the end of a TOML line, on its own
// line above a Rust line; a directive already there gets the code added.
func ignoreEdit(f *project.SourceFile, d analysis.Diagnostic) (protocol.TextEdit, bool) {
	lines := f.Lines()
	ln := lines.LineOf(d.Range.Start)
	text := lines.LineText(ln)
	lineStart := lines.LineStart(ln)
	at := func(off int) protocol.Range { return toLSPRange(lines, span.Range{Start: off, End: off}) }
	addTo := func(lineText string, lineOff int) (protocol.TextEdit, bool) {
		m := existingDirective.FindStringSubmatchIndex(lineText)
		if m == nil {
			return protocol.TextEdit{}, false
		}
		inner := strings.TrimSpace(lineText[m[2]:m[3]])
		insert := ", " + d.Code
		if inner == "" {
			insert = d.Code
		}
		return protocol.TextEdit{Range: at(lineOff + m[3]), NewText: insert}, true
	}
	if strings.HasSuffix(f.Path, ".rs") {
		if ln > 0 {
			prev := lines.LineText(ln - 1)
			if strings.HasPrefix(strings.TrimSpace(prev), "//") {
				if te, ok := addTo(prev, lines.LineStart(ln-1)); ok {
					return te, true
				}
			}
		}
		indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
		return protocol.TextEdit{Range: at(lineStart), NewText: fmt.Sprintf("%s// pyo3-ls: ignore[%s]\n", indent, d.Code)}, true
	}
	if te, ok := addTo(text, lineStart); ok {
		return te, true
	}
	end := lineStart + len(text)
	return protocol.TextEdit{Range: at(end), NewText: fmt.Sprintf("  # pyo3-ls: ignore[%s]", d.Code)}, true
}
