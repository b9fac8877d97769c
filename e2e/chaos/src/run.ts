/** `npm run chaos`: the full run on one 3+3 model, writing REPORT.md and report.json here. */
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cluster, SETTINGS } from './cluster.js';
import { writeReport } from './report.js';
import { FULL, SHORT, scenarios, step } from './suite.js';
import type { ScenarioResult } from './result.js';

const mode = process.env['CHAOS_MODE'] === 'short' ? 'short' : 'full';
const only = process.env['CHAOS_ONLY']?.split(',');
const t0 = Date.now();
const startedAt = new Date().toISOString();
const cluster = await Cluster.start('chaos');
const results: ScenarioResult[] = [];
const settings = { ...SETTINGS, ...(await cluster.redisSettings()) };
try {
  for (const [name, fn] of scenarios(mode === 'full' ? FULL : SHORT)) {
    if (only && !only.includes(name)) continue;
    console.log(`${new Date().toISOString()} scenario ${name}`);
    const r = await step(name, () => fn(cluster));
    console.log(JSON.stringify(r));
    results.push(r);
  }
} finally {
  if (process.env['CHAOS_KEEP'] === '1') console.log(`kept the model at ${cluster.sim.dir}`);
  else await cluster.destroy();
}
const dir = join(dirname(fileURLToPath(import.meta.url)), '..');
await writeReport(dir, {
  startedAt,
  durationS: Math.round((Date.now() - t0) / 1000),
  mode,
  host: `${hostname()} (2 cores)`,
  settings,
  scenarios: results,
});
console.log(`wrote ${join(dir, 'REPORT.md')}`);
process.exitCode = results.every((r) => r.outcome === 'pass') ? 0 : 1;
