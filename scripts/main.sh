#!/usr/bin/env bash
# The main job: deploy redis-k8s (3 units) and redis-sentinel-k8s (3 units) in the local simulator,
# relate them, and show a healthy, replicated Redis watched by Sentinel.
# Idempotent: every run repacks the charms and replaces the model in $CHARM_SIM_DIR (default .charm-sim/).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$ROOT/tools/bin:$PATH"
export CHARM_SIM_DIR="${CHARM_SIM_DIR:-$ROOT/.charm-sim}"
SIM=("$ROOT/apps/sim/bin/charm-sim")
REDIS_APP=redis-k8s
SENTINEL_APP=redis-sentinel-k8s

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[33mmain: %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mmain: %s\033[0m\n' "$*" >&2; exit 1; }

if [ ! -d packages/charm-redis ]; then
  cat <<'MSG'
The redis-k8s charm is not built yet. When it is, this command will:
  1. pack the charms (npx nx run @charms/charm-redis:pack, and redis-sentinel-k8s when present),
  2. charm-sim deploy redis-k8s -n 3 (and redis-sentinel-k8s -n 3, related), wait for the model to settle,
  3. print charm-sim status and the replication state (one primary, two replicas, sentinels agreeing).
MSG
  exit 0
fi
[ "$(id -u)" = 0 ] || die "charm-sim pods need root (mount, UTS and PID namespaces); run this as root."

# JSON helpers (node is always there): `status_units <app>` prints "<unit> <address>" lines.
status_units() {
  "${SIM[@]}" status --format json | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const app = JSON.parse(s).applications[process.argv[1]];
      if (!app) process.exit(1);
      const units = Object.entries(app.units).sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }));
      for (const [name, u] of units) console.log(`${name} ${u.address}`);
    });' "$1"
}
# `action_result <unit> <action> <key>`: one result of an action, on stdout only (never echoed by this script).
action_result() {
  "${SIM[@]}" -q run "$1" "$2" --format json | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const v = JSON.parse(s).results?.[process.argv[1]];
      if (typeof v !== "string" || v === "") process.exit(1);
      process.stdout.write(v);
    });' "$3"
}
# `info_field <text> <field>`: one field of redis INFO output.
info_field() { printf '%s\n' "$1" | tr -d '\r' | awk -F: -v k="$2" '$1 == k { print $2 }'; }

step "packing redis-k8s"
npx nx run @charms/charm-redis:pack --skip-nx-cache
REDIS_CHARM="$ROOT/packages/charm-redis/dist/${REDIS_APP}_ubuntu@22.04-amd64.charm"
[ -f "$REDIS_CHARM" ] || die "the pack target did not produce $REDIS_CHARM"

step "replacing any previous model in $CHARM_SIM_DIR"
"${SIM[@]}" destroy

step "deploying $REDIS_APP with 3 units (waits until the model settles)"
"${SIM[@]}" --pebble-poll-interval 1s --hook-retry-delay 2s --hook-retry-max-delay 30s \
  deploy "$REDIS_CHARM" "$REDIS_APP" -n 3 --wait --timeout 5m

step "charm-sim status"
"${SIM[@]}" status

step "replication state (redis-cli INFO replication on every unit; password from get-initial-admin-password)"
REDISCLI_AUTH="$(action_result "$REDIS_APP/0" get-initial-admin-password password)" || die "cannot get the admin password from the get-initial-admin-password action"
export REDISCLI_AUTH
declare -A UNIT_AT=()
mapfile -t REDIS_UNITS < <(status_units "$REDIS_APP")
for line in "${REDIS_UNITS[@]}"; do UNIT_AT["${line#* }"]="${line%% *}"; done
unit_at() { if [ -n "$1" ] && [ -n "${UNIT_AT[$1]+set}" ]; then printf '%s' "${UNIT_AT[$1]}"; else printf '?'; fi; }
PRIMARY_ADDR=""
for line in "${REDIS_UNITS[@]}"; do
  unit="${line%% *}" addr="${line#* }"
  if ! info="$(redis-cli --no-auth-warning -h "$addr" -p 6379 INFO replication 2>&1)"; then
    printf '  %-14s %-11s cannot query: %s\n' "$unit" "$addr" "$info"
    continue
  fi
  role="$(info_field "$info" role)"
  if [ -z "$role" ]; then
    printf '  %-14s %-11s cannot query: %s\n' "$unit" "$addr" "$(printf '%s' "$info" | head -n 1)"
  elif [ "$role" = master ]; then
    PRIMARY_ADDR="$addr"
    printf '  %-14s %-11s role=primary  connected_replicas=%s\n' "$unit" "$addr" "$(info_field "$info" connected_slaves)"
  else
    master="$(info_field "$info" master_host)"
    printf '  %-14s %-11s role=replica  master=%s (%s)  link=%s\n' "$unit" "$addr" "${master:-none}" "$(unit_at "$master")" "$(info_field "$info" master_link_status)"
  fi
