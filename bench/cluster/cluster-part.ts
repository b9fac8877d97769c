/**
 * The cluster in charm-sim: deploy-to-ready of redis-k8s x3 + redis-sentinel-k8s x3 (a fresh model per
 * round), and the clocks of consecutive failovers on one model (kill-pod of the primary to the
 * sentinels' +switch-master, to the first acknowledged write after the outage, and to redis-k8s's
 * relation data naming the new primary).
 */
import { Redis } from 'ioredis';
import { SimModel, until } from '@charms/charm-sdk/testing';
import { Cluster, MASTER_NAME, SENTINEL_UNITS, SETTINGS, packCharms } from '../../e2e/chaos/src/cluster.js';
import { barChart } from '../lib/chart.js';
import type { BenchPart, RunOptions } from '../lib/part.js';
import { summarize } from '../lib/stats.js';
import { cell, table } from '../lib/table.js';
import { ClockWriter } from './clock-writer.js';

async function deployRound(charms: { redis: string; sentinel: string }, round: number): Promise<number> {
  const sim = await SimModel.create(`bench-deploy-${round}`);
  try {
    const t0 = performance.now();
    await sim.cli(['deploy', charms.redis, '-n', '3']);
    await sim.cli(['deploy', charms.sentinel, '-n', '3']);
    await sim.cli(['relate', 'redis-k8s:sentinel', 'redis-sentinel-k8s:redis']);
    await sim.cli(['wait', '--timeout', '300s'], 330_000);
    return (performance.now() - t0) / 1000;
  } finally {
    await sim.destroy();
  }
}

/** Resolves with the time of the first `+switch-master` any sentinel announces. */
function switchMaster(cluster: Cluster): { at: Promise<number>; close(): void } {
  const subs = SENTINEL_UNITS.map(
    (u) =>
      new Redis({
        host: cluster.address[u],
        port: 26379,
        password: cluster.sentinelPassword,
        retryStrategy: () => 200,
        protocol: 2,
      }),
  );
  const at = new Promise<number>((resolve) => {
    for (const s of subs) {
      s.on('error', () => undefined);
      s.on('message', (channel: string, msg: string) => {
        if (channel === '+switch-master' && msg.startsWith(`${MASTER_NAME} `)) resolve(Date.now());
      });
      void s.subscribe('+switch-master').catch(() => undefined);
    }
  });
  return { at, close: () => subs.forEach((s) => s.disconnect()) };
}

interface Clocks {
  /** Whether sentinel failed over; false when the pod was back before down-after and kept the primary. */
  failedOver: boolean;
  switchMs?: number;
  firstAckMs: number;
  /** The same clock for a second writer beside it whose client has ioredis's failoverDetector. */
  firstAckDetectMs: number;
  relationMs?: number;
}

async function failoverOnce(cluster: Cluster, i: number): Promise<Clocks> {
  const primary = await cluster.atRest(180_000);
  const old = cluster.address[primary] as string;
  const sw = switchMaster(cluster);
  let switchedAt: number | undefined;
  void sw.at.then((t) => (switchedAt = t));
  const writer = new ClockWriter(cluster, `bench:failover:${Date.now()}:${i}`, { failoverDetector: false });
  const detecting = new ClockWriter(cluster, `bench:failover-detect:${Date.now()}:${i}`, { failoverDetector: true });
  try {
    await until(
      'both writers to get their first acknowledgement',
      async () => (writer.stamps.some((s) => s.ok) && detecting.stamps.some((s) => s.ok) ? true : undefined),
      30_000,
    );
    const t0 = Date.now();
    await cluster.sim.cli(['kill-pod', primary]);
    // the old primary may answer again while a failover is under way: the cluster at rest decides which it was,
    // and only then are the writer's failures all in (polling right after the kill finds acks from before it)
    await cluster.sim.cli(['wait', '--timeout', '180s'], 200_000);
    const now = await cluster.atRest(180_000);
    const firstAck = (w: ClockWriter) =>
      until('an acknowledged write after the outage', async () => w.firstAckAfterOutage(t0), 60_000, 100);
    const [ack, ackDetect] = await Promise.all([firstAck(writer), firstAck(detecting)]);
    const acks = { firstAckMs: ack - t0, firstAckDetectMs: ackDetect - t0 };
    if (switchedAt === undefined && now === primary) return { failedOver: false, ...acks };
    let timer: NodeJS.Timeout | undefined;
    const switched = await Promise.race([
      sw.at,
      new Promise<number>((_, no) => {
        timer = setTimeout(() => no(new Error(`${now} is primary but no +switch-master`)), 30_000);
      }),
    ]).finally(() => clearTimeout(timer));
    const relation = await until(
      'redis-k8s relation data to name the new primary',
      async () => {
        const bag = await cluster.sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-k8s');
        return bag['primary-address'] !== undefined && bag['primary-address'] !== old ? Date.now() : undefined;
      },
      60_000,
      100,
    );
    return { failedOver: true, switchMs: switched - t0, ...acks, relationMs: relation - t0 };
  } finally {
    sw.close();
    await Promise.all([writer.stop(), detecting.stop()]);
    await cluster.sim.cli(['wait', '--timeout', '180s'], 200_000).catch(() => undefined);
  }
}

