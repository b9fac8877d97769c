/**
 * Hook latency in charm-sim, from dispatch start to exit: a no-op update-status of the charm-sdk example
 * charm beside the same charm in Python ops and the framework-free Node floor; and redis-k8s's
 * config-changed with nothing to change (after a refresh to the same charm) and pebble-ready after a
 * pod churn, beside the same hooks of the Python charm. One charm deployed at a time, charms interleaved
 * in rounds; each round takes its median, and the table gives min/median/max of those.
 */
import { barChart } from '../lib/chart.js';
import type { BenchPart, RunOptions } from '../lib/part.js';
import { goal, interleave, summarize, type Summary } from '../lib/stats.js';
import { cell, fmt, table } from '../lib/table.js';
import { prepareContenders, straceVariant, type Contender } from './contenders.js';
import { BenchModel, type HookSample } from './sim-runner.js';

const WARMUP = 3;
const FLOOR_GOAL = 1.15;

const unitOf = (c: Contender) => `${c.app}/0`;

/** A fresh model per round: deploy, `k` update-status samples after the warm-up, destroy. */
async function updateStatusRound(o: RunOptions, c: Contender, round: number, k: number): Promise<HookSample[]> {
  const m = new BenchModel(o.workDir, `us-${c.key}-${round}`, '1s');
  try {
    await m.cli(['deploy', c.dir, c.app, ...c.resources, '--wait', '--timeout', '240s']);
    return await m.until(`${k} update-status hooks of ${c.app}`, (k + WARMUP) * 4000 + 60_000, async () => {
      const got = (await m.samples(unitOf(c))).filter((s) => s.hook === 'update-status').slice(WARMUP);
      return got.length >= k ? got.slice(0, k) : undefined;
    });
  } finally {
    await m.destroy();
  }
}

/** New samples of `hook` (a suffix match) after `before` were taken. */
const fresh = (all: HookSample[], before: number, hook: RegExp) => all.slice(before).filter((s) => hook.test(s.hook));

/** A fresh model per round: `k` refreshes to the same charm and `k` pod churns, timing the hooks that follow. */
async function dayTwoRound(o: RunOptions, c: Contender, round: number, k: number) {
  const m = new BenchModel(o.workDir, `d2-${c.key}-${round}`, '60m');
  const configChanged: number[] = [];
  const pebbleReady: number[] = [];
  try {
    await m.cli(['deploy', c.dir, c.app, ...c.resources, '--wait', '--timeout', '240s']);
    for (let i = 0; i < k; i++) {
      let before = (await m.samples(unitOf(c))).length;
      await m.cli(['refresh', c.app, c.dir]);
      await m.cli(['wait', '--timeout', '240s']);
      const cc = fresh(await m.samples(unitOf(c)), before, /^config-changed$/);
      if (cc.length === 0) throw new Error(`${c.app}: no config-changed after refresh`);
      configChanged.push(...cc.map((s) => s.ms));
      before = (await m.samples(unitOf(c))).length;
      await m.cli(['kill-pod', unitOf(c), '--wait', '--timeout', '240s']);
      const pr = fresh(await m.samples(unitOf(c)), before, /-pebble-ready$/);
      if (pr.length === 0) throw new Error(`${c.app}: no pebble-ready after kill-pod`);
      pebbleReady.push(...pr.map((s) => s.ms));
    }
    return { configChanged, pebbleReady };
  } finally {
    await m.destroy();
  }
}

/** Syncs per update-status hook, counted once under strace. */
async function syncsPerHook(o: RunOptions, c: Contender): Promise<number> {
  const s = await straceVariant(c, o.workDir);
  const got = await updateStatusRound(o, s, 0, 2);
  return Math.max(...got.map((x) => x.syncs));
}

/** Median time at which each trace mark is reached, and the stage each one ends. */
function breakdown(samples: HookSample[]): string[][] {
  const names = samples[0]?.marks.map(([n]) => n) ?? [];
  let prev = 0;
  return names.map((n) => {
    const at = summarize(samples.map((s) => s.marks.find(([x]) => x === n)?.[1] ?? NaN).filter(Number.isFinite)).median;
    const row = [n, fmt(at), fmt(at - prev)];
    prev = at;
    return row;
  });
}

