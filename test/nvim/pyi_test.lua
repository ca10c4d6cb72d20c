-- Attaches pyo3-ls to fixture-pyi in a real Neovim (0.7+), opens the
-- extension's stub demo/_core.pyi, waits for the boundary diagnostics (E002,
-- E005) on it, asks for a hover on `incr` (Python + Rust signature) and for
-- its definition (the Rust method in src/lib.rs). Writes what it saw as JSON
-- to $PYO3_LS_RESULT. Environment as lsp_test.lua.
local bin = assert(os.getenv("PYO3_LS_BIN"), "PYO3_LS_BIN")
local root = assert(os.getenv("PYO3_LS_FIXTURE"), "PYO3_LS_FIXTURE")
local out = assert(os.getenv("PYO3_LS_RESULT"), "PYO3_LS_RESULT")
local log = os.getenv("PYO3_LS_LOG") or (root .. "/pyo3-ls.log")

local result = { nvim = tostring(vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch) }
local latest = {}

local function has(uri, code)
  for _, d in ipairs(latest[uri] or {}) do
    if d.code == code then
      return true
    end
  end
  return false
end

local ok, err = pcall(function()
  local id = vim.lsp.start_client({
    name = "pyo3-ls",
    cmd = { bin, "serve", "--debounce", "20ms", "--log-level", "debug", "--log-file", log },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = "fixture" } },
    handlers = {
      ["textDocument/publishDiagnostics"] = function(e, res, ctx, config)
        latest[res.uri] = res.diagnostics
        return vim.lsp.handlers["textDocument/publishDiagnostics"](e, res, ctx, config)
      end,
    },
  })
  assert(id, "start_client failed")
  local stub = root .. "/demo/_core.pyi"
  local stuburi = vim.uri_from_fname(stub)
  vim.cmd("edit " .. vim.fn.fnameescape(stub))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, id)

  result.diagnostics = vim.wait(15000, function()
    return has(stuburi, "E002") and has(stuburi, "E005")
  end, 20)
  result.codes = {}
  for _, d in ipairs(latest[stuburi] or {}) do
    table.insert(result.codes, d.code)
  end

  -- line 8 (0-based 7) is "    def incr(self) -> int: ..."
  local pos = { textDocument = { uri = stuburi }, position = { line = 7, character = 9 } }
  local resp = vim.lsp.buf_request_sync(buf, "textDocument/hover", pos, 10000)
  for _, r in pairs(resp or {}) do
    if r.result and r.result.contents then
      result.hover = r.result.contents.value or r.result.contents
    end
    if r.err then
      result.hover_error = r.err.message
    end
  end
  resp = vim.lsp.buf_request_sync(buf, "textDocument/definition", pos, 10000)
  for _, r in pairs(resp or {}) do
    local locs = r.result or {}
    if locs.uri then
      locs = { locs }
    end
    for _, l in ipairs(locs) do
      result.definition_uri = l.uri or l.targetUri
      local range = l.range or l.targetSelectionRange
      result.definition_line = range and range.start.line
    end
  end

  vim.lsp.stop_client(id)
  vim.wait(2000, function()
    return vim.lsp.get_client_by_id(id) == nil
  end, 20)
end)
if not ok then
  result.error = tostring(err)
end
local f = assert(io.open(out, "w"))
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd("qa!")
