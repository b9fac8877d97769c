#!/usr/bin/env bash
# The whole test suite, from a fresh machine: setup, build, typecheck, lint, then every project's nx `test` target.
# Ends with the line `N passed, N failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh || exit 1
export PATH="$ROOT/tools/bin:$PATH" NX_DAEMON=false NX_NO_CLOUD=true
mkdir -p test-results
status=0
checks_failed=0
# the nx graph's generated files (tsconfig project references) must be committed: check before any nx task runs,
# since `sync.applyChanges` in nx.json would otherwise fix them silently in this tree; a failure counts as one check
if ! npx nx sync:check > test-results/nx-sync.log 2>&1; then
  status=1; checks_failed=$((checks_failed + 1)); cat test-results/nx-sync.log
  echo 'test: the workspace is out of sync with the nx graph: run `npx nx sync` and commit the changes' >&2
fi
# build, typecheck and lint count as one check each per project in the summary when they fail.
npx nx run-many -t build typecheck lint --outputStyle=static 2>&1 | tee test-results/nx.log
if [ "${PIPESTATUS[0]}" != 0 ]; then
  status=1; nx_failed=$(grep -cE '^- @charms/[^:]+:(build|typecheck|lint)' test-results/nx.log || true)
  checks_failed=$((checks_failed + (nx_failed > 0 ? nx_failed : 1)))
fi
# formatting: one Prettier config for the whole tree (.prettierrc.json); a failure counts as one check
if ! npx prettier --check . > test-results/prettier.log 2>&1; then
  status=1; checks_failed=$((checks_failed + 1)); grep -E '^\[warn\]' test-results/prettier.log | head -20
fi
# as root nothing may be skipped: the simulator's pod tests need root, everything else comes from setup
[ "$(id -u)" = 0 ] && export REQUIRE_NO_SKIPS="${REQUIRE_NO_SKIPS:-1}"
# Tests run through the nx graph: each project's `test` target, after the artefacts they need (packed charms,
# jujuc, Pebble) are built by their own targets, so CI exercises the graph that `nx affected` trusts. Each
# project's vitest writes its JSON report to <project>/test-results/vitest.json.
find . -path ./node_modules -prune -o -path '*/test-results/vitest*.json' -print 2>/dev/null | xargs -r rm -f
report_args=(--reporter=default --reporter=json --outputFile.json=test-results/vitest.json)
if [ $# -gt 0 ]; then
  # named test files: one vitest over them all, from source (packs charms itself when a test needs one)
  npx vitest run "${report_args[@]}" "$@" || status=1
  node scripts/summarize-tests.mjs "$checks_failed" test-results/vitest.json || status=1
  exit $status
fi
npx nx run-many -t pack jujuc pebble --outputStyle=static || { status=1; checks_failed=$((checks_failed + 1)); }
# The short chaos run (e2e/chaos, one 3+3 model, ~10 min) runs beside the rest, which runs one project and one
# file at a time; its output is printed after the rest's. A fresh-clone run of both took 24.1 min on 2 cores (the
# rest alone 17.3). TEST_CHAOS=0 leaves it out. Task dependencies were built just above: neither run rebuilds them.
chaos_pid=
if [ "${TEST_CHAOS:-1}" = 1 ]; then
  npx nx run @charms/chaos-e2e:test --excludeTaskDependencies --outputStyle=stream -- "${report_args[@]}" \
    > test-results/chaos.log 2>&1 &
  chaos_pid=$!
fi
npx nx run-many -t test --exclude=@charms/chaos-e2e --excludeTaskDependencies --outputStyle=stream \
  -- "${report_args[@]}" || status=1
if [ -n "$chaos_pid" ]; then
  wait "$chaos_pid" || status=1
  echo '== the short chaos run (e2e/chaos), run beside the tests above'
  cat test-results/chaos.log
fi
# one report per project with tests (a missing one counts as a failed run in the summary)
reports=()
for config in packages/*/vitest.config.ts apps/*/vitest.config.ts e2e/*/vitest.config.ts bench/vitest.config.ts; do
  dir=$(dirname "$config")
  [ "$dir" = e2e/chaos ] && [ -z "$chaos_pid" ] && continue
  reports+=("$dir/test-results/vitest.json")
done
node scripts/summarize-tests.mjs "$checks_failed" "${reports[@]}" || status=1
exit $status
