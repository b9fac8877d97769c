#!/usr/bin/env bash
# Idempotent setup: everything the main job and the test suite need on a fresh machine.
# Safe to run again: each step checks before it acts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PEBBLE_VERSION="v1.32.1"
OPS_VERSION="3.9.0"
BIN="$ROOT/tools/bin"
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || die "Linux x86_64 is required (found $(uname -s)-$(uname -m))."
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node >= 20.19 is required (found $(node --version)). Install it from https://nodejs.org or your distribution."

# 1. Debian packages.
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-sentinel >/dev/null || missing+=(redis-sentinel)
command -v redis-cli >/dev/null || missing+=(redis-tools)
command -v openssl >/dev/null || missing+=(openssl)
command -v unshare >/dev/null || missing+=(util-linux)
# the chaos suite partitions pod addresses with nftables
command -v nft >/dev/null || [ -x /usr/sbin/nft ] || missing+=(nftables)
command -v ip >/dev/null || missing+=(iproute2)        # charm-sim pod networks (veth, bridge)
command -v iptables >/dev/null || missing+=(iptables)  # fault tests cut a pod off inside its netns
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing system packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
  fi
fi
# Debian's packages may start system-wide daemons on boot; ours are started by Pebble only.

# 2. npm dependencies (npm ci when the lock file changed since the last install).
stamp="node_modules/.setup-lock-hash"
hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$hash" > "$stamp"
fi

# 3. Pebble, pinned, into tools/bin (tests find it there through PEBBLE_BIN or this path).
mkdir -p "$BIN"
if [ ! -x "$BIN/pebble" ] || ! "$BIN/pebble" version --client 2>/dev/null | grep -q "${PEBBLE_VERSION#v}"; then
  command -v go >/dev/null || die "Go is required to install Pebble (apt-get install golang-go, or https://go.dev/dl)."
  step "installing pebble $PEBBLE_VERSION"
  if ! GOBIN="$BIN" GOFLAGS=-buildvcs=false go install "github.com/canonical/pebble/cmd/pebble@$PEBBLE_VERSION" 2>"${TMPDIR:-/tmp}/pebble-go-install.log"; then
    # Some module proxies refuse the version list that `go install` reads for deprecation notices;
    # the pinned version itself is served, so build it from the module cache.
    dir="$(go mod download -json "github.com/canonical/pebble@$PEBBLE_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
    (cd "$dir" && GOFLAGS=-buildvcs=false go build -o "$BIN/pebble" ./cmd/pebble) || { cat "${TMPDIR:-/tmp}/pebble-go-install.log" >&2; die "cannot build pebble $PEBBLE_VERSION"; }
  fi
fi

# 3b. charm-sim's hook-tool client (Go, stdlib only) into tools/bin/jujuc; rebuilt only when its source changes.
JUJUC_SRC="$ROOT/apps/sim/jujuc"
jujuc_hash="$(cat "$JUJUC_SRC/go.mod" "$JUJUC_SRC/main.go" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$BIN/jujuc" ] || [ "$(cat "$BIN/.jujuc.sha256" 2>/dev/null)" != "$jujuc_hash" ]; then
  command -v go >/dev/null || die "Go is required to build charm-sim's jujuc (apt-get install golang-go, or https://go.dev/dl)."
  step "building jujuc (charm-sim hook-tool client)"
  (cd "$JUJUC_SRC" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -ldflags='-s -w' -o "$BIN/jujuc" .) || die "cannot build apps/sim/jujuc"
  echo "$jujuc_hash" > "$BIN/.jujuc.sha256"
fi

# 4. Python ops, for the test charm written with the real ops library (installed into tools/python).
if [ ! -f "$ROOT/tools/python/ops-$OPS_VERSION.stamp" ]; then
  step "installing Python ops $OPS_VERSION into tools/python"
  rm -rf "$ROOT/tools/python" && mkdir -p "$ROOT/tools/python"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$ROOT/tools/python/lib" "ops==$OPS_VERSION" \
    || die "cannot install ops==$OPS_VERSION from PyPI (python3 -m pip is required)"
  touch "$ROOT/tools/python/ops-$OPS_VERSION.stamp"
fi

# 5. The Node runtime that packed charms bundle (verified against its registry integrity, cached).
if ! ls "$ROOT"/.cache/node-runtime/*/node >/dev/null 2>&1; then
  step "fetching the Node runtime for packed charms into .cache/node-runtime"
  node --conditions @charms/source --import tsx --input-type=module -e \
    "const m = await import('./packages/charm-sdk/src/pack/node-runtime.ts'); await m.ensureNodeRuntime({ cacheDir: '.cache/node-runtime' });" \
    || die "cannot fetch the Node runtime for packed charms from the npm registry"
fi

step "setup complete (pebble $("$BIN/pebble" version --client), $(redis-server --version | awk '{print $3}'))"