async function run(o: RunOptions) {
  const k = o.smoke ? 2 : 10;
  const { contenders, bundleBytes } = await prepareContenders(o.workDir, ['ts', 'ops', 'floor', 'redis'], o.progress);
  const [ts, ops, floor, redis] = contenders as [Contender, Contender, Contender, Contender];
  const us = await interleave(
    o.rounds,
    [ts, ops, floor].map((c) => ({ name: c.key, round: (i: number) => updateStatusRound(o, c, i, k) })),
    o.progress,
  );
  const day2 = await interleave(
    o.rounds,
    [redis, ops].map((c) => ({ name: c.key, round: (i: number) => dayTwoRound(o, c, i, o.smoke ? 1 : 3) })),
    o.progress,
  );
  o.progress('counting syncs per hook under strace');
  const syncs = { ts: await syncsPerHook(o, ts), ops: await syncsPerHook(o, ops) };

  const perRound = (rounds: number[][]): Summary => summarize(rounds.map((r) => summarize(r).median));
  const usS = (key: string) => perRound((us.get(key) ?? []).map((r) => r.map((s) => s.ms)));
  const d2 = (key: string, f: 'configChanged' | 'pebbleReady') => perRound((day2.get(key) ?? []).map((r) => r[f]));
  const [sTs, sOps, sFloor] = [usS('ts'), usS('ops'), usS('floor')];
  const rows = [
    ['update-status, no-op', ts.label, cell(sTs)],
    ['update-status, no-op', ops.label, cell(sOps)],
    ['update-status, no-op', floor.label, cell(sFloor)],
    ['config-changed, nothing to change (after refresh)', redis.label, cell(d2('redis', 'configChanged'))],
    ['config-changed, nothing to change (after refresh)', ops.label, cell(d2('ops', 'configChanged'))],
    ['pebble-ready after kill-pod (workload started)', redis.label, cell(d2('redis', 'pebbleReady'))],
    ['pebble-ready after kill-pod (workload started)', ops.label, cell(d2('ops', 'pebbleReady'))],
  ];
  const tsSamples = (us.get('ts') ?? []).flat();
  const md = [
    `ms from dispatch start to exit (a shell wrapper around \`dispatch\`). Each round deploys one charm in a`,
    `fresh model (update-status every 1 s, ${WARMUP} warm-up hooks, then ${k} timed); a cell is min/median/max`,
    `of the ${o.rounds} round medians. Charms: the charm-sdk example (TypeScript), the same charm in Python`,
    `ops 3.9.0 (bench/hook-latency/ops-charm), and the floor: the same bundled Node making the same hook-tool`,
    `and Pebble calls with no framework (floor-charm/floor.mjs).`,
    '',
    table(['hook', 'charm', 'ms'], rows),
    '',
    `Ratios of medians: ours/floor **${fmt(sTs.median / sFloor.median)}**, ours/ops **${fmt(sTs.median / sOps.median)}**, floor/ops ${fmt(sFloor.median / sOps.median)}.`,
    '',
    '### Where our update-status time goes',
    '',
    `Median of the \`CHARM_SDK_TRACE\` marks over ${tsSamples.length} hooks (ms since the Node process started; the`,
    `wrapper's own fork and exec come before \`start\`):`,
    '',
    table(['mark (end of)', 'at ms', 'stage ms'], breakdown(tsSamples)),
    '',
    `fsync/fdatasync calls per update-status (strace, one deployment): ours ${syncs.ts}, ops ${syncs.ops}.`,
    '',
    'Bundle: ' +
      Object.entries(bundleBytes)
        .map(([f, b]) => `${f} ${fmt(b / 1024)} KiB`)
        .join(', ') +
      '.',
  ].join('\n');
  const bars = [
    ['update-status', 'ts', sTs],
    ['update-status', 'ops', sOps],
    ['update-status', 'floor', sFloor],
    ['config-changed', 'redis', d2('redis', 'configChanged')],
    ['config-changed', 'ops', d2('ops', 'configChanged')],
    ['pebble-ready', 'redis', d2('redis', 'pebbleReady')],
    ['pebble-ready', 'ops', d2('ops', 'pebbleReady')],
  ] as const;
  const names: Record<string, string> = { ts: 'ours', ops: 'Python ops', floor: 'Node floor', redis: 'redis-k8s' };
  const svg = await barChart(
    'Hook latency in charm-sim (median of round medians, min-max whiskers)',
    'ms',
    bars.map(([measure, key, s]) => ({
      measure,
      competitor: names[key] ?? key,
      median: s.median,
      min: s.min,
      max: s.max,
    })),
  );
  return {
    markdown: md,
    goals: [
      goal(`no-op update-status: ours / floor (goal <= ${FLOOR_GOAL})`, sTs.median / sFloor.median, '<=', FLOOR_GOAL),
      goal('no-op update-status: ours / ops (nothing slower than ops)', sTs.median / sOps.median, '<=', 1),
    ],
    charts: [{ file: 'hook-latency.svg', title: 'hook latency', svg }],
    data: {
      updateStatus: Object.fromEntries([...us].map(([key, r]) => [key, r.map((x) => x.map((s) => s.ms))])),
      dayTwo: Object.fromEntries(day2),
      marks: tsSamples.map((s) => s.marks),
      syncs,
      bundleBytes,
    },
  };
}

/** The part `hooks`. */
export const hooksPart: BenchPart = {
  name: 'hooks',
  title: 'Hook latency: charm-sdk vs Python ops vs the Node floor, and redis-k8s day-2 hooks',
  summary: 'no-op update-status, config-changed and pebble-ready timed in charm-sim',
  run,
};
