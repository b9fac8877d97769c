// Prints the final `N passed, N failed` line from one or more vitest JSON reports.
// usage: node scripts/summarize-tests.mjs <failed build/typecheck/lint checks> <report.json>...
import { existsSync, readFileSync } from 'node:fs';

// failed build/typecheck/lint tasks, counted by scripts/test.sh
const checksFailed = Number(process.argv[2] ?? 0);
const files = process.argv.slice(3);
if (files.length === 0) files.push('test-results/vitest.json');
if (checksFailed > 0) console.log(`${checksFailed} build/typecheck/lint task(s) failed (see test-results/nx.log)`);
let passed = 0;
let failed = checksFailed;
let skipped = 0;
let success = true;
for (const file of files) {
  if (!existsSync(file)) {
    console.log(`no test report at ${file}: that test run did not complete`);
    failed += 1;
    success = false;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const failedSuites = (report.testResults ?? []).filter(
    (r) => r.status === 'failed' && r.assertionResults?.length === 0,
  );
  for (const s of failedSuites) console.log(`failed to load: ${s.name}: ${String(s.message).split('\n')[0]}`);
  passed += report.numPassedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  failed += (report.numFailedTests ?? 0) + failedSuites.length;
  if (report.success === false) success = false;
}
// as root every real component is installed by setup, so a skipped test means something is missing
const skipsFail = process.env.REQUIRE_NO_SKIPS === '1' ? skipped : 0;
if (skipped > 0)
  console.log(
    `${skipped} test(s) skipped${skipsFail ? ': counted as failed (REQUIRE_NO_SKIPS=1; run as root after setup)' : ''}`,
  );
failed += skipsFail;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || !success ? 1 : 0);
