/**
 * Sentinel loss. One sentinel lost while the primary is lost: the other two fail over. Two sentinels
 * lost: no failover; the remaining sentinel's status must say why. When they return, the cluster
 * heals. A lost process is frozen (SIGSTOP through Pebble's signal API, SIGCONT in a `finally`): to
 * its peers it is a dead node, yet no hook restarts it (a stopped service is started again by the
 * charm's next hook, and a killed pod is back within seconds). Writes run throughout and are checked
 * at the end.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { PebbleClient } from '@charms/pebble-client';
import { until } from '@charms/charm-sdk/testing';
import { stopAndCheck } from '../checks.js';
import { SENTINEL_UNITS, SETTINGS, type Cluster } from '../cluster.js';
import { newResult, type ScenarioResult } from '../result.js';
import { Writer } from '../writer.js';

async function signal(cluster: Cluster, unit: string, container: string, name: string, thaw: boolean): Promise<void> {
  const pebble = new PebbleClient({ socketPath: cluster.sim.pebbleSocket(unit, container) });
  try {
    await pebble.sendSignal(thaw ? 'SIGCONT' : 'SIGSTOP', [name]);
  } finally {
    await pebble.close();
  }
}

const sentinels = (c: Cluster, units: readonly string[], thaw: boolean) =>
  Promise.all(units.map((u) => signal(c, u, 'sentinel', 'sentinel', thaw)));
const redisServer = (c: Cluster, unit: string, thaw: boolean) => signal(c, unit, 'redis', 'redis-server', thaw);

export async function sentinelLossScenario(cluster: Cluster): Promise<ScenarioResult> {
  const r = newResult('sentinel-loss');
  const prefix = `chaos:sentinel-loss:${Date.now()}`;
  const writer = new Writer(cluster, prefix).start();
  const stoppedSentinels = new Set<string>();
  const stoppedRedis = new Set<string>();
  let ok = true;
  try {
    // one sentinel down: failover still happens
    let primary = await cluster.atRest();
    const [down1, ...live] = SENTINEL_UNITS;
    await sentinels(cluster, [down1], false);
    stoppedSentinels.add(down1);
    await redisServer(cluster, primary, false);
    stoppedRedis.add(primary);
    r.faults += 2;
    const old = cluster.address[primary] as string;
    await until(
      'the two live sentinels to fail over to a replica',
      async () => {
        const named = await Promise.all(live.map((s) => cluster.sentinelMaster(s)));
        return named.every((n) => n !== old && n === named[0] && cluster.unitAt(n)) ? true : undefined;
      },
      60_000,
      250,
    );
    r.notes.push(`one sentinel (${down1}) down: the other two failed over from ${primary}`);
    await redisServer(cluster, primary, true);
    stoppedRedis.delete(primary);
    primary = await cluster.atRest(150_000, live);
    await sentinels(cluster, [down1], true);
    stoppedSentinels.delete(down1);
    primary = await cluster.atRest(150_000);
    r.runs += 1;

    // a majority down: no failover, and the status says why
    const [survivor, ...majority] = SENTINEL_UNITS;
    await sentinels(cluster, majority, false);
    majority.forEach((s) => stoppedSentinels.add(s));
    await redisServer(cluster, primary, false);
    stoppedRedis.add(primary);
    r.faults += 3;
    const held = cluster.address[primary] as string;
    // long enough for a failover that could happen: down-after plus a failover-timeout
    const bound = SETTINGS['down-after-milliseconds'] + SETTINGS['failover-timeout'];
    const deadline = Date.now() + bound;
    let failedOver = false;
    while (Date.now() < deadline) {
      if ((await cluster.sentinelMaster(survivor)) !== held) failedOver = true;
      await pause(500);
    }
    if (failedOver) {
      ok = false;
      r.notes.push(`FAIL: the lone sentinel ${survivor} failed over without a majority`);
    } else r.notes.push(`two sentinels down: no failover in ${bound} ms (the lone sentinel still names ${primary})`);
    // the survivor's next update-status hook reports it (bounded: two intervals)
    const survivorStatus = async () =>
      (await cluster.sim.status()).applications['redis-sentinel-k8s']?.units[survivor]?.['workload-status'];
    const says = (st: Awaited<ReturnType<typeof survivorStatus>>) =>
      st !== undefined && /quorum|majority|sentinels? (down|unreachable)/i.test(st.message) && st.current !== 'active';
    const status = await until(
      'the survivor status to say why',
      async () => {
        const st = await survivorStatus();
        return says(st) ? st : undefined;
      },
      45_000,
      1000,
    ).catch(() => survivorStatus());
    const saysWhy = says(status);
    r.notes.push(`status of ${survivor} with the majority down: ${status?.current}: ${status?.message}`);
    if (!saysWhy) {
      ok = false;
      r.notes.push('FAIL: the status does not say that failover is impossible without a majority');
    }
    await sentinels(cluster, majority, true);
    majority.forEach((s) => stoppedSentinels.delete(s));
    await until(
      'the returned majority to fail over',
      async () => ((await cluster.sentinelMaster(survivor)) !== held ? true : undefined),
      60_000,
      250,
    );
    await redisServer(cluster, primary, true);
    stoppedRedis.delete(primary);
    await cluster.atRest(150_000);
    r.notes.push('the sentinels returned: failover completed and the old primary rejoined');
    r.runs += 1;
  } finally {
    await Promise.allSettled([...stoppedSentinels].map((s) => sentinels(cluster, [s], true)));
    await Promise.allSettled([...stoppedRedis].map((u) => redisServer(cluster, u, true)));
    const check = await stopAndCheck(cluster, writer, prefix, r);
    if (check.lost > 0)
      r.notes.push(
        `missing by unit: ${JSON.stringify(check.missingByUnit)}; lost sequence numbers ${check.lostRange?.join('..')} of ${check.attempted}`,
      );
    r.outcome = ok && check.lost === 0 && check.mastersAtRest === 1 && r.runs === 2 ? 'pass' : 'fail';
  }
  return r;
}
