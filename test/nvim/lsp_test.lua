-- Attaches pyo3-ls to a fixture in a real Neovim (0.7+: vim.lsp.start_client),
-- waits for N001 on pyproject.toml and on src/lib.rs (never opened), asks for
-- a hover on module-name, applies the server's quick fix (unsaved) and waits
-- for the diagnostics to clear in both files. Writes what it saw as JSON to $PYO3_LS_RESULT.
--
-- Environment: PYO3_LS_BIN (the binary), PYO3_LS_FIXTURE (a copy of
-- fixture/), PYO3_LS_RESULT (output file), PYO3_LS_LOG (server log file).
local bin = assert(os.getenv("PYO3_LS_BIN"), "PYO3_LS_BIN")
local root = assert(os.getenv("PYO3_LS_FIXTURE"), "PYO3_LS_FIXTURE")
local out = assert(os.getenv("PYO3_LS_RESULT"), "PYO3_LS_RESULT")
local log = os.getenv("PYO3_LS_LOG") or (root .. "/pyo3-ls.log")

local result = { nvim = tostring(vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch) }
local latest = {} -- uri -> list of codes

local function codes(diags)
  local cs = {}
  for _, d in ipairs(diags or {}) do
    table.insert(cs, d.code)
  end
  return cs
end

local function has(uri, code)
  for _, c in ipairs(latest[uri] or {}) do
    if c == code then
      return true
    end
  end
  return false
end

local function finish()
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

local ok, err = pcall(function()
  local start = vim.lsp.start_client
  local id = start({
    name = "pyo3-ls",
    cmd = { bin, "serve", "--debounce", "20ms", "--log-level", "debug", "--log-file", log },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = "fixture" } },
    init_options = { select = {}, ignore = {} },
    handlers = {
      ["textDocument/publishDiagnostics"] = function(e, res, ctx, config)
        latest[res.uri] = codes(res.diagnostics)
        return vim.lsp.handlers["textDocument/publishDiagnostics"](e, res, ctx, config)
      end,
    },
  })
  assert(id, "start_client failed")
  result.client = id
  local py = root .. "/pyproject.toml"
  local pyuri = vim.uri_from_fname(py)
  local liburi = vim.uri_from_fname(root .. "/src/lib.rs")
  vim.cmd("edit " .. vim.fn.fnameescape(py))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, id)

  result.diagnostics = vim.wait(15000, function()
    return has(pyuri, "N001") and has(liburi, "N001")
  end, 20)
  result.pyproject_codes = latest[pyuri]
  result.lib_codes = latest[liburi]
  -- Neovim's own diagnostic store has them too.
  result.nvim_diagnostics = #vim.diagnostic.get(buf)

  local resp = vim.lsp.buf_request_sync(buf, "textDocument/hover", {
    textDocument = { uri = pyuri },
    position = { line = 10, character = 3 },
  }, 10000)
  for _, r in pairs(resp or {}) do
    if r.result and r.result.contents then
      result.hover = r.result.contents.value or r.result.contents
    end
    if r.err then
      result.hover_error = r.err.message
    end
  end

  -- Ask for the code actions on module-name and apply the server's quick
  -- fix ("Rename the module to ...") as an editor would: the buffer changes
  -- (an incremental didChange, not saved) and both files must clear.
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == "N001" then
      table.insert(diags, d.user_data and d.user_data.lsp or {
        range = { start = { line = d.lnum, character = d.col }, ["end"] = { line = d.end_lnum, character = d.end_col } },
        message = d.message, code = d.code, source = d.source,
      })
    end
  end
  local actions = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", {
    textDocument = { uri = pyuri },
    range = { start = { line = 10, character = 16 }, ["end"] = { line = 10, character = 16 } },
    context = { diagnostics = diags },
  }, 10000)
  local fix
  result.actions = {}
  for _, r in pairs(actions or {}) do
    for _, a in ipairs(r.result or {}) do
      table.insert(result.actions, a.title)
      if not fix and a.title:find("^Rename the module to") then
        fix = a
      end
    end
  end
  assert(fix and fix.edit, "no quick fix offered on module-name")
  result.applied = fix.title
  local okEdit, editErr = pcall(vim.lsp.util.apply_workspace_edit, fix.edit, "utf-16")
  if not okEdit then
    vim.lsp.util.apply_workspace_edit(fix.edit) -- Neovim < 0.7 took no encoding
  end
  result.fixed_line = vim.api.nvim_buf_get_lines(buf, 10, 11, false)[1]
  result.modified = vim.api.nvim_buf_get_option(buf, "modified")
  result.cleared = vim.wait(15000, function()
    return latest[pyuri] ~= nil and #latest[pyuri] == 0 and latest[liburi] ~= nil and #latest[liburi] == 0
  end, 20)

  vim.lsp.stop_client(id)
  vim.wait(2000, function()
    return vim.lsp.get_client_by_id(id) == nil
  end, 20)
end)
if not ok then
  result.error = tostring(err)
end
finish()
