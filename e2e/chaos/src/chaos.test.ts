/**
 * CI's short chaos run: one iteration of each scenario on one shared 3+3 model (the full run is
 * `npm run chaos`, which writes REPORT.md). Each scenario must pass with zero acknowledged writes lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simAvailable } from '@charms/charm-sdk/testing';
import { Cluster } from './cluster.js';
import { SHORT, scenarios, step } from './suite.js';

describe.skipIf(!simAvailable)('chaos (short): redis-k8s x3 + redis-sentinel-k8s x3 under faults', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await Cluster.start('chaos-ci');
  }, 600_000);
  afterAll(async () => {
    // CHAOS_KEEP=1 keeps the model for a post-mortem (`charm-sim --model-dir <dir> debug-log`)
    if (process.env['CHAOS_KEEP'] === '1') console.log(`kept the model at ${cluster?.sim.dir}`);
    else await cluster?.destroy();
  }, 120_000);

  for (const [name, fn] of scenarios(SHORT))
    it(
      name,
      async () => {
        const r = await step(name, () => fn(cluster));
        console.log(JSON.stringify(r));
        expect({ outcome: r.outcome, lost: r.lost ?? 0, notes: r.notes }).toMatchObject({ outcome: 'pass', lost: 0 });
      },
      400_000,
    );
});
