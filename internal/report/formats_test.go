package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/span"
)

// sample returns a context with two files (one with non-ASCII text) and
// diagnostics of every severity, a multi-line range, a related location
// and a fix.
func sample(t *testing.T) (*Context, []analysis.Diagnostic) {
	t.Helper()
	cwd := filepath.FromSlash("/work/proj")
	py := filepath.Join(cwd, "pyproject.toml")
	lib := filepath.Join(cwd, "src", "lib.rs")
	pySrc := "[project]\nname = \"démo\"\n[tool.maturin]\nmodule-name = \"x,y:z%\"\n"
	libSrc := "#[pymodule]\nfn 😀other(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n"
	ctx := &Context{Cwd: cwd, ToolVersion: "1.2.3", Files: map[string]*project.SourceFile{
		py:  {Path: py, Src: []byte(pySrc)},
		lib: {Path: lib, Src: []byte(libSrc)},
	}}
	at := func(src, needle string) span.Range {
		i := strings.Index(src, needle)
		if i < 0 {
			t.Fatalf("%q not in source", needle)
		}
		return span.Range{Start: i, End: i + len(needle)}
	}
	n001 := analysis.Lookup("N001")
	diags := []analysis.Diagnostic{
		{Location: analysis.Location{Path: py, Range: at(pySrc, `"x,y:z%"`)}, Severity: analysis.Error, Code: "N001", Name: n001.Name,
			Message: "module name \"x,y:z%\" differs\nfrom the #[pymodule]", Help: "rename one side",
			Related: []analysis.Related{{Location: analysis.Location{Path: lib, Range: at(libSrc, "😀other")}, Message: "exported here"}},
			Fixes:   []analysis.Fix{{Title: "set module-name", Edits: []analysis.Edit{{Location: analysis.Location{Path: py, Range: at(pySrc, `"x,y:z%"`)}, NewText: `"other"`}}}}},
		{Location: analysis.Location{Path: lib, Range: at(libSrc, "😀other")}, Severity: analysis.Warning, Code: "N001", Name: n001.Name, Message: "w"},
		{Location: analysis.Location{Path: py, Range: at(pySrc, "démo")}, Severity: analysis.Info, Code: "N001", Name: n001.Name, Message: "i"},
		{Location: analysis.Location{Path: lib, Range: at(libSrc, "fn 😀other(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())")}, Severity: analysis.Hint, Code: "N001", Name: n001.Name, Message: "h"},
	}
	return ctx, diags
}

func TestGitHub(t *testing.T) {
	ctx, diags := sample(t)
	var buf bytes.Buffer
	if err := GitHub(&buf, ctx, diags); err != nil {
		t.Fatal(err)
	}
	want := `::error file=pyproject.toml,line=4,col=15,endLine=4,endColumn=23,title=N001 (module-name-mismatch)::module name "x,y:z%25" differs%0Afrom the #[pymodule]%0Ahelp: rename one side
::warning file=src/lib.rs,line=2,col=4,endLine=2,endColumn=10,title=N001 (module-name-mismatch)::w
::notice file=pyproject.toml,line=2,col=9,endLine=2,endColumn=13,title=N001 (module-name-mismatch)::i
::notice file=src/lib.rs,line=2,endLine=3,title=N001 (module-name-mismatch)::h
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestEscapeProperty(t *testing.T) {
	if got := escapeProperty("a,b:c%d\r\ne"); got != "a%2Cb%3Ac%25d%0D%0Ae" {
		t.Errorf("escapeProperty = %q", got)
	}
	if got := escapeData("a,b:c%d\r\ne"); got != "a,b:c%25d%0D%0Ae" {
		t.Errorf("escapeData = %q", got)
	}
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validateSARIF(t *testing.T, sch *jsonschema.Schema, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF output does not validate against the 2.1.0 schema:\n%v\n%s", err, out)
	}
}

func TestSARIFSchemaRejectsBadLog(t *testing.T) {
	// The validator must really check: a result without a message is invalid.
	sch := sarifSchema(t)
	bad := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"N001","level":"fatal"}]}]}`)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	if err := sch.Validate(inst); err == nil {
		t.Fatal("schema accepted an invalid log")
	}
}

