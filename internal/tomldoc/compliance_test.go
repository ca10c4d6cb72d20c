package tomldoc

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	tomltest "github.com/toml-lang/toml-test/v2"
)

// tomlTestSkips lists toml-test cases that this parser cannot pass, with the reason.
var tomlTestSkips = map[string]string{}

// tomlTestParser drives Parse for toml-test's Runner.
type tomlTestParser struct{}

func (tomlTestParser) Cmd() []string { return []string{"tomldoc.Parse"} }

func (tomlTestParser) Run(_ context.Context, input string) (pid int, output string, outputIsError bool, err error) {
	doc, perr := Parse([]byte(input))
	if perr != nil {
		return 0, perr.Msg, true, nil
	}
	b, jerr := json.Marshal(tagged(doc.Root))
	if jerr != nil {
		return 0, "", false, jerr
	}
	return 0, string(b), false, nil
}

// tagged converts v to toml-test's tagged JSON representation.
func tagged(v *Value) any {
	tv := func(typ, val string) any { return map[string]any{"type": typ, "value": val} }
	switch v.Kind {
	case Table:
		m := make(map[string]any, len(v.Table.Entries))
		for _, e := range v.Table.Entries {
			m[e.Key] = tagged(e.Value)
		}
		return m
	case Array:
		a := make([]any, len(v.Arr))
		for i, x := range v.Arr {
			a[i] = tagged(x)
		}
		return a
	case String:
		return tv("string", v.Str)
	case Integer:
		return tv("integer", strconv.FormatInt(v.Int, 10))
	case Float:
		switch {
		case math.IsNaN(v.Float):
			return tv("float", "nan")
		case math.IsInf(v.Float, 1):
			return tv("float", "inf")
		case math.IsInf(v.Float, -1):
			return tv("float", "-inf")
		}
		return tv("float", strconv.FormatFloat(v.Float, 'g', -1, 64))
	case Bool:
		return tv("bool", strconv.FormatBool(v.Bool))
	case OffsetDateTime:
		return tv("datetime", v.Str)
	case LocalDateTime:
		return tv("datetime-local", v.Str)
	case LocalDate:
		return tv("date-local", v.Str)
	case LocalTime:
		return tv("time-local", v.Str)
	}
	return nil
}

func TestTOMLTestSuite(t *testing.T) {
	skips := make([]string, 0, len(tomlTestSkips))
	for k := range tomlTestSkips {
		skips = append(skips, k)
	}
	r := tomltest.NewRunner(tomltest.Runner{
		Decoder:   tomlTestParser{},
		Version:   "1.0.0",
		SkipTests: skips,
		Parallel:  4,
	})
	res, err := r.Run()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range res.Tests {
		if tc.Failed() {
			in := tc.Input
			if len(in) > 400 {
				in = in[:400] + "..."
			}
			t.Errorf("%s: %s\ninput:\n%s\noutput: %s", tc.Path, strings.TrimSpace(tc.Failure), in, strings.TrimSpace(tc.Output))
		}
	}
	t.Logf("toml-test 1.0.0: valid %d/%d, invalid %d/%d, skipped %d",
		res.PassedValid, res.PassedValid+res.FailedValid,
		res.PassedInvalid, res.PassedInvalid+res.FailedInvalid, res.Skipped)
}
