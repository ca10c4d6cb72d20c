package server

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/pyo3-ls/pyo3-ls/internal/facts"
	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/pyproject"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

var (
	keyStartRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*([A-Za-z0-9_-]*)$`) })
	enumValRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*([A-Za-z0-9_-]+)\s*=\s*("?)([^"]*)$`) })
	featuresRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^\s*features\s*=\s*\[`) })
	// inlineFeatRe: the line ends inside `features = [...` of an inline table.
	inlineFeatRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`features\s*=\s*\[[^\]]*$`) })
)

// completion works on the text (the document may not parse while typing):
// [tool.maturin] keys at the start of a line in that table, enum values
// after `key = `, and Cargo feature names inside `features = [...]`.
func (s *Server) completion(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.TextDocumentPositionParams
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
	if err != nil || c == nil {
		return nil, err
	}
	if filepath.Base(c.path) == "Cargo.toml" {
		return s.cargoCompletion(c), nil
	}
	if filepath.Base(c.path) != "pyproject.toml" {
		return nil, nil
	}
	src := c.file.Src
	lines := c.file.Lines()
	ln := lines.LineOf(c.off)
	prefix := string(src[lines.LineStart(ln):c.off])
	doc := docWithoutLine(src, lines.LineStart(ln))
	table, tableStart := tableAt(doc, lines.LineStart(ln))
	if table == "project" {
		if m := enumValRe().FindStringSubmatch(prefix); m != nil && m[1] == "requires-python" {
			return s.requiresPythonCompletion(c, m[2] == `"`), nil
		}
		return nil, nil
	}
	if table != "tool.maturin" {
		return nil, nil
	}
	items := []protocol.CompletionItem{}
	if m := keyStartRe().FindStringSubmatch(prefix); m != nil && !inFeatures(src[tableStart:c.off]) {
		// Never offer a key the table already has: the keys of the document
		// without the line being typed, and those of other lines that do
		// not parse yet (the tolerant parser keeps their keys as lost).
		present := map[string]bool{}
		if mt := doc.Root.LookupValue("tool", "maturin"); mt != nil && mt.Kind == tomldoc.Table {
			for _, e := range mt.Table.Entries {
				present[e.Key] = true
			}
			for _, k := range mt.LostKeys() {
				present[k] = true
			}
		}
		for _, k := range facts.SortedKeys(nil) {
			if present[k] {
				continue
			}
			spec := facts.MaturinKeys[k]
			items = append(items, protocol.CompletionItem{
				Label: k, Kind: protocol.CompletionItemKindProperty, Detail: spec.Type,
				Documentation: protocol.MarkupContent{Kind: protocol.Markdown, Value: spec.Doc},
				InsertText:    k,
			})
		}
		return &protocol.CompletionList{Items: items}, nil
	}
	if m := enumValRe().FindStringSubmatch(prefix); m != nil {
		if m[1] == "module-name" {
			return s.moduleNameCompletion(c, m[2] == `"`), nil
		}
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

// docWithoutLine parses src with the line starting at lineStart blanked
// out: the line being typed rarely parses, and the tolerant parser keeps
// everything else of the file, around any other broken line too.
func docWithoutLine(src []byte, lineStart int) *tomldoc.Document {
	b := append([]byte(nil), src...)
	for i := lineStart; i < len(b) && b[i] != '\n'; i++ {
		if b[i] != '\r' {
			b[i] = ' '
		}
	}
	doc, _ := tomldoc.Parse(b)
	return doc
}

// tableAt returns the dotted name of the [header] or [[header]] table whose
// header is the last one before off in the document, and where its header
// ends ("" and 0 for the root table).
func tableAt(doc *tomldoc.Document, off int) (string, int) {
	name, end, best := "", 0, -1
	var walk func(v *tomldoc.Value, path []string, depth int)
	walk = func(v *tomldoc.Value, path []string, depth int) {
		if v == nil || depth > 128 {
			return
		}
		switch v.Kind {
		case tomldoc.Table:
			if k := v.Table.Kind; (k == tomldoc.Header || k == tomldoc.ArrayElement) && v.Range.Start < off && v.Range.Start > best {
				best, end = v.Range.Start, v.Range.End
				name = strings.Join(path, ".")
			}
			if v.Table.Kind == tomldoc.Inline {
				return
			}
			for _, e := range v.Table.Entries {
				walk(e.Value, append(path[:len(path):len(path)], e.Key), depth+1)
			}
		case tomldoc.Array:
			if v.IsArrayOfTables() {
				for _, el := range v.Arr {
					walk(el, path, depth+1)
				}
			}
		}
	}
	if doc != nil {
		walk(doc.Root, nil, 0)
	}
	return name, end
}

// inFeatures reports whether the text ends inside an open `features = [`
// (a value still being typed, which no TOML parser can read yet).
func inFeatures(body []byte) bool {
	locs := featuresRe().FindAllIndex(body, -1)
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

func quoteIf(quoted bool, v string) string {
	if quoted {
		return v
	}
	return `"` + v + `"`
}

// moduleNameCompletion offers the names the #[pymodule]s export: bare, and
// inside the Python package when the project has one.
func (s *Server) moduleNameCompletion(c *cursor, quoted bool) *protocol.CompletionList {
	items := []protocol.CompletionItem{}
	if len(c.projects) == 0 {
		return &protocol.CompletionList{Items: items}
	}
	p := c.projects[0]
	in := model.New(p)
	pkg := ""
	if pp := p.Pyproject; pp != nil && pp.Name != nil {
		pkg = pyproject.NormalizeName(pp.Name.Value)
	}
	seen := map[string]bool{}
	for _, m := range in.Modules {
		if !m.TopLevel() || seen[m.Module.Name] {
			continue
		}
		seen[m.Module.Name] = true
		name := m.Module.Name
		detail := "#[pymodule] in " + p.Rel(m.File.Path)
		if pkg != "" && pkg != name && p.IsDir(filepath.Join(p.PythonRoot, pkg)) {
			full := pkg + "." + name
			items = append(items, protocol.CompletionItem{Label: full, Kind: protocol.CompletionItemKindModule, InsertText: quoteIf(quoted, full), Detail: detail + ", inside the package " + pkg + "/"})
		}
		items = append(items, protocol.CompletionItem{Label: name, Kind: protocol.CompletionItemKindModule, InsertText: quoteIf(quoted, name), Detail: detail})
	}
	return &protocol.CompletionList{Items: items}
}

// resolvedRow is the facts row of the project's PyO3 (the newest known one
// when it cannot be resolved).
func resolvedRow(p *project.Project) (*facts.PyO3, string) {
	row := facts.Latest()
	pkg := "pyo3"
	if p == nil || p.Manifest == nil {
		return row, pkg
	}
	in := model.New(p)
	if in.PyO3 != nil {
		pkg = in.PyO3.Dep.Key
		if v, _, ok := in.ResolvedPyO3(); ok {
			if r := facts.Lookup(v); r != nil {
				row = r
			}
		}
	}
	return row, pkg
}

// requiresPythonCompletion offers lower bounds within what the project's
// PyO3 supports, its oldest first.
func (s *Server) requiresPythonCompletion(c *cursor, quoted bool) *protocol.CompletionList {
	var p *project.Project
	if len(c.projects) > 0 {
		p = c.projects[0]
	}
	row, _ := resolvedRow(p)
	items := []protocol.CompletionItem{}
	for minor := row.CPythonMin; minor <= row.CPythonMax; minor++ {
		v := fmt.Sprintf(">=3.%d", minor)
		items = append(items, protocol.CompletionItem{
			Label: v, Kind: protocol.CompletionItemKindValue, InsertText: quoteIf(quoted, v), SortText: fmt.Sprintf("%02d", minor),
			Detail: fmt.Sprintf("PyO3 %s+ supports CPython 3.%d – 3.%d", row.From, row.CPythonMin, row.CPythonMax),
		})
	}
	return &protocol.CompletionList{Items: items}
}

// cargoCompletion offers the pyo3 dependency's features (the abi3 ones the
// resolved PyO3 has) inside its `features = [...]`.
func (s *Server) cargoCompletion(c *cursor) *protocol.CompletionList {
	src := c.file.Src
	lines := c.file.Lines()
	ln := lines.LineOf(c.off)
	lineText := string(src[lines.LineStart(ln):c.off])
	table, tableStart := tableAt(docWithoutLine(src, lines.LineStart(ln)), lines.LineStart(ln))
	inDep := false
	switch {
	case table == "dependencies.pyo3" || table == "workspace.dependencies.pyo3":
		inDep = inFeatures(src[tableStart:c.off])
	case table == "dependencies" || table == "workspace.dependencies":
		t := strings.TrimSpace(lineText)
		inDep = strings.HasPrefix(t, "pyo3") && !strings.HasPrefix(t, "pyo3-") && inlineFeatRe().MatchString(t)
	}
	if !inDep {
		return nil
	}
	var p *project.Project
	if len(c.projects) > 0 {
		p = c.projects[0]
	}
	row, _ := resolvedRow(p)
	quoted := strings.Count(lineText, `"`)%2 == 1
	items := []protocol.CompletionItem{}
	for _, f := range row.Abi3Features {
		items = append(items, protocol.CompletionItem{Label: f, Kind: protocol.CompletionItemKindValue, InsertText: quoteIf(quoted, f), Detail: "PyO3 " + row.From.String() + "+ stable ABI"})
	}
	return &protocol.CompletionList{Items: items}
}