done
if [ -n "$PRIMARY_ADDR" ]; then
  stamp="main-check-$(date +%s)"
  redis-cli --no-auth-warning -h "$PRIMARY_ADDR" -p 6379 SET main:check "$stamp" >/dev/null
  seen=0 total=0
  for line in "${REDIS_UNITS[@]}"; do
    addr="${line#* }"
    [ "$addr" = "$PRIMARY_ADDR" ] && continue
    total=$((total + 1))
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      if [ "$(redis-cli --no-auth-warning -h "$addr" -p 6379 GET main:check 2>/dev/null)" = "$stamp" ]; then seen=$((seen + 1)); break; fi
      sleep 0.2
    done
  done
  echo "  wrote main:check on the primary; read back from $seen/$total replicas"
else
  warn "no unit reports role master"
fi
unset REDISCLI_AUTH

# ---- BEGIN sentinel section (the charm-sentinel helper may edit this block) ----
# Deploys redis-sentinel-k8s when packages/charm-sentinel has a pack target that succeeds, relates it
# to redis-k8s (redis-k8s:sentinel <-> redis-sentinel-k8s:redis) and prints what the sentinels report.
sentinel_packable() {
  [ -d packages/charm-sentinel ] && node -e 'process.exit(require("./packages/charm-sentinel/package.json").nx?.targets?.pack ? 0 : 1)'
}
if sentinel_packable; then
  step "packing $SENTINEL_APP"
  SENTINEL_CHARM="$ROOT/packages/charm-sentinel/dist/${SENTINEL_APP}_ubuntu@22.04-amd64.charm"
  if npx nx run @charms/charm-sentinel:pack --skip-nx-cache && [ -f "$SENTINEL_CHARM" ]; then
    step "deploying $SENTINEL_APP with 3 units and relating it to $REDIS_APP"
    if ! { "${SIM[@]}" deploy "$SENTINEL_CHARM" "$SENTINEL_APP" -n 3 --wait --timeout 5m &&
      "${SIM[@]}" relate "$REDIS_APP:sentinel" "$SENTINEL_APP:redis" &&
      "${SIM[@]}" wait --timeout 5m; }; then
      "${SIM[@]}" status || true
      step "debug-log of $SENTINEL_APP (last 20 lines)"
      "${SIM[@]}" debug-log -n 200 --level WARNING 2>/dev/null | grep "$SENTINEL_APP" | tail -n 20 || true
      die "$SENTINEL_APP did not settle; the model stays in $CHARM_SIM_DIR for inspection"
    fi

    step "charm-sim status"
    "${SIM[@]}" status

    step "what the sentinels report (password from get-sentinel-password)"
    REDISCLI_AUTH="$(action_result "$REDIS_APP/0" get-sentinel-password sentinel-password)" || die "cannot get the sentinel password from the get-sentinel-password action"
    export REDISCLI_AUTH
    # a sentinel learns replicas from the primary's INFO and peers from hello messages: allow it a few seconds
    masters=()
    while read -r unit addr; do
      details="" replicas="" others=""
      for _ in $(seq 1 50); do
        details="$(redis-cli --no-auth-warning -h "$addr" -p 26379 SENTINEL master "$REDIS_APP" 2>&1 | paste -sd' ' -)"
        field() { printf '%s' "$details" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }
        replicas="$(field num-slaves)" others="$(field num-other-sentinels)"
        [ "$replicas" = 2 ] && [ "$others" = 2 ] && break
        sleep 0.2
      done
      ip="$(field ip)" port="$(field port)"
      masters+=("$ip:$port")
      printf '  %-22s %-11s master=%s (%s)  flags=%s  replicas=%s  other_sentinels=%s  quorum=%s  config_epoch=%s\n' \
        "$unit" "$addr" "${ip:-?}:${port:-?}" "$(unit_at "$ip")" "$(field flags)" "${replicas:-?}" "${others:-?}" "$(field quorum)" "$(field config-epoch)"
    done < <(status_units "$SENTINEL_APP")
    if [ "${#masters[@]}" -gt 0 ] && [ "$(printf '%s\n' "${masters[@]}" | sort -u | wc -l)" = 1 ]; then
      echo "  all ${#masters[@]} sentinels agree: the primary is ${masters[0]} ($(unit_at "${masters[0]%%:*}"))"
    else
      warn "the sentinels disagree on the primary: ${masters[*]}"
    fi
    unset REDISCLI_AUTH
  else
    warn "cannot pack $SENTINEL_APP; showing redis-k8s alone"
  fi
else
  echo
  echo "(packages/charm-sentinel has no pack target yet: redis-sentinel-k8s is not deployed)"
fi
# ---- END sentinel section ----

step "done: the model stays up in $CHARM_SIM_DIR (apps/sim/bin/charm-sim status | debug-log | destroy; apps/replay/bin/charm-replay timeline --unit redis-k8s/0)"
