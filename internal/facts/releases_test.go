package facts

import (
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

func TestNewestReleaseLikeCargo(t *testing.T) {
	for req, want := range map[string]string{
		"0.22":              "0.22.6",
		"0.24":              "0.24.2", // has abi3-py313, which 0.24.0 lacks
		"~0.23.0":           "0.23.5",
		"0.28":              "0.28.3",
		"0.28.0":            "0.28.3", // caret: any 0.28.x >= 0.28.0
		"=0.28.2":           "0.28.2",
		"=0.21.2":           "0.21.2",
		">=0.24":            "0.30.1",
		">=0.20, <0.25":     "0.24.2",
		"0.30":              "0.30.1",
		"0.21.0-beta.0":     "0.21.2", // caret from a pre-release admits the releases after it
		"=0.21.0-beta.0":    "0.21.0-beta.0",
		">=0.22.0, <0.22.4": "0.21.2",
	} {
		v, ok := NewestRelease(versions.MustParseReq(req))
		if req == ">=0.22.0, <0.22.4" {
			// every 0.22 release below 0.22.4 is yanked: nothing matches
			if ok {
				t.Errorf("NewestRelease(%q) = %v, want none (all yanked)", req, v)
			}
			continue
		}
		if !ok || v.String() != want {
			t.Errorf("NewestRelease(%q) = %v %v, want %s", req, v, ok, want)
		}
	}
	if _, ok := NewestRelease(versions.MustParseReq("=0.22.1")); ok {
		t.Error("=0.22.1 admits only a yanked release")
	}
	if _, ok := NewestRelease(versions.MustParseReq("0.31")); ok {
		t.Error("0.31 is not in the table")
	}
	for i := 1; i < len(PyO3Releases); i++ {
		a, _ := versions.ParseVersion(PyO3Releases[i-1].Version)
		b, _ := versions.ParseVersion(PyO3Releases[i].Version)
		if !a.Less(b) {
			t.Errorf("releases not sorted: %s before %s", a, b)
		}
	}
}
