/**
 * What the Pebble bench measures, as data: the worker tasks of one round, how each result becomes
 * numbers, and the goals of issue 11 that those numbers are judged by.
 */
import type { CompetitorId, Task } from './competitors.js';
import { percentile } from './stats.js';
import type { WorkerResult } from './worker-result.js';

const MiB = 1024 * 1024;

/** Sizes and counts of one bench run. */
export interface BenchPlan {
  seqCalls: number;
  seqWarmup: number;
  /** Warm-up iterations of the steady-state sequential job, after which V8 has optimised the call path. */
  seqWarmupSteady: number;
  callers: number;
  perCaller: number;
  /**
   * Calls per caller of the steady-state concurrency job: long enough that JIT warm-up (Node's; Go has
   * none) is a small part of the timed window, which it is not at `perCaller`.
   */
  perCallerSteady: number;
  /** push/pull sizes in bytes, each moved `repsFor(size)` times per round. */
  sizes: number[];
  /**
   * Untimed transfers before the timed ones in the steady-state push/pull jobs, run for the sizes moved
   * more than once per round (the small ones, whose timed window a cold first transfer would weigh on).
   */
  warmTransfers: number;
  /** The large transfer whose peak RSS is judged (1 GiB in a full run). */
  rssSize: number;
  /**
   * ops.pebble's pull parses the multipart body in memory at a cost that grows with the square of the size: skip it
   * above this.
   */
  opsPullMax: number;
}

export const FULL_PLAN: BenchPlan = {
  seqCalls: 1000,
  seqWarmup: 100,
  seqWarmupSteady: 1000,
  callers: 64,
  perCaller: 100,
  perCallerSteady: 500,
  sizes: [2 * MiB, 16 * MiB, 256 * MiB],
  warmTransfers: 4,
  rssSize: 1024 * MiB,
  opsPullMax: 16 * MiB,
};

export const SMOKE_PLAN: BenchPlan = {
  seqCalls: 20,
  seqWarmup: 5,
  seqWarmupSteady: 10,
  callers: 8,
  perCaller: 5,
  perCallerSteady: 10,
  sizes: [64 * 1024, 1 * MiB],
  warmTransfers: 1,
  rssSize: 4 * MiB,
  opsPullMax: 1 * MiB,
};

/** Repetitions per round so that small transfers run long enough to time. */
export function repsFor(size: number): number {
  return Math.max(1, Math.min(16, Math.floor((32 * MiB) / size)));
}

export const sizeLabel = (size: number) => (size >= MiB ? `${size / MiB} MiB` : `${size / 1024} KiB`);

/** One worker run per competitor per round. `files` maps a size to the source file / remote path. */
export interface Job {
  id: string;
  /** The worker task for one competitor. */
  task: (c: CompetitorId) => Task;
  size?: number;
  /** Competitors that skip this job, with the reason. */
  skip: Partial<Record<CompetitorId, string>>;
}

export function jobsOf(
  plan: BenchPlan,
  fileOf: (size: number) => string,
  destOf: (c: CompetitorId, size: number) => string,
): Job[] {
  const jobs: Job[] = [
    { id: 'seq', task: () => ({ task: 'seq', args: { n: plan.seqCalls, warmup: plan.seqWarmup } }), skip: {} },
    {
      id: 'seq-steady',
      task: () => ({ task: 'seq', args: { n: plan.seqCalls, warmup: plan.seqWarmupSteady } }),
      skip: {},
    },
    {
      id: 'conc',
      task: () => ({ task: 'conc', args: { callers: plan.callers, 'per-caller': plan.perCaller } }),
      skip: {},
    },
    {
      id: 'conc-steady',
      task: () => ({ task: 'conc', args: { callers: plan.callers, 'per-caller': plan.perCallerSteady } }),
      skip: {},
    },
  ];
  // a push and a pull job of `size`; `warm` untimed transfers first (0: the cold job)
  const transfers = (size: number, reps: number, warm: number, opsPullSkip: string | undefined): Job[] => {
    const suffix = warm > 0 ? '-steady' : '';
    const timing = { reps, ...(warm > 0 ? { 'warm-transfers': warm } : {}) };
    return [
      {
        id: `push-${size}${suffix}`,
        size,
        task: (c) => ({ task: 'push', args: { file: fileOf(size), dest: destOf(c, size), ...timing } }),
        skip: {},
      },
      {
        id: `pull-${size}${suffix}`,
        size,
        task: () => ({ task: 'pull', args: { file: fileOf(size), ...timing } }),
        skip: opsPullSkip === undefined ? {} : { ops: opsPullSkip },
      },
    ];
  };
  for (const size of [...plan.sizes, plan.rssSize]) {
    const quadratic = `ops.pebble's pull is quadratic in the size (it re-scans its buffer per chunk); skipped above ${sizeLabel(plan.opsPullMax)}`;
    jobs.push(
      ...transfers(size, size === plan.rssSize ? 1 : repsFor(size), 0, size > plan.opsPullMax ? quadratic : undefined),
    );
  }
  for (const size of steadySizes(plan))
    jobs.push(
      ...transfers(
        size,
        repsFor(size),
        plan.warmTransfers,
        "ops.pebble's pull is quadratic in the size; its cold pulls above already compare it",
      ),
    );
  return jobs;
}

