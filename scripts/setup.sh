#!/usr/bin/env bash
# Idempotent setup: everything the main job and the test suite need on a fresh machine.
# Safe to run again: each step checks before it acts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OPS_VERSION="3.9.0"
OPS2_VERSION="2.3.0"  # a 2.x still pinned by production charms; the ops test charm runs under both
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

# 3. Pebble, pinned, and charm-sim's hook-tool client jujuc, into tools/bin (tests find them there, or through
# PEBBLE_BIN / JUJUC_BIN). The same scripts are the nx targets @charms/source:pebble and @charms/sim:jujuc.
bash scripts/build-pebble.sh || die "cannot build pebble (scripts/build-pebble.sh)"
bash scripts/build-jujuc.sh || die "cannot build charm-sim's jujuc (scripts/build-jujuc.sh)"

# 4. Python ops, for the test charm written with the real ops library: $OPS_VERSION into tools/python/lib
#    and $OPS2_VERSION into tools/python/ops2/lib (each pip --target with its own dependencies).
install_ops() { # <version> <target dir>: reinstalled only when its stamp is missing
  local version="$1" dir="$2"
  [ -f "$dir/ops-$version.stamp" ] && return 0
  step "installing Python ops $version into ${dir#"$ROOT"/}"
  rm -rf "$dir/lib" "$dir"/ops-*.stamp && mkdir -p "$dir"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$dir/lib" "ops==$version" \
    || die "cannot install ops==$version from PyPI (python3 -m pip is required)"
  # the charm runs with /usr/bin/python3 when there is one: prove this release imports there
  "$(command -v /usr/bin/python3 || command -v python3)" -c "import sys; sys.path.insert(0, '$dir/lib'); import ops; assert ops.__version__ == '$version', ops.__version__" \
    || die "ops==$version does not import from $dir/lib"
  touch "$dir/ops-$version.stamp"
}
install_ops "$OPS_VERSION" "$ROOT/tools/python"
install_ops "$OPS2_VERSION" "$ROOT/tools/python/ops2"

# 5. The Node runtime that packed charms bundle (verified against its registry integrity, cached).
if ! ls "$ROOT"/.cache/node-runtime/*/node >/dev/null 2>&1; then
  step "fetching the Node runtime for packed charms into .cache/node-runtime"
  node --conditions @charms/source --import tsx --input-type=module -e \
    "const m = await import('./packages/charm-sdk/src/pack/node-runtime.ts'); await m.ensureNodeRuntime({ cacheDir: '.cache/node-runtime' });" \
    || die "cannot fetch the Node runtime for packed charms from the npm registry"
fi

step "setup complete (pebble $("$BIN/pebble" version --client), $(redis-server --version | awk '{print $3}'))"
