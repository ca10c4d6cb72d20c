package facts

import (
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/versions"
)

func TestLookupBoundaries(t *testing.T) {
	for _, tc := range []struct {
		ver          string
		from         string // "" = nil
		extrapolated bool
	}{
		{"0.19.2", "", false},
		{"0.20.0", "0.20.0", false},
		{"0.20.2", "0.20.1", false},
		{"0.20.3", "0.20.3", false},
		{"0.21.2", "0.21.0", false},
		{"0.22.1", "0.22.0", false},
		{"0.22.2", "0.22.2", false},
		{"0.22.6", "0.22.2", false},
		{"0.23.4", "0.23.0", false},
		{"0.23.5", "0.23.5", false},
		{"0.24.0", "0.24.0", false},
		{"0.24.1", "0.24.1", false},
		{"0.27.2", "0.27.0", false},
		{"0.28.0", "0.28.0", false},
		{"0.29.0-rc.1", "0.28.0", false},
		{"0.29.0", "0.29.0", false},
		{"0.29.9", "0.29.0", false},
		{"0.29.3", "0.29.0", false},
		{"0.30.1", "0.30.0", false},
		{"0.30.9", "0.30.0", false},
		{"0.31.0", "0.30.0", true},
		{"1.0.0", "0.30.0", true},
	} {
		p := Lookup(versions.MustParseVersion(tc.ver))
		if tc.from == "" {
			if p != nil {
				t.Errorf("Lookup(%s) = row %s, want nil", tc.ver, p.From)
			}
			continue
		}
		if p == nil || p.From.String() != tc.from || p.Extrapolated != tc.extrapolated {
			t.Errorf("Lookup(%s) = %+v, want row %s extrapolated=%v", tc.ver, p, tc.from, tc.extrapolated)
		}
	}
	if Lookup(versions.MustParseVersion("0.31.0")) == Latest() {
		t.Error("an extrapolated row must be a copy")
	}
	if Latest().Extrapolated {
		t.Error("Latest must not be marked extrapolated")
	}
}

func TestFacts(t *testing.T) {
	get := func(s string) *PyO3 { return Lookup(versions.MustParseVersion(s)) }
	a, b := get("0.22.1"), get("0.22.2")
	if a.PymoduleNameOption || !b.PymoduleNameOption || a.FreeThreadedError || !b.FreeThreadedError {
		t.Error("0.22.1 → 0.22.2 must add #[pymodule(name)] and the free-threaded error")
	}
	c, d := get("0.27.2"), get("0.28.0")
	if !c.GILUsedDefault || d.GILUsedDefault || c.ExtensionModule != "optional" || d.ExtensionModule != "deprecated" {
		t.Error("0.28 flips the gil_used default and deprecates extension-module")
	}
	if c.CPythonExperimental != 0 || d.CPythonExperimental != 15 {
		t.Error("0.28 allows 3.15 experimentally")
	}
	e := get("0.29.0")
	if e.CPythonMin != 8 || e.CPythonMax != 15 || !e.Abi3t || e.SupportsFreeThreaded(13) || !e.SupportsFreeThreaded(14) || e.Abi3MinMinor() != 8 {
		t.Errorf("0.29.0 facts wrong: %+v", e)
	}
	if get("0.23.0").PyPyMin != 9 || get("0.27.0").PyPyMin != 11 || get("0.26.0").PyPyMax != 14 {
		t.Error("PyPy ranges")
	}
	if get("0.21.0").DeclarativeModules != "feature" || get("0.20.3").DeclarativeModules != "no" || get("0.22.0").DeclarativeModules != "yes" {
		t.Error("declarative modules")
	}
	if get("0.22.6").GILUsedOption || !get("0.23.0").GILUsedOption {
		t.Error("gil_used option appears in 0.23")
	}
	if get("0.20.2").HasMaxCheck || !get("0.20.3").HasMaxCheck {
		t.Error("max check appears in 0.20.3")
	}
}

func TestHasFeature(t *testing.T) {
	for _, tc := range []struct {
		ver, feature string
		want         bool
	}{
		{"0.24.0", "abi3-py313", false},
		{"0.24.1", "abi3-py313", true},
		{"0.28.3", "abi3-py37", true},
		{"0.29.0", "abi3-py37", false},
		{"0.29.0", "abi3-py38", true},
		{"0.29.0", "abi3t", true},
		{"0.28.0", "abi3t", false},
		{"0.28.0", "abi3-py315", false},
		{"0.25.0", "abi3-py314", true},
		{"0.20.0", "abi3-py312", false},
		{"0.20.1", "abi3-py312", true},
		{"0.21.0", "experimental-declarative-modules", true},
		{"0.22.0", "experimental-declarative-modules", false},
		{"0.22.0", "gil-refs", true},
		{"0.23.0", "gil-refs", false},
		{"0.29.0", "extension-module", true},
		{"0.29.0", "chrono", true}, // optional dependency
		{"0.29.0", "no-such-feature", false},
	} {
		if got := Lookup(versions.MustParseVersion(tc.ver)).HasFeature(tc.feature); got != tc.want {
			t.Errorf("%s HasFeature(%q) = %v, want %v", tc.ver, tc.feature, got, tc.want)
		}
	}
	var nilRow *PyO3
	if nilRow.HasFeature("abi3") {
		t.Error("nil row has no features")
	}
}

