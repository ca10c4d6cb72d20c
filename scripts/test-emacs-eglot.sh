#!/usr/bin/env bash
# Runs the docs/editors.md eglot configuration in a real headless Emacs:
# opens Cargo.toml of the N001 fixture in conf-toml-mode, connects eglot to
# `pyo3-ls serve` and waits (30 s at most) for flymake to show N001.
# Needs: Go; emacs-nox and elpa-eglot (Debian; installed with apt-get when
# missing and running as root). Non-interactive.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '[test-emacs-eglot] %s\n' "$*"; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pyo3-ls-eglot.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

if ! command -v emacs >/dev/null || ! ls -d /usr/share/emacs/site-lisp/elpa/eglot-* >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    say "installing emacs-nox elpa-eglot with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq emacs-nox elpa-eglot >/dev/null
  else
    say "emacs and elpa-eglot are needed (apt-get install emacs-nox elpa-eglot)"; exit 1
  fi
fi
emacs --version | head -1

say "building pyo3-ls"
(cd "$ROOT" && go build -o "$TMP/pyo3-ls" ./cmd/pyo3-ls)
cp -R "$ROOT/testdata/rules/N001/fail-fn-name" "$TMP/proj"
rm -f "$TMP/proj/expect"
git -C "$TMP/proj" init -q   # a project root for project.el

cat > "$TMP/test.el" <<'EL'
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (add-to-list 'load-path dir))
(require 'eglot)
;; The configuration from docs/editors.md, with the binary's path.
(add-to-list 'eglot-server-programs
             `((conf-toml-mode toml-ts-mode) . (,(getenv "PYO3_LS_BIN") "serve"
                                                :initializationOptions (:select [] :ignore []))))
(add-to-list 'auto-mode-alist '("\\.toml\\'" . conf-toml-mode))
(find-file (expand-file-name "Cargo.toml" (getenv "PROJ")))
;; eglot-ensure waits for the first command, which batch mode never runs: connect directly.
(apply #'eglot (eglot--guess-contact))
(let ((deadline (+ (float-time) 30)) diags)
  (while (and (< (float-time) deadline) (null diags))
    (accept-process-output nil 0.2)
    (setq diags (flymake-diagnostics)))
  (dolist (d diags)
    (message "DIAG %s:%d %s" (buffer-name (flymake-diagnostic-buffer d))
             (line-number-at-pos (flymake-diagnostic-beg d))
             (flymake-diagnostic-text d)))
  (kill-emacs (if diags 0 1)))
EL

say "emacs --batch: eglot on Cargo.toml"
set +e
PYO3_LS_BIN="$TMP/pyo3-ls" PROJ="$TMP/proj" timeout 90 emacs --batch -Q -l "$TMP/test.el" >"$TMP/out.log" 2>&1
rc=$?
set -e
cat "$TMP/out.log"
if [ "$rc" = 0 ] && grep -q "^DIAG Cargo.toml:7 .*N001" "$TMP/out.log"; then
  say "ok: eglot shows N001 on Cargo.toml line 7"
  say "1 passed, 0 failed"
else
  say "FAIL: exit $rc, no N001 diagnostic on Cargo.toml:7"
  say "0 passed, 1 failed"
  exit 1
fi
