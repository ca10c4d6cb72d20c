package analysis

import (
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"unicode/utf8"
)

// MaxQuoted is the most characters of one quoted token (`...` or "...")
// without white space a message shows; longer tokens are cut with "…". A
// value taken from a file (a TOML token, a name, a path, a key) is never
// printed whole when it is long, so a report cannot carry a secret's value.
// Quoted text with spaces — mostly maturin's and PyO3's own messages, which
// rules quote — is cut at MaxQuotedText.
const (
	MaxQuoted     = 40
	MaxQuotedText = 200
)

// capQuoted cuts every quoted token of msg longer than MaxQuoted characters.
// Tokens are delimited by backticks or by double quotes (a backslash escapes
// a double quote inside, as %q writes it); an unclosed quote runs to the end.
func capQuoted(msg string) string {
	if len(msg) <= MaxQuoted+2 { // nothing quoted can be too long
		return msg
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(msg); {
		c := msg[i]
		if c != '`' && c != '"' {
			b.WriteByte(c)
			i++
			continue
		}
		// find the closing quote
		j := i + 1
		for j < len(msg) && msg[j] != c {
			if c == '"' && msg[j] == '\\' && j+1 < len(msg) {
				j++
			}
			j++
		}
		body := msg[i+1 : j]
		b.WriteByte(c)
		limit := MaxQuoted
		if strings.ContainsAny(body, " \t") {
			limit = MaxQuotedText
		}
		cut := utf8.RuneCountInString(body) > limit
		if cut {
			n := 0
			for k := range body {
				if n == limit {
					body = body[:k]
					break
				}
				n++
			}
			b.WriteString(body)
			b.WriteString("…")
			changed = true
		} else {
			b.WriteString(body)
		}
		if j < len(msg) {
			b.WriteByte(c)
			j++
		} else if cut {
			b.WriteByte(c) // close what the cut token opened
		}
		i = j
	}
	if !changed {
		return msg
	}
	return b.String()
}

// capMessages caps the quoted tokens of a diagnostic's messages and fix titles.
func capMessages(d *Diagnostic) {
	d.Message = capQuoted(d.Message)
	if d.Related != nil {
		rel := make([]Related, len(d.Related))
		for i, r := range d.Related {
			r.Message = capQuoted(r.Message)
			rel[i] = r
		}
		d.Related = rel
	}
	if d.Fixes != nil {
		fixes := make([]Fix, len(d.Fixes))
		for i, f := range d.Fixes {
			f.Title = capQuoted(f.Title)
			fixes[i] = f
		}
		d.Fixes = fixes
	}
}

// hideOutside rewrites the findings located in a hidden file (a workspace
// Cargo.toml that cargo's upward lookup found outside the checked trees and
// their repositories, project.ConfinedFS): the finding keeps its code and
// position, but no message, help, related note or fix quotes the file.
func hideOutside(p *project.Project, ds []Diagnostic) []Diagnostic {
	if len(ds) == 0 {
		return ds
	}
	hidden := map[string]bool{}
	for _, f := range p.Files() {
		if f.Hidden {
			hidden[f.Path] = true
		}
	}
	if len(hidden) == 0 {
		return ds
	}
	for i := range ds {
		if hidden[ds[i].Path] {
			ds[i].Message = "a finding in a Cargo.toml outside the checked tree and its repository (cargo's workspace lookup); its text is not shown — check that directory to see it"
			ds[i].Help = ""
			ds[i].Related = nil
			ds[i].Fixes = nil
		}
	}
	return ds
}
