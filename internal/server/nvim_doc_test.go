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

// docSnippet returns the first ```lua block after heading in docs/editors.md.
func docSnippet(t *testing.T, heading string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "editors.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("docs/editors.md has no heading %q", heading)
	}
	s = s[i:]
	j := strings.Index(s, "```lua\n")
	if j < 0 {
		t.Fatalf("no lua block after %q", heading)
	}
	s = s[j+len("```lua\n"):]
	return s[:strings.Index(s, "```")]
}

// TestNeovimDocSnippet runs docs/editors.md's Neovim 0.7 snippet verbatim
// as init.lua in a real headless Neovim (Debian's 0.7.2 in CI), with
// pyo3-ls on PATH: N001 reaches the opened pyproject.toml and the unopened
// src/lib.rs; then lib.rs is fixed on disk — Neovim 0.7 cannot watch files
// — and both clear.
func TestNeovimDocSnippet(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if os.Getenv("PYO3_LS_REQUIRE_NVIM") != "" {
			t.Fatal("nvim not installed")
		}
		t.Skip("nvim not installed (apt-get install -y neovim)")
	}
	snippet := docSnippet(t, "### Neovim 0.7 (Debian 12, Ubuntu 22.04) and later")
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(binary(t), filepath.Join(bin, "pyo3-ls")); err != nil {
		t.Fatal(err)
	}
	proj := filepath.Join(dir, "proj")
	writeFiles(t, proj, map[string]string{"pyproject.toml": fixturePyproject, "Cargo.toml": fixtureCargo, "src/lib.rs": fixtureLib})
	cfg := filepath.Join(dir, "config", "nvim")
	writeFiles(t, cfg, map[string]string{"init.lua": snippet})
	result := filepath.Join(dir, "result.json")
	fixed := strings.Replace(fixtureLib, "other", "demo", 1)
	harness := `
local out = {}
local py = vim.fn.fnamemodify("pyproject.toml", ":p")
local lib = vim.fn.fnamemodify("src/lib.rs", ":p")
local function codes(path)
  local cs = {}
  for _, d in ipairs(vim.diagnostic.get(vim.uri_to_bufnr(vim.uri_from_fname(path)))) do
    table.insert(cs, d.code)
  end
  return cs
end
local function has(path, code)
  for _, c in ipairs(codes(path)) do
    if c == code then return true end
  end
  return false
end
out.reported = vim.wait(20000, function() return has(py, "N001") and has(lib, "N001") end, 50)
out.clients = #vim.lsp.get_active_clients()
out.pyproject = codes(py)
out.lib = codes(lib)
local f = assert(io.open(lib, "w"))
f:write(` + luaString(fixed) + `)
f:close()
out.cleared = vim.wait(20000, function() return #codes(py) == 0 and #codes(lib) == 0 end, 50)
local r = assert(io.open(` + luaString(result) + `, "w"))
r:write(vim.fn.json_encode(out))
r:close()
vim.cmd("qa!")
`
	harnessPath := filepath.Join(dir, "harness.lua")
	writeFiles(t, dir, map[string]string{"harness.lua": harness})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-n", "pyproject.toml", "-c", "luafile "+harnessPath)
	cmd.Dir = proj
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_DATA_HOME="+dir, "XDG_STATE_HOME="+dir, "XDG_CACHE_HOME="+dir, "HOME="+dir)
	outb, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("nvim: %v\n%s", err, outb)
	}
	data, err := os.ReadFile(result)
	if err != nil {
		t.Fatalf("no result (%v); nvim said:\n%s", err, outb)
	}
	var res struct {
		Clients   int
		Reported  bool
		Pyproject []string
		Lib       []string
		Cleared   bool
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	t.Logf("%s", data)
	if res.Clients != 1 || !res.Reported {
		t.Errorf("the snippet did not attach pyo3-ls or N001 did not arrive: %s", data)
	}
	if !res.Cleared {
		t.Errorf("a lib.rs fixed on disk did not clear the diagnostics in Neovim 0.7: %s", data)
	}
}

// luaString quotes s as a Lua long string.
func luaString(s string) string {
	return "[==[" + s + "]==]"
}
