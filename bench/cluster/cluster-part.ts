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
  switchMs: number;
  firstAckMs: number;
  relationMs: number;
}

async function failoverOnce(cluster: Cluster, i: number): Promise<Clocks> {
  const primary = await cluster.atRest(180_000);
  const old = cluster.address[primary] as string;
  const sw = switchMaster(cluster);
  const writer = new ClockWriter(cluster, `bench:failover:${Date.now()}:${i}`);
  try {
    await until(
      'the writer to get its first acknowledgement',
      async () => (writer.stamps.some((s) => s.ok) ? true : undefined),
      30_000,
    );
    const t0 = Date.now();
    await cluster.sim.cli(['kill-pod', primary]);
    const switched = await Promise.race([
      sw.at,
      new Promise<number>((_, no) => setTimeout(() => no(new Error('no +switch-master within 60 s')), 60_000)),
    ]);
    const relation = await until(
      'redis-k8s relation data to name the new primary',
      async () => {
        const bag = await cluster.sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-k8s');
        return bag['primary-address'] !== undefined && bag['primary-address'] !== old ? Date.now() : undefined;
      },
      60_000,
      100,
    );
    const ack = await until(
      'an acknowledged write after the outage',
      async () => writer.firstAckAfterOutage(t0),
      60_000,
      100,
    );
    return { switchMs: switched - t0, firstAckMs: ack - t0, relationMs: relation - t0 };
  } finally {
    sw.close();
    await writer.stop();
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
  const clocks: Clocks[] = [];
  const cluster = await Cluster.start('bench-failover');
  try {
    for (let i = 0; i < failovers; i++) {
      o.progress(`failover ${i + 1}/${failovers}: kill-pod of the primary`);
      clocks.push(await failoverOnce(cluster, i));
    }
  } finally {
    await cluster.sim.destroy();
  }
  const d = summarize(deploySeconds);
  const s = (k: keyof Clocks) => summarize(clocks.map((c) => c[k]));
  const rows = [
    ['kill-pod to the first sentinel +switch-master', cell(s('switchMs'))],
    ['kill-pod to the first acknowledged write after the outage', cell(s('firstAckMs'))],
    ['kill-pod to redis-k8s relation data naming the new primary', cell(s('relationMs'))],
  ];
  const md = [
    `Deploy to settled, redis-k8s x3 then redis-sentinel-k8s x3 related, one fresh model per round`,
    `(\`charm-sim wait\` returns: every pod up, no hook queued): seconds ${cell(d)} over ${deploySeconds.length} rounds.`,
    '',
    `Failover clocks over ${clocks.length} consecutive \`charm-sim kill-pod\` of whichever unit is primary, on one`,
    `3+3 model, ms (min/median/max). Settings: sentinel down-after-milliseconds ${SETTINGS['down-after-milliseconds']},`,
    `failover-timeout ${SETTINGS['failover-timeout']}, quorum 2; one writer through Sentinel (ioredis), a write`,
    `acknowledged when \`WAIT 1 500\` returns >= 1.`,
    '',
    table(['clock', 'ms'], rows),
  ].join('\n');
  const svg = await barChart(
    'Failover clocks after kill-pod of the primary (median, min-max whiskers)',
    'ms',
    (['switchMs', 'firstAckMs', 'relationMs'] as const).map((k) => ({
      measure: { switchMs: '+switch-master', firstAckMs: 'first ack write', relationMs: 'relation updated' }[k],
      competitor: 'redis-k8s + redis-sentinel-k8s',
      ...s(k),
    })),
  );
  return {
    markdown: md,
    goals: [],
    charts: [{ file: 'failover-clocks.svg', title: 'failover clocks', svg }],
    data: { deploySeconds, clocks, settings: SETTINGS },
  };
}

/** The part `cluster`. */
export const clusterPart: BenchPart = {
  name: 'cluster',
  title: 'Cluster: deploy-to-ready of 3+3 and failover clocks',
  summary: 'deploy redis-k8s x3 + redis-sentinel-k8s x3 to settled; clocks of 10 failovers',
  run,
};
