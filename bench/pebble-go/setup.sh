#!/usr/bin/env bash
# Build the Go side of the Pebble client bench (Pebble's own Go client, at the version of the
# pinned daemon, fetched through the Go module proxy) into bench/pebble-go/work/pebble-go.
# Idempotent: rebuilds only when main.go, go.mod or go.sum change.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/work/pebble-go"
command -v go >/dev/null || { echo "pebble-go setup: Go is required (apt-get install golang-go, or https://go.dev/dl)" >&2; exit 1; }
hash="$(cat "$HERE/main.go" "$HERE/go.mod" "$HERE/go.sum" | sha256sum | cut -d' ' -f1)"
if [ -x "$OUT" ] && [ "$(cat "$HERE/work/.sha256" 2>/dev/null)" = "$hash" ]; then
  exit 0
fi
mkdir -p "$HERE/work"
(cd "$HERE" && GOFLAGS=-buildvcs=false go build -trimpath -o "$OUT" .) || { echo "pebble-go setup: go build failed" >&2; exit 1; }
echo "$hash" > "$HERE/work/.sha256"