func TestSARIF(t *testing.T) {
	ctx, diags := sample(t)
	var buf bytes.Buffer
	if err := SARIF(&buf, ctx, diags); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sarifSchema(t), buf.Bytes())

	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version, InformationURI string
					Rules                         []struct {
						ID, Name, HelpURI    string
						ShortDescription     struct{ Text string }
						FullDescription      struct{ Text string }
						DefaultConfiguration struct{ Level string }
					}
				}
			}
			OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
			Results            []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
				RelatedLocations []json.RawMessage
				Fixes            []json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "pyo3-ls" || d.Version != "1.2.3" || d.InformationURI != InformationURI {
		t.Errorf("driver = %+v", d)
	}
	if len(d.Rules) != len(analysis.Rules()) {
		t.Fatalf("%d rules in driver, want %d", len(d.Rules), len(analysis.Rules()))
	}
	r0 := run.Results[0]
	rule := d.Rules[r0.RuleIndex]
	if rule.ID != "N001" || rule.Name != "module-name-mismatch" || rule.DefaultConfiguration.Level != "error" ||
		rule.ShortDescription.Text == "" || !strings.Contains(rule.FullDescription.Text, "PyInit_") || rule.HelpURI != RuleHelpURI("N001") {
		t.Errorf("rule at ruleIndex = %+v", rule)
	}
	loc := r0.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "pyproject.toml" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
		t.Errorf("artifact = %+v", loc.ArtifactLocation)
	}
	if loc.Region.StartLine != 4 || loc.Region.StartColumn != 15 || loc.Region.EndLine != 4 || loc.Region.EndColumn != 23 {
		t.Errorf("region = %+v", loc.Region)
	}
	if len(r0.RelatedLocations) != 1 || len(r0.Fixes) != 1 || !strings.Contains(r0.Message.Text, "help: rename") {
		t.Errorf("result 0 = %+v", r0)
	}
	// UTF-16 columns: 😀 is two code units.
	if reg := run.Results[1].Locations[0].PhysicalLocation.Region; reg.StartColumn != 4 || reg.EndColumn != 11 {
		t.Errorf("utf-16 region = %+v", reg)
	}
	levels := []string{}
	for _, r := range run.Results {
		levels = append(levels, r.Level)
	}
	if strings.Join(levels, " ") != "error warning note note" {
		t.Errorf("levels = %v", levels)
	}
	if u := run.OriginalURIBaseIDs["%SRCROOT%"].URI; u != "file:///work/proj/" {
		t.Errorf("%%SRCROOT%% = %q", u)
	}
}

func TestSARIFEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := SARIF(&buf, &Context{}, nil); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sarifSchema(t), buf.Bytes())
	if !strings.Contains(buf.String(), `"results": []`) {
		t.Errorf("empty run must have results: []\n%s", buf.String())
	}
}

// TestSARIFFixture renders a real check of every failing rule fixture and
// validates it against the schema.
func TestSARIFFixture(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "rules"))
	res, err := analysis.Check(project.NewLoader(project.OSFS{}), []string{root}, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) == 0 {
		t.Fatal("no diagnostics from the fixtures")
	}
	var buf bytes.Buffer
	ctx := &Context{Files: res.Files, Cwd: root, ToolVersion: "0.1.0-dev"}
	if err := SARIF(&buf, ctx, res.Diagnostics); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, sarifSchema(t), buf.Bytes())
	var gh bytes.Buffer
	if err := GitHub(&gh, ctx, res.Diagnostics); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(gh.String(), "\n"); n != len(res.Diagnostics) {
		t.Errorf("github: %d lines for %d diagnostics", n, len(res.Diagnostics))
	}
}