/** The sizes with a steady-state push/pull job: those moved more than once per round. */
const steadySizes = (plan: BenchPlan) => plan.sizes.filter((size) => repsFor(size) > 1);

/** One number a table shows, read from a worker result. */
export interface Metric {
  id: string;
  title: string;
  unit: string;
  better: 'lower' | 'higher';
  job: string;
  read: (r: WorkerResult) => number;
  /** The goal on ours/Go (median over rounds), if the issue sets one. */
  goVsOurs?: { op: '<=' | '>=' | '<'; ratio: number };
  /** An absolute goal on ours (RSS growth). */
  absolute?: { op: '<'; value: number };
  /** "nothing slower than ops": judged wherever ops has a number. */
  vsOps: boolean;
}

const throughput = (r: WorkerResult) => (r.bytes ?? 0) / MiB / r.seconds;
const rssGrowth = (r: WorkerResult) => (r.peakRssKiB - r.baseRssKiB) / 1024;

export function metricsOf(plan: BenchPlan): Metric[] {
  const metrics: Metric[] = [];
  for (const [job, warmup] of [
    ['seq', plan.seqWarmup],
    ['seq-steady', plan.seqWarmupSteady],
  ] as const) {
    const suffix = job === 'seq' ? '' : `, after ${warmup.toLocaleString('en-US')} warm-up iterations (steady state)`;
    for (const op of ['services', 'plan', 'system-info']) {
      const name = op === 'services' ? 'get services' : op === 'plan' ? 'get plan' : 'system info';
      for (const [p, ratio] of [
        [50, 1.3],
        [99, 2],
      ] as const) {
        metrics.push({
          id: `${op}-p${p}${job === 'seq' ? '' : '-steady'}`,
          title: `${name} p${p}${suffix}`,
          unit: 'ms',
          better: 'lower',
          job,
          read: (r) => percentile(r.samples?.[op] ?? [], p),
          goVsOurs: { op: '<=', ratio },
          vsOps: true,
        });
      }
    }
  }
  for (const [job, per] of [
    ['conc', plan.perCaller],
    ['conc-steady', plan.perCallerSteady],
  ] as const) {
    const calls = (plan.callers * per).toLocaleString('en-US');
    metrics.push({
      id: job,
      title: `${plan.callers} concurrent callers, get services, ${calls} calls${job === 'conc' ? '' : ' (steady state)'}`,
      unit: 'calls/s',
      better: 'higher',
      job,
      read: (r) => (r.calls ?? 0) / r.seconds,
      goVsOurs: { op: '>=', ratio: 0.8 },
      vsOps: true,
    });
  }
  const throughputMetric = (dir: 'push' | 'pull', size: number, steady: boolean): Metric => {
    const id = `${dir}-${size}${steady ? '-steady' : ''}`;
    const title = `${dir} ${sizeLabel(size)}${steady ? `, after ${plan.warmTransfers} warm-up transfers (steady state)` : ''}`;
    return {
      id,
      title,
      unit: 'MiB/s',
      better: 'higher',
      job: id,
      read: throughput,
      goVsOurs: { op: '>=', ratio: 0.8 },
      vsOps: true,
    };
  };
  for (const dir of ['push', 'pull'] as const)
    for (const size of plan.sizes) metrics.push(throughputMetric(dir, size, false));
  for (const dir of ['push', 'pull'] as const)
    for (const size of steadySizes(plan)) metrics.push(throughputMetric(dir, size, true));
  for (const dir of ['push', 'pull'] as const) {
    metrics.push({
      id: `${dir}-${plan.rssSize}`,
      title: `${dir} ${sizeLabel(plan.rssSize)}`,
      unit: 'MiB/s',
      better: 'higher',
      job: `${dir}-${plan.rssSize}`,
      read: throughput,
      vsOps: false,
    });
  }
  for (const dir of ['push', 'pull'] as const) {
    for (const size of [...plan.sizes, plan.rssSize]) {
      metrics.push({
        id: `${dir}-${size}-rss`,
        title: `peak RSS above baseline, ${dir} ${sizeLabel(size)}`,
        unit: 'MiB',
        better: 'lower',
        job: `${dir}-${size}`,
        read: rssGrowth,
        ...(size === plan.rssSize ? { absolute: { op: '<' as const, value: 100 } } : {}),
        vsOps: false,
      });
    }
  }
  return metrics;
}
