package server

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"sort"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/pyo3-ls/pyo3-ls/internal/model"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
	"github.com/pyo3-ls/pyo3-ls/internal/tomldoc"
)

// Rename of the Python module name. The name the extension is imported as
// is written in up to four places, which must agree or `import` fails:
//
//   - [tool.maturin] module-name (its last dotted component),
//   - Cargo.toml [lib] name,
//   - the #[pymodule] function's identifier, or its #[pyo3(name = "...")] /
//     #[pymodule(name = "...")] when set,
//   - the stub `<name>.pyi` beside the extension (a file rename).
//
// Renaming at any of them renames every place that holds the same name, in
// one WorkspaceEdit.

// renameSite is the text of the name in one file (without quotes).
type renameSite struct {
	path   string
	r      span.Range
	rustID bool // a Rust identifier (the fn name): the new name must be one too
}

// moduleSites returns the places in p that write the module name old.
func moduleSites(p *project.Project, in *model.Project, old string) []renameSite {
	var out []renameSite
	// inner returns the range of the last dotted component inside a plain
	// (escape-free) TOML string whose value's last component is old.
	inner := func(f *project.SourceFile, st *tomldoc.Str) (span.Range, bool) {
		if f == nil || st == nil || st.Range.End > len(f.Src) || st.Range.End-st.Range.Start != len(st.Value)+2 {
			return span.Range{}, false
		}
		v := st.Value
		last := v
		if i := lastDot(v); i >= 0 {
			last = v[i+1:]
		}
		if last != old {
			return span.Range{}, false
		}
		end := st.Range.End - 1
		return span.Range{Start: end - len(last), End: end}, true
	}
	if pp := p.Pyproject; pp != nil && pp.ModuleName != nil {
		if r, ok := inner(p.PyprojectFile, pp.ModuleName); ok {
			out = append(out, renameSite{path: p.PyprojectFile.Path, r: r})
		}
	}
	if m := p.Manifest; m != nil && m.LibName != nil && m.LibName.Value == old {
		if r, ok := inner(p.ManifestFile, m.LibName); ok {
			out = append(out, renameSite{path: p.ManifestFile.Path, r: r})
		}
	}
	for _, m := range in.Modules {
		if !m.TopLevel() || m.Module.Name != old {
			continue
		}
		mod := m.Module
		if mod.NameSource != "" && !mod.NameCfg {
			r := mod.NameRange
			if r.End-r.Start == len(old)+2 {
				out = append(out, renameSite{path: m.File.Path, r: span.Range{Start: r.Start + 1, End: r.End - 1}})
			}
			continue
		}
		r := mod.IdentRange
		if mod.NameSource == "" && r.End-r.Start == len(old) && string(m.File.Src[r.Start:r.End]) == old {
			out = append(out, renameSite{path: m.File.Path, r: span.Range(r), rustID: true})
		}
	}
	return out
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

// stubOf returns the extension's stub when it is a file named old.pyi.
func stubOf(in *model.Project, old string) string {
	b := in.Boundary()
	if b == nil || b.Side == nil || b.Side.Stub == nil {
		return ""
	}
	if filepath.Base(b.Side.Stub.Path) != old+".pyi" {
		return ""
	}
	return b.Side.Stub.Path
}

// renameTarget finds the module-name site under the cursor.
func (s *Server) renameTarget(ctx context.Context, uri protocol.DocumentURI, pos protocol.Position) (*view, *renameSite, string, error) {
	path, ok := uriToPath(uri)
	if !ok {
		return nil, nil, "", jsonrpc2.Errorf(jsonrpc2.InvalidParams, "unsupported URI %q", uri)
	}
	for _, v := range s.views(ctx, path, true) {
		f := v.proj.File(path)
		if f == nil {
			continue
		}
		off := f.Lines().OffsetUTF16(spanPos(pos))
		in := model.New(v.proj)
		// The candidate names: the resolved module name and every #[pymodule]'s.
		names := []string{in.Module.Ext}
		for _, m := range in.Modules {
			if m.TopLevel() {
				names = append(names, m.Module.Name)
			}
		}
		for _, old := range names {
			if old == "" {
				continue
			}
			for _, site := range moduleSites(v.proj, in, old) {
				if site.path == path && off >= site.r.Start && off <= site.r.End {
					v := v
					site := site
					return &v, &site, old, nil
				}
			}
		}
	}
	return nil, nil, "", nil
}

func (s *Server) prepareRename(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.TextDocumentPositionParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, badParams(err)
	}
	v, site, old, err := s.renameTarget(ctx, p.TextDocument.URI, p.Position)
	if err != nil || site == nil {
		return nil, err
	}
	return map[string]any{"range": toLSPRange(v.proj.File(site.path).Lines(), site.r), "placeholder": old}, nil
}

