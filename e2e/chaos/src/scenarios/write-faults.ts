/**
 * Write-path scenarios: a fault is injected on the primary `iterations` times while a writer runs;
 * afterwards every acknowledged write must be on every unit and one unit must be master.
 */
import { PebbleClient } from '@charms/pebble-client';
import { checkAcknowledged } from '../checks.js';
import type { Cluster } from '../cluster.js';
import { newResult, type ScenarioResult } from '../result.js';
import { Writer } from '../writer.js';

/** Injects one fault on the primary unit. */
export type Fault = (cluster: Cluster, primary: string) => Promise<void>;

/** `charm-sim kill-pod` of the primary: every process dies, the pod comes back (often before down-after). */
export const killPrimaryPod: Fault = async (cluster, primary) => {
  await cluster.sim.cli(['kill-pod', primary]);
};

/** SIGKILL of redis-server through Pebble's signal API; Pebble restarts the service. */
export const sigkillRedisServer: Fault = async (cluster, primary) => {
  const pebble = new PebbleClient({ socketPath: cluster.sim.pebbleSocket(primary, 'redis') });
  try {
    await pebble.sendSignal('SIGKILL', ['redis-server']);
  } finally {
    await pebble.close();
  }
};

/** Runs `fault` `iterations` times on whichever unit is primary, each after the cluster is at rest. */
export async function writeFaultScenario(
  cluster: Cluster,
  name: string,
  fault: Fault,
  iterations: number,
): Promise<ScenarioResult> {
  const result = newResult(name);
  const prefix = `chaos:${name}:${Date.now()}`;
  const writer = new Writer(cluster, prefix).start();
  const victims: string[] = [];
  try {
    let primary = await cluster.atRest();
    for (let i = 0; i < iterations; i += 1) {
      victims.push(primary);
      await fault(cluster, primary);
      result.faults += 1;
      result.runs += 1;
      primary = await cluster.atRest(150_000);
    }
  } finally {
    const stats = await writer.stop();
    result.acknowledged = stats.acknowledged.length;
    result.longestUnavailableMs = stats.longestUnavailableMs;
    result.notes.push(`writes attempted ${stats.attempted}, not acknowledged ${stats.failed}`);
    result.notes.push(`victims: ${victims.join(', ')}`);
    const check = await checkAcknowledged(cluster, prefix, stats.acknowledged);
    result.lost = check.lost;
    result.primariesAtRest = check.mastersAtRest;
    if (check.lost > 0)
      result.notes.push(
        `missing by unit: ${JSON.stringify(check.missingByUnit)}; lost sequence numbers ${check.lostRange?.join('..')} of ${stats.attempted}`,
      );
    result.outcome =
      check.lost === 0 && check.mastersAtRest === 1 && result.runs === iterations && result.acknowledged > 0
        ? 'pass'
        : 'fail';
  }
  return result;
}
