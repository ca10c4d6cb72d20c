package analysis

import "testing"

func TestEvalCfg(t *testing.T) {
	on := map[string]bool{"python": true, "default": true}
	for pred, want := range map[string]cfgValue{
		`feature = "python"`:                          cfgTrue,
		`feature="stubgen"`:                           cfgFalse,
		`any(feature = "python", feature = "x")`:      cfgTrue,
		`any(feature = "a", feature = "b")`:           cfgFalse,
		`all(feature = "python", feature = "b")`:      cfgFalse,
		`all(feature = "python", unix)`:               cfgUnknown,
		`any(feature = "a", unix)`:                    cfgUnknown,
		`any(feature = "python", unix)`:               cfgTrue,
		`all(feature = "a", unix)`:                    cfgFalse,
		`not(feature = "a")`:                          cfgUnknown,
		`target_os = "linux"`:                         cfgUnknown,
		`any(feature = "a", all(feature = "python"))`: cfgTrue,
		`any()`:                   cfgFalse,
		`all()`:                   cfgTrue,
		`feature = "a" junk`:      cfgUnknown,
		`any(feature = "a"`:       cfgUnknown,
		`feature = "unterminated`: cfgUnknown,
		``:                        cfgUnknown,
	} {
		if got := evalCfg(pred, on); got != want {
			t.Errorf("evalCfg(%q) = %d, want %d", pred, got, want)
		}
	}
}
