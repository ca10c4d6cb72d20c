package facts

import (
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

func TestLowestReleaseSkipsYanked(t *testing.T) {
	for req, want := range map[string]string{
		"0.22":    "0.22.4", // 0.22.0-0.22.3 are yanked
		"0.23":    "0.23.3",
		"0.28":    "0.28.2",
		"0.25":    "0.25.0",
		"=0.21.2": "0.21.2",
		">=0.24":  "0.24.0",
	} {
		v, ok := LowestRelease(versions.MustParseReq(req))
		if !ok || v.String() != want {
			t.Errorf("LowestRelease(%q) = %v %v, want %s", req, v, ok, want)
		}
	}
	if _, ok := LowestRelease(versions.MustParseReq("=0.22.1")); ok {
		t.Error("=0.22.1 admits only a yanked release")
	}
	if _, ok := LowestRelease(versions.MustParseReq("0.31")); ok {
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
