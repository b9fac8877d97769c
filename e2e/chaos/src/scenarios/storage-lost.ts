/**
 * The primary's storage lost. Odd iterations: redis-server is stopped through Pebble, its data dir
 * emptied, and a config change makes the charm start it again (its replicas are retrying every
 * second, so an empty master is followed at once). Even iterations: the data dir is emptied while
 * it runs and the pod is killed. Sentinel's down-after is raised to 20 s meanwhile, so the server is
 * back long before sentinel would act (the dangerous case). Without the empty-primary guard it
 * starts as an empty master and its replicas resync to nothing; with it, redis-k8s holds it down,
 * sentinel promotes a replica, and it rejoins as a replica.
 */
import { PebbleClient } from '@charms/pebble-client';
import { checkAcknowledged } from '../checks.js';
import { SETTINGS, type Cluster } from '../cluster.js';
import { newResult, type ScenarioResult } from '../result.js';
import { Writer } from '../writer.js';

const DATA_DIR = '/var/lib/redis';
const SLOW_DOWN_AFTER_MS = 20_000;

/** Removes every file under the data dir of `unit`'s redis container (stopping redis-server first when asked). */
async function emptyDataDir(cluster: Cluster, unit: string, stop: boolean): Promise<number> {
  const pebble = new PebbleClient({ socketPath: cluster.sim.pebbleSocket(unit, 'redis') });
  try {
    if (stop) await pebble.stopServices(['redis-server']);
    const entries = await pebble.listFiles(DATA_DIR);
    for (const e of entries) await pebble.removePath(e.path, { recursive: true });
    return entries.length;
  } finally {
    await pebble.close();
  }
}

/** Runs `iterations` storage losses of whichever unit is primary, under writes. */
export async function storageLostScenario(cluster: Cluster, iterations = 1): Promise<ScenarioResult> {
  const r = newResult('primary-storage-lost');
  const prefix = `chaos:storage-lost:${Date.now()}`;
  const writer = new Writer(cluster, prefix).start();
  const victims: string[] = [];
  try {
    await cluster.sim.cli(['config', 'redis-sentinel-k8s', `down-after-milliseconds=${SLOW_DOWN_AFTER_MS}`]);
    await cluster.sim.cli(['wait', '--timeout', '120s'], 150_000);
    r.notes.push(`sentinel down-after-milliseconds ${SLOW_DOWN_AFTER_MS} during the scenario`);
    let primary = await cluster.atRest();
    for (let i = 0; i < iterations; i += 1) {
      victims.push(primary);
      const stopped = i % 2 === 0;
      const removed = await emptyDataDir(cluster, primary, stopped);
      if (stopped) await cluster.sim.cli(['config', 'redis-k8s', `loglevel=${i % 4 === 0 ? 'verbose' : 'notice'}`]);
      else await cluster.sim.cli(['kill-pod', primary]);
      r.faults += 1;
      r.notes.push(
        `${primary}: ${removed} entries removed from ${DATA_DIR}, ${stopped ? 'redis-server stopped, a hook starts it' : 'pod killed'}`,
      );
      const next = await cluster.atRest(150_000);
      const held = (await cluster.sim.debugLog()).some(
        (l) => l.unit === primary && /not starting an empty primary/.test(l.message),
      );
      r.notes.push(`held down by the guard: ${held ? 'yes' : 'no'}; primary at rest ${next}`);
      r.runs += 1;
      primary = next;
    }
  } finally {
    const stats = await writer.stop();
    await cluster.sim
      .cli(['config', 'redis-k8s', '--reset', 'loglevel'])
      .then(() =>
        cluster.sim.cli([
          'config',
          'redis-sentinel-k8s',
          `down-after-milliseconds=${SETTINGS['down-after-milliseconds']}`,
        ]),
      )
      .then(() => cluster.sim.cli(['wait', '--timeout', '120s'], 150_000))
      .catch((e: Error) => r.notes.push(`cannot restore loglevel and down-after-milliseconds: ${e.message}`));
    r.acknowledged = stats.acknowledged.length;
    r.longestUnavailableMs = stats.longestUnavailableMs;
    r.notes.push(
      `writes attempted ${stats.attempted}, not acknowledged ${stats.failed}; victims ${victims.join(', ')}`,
    );
    const check = await checkAcknowledged(cluster, prefix, stats.acknowledged);
    r.lost = check.lost;
    r.primariesAtRest = check.mastersAtRest;
    if (check.lost > 0)
      r.notes.push(`missing by unit: ${JSON.stringify(check.missingByUnit)}; lost ${check.lostRange?.join('..')}`);
    r.outcome =
      check.lost === 0 && check.mastersAtRest === 1 && r.runs === iterations && r.acknowledged > 0 ? 'pass' : 'fail';
  }
  return r;
}
