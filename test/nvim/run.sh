#!/bin/sh
# Runs the Neovim LSP client test: builds pyo3-ls, attaches it to a copy of
# test/nvim/fixture in headless Neovim (test/nvim/lsp_test.lua) and checks
# the result, and runs docs/editors.md's Neovim 0.7 snippet verbatim
# (TestNeovimDocSnippet). CI: apt-get install -y neovim, then test/nvim/run.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
command -v nvim >/dev/null 2>&1 || { echo "run.sh: nvim not installed (apt-get install -y neovim)" >&2; exit 1; }
cd "$repo"
PYO3_LS_REQUIRE_NVIM=1 go test ./internal/server/ -run 'TestNeovim' -count=1 -v
