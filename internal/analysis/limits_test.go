package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyo3-ls/pyo3-ls/internal/benchgen"
	"github.com/pyo3-ls/pyo3-ls/internal/project"
	"github.com/pyo3-ls/pyo3-ls/internal/testenv"
)

// Deeply nested arrays and inline tables, huge arrays and long lines in a
// project's TOML files end in a T001 (or a clean parse) quickly, without a
// stack overflow: tomldoc caps the nesting depth.
func TestHostileTOMLDoesNotCrash(t *testing.T) {
	head := "[build-system]\nbuild-backend = \"maturin\"\n"
	for name, body := range map[string]string{
		"deep-arrays":        "x = " + strings.Repeat("[", 1<<20),
		"deep-inline-tables": "x = " + strings.Repeat("{a=", 1<<18),
		"deep-mixed":         "x = " + strings.Repeat("[{a=", 1<<17),
		"wide-array":         "x = [" + strings.Repeat("1,", 1<<19) + "]\n",
		"many-tables":        strings.Repeat("[[t]]\na = 1\n", 1<<16),
		"long-string":        "x = \"" + strings.Repeat("é", 1<<20) + "\"\n",
		"invalid-utf8":       "x = \"\xff\xfe\"\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := benchgen.Project(dir, "demo"); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"pyproject.toml", "Cargo.toml"} {
				src := body
				if f == "pyproject.toml" {
					src = head + body
				}
				if err := os.WriteFile(filepath.Join(dir, f), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
				var res *Result
				var err error
				testenv.NoHang(t, f, func() {
					res, err = Check(project.NewLoader(project.OSFS{}), []string{dir}, Options{})
				})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Projects) != 1 {
					t.Fatalf("%s: %d projects", f, len(res.Projects))
				}
				benchgen.Project(dir, "demo") // restore for the next file
			}
		})
	}
}
