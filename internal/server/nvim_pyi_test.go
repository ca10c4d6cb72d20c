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

// TestNeovimPyi runs test/nvim/pyi_test.lua in a real headless Neovim: the
// editor's LSP client attaches pyo3-ls to test/nvim/fixture-pyi, opens the
// extension's stub, gets the E002/E005 diagnostics for it, a hover with the
// Python and Rust signatures, and a definition in src/lib.rs.
func TestNeovimPyi(t *testing.T) {
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
	files := map[string]string{}
	filepath.WalkDir(filepath.Join(src, "fixture-pyi"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(filepath.Join(src, "fixture-pyi"), p)
		files[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	writeFiles(t, fixture, files)
	resultPath := filepath.Join(dir, "result.json")
	logPath := filepath.Join(dir, "server.log")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-c", "luafile "+filepath.Join(src, "pyi_test.lua"))
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
		Nvim           string
		Error          string
		Diagnostics    bool
		Codes          []string
		Hover          string
		HoverError     string `json:"hover_error"`
		DefinitionURI  string `json:"definition_uri"`
		DefinitionLine *int   `json:"definition_line"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("result %s: %v", data, err)
	}
	t.Logf("Neovim %s: %s", res.Nvim, data)
	if res.Error != "" {
		t.Fatalf("lua error: %s", res.Error)
	}
	if !res.Diagnostics || !contains(res.Codes, "E002") || !contains(res.Codes, "E005") {
		t.Errorf("E002/E005 not published for the stub: %v", res.Codes)
	}
	if !strings.Contains(res.Hover, "def incr(self, by)") || !strings.Contains(res.Hover, "fn incr(&mut self, by: i64) -> i64") {
		t.Errorf("hover = %q (error %q)", res.Hover, res.HoverError)
	}
	// src/lib.rs line 29 (0-based 28) holds `fn incr`.
	if !strings.HasSuffix(res.DefinitionURI, "/src/lib.rs") || res.DefinitionLine == nil || *res.DefinitionLine != 28 {
		t.Errorf("definition = %s line %v", res.DefinitionURI, res.DefinitionLine)
	}
}