func TestRowsConsistent(t *testing.T) {
	rows := Rows()
	for i, r := range rows {
		if r.Source == "" {
			t.Errorf("row %s has no Source", r.From)
		}
		if len(r.Features) == 0 {
			t.Errorf("row %s has no Features", r.From)
		}
		for _, f := range r.Abi3Features {
			if !r.HasFeature(f) {
				t.Errorf("row %s: abi3 feature %q not among Cargo features", r.From, f)
			}
		}
		for _, f := range r.Features {
			if len(f) > 7 && f[:7] == "abi3-py" {
				found := false
				for _, g := range r.Abi3Features {
					found = found || g == f
				}
				if !found {
					t.Errorf("row %s: Cargo feature %q missing from Abi3Features", r.From, f)
				}
			}
		}
		if r.CPythonMin == 0 || r.CPythonMax < r.CPythonMin || r.PyPyMin == 0 {
			t.Errorf("row %s: bad ranges", r.From)
		}
		switch r.DeclarativeModules {
		case "no", "feature", "yes":
		default:
			t.Errorf("row %s: DeclarativeModules %q", r.From, r.DeclarativeModules)
		}
		switch r.ExtensionModule {
		case "required", "optional", "deprecated":
		default:
			t.Errorf("row %s: ExtensionModule %q", r.From, r.ExtensionModule)
		}
		if i > 0 && rows[i-1].From.Compare(r.From) >= 0 {
			t.Errorf("rows out of order at %s", r.From)
		}
	}
}

func TestMaturinKeys(t *testing.T) {
	for _, tc := range []struct {
		path []string
		typ  string
		ok   bool
	}{
		{[]string{"module-name"}, TypeString, true},
		{[]string{"manylinux"}, TypeString, true}, // alias of compatibility
		{[]string{"module_name"}, "", false},
		{[]string{"sbom", "rust"}, TypeBool, true},
		{[]string{"sbom", "nope"}, "", false},
		{[]string{"target"}, TypeTableOfTables, true},
		{[]string{"target", "aarch64-apple-darwin", "macos-deployment-target"}, TypeString, true},
		{[]string{"target", "aarch64-apple-darwin", "macosx-deployment-target"}, TypeString, true},
		{[]string{"targets", "kind"}, TypeString, true},
		{[]string{"features", "python-version"}, TypeString, true},
		{[]string{"include", "crate_name"}, TypeString, true},
		{[]string{"include", "crate-name"}, "", false},
		{[]string{"generate-ci", "github", "linux", "target", "arch"}, TypeString, true},
		{[]string{"generate-ci", "github", "macos", "targets"}, TypeArrayOfString, true},
	} {
		s, ok := MaturinKey(tc.path...)
		if ok != tc.ok || (ok && s.Type != tc.typ) {
			t.Errorf("MaturinKey(%v) = %q, %v; want %q, %v", tc.path, s.Type, ok, tc.typ, tc.ok)
		}
	}
	if s, _ := MaturinKey("auditwheel"); !s.EnumStrict || len(s.Enum) != 4 {
		t.Error("auditwheel enum")
	}
	if s, _ := MaturinKey("bindings"); !s.EnumStrict {
		t.Error("maturin 1.16 rejects unknown bindings (pyproject_toml.rs Option<Bindings>)")
	}
	var check func(prefix string, keys map[string]KeySpec)
	check = func(prefix string, keys map[string]KeySpec) {
		for k, s := range keys {
			if s.Doc == "" || s.Type == "" {
				t.Errorf("%s%s: missing Doc or Type", prefix, k)
			}
			check(prefix+k+".", s.Keys)
			if s.Values != nil {
				check(prefix+k+".*.", s.Values.Keys)
			}
		}
	}
	check("", MaturinKeys)
	if len(SortedKeys(nil)) != 31 {
		t.Errorf("maturin 1.16.0 has 31 [tool.maturin] keys, table has %d", len(SortedKeys(nil)))
	}
	if MaturinSetsExtensionModuleEnv.String() != "1.9.4" {
		t.Error("PYO3_BUILD_EXTENSION_MODULE since maturin 1.9.4")
	}
}
