package server

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

var (
	headerRe   = regexp.MustCompile(`^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$`)
	keyStartRe = regexp.MustCompile(`^\s*([A-Za-z0-9_-]*)$`)
	enumValRe  = regexp.MustCompile(`^\s*([A-Za-z0-9_-]+)\s*=\s*("?)([^"]*)$`)
	featuresRe = regexp.MustCompile(`(?m)^\s*features\s*=\s*\[`)
)

// completion works on the text (the document may not parse while typing):
// [tool.maturin] keys at the start of a line in that table, enum values
// after `key = `, and Cargo feature names inside `features = [...]`.
func (s *Server) completion(ctx context.Context, raw json.RawMessage) (any, error) {
	var p posParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, badParams(err)
	}
	c, err := s.cursorAt(ctx, p.TextDocument.URI, p.Position)
	if err == nil && c != nil && isPython(c.path) {
		if l := s.pythonCompletion(c); l != nil { // python.go
			return l, nil
		}
		return nil, nil
	}
	if err != nil || c == nil || filepath.Base(c.path) != "pyproject.toml" {
		return nil, err
	}
	src := c.file.Src
	lines := c.file.Lines()
	ln := lines.LineOf(c.off)
	prefix := string(src[lines.LineStart(ln):c.off])
	table, tableStart := currentTable(src, lines.LineStart(ln))
	if table != "tool.maturin" {
		return nil, nil
	}
	items := []protocol.CompletionItem{}
	if m := keyStartRe.FindStringSubmatch(prefix); m != nil && !inFeatures(src[tableStart:c.off]) {
		for _, k := range facts.SortedKeys(nil) {
			spec := facts.MaturinKeys[k]
			items = append(items, protocol.CompletionItem{
				Label: k, Kind: protocol.CompletionItemKindProperty, Detail: spec.Type,
				Documentation: protocol.MarkupContent{Kind: protocol.Markdown, Value: spec.Doc},
				InsertText:    k,
			})
		}
		return &protocol.CompletionList{Items: items}, nil
	}
	if m := enumValRe.FindStringSubmatch(prefix); m != nil {
		spec, ok := facts.MaturinKey(m[1])
		if !ok || len(spec.Enum) == 0 || spec.Type != facts.TypeString {
			return nil, nil
		}
		quoted := m[2] == `"`
		for _, v := range spec.Enum {
			text := v
			if !quoted {
				text = `"` + v + `"`
			}
			items = append(items, protocol.CompletionItem{Label: v, Kind: protocol.CompletionItemKindEnumMember, InsertText: text, Detail: m[1]})
		}
		return &protocol.CompletionList{Items: items}, nil
	}
	if inFeatures(src[tableStart:c.off]) {
		quoted := strings.Count(prefix, `"`)%2 == 1
		for _, f := range s.featureNames(c) {
			text := f.name
			if !quoted {
				text = `"` + f.name + `"`
			}
			items = append(items, protocol.CompletionItem{Label: f.name, Kind: protocol.CompletionItemKindValue, InsertText: text, Detail: f.detail})
		}
		return &protocol.CompletionList{Items: items}, nil
	}
	return nil, nil
}

// currentTable returns the header name of the table holding the line that
// starts at off, and where that table's body starts.
func currentTable(src []byte, off int) (string, int) {
	text := string(src[:off])
	for off > 0 {
		start := strings.LastIndexByte(text[:off-1], '\n') + 1
		line := text[start : off-1]
		if m := headerRe.FindStringSubmatch(line); m != nil && !strings.Contains(line, "=") {
			name := strings.ReplaceAll(m[1], " ", "")
			name = strings.ReplaceAll(name, `"`, "")
			return name, off
		}
		off = start
	}
	return "", 0
}

// inFeatures reports whether the text ends inside an open `features = [`.
func inFeatures(body []byte) bool {
	locs := featuresRe.FindAllIndex(body, -1)
	if len(locs) == 0 {
		return false
	}
	rest := body[locs[len(locs)-1][1]:]
	depth := 1
	inStr := false
	for _, ch := range rest {
		switch {
		case ch == '"':
			inStr = !inStr
		case inStr:
		case ch == '[':
			depth++
		case ch == ']':
			depth--
			if depth == 0 {
				return false
			}
		}
	}
	return true
}

type featureName struct{ name, detail string }

// featureNames lists the crate's [features] and the pyo3 abi3 features of
// the resolved PyO3 version (the newest known one when unresolved).
func (s *Server) featureNames(c *cursor) []featureName {
	var out []featureName
	var m *project.Project
	if len(c.projects) > 0 {
		m = c.projects[0]
	} else {
		m = project.Load(s.loader, c.path)
	}
	row := facts.Latest()
	pkg := "pyo3"
	man := m.Manifest
	if man == nil {
		// pyproject.toml does not parse while being edited: use the Cargo.toml beside it.
		_, man = s.loader.Manifest(filepath.Join(filepath.Dir(c.path), "Cargo.toml"))
	}
	if man != nil {
		names := make([]string, 0, len(man.Features))
		for n := range man.Features {
			if n != "default" {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, featureName{n, "feature of " + m.Rel(man.Path)})
		}
		in := model.New(m)
		if in.PyO3 != nil {
			pkg = in.PyO3.Dep.Key
			if v, _, ok := in.ResolvedPyO3(); ok {
				if r := facts.Lookup(v); r != nil {
					row = r
				}
			}
		}
	}
	for _, f := range row.Abi3Features {
		out = append(out, featureName{pkg + "/" + f, "PyO3 " + row.From.String() + "+ stable ABI"})
	}
	return out
}
