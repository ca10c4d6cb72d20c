package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
)

// maxFixPasses bounds the check-fix-recheck passes (ruff uses 100 too).
const maxFixPasses = 100

// fixResult is the outcome of applying fixes in memory.
type fixResult struct {
	orig, final  map[string][]byte // original and fixed contents of each touched file
	applied      int               // fixes applied
	notConverged bool
	warnings     []string
}

// changed lists the files whose contents the fixes changed, sorted.
func (r *fixResult) changed() []string {
	var out []string
	for p, b := range r.final {
		if !bytes.Equal(b, r.orig[p]) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// applyFixes applies the fixes the diagnostics offer, the same
// analysis.Fix values the language server sends as code actions: on each
// pass it checks the projects (through an overlay holding the fixed
// contents so far), takes one fix per diagnostic (the preferred one, among
// the safe ones unless unsafe is set) that does not touch an edit already
// taken on this pass, and applies them; it stops when a pass finds nothing
// to apply. A fix is applied at most once for a given diagnostic, so a fix
// that does not remove its diagnostic cannot loop. Edits only go to files
// of the project inside its directory or its crate's directory (after
// resolving symlinks). With write set, the changed files are then written
// atomically.
func applyFixes(ck *checker, unsafe, write bool) (*fixResult, error) {
	ov := project.NewOverlay(project.OSFS{})
	r := &fixResult{orig: map[string][]byte{}, final: map[string][]byte{}}
	tried := map[string]bool{}
	warned := map[string]bool{}
	pass := 0
	for ; pass < maxFixPasses; pass++ {
		res, err := ck.check(ov, false)
		if err != nil {
			return nil, err
		}
		allowed := map[string]bool{}
		for _, p := range res.Projects {
			for _, f := range p.Files() {
				if f.Src != nil && f.ReadErr == nil && res.Files[f.Path] != nil && insideProject(p, f.Path) {
					allowed[f.Path] = true
				}
			}
		}
		var taken []analysis.Edit
		var takenDiags []analysis.Diagnostic
		byFile := map[string][]analysis.Edit{}
		n := 0
		for _, d := range res.Diagnostics {
			fix, ok := analysis.ChooseFix(d, unsafe)
			if !ok {
				continue
			}
			key := fixKey(res, d, fix)
			if tried[key] {
				continue
			}
			if alternative(d, takenDiags) {
				continue
			}
			ok = true
			for _, e := range fix.Edits {
				if !allowed[e.Path] {
					ok = false
					if w := fmt.Sprintf("%s: the fix %q of %s edits %s, outside the project; not applied", d.Path, fix.Title, d.Code, e.Path); !warned[w] {
						warned[w] = true
						r.warnings = append(r.warnings, w)
					}
					break
				}
				for _, t := range taken {
					if analysis.EditsOverlap(e, t) {
						ok = false
					}
				}
			}
			if !ok {
				continue
			}
			tried[key] = true
			taken = append(taken, fix.Edits...)
			takenDiags = append(takenDiags, d)
			for _, e := range fix.Edits {
				byFile[e.Path] = append(byFile[e.Path], e)
			}
			n++
		}
		if n == 0 {
			break
		}
		for path, edits := range byFile {
			src := res.Files[path].Src
			if _, seen := r.orig[path]; !seen {
				r.orig[path] = append([]byte(nil), src...)
			}
			out, err := analysis.ApplyEdits(src, edits)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", path, err)
			}
			r.final[path] = out
			ov.Set(path, out)
		}
		r.applied += n
	}
	r.notConverged = pass == maxFixPasses
	if write {
		for _, path := range r.changed() {
			if err := writeAtomic(path, r.orig[path], r.final[path]); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// fixKey identifies a diagnostic's fix across passes (offsets move when
// earlier fixes change the file, so it names the line's text instead).
func fixKey(res *analysis.Result, d analysis.Diagnostic, f analysis.Fix) string {
	line := ""
	if sf := res.Files[d.Path]; sf != nil {
		l := sf.Lines()
		line = l.LineText(l.LineOf(d.Range.Start))
	}
	return strings.Join([]string{d.Path, d.Code, d.Message, f.Title, line}, "\x00")
}

// alternative reports whether d and an already taken diagnostic of the same
// rule point at each other (N001 reports both ends of a mismatch, each with
// a fix that renames its own end: applying both would swap the names).
func alternative(d analysis.Diagnostic, taken []analysis.Diagnostic) bool {
	for _, t := range taken {
		if t.Code != d.Code {
			continue
		}
		for _, r := range d.Related {
			if r.Path == t.Path && r.Range == t.Range {
				return true
			}
		}
		for _, r := range t.Related {
			if r.Path == d.Path && r.Range == d.Range {
				return true
			}
		}
	}
	return false
}

// insideProject reports whether path, with symlinks resolved, lies in the
// project's directory or in its crate's directory.
func insideProject(p *project.Project, path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	dirs := []string{p.Dir}
	if p.ManifestPath != "" {
		dirs = append(dirs, filepath.Dir(p.ManifestPath))
	}
	for _, d := range dirs {
		rd, err := filepath.EvalSymlinks(d)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(rd, real); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
			return true
		}
	}
	return false
}

// writeAtomic replaces path's contents with data: it writes a temporary
// file in the same directory with the original's permissions, syncs it and
// renames it over the (symlink-resolved) original, so a reader sees the old
// or the new file, never half of one. It refuses when the file changed
// since it was read.
func writeAtomic(path string, orig, data []byte) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(real)
	if err != nil {
		return err
	}
	cur, err := os.ReadFile(real)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, orig) {
		return fmt.Errorf("%s changed while it was being fixed; not written", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(real), "."+filepath.Base(real)+".pyo3-ls-*")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), real); err != nil {
		return err
	}
	ok = true
	return nil
}

// writeDiffs prints a unified diff (paths relative to cwd, a/ and b/
// prefixes, as git and patch -p1 read them) of every changed file and
// returns how many files it covers.
func writeDiffs(w io.Writer, cwd string, r *fixResult) (int, error) {
	files := r.changed()
	for _, path := range files {
		rel := path
		if cwd != "" {
			if x, err := filepath.Rel(cwd, path); err == nil {
				rel = x
			}
		}
		rel = filepath.ToSlash(rel)
		if _, err := io.WriteString(w, unifiedDiff("a/"+rel, "b/"+rel, r.orig[path], r.final[path])); err != nil {
			return 0, err
		}
	}
	return len(files), nil
}
