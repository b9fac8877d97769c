/**
 * Pebble client bench: one `pebble run` daemon, three clients (ours, Pebble's Go client, ops.pebble)
 * run as worker processes interleaved in rounds (ours, Go, ops, ours, Go, ops, ...), each task in a
 * fresh process so its peak RSS is its own. Returns min/median/max over the rounds, the ratios
 * ours/Go and ours/ops, and the goals of issue 11 judged on the medians.
 *
 * CLI: `npx tsx bench/pebble-client/cli.ts [--rounds 5] [--smoke] [--out DIR]` (see cli.ts).
 * As a module: `runPebbleBench(options)` returns the result JSON; `renderMarkdown(result)` the section.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- measures the sources, so it runs without a build
import { startPebbleDaemon } from '../../packages/pebble-client/src/testing/index.js';
import { type CompetitorId, prepareCompetitors, ROOT, runWorker } from './competitors.js';
import { type BenchPlan, FULL_PLAN, jobsOf, metricsOf, SMOKE_PLAN } from './measures.js';
import { judge, type MetricResult } from './judge.js';
import type { WorkerResult } from './worker-result.js';

export { renderMarkdown } from './report.js';

/** Options of {@link runPebbleBench}. */
export interface PebbleBenchOptions {
  /** Interleaved rounds (default 5; at least 5 for a report). */
  rounds?: number;
  /** Tiny sizes and counts, for CI: checks that everything runs, measures nothing. */
  smoke?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Machine facts and load, stated beside the numbers. */
export interface MachineFacts {
  nproc: number;
  cpu: string;
  loadBefore: number[];
  loadAfter: number[];
  node: string;
  go: string;
  python: string;
  pebble: string;
  ops: string;
}

/** The bench's result: everything the markdown section shows. */
export interface PebbleBenchResult {
  bench: 'pebble-client';
  smoke: boolean;
  startedAt: string;
  finishedAt: string;
  rounds: number;
  plan: BenchPlan;
  machine: MachineFacts;
  competitors: { id: CompetitorId; label: string }[];
  skipped: { job: string; competitor: CompetitorId; reason: string }[];
  metrics: MetricResult[];
}

const DAEMON_LAYER = `summary: bench
services:
${['alpha', 'beta', 'gamma', 'delta']
  .map(
    (n) => `  ${n}:
    override: replace
    summary: bench service ${n}
    command: sleep 3600
    startup: enabled
    environment:
      ROLE: ${n}`,
  )
  .join('\n')}
`;

function versionOf(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 30_000 }).trim().split('\n')[0] ?? '';
  } catch {
    return 'unknown';
  }
}

async function writeRandomFile(file: string, size: number): Promise<void> {
  const block = randomBytes(1024 * 1024);
  const fh = await open(file, 'w');
  try {
    for (let done = 0; done < size; done += block.length) await fh.write(block, 0, Math.min(block.length, size - done));
  } finally {
    await fh.close();
  }
}

/** Run the bench and return its result (nothing is written). */
export async function runPebbleBench(options: PebbleBenchOptions = {}): Promise<PebbleBenchResult> {
  const smoke = options.smoke ?? false;
  const rounds = options.rounds ?? (smoke ? 2 : 5);
  const log = options.log ?? (() => undefined);
  const plan = smoke ? SMOKE_PLAN : FULL_PLAN;
  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg();
  log('building the Go worker and bundling ours...');
  const competitors = await prepareCompetitors();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-pebble-'));
  const daemon = await startPebbleDaemon({ layers: { bench: DAEMON_LAYER }, hold: false });
  try {
    const fileOf = (size: number) => path.join(dir, `source-${size}.bin`);
    for (const size of [...plan.sizes, plan.rssSize]) await writeRandomFile(fileOf(size), size);
    const jobs = jobsOf(plan, fileOf, (c, size) => path.join(dir, `dest-${c}-${size}.bin`));
    const results = new Map<string, WorkerResult[]>();
    const skipped: PebbleBenchResult['skipped'] = [];
    for (const job of jobs)
      for (const c of competitors) {
        const reason = job.skip[c.id];
        if (reason) skipped.push({ job: job.id, competitor: c.id, reason });
      }
    for (let round = 1; round <= rounds; round++) {
      for (const job of jobs) {
        for (const c of competitors) {
          if (job.skip[c.id]) continue;
          const r = await runWorker(c, daemon.socketPath, job.task(c.id), 600_000);
          const key = `${job.id}/${c.id}`;
          results.set(key, [...(results.get(key) ?? []), r]);
        }
      }
      log(
        `round ${round}/${rounds} done (load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')})`,
      );
    }
    const metrics = metricsOf(plan).map((m) => judge(m, (c) => results.get(`${m.job}/${c}`)?.map((r) => m.read(r))));
    const machine: MachineFacts = {
      nproc: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      loadBefore,
      loadAfter: os.loadavg(),
      node: process.version,
      go: versionOf('go', ['version']),
      python: versionOf('python3', ['--version']),
      pebble: versionOf(path.join(ROOT, 'tools/bin/pebble'), ['version', '--client']),
      ops: '3.9.0',
    };
    return {
      bench: 'pebble-client',
      smoke,
      startedAt,
      finishedAt: new Date().toISOString(),
      rounds,
      plan,
      machine,
      competitors: competitors.map(({ id, label }) => ({ id, label })),
      skipped,
      metrics,
    };
  } finally {
    await daemon.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