var (
	identRe      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })
	pyKeywords   = map[string]bool{"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true, "async": true, "await": true, "break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true, "else": true, "except": true, "finally": true, "for": true, "from": true, "global": true, "if": true, "import": true, "in": true, "is": true, "lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true, "raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true}
	rustKeywords = map[string]bool{"as": true, "async": true, "await": true, "break": true, "const": true, "continue": true, "crate": true, "dyn": true, "else": true, "enum": true, "extern": true, "false": true, "fn": true, "for": true, "if": true, "impl": true, "in": true, "let": true, "loop": true, "match": true, "mod": true, "move": true, "mut": true, "pub": true, "ref": true, "return": true, "self": true, "Self": true, "static": true, "struct": true, "super": true, "trait": true, "true": true, "type": true, "unsafe": true, "use": true, "where": true, "while": true, "abstract": true, "become": true, "box": true, "do": true, "final": true, "macro": true, "override": true, "priv": true, "typeof": true, "unsized": true, "virtual": true, "yield": true, "try": true, "gen": true, "_": true}
)

func (s *Server) rename(ctx context.Context, raw json.RawMessage) (any, error) {
	var p protocol.RenameParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, badParams(err)
	}
	v, site, old, err := s.renameTarget(ctx, p.TextDocument.URI, p.Position)
	if err != nil {
		return nil, err
	}
	if site == nil {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "no Python module name here: rename works on [tool.maturin] module-name, Cargo [lib] name and the #[pymodule]")
	}
	name := p.NewName
	if !identRe().MatchString(name) || pyKeywords[name] {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%q is not a Python module name (an identifier that is not a keyword)", name)
	}
	in := model.New(v.proj)
	sites := moduleSites(v.proj, in, old)
	for _, st := range sites {
		if st.rustID && rustKeywords[name] {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%q is a Rust keyword: add #[pyo3(name = %q)] to the #[pymodule] instead", name, name)
		}
	}
	byPath := map[string][]protocol.TextEdit{}
	for _, st := range sites {
		f := v.proj.File(st.path)
		if f == nil || !s.inWorkspace(st.path, v.proj) {
			continue
		}
		byPath[st.path] = append(byPath[st.path], protocol.TextEdit{Range: toLSPRange(f.Lines(), st.r), NewText: name})
	}
	paths := make([]string, 0, len(byPath))
	for path := range byPath {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	stub := stubOf(in, old)
	s.mu.Lock()
	docChanges, renameFiles := s.caps.documentChanges, s.caps.renameFiles
	versions := map[string]int32{}
	for _, path := range paths {
		if d := s.docs[path]; d != nil {
			versions[path] = d.version
		}
	}
	s.mu.Unlock()
	if !docChanges {
		changes := map[string][]protocol.TextEdit{}
		for _, path := range paths {
			changes[s.uriFor(path)] = byPath[path]
		}
		return map[string]any{"changes": changes}, nil
	}
	var ops []any
	for _, path := range paths {
		var version any // null: the file as on disk
		if ver, ok := versions[path]; ok {
			version = ver
		}
		ops = append(ops, map[string]any{
			"textDocument": map[string]any{"uri": s.uriFor(path), "version": version},
			"edits":        byPath[path],
		})
	}
	if stub != "" && renameFiles && s.inWorkspace(stub, v.proj) {
		newStub := filepath.Join(filepath.Dir(stub), name+".pyi")
		ops = append(ops, map[string]any{"kind": "rename", "oldUri": s.uriFor(stub), "newUri": pathToURI(newStub),
			"options": map[string]any{"overwrite": false, "ignoreIfExists": false}})
	}
	return map[string]any{"documentChanges": ops}, nil
}
