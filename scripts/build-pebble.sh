#!/usr/bin/env bash
# Builds the pinned Pebble into tools/bin/pebble: the binary the tests and charm-sim's pods run.
# Idempotent: does nothing when tools/bin/pebble already reports the pinned version. The nx target
# `@charms/source:pebble` runs this (cached, output tools/bin/pebble); scripts/setup.sh calls it too.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEBBLE_VERSION="v1.32.1"
BIN="$ROOT/tools/bin"
die() { printf 'build-pebble: %s\n' "$*" >&2; exit 1; }

if [ -x "$BIN/pebble" ] && "$BIN/pebble" version --client 2>/dev/null | grep -qF "${PEBBLE_VERSION#v}"; then
  exit 0
fi
command -v go >/dev/null || die "Go is required to build Pebble (apt-get install golang-go, or https://go.dev/dl)."
printf 'build-pebble: building pebble %s into %s\n' "$PEBBLE_VERSION" "$BIN"
mkdir -p "$BIN"
log="$(mktemp "${TMPDIR:-/tmp}/pebble-go-install.XXXXXX.log")"
trap 'rm -f "$log"' EXIT
if ! GOBIN="$BIN" GOFLAGS=-buildvcs=false go install "github.com/canonical/pebble/cmd/pebble@$PEBBLE_VERSION" 2>"$log"; then
  # Some module proxies refuse the version list that `go install` reads for deprecation notices;
  # the pinned version itself is served, so build it from the module cache.
  dir="$(go mod download -json "github.com/canonical/pebble@$PEBBLE_VERSION" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')" \
    || { cat "$log" >&2; die "cannot download github.com/canonical/pebble@$PEBBLE_VERSION"; }
  (cd "$dir" && GOFLAGS=-buildvcs=false go build -o "$BIN/pebble" ./cmd/pebble) \
    || { cat "$log" >&2; die "cannot build pebble $PEBBLE_VERSION"; }
fi
"$BIN/pebble" version --client 2>/dev/null | grep -qF "${PEBBLE_VERSION#v}" \
  || die "$BIN/pebble does not report version ${PEBBLE_VERSION#v} after the build"
