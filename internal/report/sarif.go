package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// InformationURI is the project's home page, named in SARIF output.
const InformationURI = "https://github.com/pyo3-ls/pyo3-ls"

// RuleHelpURI returns the documentation address of a rule: the README's
// rule table (the full text is in the SARIF rule's help and in
// 'pyo3-ls explain CODE').
func RuleHelpURI(code string) string {
	return InformationURI + "#rules"
}

// SARIF 2.1.0 object model: only the parts pyo3-ls fills in.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations,omitempty"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []sarifResult               `json:"results"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	SemanticVer    string      `json:"semanticVersion,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	Name                 string        `json:"name"`
	ShortDescription     sarifText     `json:"shortDescription"`
	FullDescription      sarifText     `json:"fullDescription"`
	Help                 sarifText     `json:"help"`
	HelpURI              string        `json:"helpUri"`
	DefaultConfiguration sarifRuleConf `json:"defaultConfiguration"`
}

type sarifRuleConf struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        *int            `json:"ruleIndex,omitempty"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent *sarifText  `json:"insertedContent,omitempty"`
}

// sarifLevel maps a severity to a SARIF level (SARIF has no "hint").
func sarifLevel(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "error"
	case analysis.Warning:
		return "warning"
	}
	return "note"
}

const srcRoot = "%SRCROOT%"

// artifact returns the SARIF artifact location of path: a relative URI
// against %SRCROOT% (the working directory) when path is below it, else an
// absolute file URI.
func (c *Context) artifact(path string) sarifArtifactLoc {
	rel := c.RelPath(path)
	if !filepath.IsAbs(filepath.FromSlash(rel)) && !strings.HasPrefix(rel, "../") && rel != ".." {
		return sarifArtifactLoc{URI: uriPath(rel), URIBaseID: srcRoot}
	}
	abs := filepath.ToSlash(path)
	if !strings.HasPrefix(abs, "/") {
		abs = "/" + abs // Windows drive letters
	}
	return sarifArtifactLoc{URI: "file://" + uriPath(abs)}
}

// uriPath percent-encodes each segment of a '/'-separated path.
func uriPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// sarifRegion converts a byte range to a 1-based region with UTF-16 columns
// (the run's columnKind); an empty range gets a one-column region.
func (c *Context) sarifRegion(path string, r span.Range) *sarifRegion {
	lr := c.LSPRange(path, r)
	reg := &sarifRegion{StartLine: lr.Start.Line + 1, StartColumn: lr.Start.Character + 1,
		EndLine: lr.End.Line + 1, EndColumn: lr.End.Character + 1}
	if reg.EndLine < reg.StartLine || (reg.EndLine == reg.StartLine && reg.EndColumn < reg.StartColumn) {
		reg.EndLine, reg.EndColumn = reg.StartLine, reg.StartColumn
	}
	return reg
}

// SARIF writes a SARIF 2.1.0 log with one run: the tool with every rule,
// and one result per diagnostic. Paths are relative to the working
// directory (uriBaseId %SRCROOT%), as GitHub code scanning expects.
func SARIF(w io.Writer, ctx *Context, diags []analysis.Diagnostic) error {
	rules := analysis.Rules()
	index := map[string]int{}
	driver := sarifDriver{Name: "pyo3-ls", Version: ctx.ToolVersion, InformationURI: InformationURI, Rules: []sarifRule{}}
	if v := strings.TrimPrefix(ctx.ToolVersion, "v"); v != "" && v[0] >= '0' && v[0] <= '9' {
		driver.SemanticVer = v
	}
	for i, r := range rules {
		index[r.Code] = i
		full := r.Summary
		if r.Doc != "" {
			full = r.Doc
		}
		driver.Rules = append(driver.Rules, sarifRule{
			ID: r.Code, Name: r.Name,
			ShortDescription:     sarifText{r.Summary},
			FullDescription:      sarifText{full},
			Help:                 sarifText{full},
			HelpURI:              RuleHelpURI(r.Code),
			DefaultConfiguration: sarifRuleConf{sarifLevel(r.Severity)},
		})
	}
	run := sarifRun{
		Tool:        sarifTool{Driver: driver},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		ColumnKind:  "utf16CodeUnits",
		Results:     make([]sarifResult, 0, len(diags)),
	}
	if ctx.Cwd != "" {
		base := filepath.ToSlash(ctx.Cwd)
		if !strings.HasPrefix(base, "/") {
			base = "/" + base
		}
		if !strings.HasSuffix(base, "/") {
			base += "/"
		}
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: "file://" + uriPath(base)}}
	}
	for _, d := range diags {
		msg := d.Message
		if d.Help != "" {
			msg += "\nhelp: " + d.Help
		}
		res := sarifResult{
			RuleID:  d.Code,
			Level:   sarifLevel(d.Severity),
			Message: sarifText{msg},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: ctx.artifact(d.Path), Region: ctx.sarifRegion(d.Path, d.Range)}}},
		}
		if i, ok := index[d.Code]; ok {
			res.RuleIndex = &i
		}
		for i, r := range d.Related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: ctx.artifact(r.Path), Region: ctx.sarifRegion(r.Path, r.Range)},
				Message:          &sarifText{r.Message},
			})
		}
		for _, f := range d.Fixes {
			sf := sarifFix{Description: sarifText{f.Title}}
			byFile := map[string]int{}
			for _, e := range f.Edits {
				j, ok := byFile[e.Path]
				if !ok {
					j = len(sf.ArtifactChanges)
					byFile[e.Path] = j
					sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: ctx.artifact(e.Path)})
				}
				rep := sarifReplacement{DeletedRegion: *ctx.sarifRegion(e.Path, e.Range)}
				if e.NewText != "" {
					rep.InsertedContent = &sarifText{e.NewText}
				}
				sf.ArtifactChanges[j].Replacements = append(sf.ArtifactChanges[j].Replacements, rep)
			}
			if len(sf.ArtifactChanges) > 0 {
				res.Fixes = append(res.Fixes, sf)
			}
		}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
	enc := json.NewEncoder(jsonSafeWriter{w})
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}
