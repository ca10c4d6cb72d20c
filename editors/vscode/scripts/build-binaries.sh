#!/usr/bin/env bash
# Cross-compiles the pyo3-ls server into bin/<platform>-<arch>/pyo3-ls[.exe],
# using Node's platform/arch names (linux/darwin/win32, x64/arm64) for the
# directories, which is what the extension looks up at run time. Each binary
# is stamped with the extension's version (`pyo3-ls --version` prints it), as
# scripts/build-wheels stamps the wheel's; both equal baseVersion in
# cmd/pyo3-ls/version.go (cmd/pyo3-ls/version_test.go checks it).
#
# Usage: scripts/build-binaries.sh            # all six targets
#        scripts/build-binaries.sh linux-x64  # only the named targets
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

all_targets=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

version="$(node -p 'require("./package.json").version')"
for t in "${targets[@]}"; do
  platform="${t%-*}"
  arch="${t#*-}"
  case "$platform" in
    linux|darwin) goos="$platform"; exe="pyo3-ls" ;;
    win32) goos="windows"; exe="pyo3-ls.exe" ;;
    *) echo "unknown platform in target '$t'" >&2; exit 2 ;;
  esac
  case "$arch" in
    x64) goarch="amd64" ;;
    arm64) goarch="arm64" ;;
    *) echo "unknown arch in target '$t'" >&2; exit 2 ;;
  esac
  out="bin/$t/$exe"
  mkdir -p "bin/$t"
  echo "building $out (GOOS=$goos GOARCH=$goarch)"
  (cd ../.. && CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" \
    go build -trimpath -ldflags "-s -w -X main.version=$version" -o "editors/vscode/$out" ./cmd/pyo3-ls)
  echo "  $(du -h "$out" | cut -f1)  $out"
done
echo "extension version $version: built ${#targets[@]} binaries"
