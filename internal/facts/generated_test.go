package facts

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

// generated.json is written by scripts/update-facts from the crate sources
// of every PyO3 release on crates.io and of maturin. These tests need no
// network: they hold the hand-written tables to the committed file, so a
// re-run of the script that finds a new release or a changed value fails
// here until the table says the same.

type genVal struct {
	Value json.RawMessage `json:"value"`
	At    string          `json:"at"`
}

type genFile struct {
	PyO3Releases []struct {
		Version string `json:"version"`
		Yanked  bool   `json:"yanked"`
	} `json:"pyo3_releases"`
	PyO3    []map[string]json.RawMessage `json:"pyo3"`
	Maturin struct {
		Newest                 string `json:"newest"`
		SetsExtensionModuleEnv genVal `json:"sets_extension_module_env"`
		Tables                 map[string][]struct {
			Key     string   `json:"key"`
			Aliases []string `json:"aliases"`
			At      string   `json:"at"`
		} `json:"tables"`
	} `json:"maturin"`
}

func loadGenerated(t *testing.T) genFile {
	t.Helper()
	data, err := os.ReadFile("generated.json")
	if err != nil {
		t.Fatal(err)
	}
	var g genFile
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.PyO3) < 38 {
		t.Fatalf("generated.json has %d PyO3 releases, want every release since 0.20.0", len(g.PyO3))
	}
	return g
}

func TestReleasesMatchGenerated(t *testing.T) {
	g := loadGenerated(t)
	var want []Release
	for _, r := range g.PyO3Releases {
		want = append(want, Release{r.Version, r.Yanked})
	}
	if !reflect.DeepEqual(PyO3Releases, want) {
		t.Errorf("PyO3Releases differs from generated.json pyo3_releases (crates.io index):\n got %v\nwant %v", PyO3Releases, want)
	}
	newest := ""
	for _, r := range g.PyO3Releases {
		if !r.Yanked && !strings.Contains(r.Version, "-") {
			newest = r.Version
		}
	}
	if NewestKnown.String() != newest {
		t.Errorf("NewestKnown = %s, newest release in generated.json = %s", NewestKnown, newest)
	}
}

func TestPyO3RowsMatchGenerated(t *testing.T) {
	g := loadGenerated(t)
	for _, rel := range g.PyO3 {
		var ver string
		_ = json.Unmarshal(rel["version"], &ver)
		row := Lookup(versions.MustParseVersion(ver))
		if row == nil || row.Extrapolated {
			t.Errorf("%s: the table has no row for this release", ver)
			continue
		}
		field := func(name string, dst any) (string, bool) {
			raw, ok := rel[name]
			if !ok {
				return "", false
			}
			var v genVal
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatalf("%s %s: %v", ver, name, err)
			}
			if err := json.Unmarshal(v.Value, dst); err != nil {
				t.Fatalf("%s %s: %v", ver, name, err)
			}
			return v.At, true
		}
		check := func(name string, got any, want any, at string) {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("PyO3 %s (row %s) %s = %v, but %s says %v", ver, row.From, name, got, at, want)
			}
		}
		ints := []struct {
			name string
			got  int
		}{
			{"cpython_min", row.CPythonMin}, {"cpython_max", row.CPythonMax},
			{"pypy_min", row.PyPyMin}, {"pypy_max", row.PyPyMax},
			{"graalpy_min", row.GraalPyMin}, {"graalpy_max", row.GraalPyMax},
			{"abi3_max_minor", row.Abi3MaxMinor},
		}
		for _, f := range ints {
			var n int
			if at, ok := field(f.name, &n); ok {
				check(f.name, f.got, n, at)
			}
		}
		bools := []struct {
			name string
			got  bool
		}{
			{"has_max_check", row.HasMaxCheck}, {"free_threaded_error", row.FreeThreadedError},
			{"gil_used_option", row.GILUsedOption}, {"gil_used_default", row.GILUsedDefault},
			{"pymodule_name_option", row.PymoduleNameOption},
		}
		for _, f := range bools {
			var b bool
			if at, ok := field(f.name, &b); ok {
				check(f.name, f.got, b, at)
			}
		}
		var s string
		if at, ok := field("extension_module", &s); ok {
			check("extension_module", row.ExtensionModule, s, at)
		}
		if at, ok := field("declarative_modules", &s); ok {
			check("declarative_modules", row.DeclarativeModules, s, at)
		}
		var exp bool
		if at, ok := field("experimental_next", &exp); ok {
			want := 0
			if exp {
				want = row.CPythonMax + 1
			}
			check("experimental_next (CPythonExperimental)", row.CPythonExperimental, want, at)
		}
		var ftMin int
		var wantFT []int
		at, ok := field("free_threaded_min", &ftMin)
		if ok {
			for m := ftMin; m <= row.CPythonMax; m++ {
				wantFT = append(wantFT, m)
			}
		} else {
			at = "no MIN_FREE_THREADED_VERSION / free-threaded support"
		}
		gotFT := row.FreeThreaded
		if len(gotFT) == 0 {
			gotFT = nil
		}
		check("FreeThreaded", gotFT, wantFT, at)
		var feats []string
		if at, ok := field("features", &feats); ok {
			sort.Strings(feats)
			check("Features", row.Features, feats, at)
		}
	}
}

func TestMaturinKeysMatchGenerated(t *testing.T) {
	g := loadGenerated(t)
	if MaturinKnown.String() != g.Maturin.Newest {
		t.Errorf("MaturinKnown = %s, newest maturin in generated.json = %s", MaturinKnown, g.Maturin.Newest)
	}
	var first string
	_ = json.Unmarshal(g.Maturin.SetsExtensionModuleEnv.Value, &first)
	if MaturinSetsExtensionModuleEnv.String() != first {
		t.Errorf("MaturinSetsExtensionModuleEnv = %s, %s says %s", MaturinSetsExtensionModuleEnv, g.Maturin.SetsExtensionModuleEnv.At, first)
	}
	for path, keys := range g.Maturin.Tables {
		var table map[string]KeySpec
		if path == "" {
			table = MaturinKeys
		} else {
			var parts []string
			for _, p := range strings.Split(path, ".") {
				if p == "*" {
					p = "x86_64-unknown-linux-gnu"
				}
				parts = append(parts, p)
			}
			spec, ok := MaturinKey(parts...)
			if !ok {
				t.Errorf("[tool.maturin.%s] is missing from MaturinKeys (%s)", path, keys[0].At)
				continue
			}
			table = spec.Keys
		}
		seen := map[string]bool{}
		for _, k := range keys {
			seen[k.Key] = true
			spec, ok := table[k.Key]
			if !ok {
				t.Errorf("[tool.maturin%s] key %q (%s) is missing from MaturinKeys", dotted(path), k.Key, k.At)
				continue
			}
			got := append([]string(nil), spec.Aliases...)
			want := append([]string(nil), k.Aliases...)
			sort.Strings(got)
			sort.Strings(want)
			if len(got) != 0 || len(want) != 0 {
				if !reflect.DeepEqual(got, want) {
					t.Errorf("[tool.maturin%s] %q aliases %v, %s says %v", dotted(path), k.Key, got, k.At, want)
				}
			}
		}
		for k := range table {
			if !seen[k] {
				t.Errorf("MaturinKeys has [tool.maturin%s] %q, which maturin %s does not read", dotted(path), k, g.Maturin.Newest)
			}
		}
	}
}

func dotted(path string) string {
	if path == "" {
		return ""
	}
	return "." + path
}
