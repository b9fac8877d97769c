#!/usr/bin/env bash
# Builds charm-sim's hook-tool client (Go, stdlib only, apps/sim/jujuc) into tools/bin/jujuc.
# Idempotent: does nothing when tools/bin/.jujuc.sha256 matches the Go sources (go.mod, go.sum, *.go). The nx
# target `@charms/sim:jujuc` runs this (cached, inputs the Go sources, output tools/bin/jujuc); setup.sh calls it too.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/apps/sim/jujuc"
BIN="$ROOT/tools/bin"
die() { printf 'build-jujuc: %s\n' "$*" >&2; exit 1; }

# the sources, in a stable order (names are hashed with contents, so a rename rebuilds too)
hash="$(cd "$SRC" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) | LC_ALL=C sort \
  | while read -r f; do printf '%s\n' "$f"; cat "$f"; done | sha256sum | cut -d' ' -f1)"
if [ -x "$BIN/jujuc" ] && [ "$(cat "$BIN/.jujuc.sha256" 2>/dev/null)" = "$hash" ]; then
  exit 0
fi
command -v go >/dev/null || die "Go is required to build charm-sim's jujuc (apt-get install golang-go, or https://go.dev/dl)."
printf 'build-jujuc: building %s into %s/jujuc\n' "$SRC" "$BIN"
mkdir -p "$BIN"
rm -f "$BIN/.jujuc.sha256"
(cd "$SRC" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -ldflags='-s -w' -o "$BIN/jujuc" .) \
  || die "cannot build apps/sim/jujuc"
echo "$hash" > "$BIN/.jujuc.sha256"
