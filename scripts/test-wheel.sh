#!/usr/bin/env bash
# Builds the Linux x86_64 wheel with scripts/build-wheels, checks its RECORD
# (every file's sha256 and size), installs it into a fresh virtualenv with
# pip (offline: --no-index) and runs the installed pyo3-ls:
#   --version, check on a failing fixture (exit 1, N001), check on a passing
#   fixture (exit 0), and `python -m pyo3_ls`.
# With ALL_PLATFORMS=1 it first builds every platform's wheel too.
# Needs: Go, python3 with venv and pip. Non-interactive.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '[test-wheel] %s\n' "$*"; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pyo3-ls-wheel.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PLAT=manylinux_2_17_x86_64.manylinux2014_x86_64

if [ "${ALL_PLATFORMS:-}" = 1 ]; then
  say "building every platform's wheel into $TMP/dist"
  python3 "$ROOT/scripts/build-wheels" --out "$TMP/dist"
else
  say "building the $PLAT wheel into $TMP/dist"
  python3 "$ROOT/scripts/build-wheels" --out "$TMP/dist" --platform "$PLAT"
fi
WHEEL=$(ls "$TMP"/dist/pyo3_ls-*-py3-none-"$PLAT".whl)
say "wheel: $(basename "$WHEEL")"

say "verifying the wheel's RECORD, WHEEL tags and the script's mode"
python3 - "$TMP"/dist/*.whl <<'PY'
import base64, hashlib, sys, zipfile
for path in sys.argv[1:]:
    name = path.rsplit("/", 1)[-1]
    dist, ver, py, abi, plat = name[:-4].split("-")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        info = f"{dist}-{ver}.dist-info"
        rows = [l.split(",") for l in zf.read(f"{info}/RECORD").decode().splitlines()]
        listed = {r[0] for r in rows}
        assert listed == set(names), (name, listed ^ set(names))
        for arc, h, size in rows:
            if arc.endswith("/RECORD"):
                assert h == "" and size == "", arc
                continue
            data = zf.read(arc)
            want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert h == want and int(size) == len(data), (name, arc)
        tags = {l.split(": ", 1)[1] for l in zf.read(f"{info}/WHEEL").decode().splitlines() if l.startswith("Tag: ")}
        assert tags == {f"{py}-{abi}-{p}" for p in plat.split(".")}, (name, tags)
        exe = "pyo3-ls.exe" if plat.startswith("win") else "pyo3-ls"
        zi = zf.getinfo(f"{dist}-{ver}.data/scripts/{exe}")
        assert (zi.external_attr >> 16) & 0o111, f"{name}: {exe} is not executable"
        meta = zf.read(f"{info}/METADATA").decode()
        assert f"Version: {ver}\n" in meta and "Name: pyo3-ls\n" in meta, name
    print(f"  ok {name}: {len(rows)} RECORD rows, tags {sorted(tags)}")
PY

say "installing into a fresh virtualenv (pip --no-index)"
python3 -m venv "$TMP/venv"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index "$WHEEL"
BIN="$TMP/venv/bin/pyo3-ls"
[ -x "$BIN" ] || { say "FAIL: $BIN not installed"; exit 1; }

pass=0; fail=0
ok() { say "ok: $*"; pass=$((pass+1)); }
bad() { say "FAIL: $*"; fail=$((fail+1)); }

out=$("$BIN" --version); say "pyo3-ls --version: $out"
ver=$(basename "$WHEEL" | cut -d- -f2)
case "$out" in "pyo3-ls $ver") ok "--version reports the wheel version";; *) bad "--version: $out (wheel $ver)";; esac

# The venv's bin directory on PATH, as after `source venv/bin/activate`.
set +e
out=$(cd "$ROOT/testdata/rules/N001/fail-fn-name" && PATH="$TMP/venv/bin:$PATH" pyo3-ls check 2>&1); rc=$?
set -e
if [ "$rc" = 1 ] && grep -q "error\[N001\]" <<<"$out"; then ok "check on a failing fixture exits 1 with N001"; else bad "failing fixture: exit $rc: $out"; fi

set +e
out=$(cd "$ROOT/testdata/rules/N001/pass" && PATH="$TMP/venv/bin:$PATH" pyo3-ls check 2>&1); rc=$?
set -e
if [ "$rc" = 0 ]; then ok "check on a passing fixture exits 0"; else bad "passing fixture: exit $rc: $out"; fi

set +e
out=$("$TMP/venv/bin/python" -m pyo3_ls check --format github "$ROOT/testdata/rules/N001/fail-fn-name" 2>&1); rc=$?
set -e
if [ "$rc" = 1 ] && grep -q "^::error file=.*title=N001" <<<"$out"; then ok "python -m pyo3_ls runs the binary"; else bad "python -m pyo3_ls: exit $rc: $out"; fi

say "$pass passed, $fail failed"
[ "$fail" = 0 ]