async function run(o: RunOptions) {
  o.progress('packing both charms (nx pack)');
  const charms = await packCharms();
  const deploySeconds: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    o.progress(`round ${r + 1}/${o.rounds}: deploy 3+3 to settled`);
    deploySeconds.push(await deployRound(charms, r));
  }
  const failovers = o.smoke ? 1 : 10;
  // a kill the pod survives within down-after is no failover: kill until `failovers` of them, at most twice that
  const kills: Clocks[] = [];
  const cluster = await Cluster.start('bench-failover');
  try {
    for (let i = 0; kills.filter((c) => c.failedOver).length < failovers && i < 2 * failovers; i++) {
      o.progress(`kill ${i + 1} (failovers so far ${kills.filter((c) => c.failedOver).length}/${failovers})`);
      kills.push(await failoverOnce(cluster, i));
    }
  } finally {
    await cluster.sim.destroy();
  }
  const clocks = kills.filter((c) => c.failedOver);
  const inPlace = kills.filter((c) => !c.failedOver);
  const d = summarize(deploySeconds);
  const s = (k: 'switchMs' | 'firstAckMs' | 'firstAckDetectMs' | 'relationMs', of = clocks) =>
    of.length === 0 ? undefined : summarize(of.map((c) => c[k] ?? NaN));
  const rows = [
    ['kill-pod to the first sentinel +switch-master', cell(s('switchMs'))],
    ['kill-pod to the first acknowledged write after the outage', cell(s('firstAckMs'))],
    ['the same, client with ioredis `failoverDetector`', cell(s('firstAckDetectMs'))],
    ['kill-pod to redis-k8s relation data naming the new primary', cell(s('relationMs'))],
    ...(inPlace.length === 0
      ? []
      : [
          [
            `no failover (${inPlace.length} kills): kill-pod to the first acknowledged write`,
            cell(s('firstAckMs', inPlace)),
          ],
          ['the same, client with ioredis `failoverDetector`', cell(s('firstAckDetectMs', inPlace))],
        ]),
  ];
  const md = [
    `Deploy to settled, redis-k8s x3 then redis-sentinel-k8s x3 related, one fresh model per round`,
    `(\`charm-sim wait\` returns: every pod up, no hook queued): seconds ${cell(d)} over ${deploySeconds.length} rounds.`,
    '',
    `Failover clocks over ${clocks.length} failovers from ${kills.length} consecutive \`charm-sim kill-pod\` of whichever`,
    `unit is primary, on one 3+3 model (a kill whose pod is back within down-after keeps its primary: no failover).`,
    `Clocks in ms (min/median/max). Settings: sentinel down-after-milliseconds ${SETTINGS['down-after-milliseconds']},`,
    `failover-timeout ${SETTINGS['failover-timeout']}, quorum 2. Two writers through Sentinel (ioredis) side by side in`,
    `every kill, one with \`failoverDetector\` (it follows the sentinels' +switch-master at once) and one without; a`,
    `write is acknowledged when \`WAIT 1 500\` returns >= 1.`,
    '',
    table(['clock', 'ms'], rows),
  ].join('\n');
  const svg = await barChart(
    'Failover clocks after kill-pod of the primary (median, min-max whiskers)',
    'ms',
    (['switchMs', 'firstAckMs', 'firstAckDetectMs', 'relationMs'] as const).flatMap((k) => {
      const sum = s(k);
      const measure = {
        switchMs: '+switch-master',
        firstAckMs: 'first ack write',
        firstAckDetectMs: 'first ack write (failoverDetector)',
        relationMs: 'relation updated',
      }[k];
      return sum === undefined ? [] : [{ measure, competitor: 'redis-k8s + redis-sentinel-k8s', ...sum }];
    }),
  );
  return {
    markdown: md,
    goals: [],
    charts: [{ file: 'failover-clocks.svg', title: 'failover clocks', svg }],
    data: { deploySeconds, kills, settings: SETTINGS },
  };
}

/** The part `cluster`. */
export const clusterPart: BenchPart = {
  name: 'cluster',
  title: 'Cluster: deploy-to-ready of 3+3 and failover clocks',
  summary: 'deploy redis-k8s x3 + redis-sentinel-k8s x3 to settled; clocks of 10 failovers',
  run,
};
