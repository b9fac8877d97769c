#!/usr/bin/env bash
# The whole test suite, from a fresh machine: setup, build, typecheck, lint, then every vitest project.
# Ends with the line `N passed, N failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh || exit 1
export PATH="$ROOT/tools/bin:$PATH" NX_DAEMON=false NX_NO_CLOUD=true
mkdir -p test-results
status=0
npx nx run-many -t build typecheck lint --outputStyle=static || status=1
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=1
node scripts/summarize-tests.mjs test-results/vitest.json || status=1
exit $status
