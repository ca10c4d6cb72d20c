package server_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNeovim runs test/nvim/lsp_test.lua in a real headless Neovim: the
// editor's own LSP client attaches pyo3-ls to test/nvim/fixture, gets N001
// for pyproject.toml and for the unopened src/lib.rs, hovers on
// module-name, and sees both cleared after fixing the buffer.
func TestNeovim(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if os.Getenv("PYO3_LS_REQUIRE_NVIM") != "" {
			t.Fatal("nvim not installed")
		}
		t.Skip("nvim not installed (apt-get install -y neovim)")
	}
	repo, _ := filepath.Abs("../..")
	src := filepath.Join(repo, "test", "nvim")
	dir := t.TempDir()
	fixture := filepath.Join(dir, "fixture")
	for _, f := range []string{"pyproject.toml", "Cargo.toml", "src/lib.rs"} {
		data, err := os.ReadFile(filepath.Join(src, "fixture", filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		writeFiles(t, fixture, map[string]string{f: string(data)})
	}
	resultPath := filepath.Join(dir, "result.json")
	logPath := filepath.Join(dir, "server.log")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-c", "luafile "+filepath.Join(src, "lsp_test.lua"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PYO3_LS_BIN="+binary(t), "PYO3_LS_FIXTURE="+fixture, "PYO3_LS_RESULT="+resultPath, "PYO3_LS_LOG="+logPath, "HOME="+dir, "XDG_STATE_HOME="+dir, "XDG_CACHE_HOME="+dir)
	outb, err := cmd.CombinedOutput()
	logs, _ := os.ReadFile(logPath)
	defer func() {
		if t.Failed() {
			t.Logf("nvim output:\n%s\nserver log:\n%s", outb, logs)
		}
	}()
	if err != nil {
		t.Fatalf("nvim: %v", err)
	}
	data, err := os.ReadFile(resultPath)
	if err != nil {
		t.Fatalf("no result: %v", err)
	}
	var res struct {
		Nvim            string
		Error           string
		Diagnostics     bool
		PyprojectCodes  []string `json:"pyproject_codes"`
		LibCodes        []string `json:"lib_codes"`
		NvimDiagnostics int      `json:"nvim_diagnostics"`
		Hover           string
		HoverError      string `json:"hover_error"`
		Cleared         bool
		Applied         string
		FixedLine       string `json:"fixed_line"`
		Modified        bool
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("result %s: %v", data, err)
	}
	t.Logf("Neovim %s: %s", res.Nvim, data)
	if res.Error != "" {
		t.Fatalf("lua error: %s", res.Error)
	}
	if !res.Diagnostics || !contains(res.PyprojectCodes, "N001") || !contains(res.LibCodes, "N001") {
		t.Errorf("N001 not published to Neovim: pyproject %v, lib.rs %v", res.PyprojectCodes, res.LibCodes)
	}
	if res.NvimDiagnostics == 0 {
		t.Errorf("vim.diagnostic.get has no diagnostics for the buffer")
	}
	if !strings.Contains(res.Hover, "Python module `demo`") || !strings.Contains(res.Hover, "PyInit_other") {
		t.Errorf("hover = %q (error %q)", res.Hover, res.HoverError)
	}
	if !strings.HasPrefix(res.Applied, "Rename the module to") || res.FixedLine != `module-name = "other"` {
		t.Errorf("quick fix: applied %q, line now %q", res.Applied, res.FixedLine)
	}
	if !res.Modified {
		t.Errorf("the fix should change the unsaved buffer")
	}
	if !res.Cleared {
		t.Errorf("diagnostics not cleared after applying the quick fix (unsaved)")
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
