/**
 * Network partition of the primary. Writes run through Sentinel from the majority side; a
 * stranded client bound to the isolated primary's address keeps trying writes there. Sentinel
 * fails over; with min-replicas-to-write >= 1 the isolated primary refuses the stranded writes
 * (NOREPLICAS) once its replicas' lag passes min-replicas-max-lag. After healing it must rejoin as
 * a replica. Promise of the settings: every WAIT-acknowledged write is kept (a write acknowledged
 * by a replica is on the replica sentinel promotes, the one with the highest offset); the stranded
 * writes the isolated primary accepts are lost by design, and min-replicas bounds how many.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { until } from '@charms/charm-sdk/testing';
import { hasOption } from '../charm-actions.js';
import { stopAndCheck } from '../checks.js';
import { REDIS_UNITS, SENTINEL_UNITS, type Cluster } from '../cluster.js';
import { isolate, type Partition } from '../partition.js';
import { newResult, type ScenarioResult } from '../result.js';
import { strandedSet } from '../stranded-client.js';
import { Writer } from '../writer.js';

export async function partitionScenario(cluster: Cluster): Promise<ScenarioResult> {
  const r = newResult('partition-primary');
  const minReplicas = await hasOption('redis-k8s', 'min-replicas-to-write');
  if (minReplicas) {
    await cluster.sim.cli(['config', 'redis-k8s', 'min-replicas-to-write=1']);
    await cluster.sim.cli(['wait', '--timeout', '120s'], 150_000);
  }
  r.notes.push(
    minReplicas
      ? 'min-replicas-to-write=1 set through the charm config'
      : 'min-replicas-to-write: redis-k8s has no such option on main yet, so the isolated primary is expected to accept stranded writes (reported, not failed)',
  );
  const prefix = `chaos:partition:${Date.now()}`;
  const writer = new Writer(cluster, prefix).start();
  let partition: Partition | undefined;
  let ok = true;
  try {
    const primary = await cluster.atRest();
    const address = cluster.address[primary] as string;
    partition = await isolate(address);
    const isolatedAt = Date.now();
    r.faults += 1;
    await until(
      'the sentinels to fail over away from the isolated primary',
      async () => {
        const named = await Promise.all(SENTINEL_UNITS.map((s) => cluster.sentinelMaster(s)));
        return named.every((n) => n !== address && n === named[0] && cluster.unitAt(n)) ? true : undefined;
      },
      90_000,
      250,
    );
    // stranded writes on the isolated side, after the failover: the primary takes them until its
    // replicas' last ACK is older than min-replicas-max-lag, then refuses (NOREPLICAS)
    const other = REDIS_UNITS.find((u) => u !== primary) as string;
    const maxLag = Number(
      ((await cluster.withRedis(other, (c) => c.config('GET', 'min-replicas-max-lag'))) as string[])[1] ?? 10,
    );
    const stranded = async (round: string) => {
      let accepted = 0;
      let lastReply = '';
      for (let i = 0; i < 10; i += 1) {
        lastReply = await strandedSet(
          (partition as Partition).netns,
          address,
          cluster.adminPassword,
          `${prefix}:${round}:${i}`,
          'x',
        );
        if (lastReply === '+OK') accepted += 1;
        await pause(100);
      }
      return { accepted, lastReply };
    };
    const early = await stranded('stranded-early');
    r.notes.push(
      `isolated primary ${primary}, ${Math.round((Date.now() - isolatedAt) / 1000)} s after isolation: ${early.accepted} of 10 stranded writes accepted (within min-replicas-max-lag ${maxLag} s: lost by design when it rejoins)`,
    );
    await pause(Math.max(0, isolatedAt + (maxLag + 2) * 1000 - Date.now()));
    const late = await stranded('stranded-late');
    r.notes.push(
      `${Math.round((Date.now() - isolatedAt) / 1000)} s after isolation: ${late.accepted} of 10 accepted (last reply: ${late.lastReply})`,
    );
    if (minReplicas && late.accepted > 0) {
      ok = false;
      r.notes.push(`FAIL: with min-replicas-to-write=1 the isolated primary accepted writes after ${maxLag} s`);
    }
    await partition.heal();
    await cluster.atRest(150_000);
    const role = await cluster.withRedis(primary, (c) => c.info('replication'));
    const rejoined = role.includes('role:slave') && role.includes('master_link_status:up');
    r.notes.push(`after healing ${primary} is ${rejoined ? 'a replica again' : 'NOT a replica'}`);
    if (!rejoined) ok = false;
    r.runs = 1;
  } finally {
    await partition?.heal();
    const check = await stopAndCheck(cluster, writer, prefix, r);
    r.notes.push('promised kept: every acknowledged write (WAIT 1 >= 1); measured lost: ' + check.lost);
    r.outcome = ok && check.lost === 0 && check.mastersAtRest === 1 && r.runs === 1 ? 'pass' : 'fail';
    if (minReplicas) {
      await cluster.sim.cli(['config', 'redis-k8s', '--reset', 'min-replicas-to-write']).catch(() => undefined);
      await cluster.sim.cli(['wait', '--timeout', '120s'], 150_000).catch(() => undefined);
    }
  }
  return r;
}
