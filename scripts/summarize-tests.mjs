// Prints the final `N passed, N failed` line from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-results/vitest.json';
// failed build/typecheck/lint tasks, counted by scripts/test.sh
const checksFailed = Number(process.argv[3] ?? 0);
if (checksFailed > 0) console.log(`${checksFailed} build/typecheck/lint task(s) failed (see test-results/nx.log)`);
if (!existsSync(file)) {
  console.log(`no test report at ${file}: the test run did not complete`);
  console.log(`0 passed, ${1 + checksFailed} failed`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const failedSuites = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && r.assertionResults?.length === 0,
);
for (const s of failedSuites) console.log(`failed to load: ${s.name}: ${String(s.message).split('\n')[0]}`);
const passed = report.numPassedTests ?? 0;
// as root every real component is installed by setup, so a skipped test means something is missing
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const skipsFail = process.env.REQUIRE_NO_SKIPS === '1' ? skipped : 0;
if (skipped > 0)
  console.log(
    `${skipped} test(s) skipped${skipsFail ? ': counted as failed (REQUIRE_NO_SKIPS=1; run as root after setup)' : ''}`,
  );
const failed = (report.numFailedTests ?? 0) + failedSuites.length + checksFailed + skipsFail;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || report.success === false ? 1 : 0);
