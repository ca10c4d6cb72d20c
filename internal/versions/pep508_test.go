package versions

import "testing"

func TestParseRequirement(t *testing.T) {
	for in, want := range map[string]Requirement{
		"maturin>=1.9.4,<2.0":                              {Name: "maturin", Spec: ">=1.9.4,<2.0"},
		" Maturin [zig] (>=1.0) ; sys_platform == 'linux'": {Name: "Maturin", Spec: ">=1.0", Marker: "sys_platform == 'linux'"},
		"maturin @ https://example.org/m.whl":              {Name: "maturin", URL: true},
		"maturin":                                          {Name: "maturin"},
		"":                                                 {},
	} {
		if got := ParseRequirement(in); got != want {
			t.Errorf("ParseRequirement(%q) = %+v, want %+v", in, got, want)
		}
	}
	if n := ParseRequirement("Py_O3.ls>=1").NormalizedName(); n != "py-o3-ls" {
		t.Errorf("NormalizedName = %q", n)
	}
}
