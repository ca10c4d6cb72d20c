package ruledocs

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/analysis"
)

var update = flag.Bool("update", false, "rewrite docs/rules from the rules")

const dir = "../../docs/rules"

// TestPagesCurrent: docs/rules holds exactly one page per rule plus the
// index, each as generated.
func TestPagesCurrent(t *testing.T) {
	want := map[string]string{"README.md": Index()}
	for _, r := range analysis.Rules() {
		want[r.Code+".md"] = Markdown(r)
	}
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(dir, "*.md"))
		for _, f := range old {
			if _, ok := want[filepath.Base(f)]; !ok {
				os.Remove(f)
			}
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	have, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	sort.Strings(have)
	for _, f := range have {
		if _, ok := want[filepath.Base(f)]; !ok {
			t.Errorf("%s documents no rule (regenerate: go test ./internal/ruledocs -update)", f)
		}
	}
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != text {
			t.Errorf("docs/rules/%s is missing or stale (regenerate: go test ./internal/ruledocs -update)", name)
		}
	}
}
