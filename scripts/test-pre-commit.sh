#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml with the real pre-commit (PyPI):
# a throwaway git repository holding a broken maturin project (the N001
# fixture) uses the hook from a local clone of this repository at HEAD;
# pre-commit builds pyo3-ls with `go install` (language: golang) and must
# fail with N001; after the project is fixed it must pass.
#
# Needs: git, Go (the go.mod version), python3 with venv/pip; network to PyPI
# (pre-commit) and the Go module proxy (our dependencies). Non-interactive.
# Env: PRE_COMMIT_VERSION (default 4.7.0), KEEP_TMP=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PRE_COMMIT_VERSION=${PRE_COMMIT_VERSION:-4.7.0}
say() { printf '[test-pre-commit] %s\n' "$*"; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/pyo3-ls-pre-commit.XXXXXX")
cleanup() { if [ "${KEEP_TMP:-}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi; }
trap cleanup EXIT

export GOTOOLCHAIN=local            # use the installed Go; never download one
# pre-commit gives the hook its own GOPATH; share the module cache so our
# dependencies are not fetched again (set PYO3_LS_FRESH_GOMODCACHE=1 to test that too).
if [ "${PYO3_LS_FRESH_GOMODCACHE:-}" != 1 ]; then export GOMODCACHE="$(go env GOMODCACHE)"; fi
export PRE_COMMIT_HOME="$TMP/pre-commit-home"
export GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE || true

say "installing pre-commit==$PRE_COMMIT_VERSION into a virtualenv"
python3 -m venv "$TMP/venv"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION"
PRE_COMMIT="$TMP/venv/bin/pre-commit"
"$PRE_COMMIT" --version

say "cloning this repository at HEAD into $TMP/hook-repo"
git clone --quiet --no-local "$ROOT" "$TMP/hook-repo"
REV=$(git -C "$TMP/hook-repo" rev-parse HEAD)
say "hook repository rev $REV"
[ -f "$TMP/hook-repo/.pre-commit-hooks.yaml" ] || { say "HEAD has no .pre-commit-hooks.yaml (commit it first)"; exit 1; }

say "creating a maturin project with a module-name mismatch (testdata/rules/N001/fail-fn-name)"
PROJ="$TMP/project"
mkdir -p "$PROJ"
cp -R "$ROOT/testdata/rules/N001/fail-fn-name/." "$PROJ/"
rm -f "$PROJ/expect"
cat > "$PROJ/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $TMP/hook-repo
    rev: $REV
    hooks:
      - id: pyo3-ls
YAML
git -C "$PROJ" init --quiet
git -C "$PROJ" add -A
git -C "$PROJ" commit --quiet -m "broken project"

say "pre-commit run --all-files (builds the hook with go install; must fail with N001)"
set +e
(cd "$PROJ" && "$PRE_COMMIT" run --all-files --show-diff-on-failure) >"$TMP/fail.log" 2>&1
rc=$?
set -e
cat "$TMP/fail.log"
if [ "$rc" = 0 ]; then say "FAIL: pre-commit passed on a broken project"; exit 1; fi
grep -q "N001" "$TMP/fail.log" || { say "FAIL: output lacks N001"; exit 1; }
grep -q "error\[N001\]" "$TMP/fail.log" || { say "FAIL: output lacks the text report error[N001]"; exit 1; }
say "ok: failed (exit $rc) with N001"

say "fixing the project (the N001 pass fixture) and running again (must pass)"
cp -R "$ROOT/testdata/rules/N001/pass/." "$PROJ/"
git -C "$PROJ" add -A
git -C "$PROJ" commit --quiet -m "fixed project"
set +e
(cd "$PROJ" && "$PRE_COMMIT" run --all-files) >"$TMP/pass.log" 2>&1
rc=$?
set -e
cat "$TMP/pass.log"
if [ "$rc" != 0 ]; then say "FAIL: pre-commit failed (exit $rc) on a clean project"; exit 1; fi
grep -q "Passed" "$TMP/pass.log" || { say "FAIL: the hook did not run (no 'Passed')"; exit 1; }

say "ok: the hook passes on the fixed project"
say "2 passed, 0 failed"
