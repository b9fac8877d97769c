#!/usr/bin/env bash
# The main job: deploy redis-k8s (3 units) and redis-sentinel-k8s (3 units) in the local simulator,
# relate them, and show a healthy, replicated Redis watched by Sentinel.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export PATH="$ROOT/tools/bin:$PATH"
if [ ! -d packages/charm-redis ] || [ ! -d packages/charm-sentinel ]; then
  cat <<'MSG'
The redis-k8s and redis-sentinel-k8s charms are not built yet. When they are, this command will:
  1. pack both charms (npx nx run-many -t pack),
  2. charm-sim deploy redis-k8s -n 3 and redis-sentinel-k8s -n 3, relate them, wait for the model to settle,
  3. print charm-sim status and the replication state (one primary, two replicas, sentinels agreeing).
MSG
  exit 0
fi
