/**
 * Fold time against log length: 10^3 to 10^6 events, folded cold from the start and from a snapshot
 * 1,000 events before the end, each in a fresh process; sizes and modes interleaved in rounds.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineChart } from '../lib/chart.js';
import type { BenchPart, RunOptions } from '../lib/part.js';
import { interleave, summarize, type Summary } from '../lib/stats.js';
import { cell, table } from '../lib/table.js';
import { buildLog } from './fold-fixture.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fold-child.ts');
const TAIL = 1000;

function coldFold(dir: string, mode: 'full' | 'snapshot', expected: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CHILD, dir, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`fold of ${dir} (${mode}) exited ${code}: ${err.trim()}`));
      const r = JSON.parse(out) as { ms: number; events: number };
      if (r.events !== expected) return reject(new Error(`fold of ${dir} counted ${r.events}, expected ${expected}`));
      resolve(r.ms);
    });
  });
}

async function run(o: RunOptions) {
  const sizes = o.smoke ? [100, 2000] : [1e3, 1e4, 1e5, 1e6];
  for (const n of sizes) {
    o.progress(
      `building a log of ${n.toLocaleString('en-US')} events (and one with a snapshot ${TAIL} before the end)`,
    );
    await buildLog(path.join(o.workDir, `full-${n}`), n);
    await buildLog(path.join(o.workDir, `snap-${n}`), n, Math.min(TAIL, n));
  }
  const competitors = sizes.flatMap((n) => [
    { name: `full-${n}`, round: () => coldFold(path.join(o.workDir, `full-${n}`), 'full', n) },
    { name: `snap-${n}`, round: () => coldFold(path.join(o.workDir, `snap-${n}`), 'snapshot', n) },
  ]);
  const got = await interleave(o.rounds, competitors, o.progress);
  const s = (name: string): Summary => summarize(got.get(name) ?? []);
  const rows = sizes.map((n) => [n.toLocaleString('en-US'), cell(s(`full-${n}`)), cell(s(`snap-${n}`))]);
  const svg = await lineChart(
    'Cold fold time against log length (median of fresh processes)',
    'events in the log',
    'ms',
    sizes.flatMap((n) => [
      { x: n, y: s(`full-${n}`).median, series: 'from the start' },
      { x: n, y: s(`snap-${n}`).median, series: `from a snapshot ${TAIL} before the end` },
    ]),
  );
  const markdown = [
    `Each cell: ms in one fresh process from opening the log to the folded state (module loading not`,
    `included): **from the start** with a reader (every line's SHA-256, the hash chain and the payload`,
    `checked), or **from a snapshot** ${TAIL} events before the end, opened for writing as a hook opens it`,
    `(lock, newest segment verified, torn tail cut). Logs built through the public append API.`,
    '',
    table(['events', 'from the start (ms)', `from a snapshot (ms)`], rows),
  ].join('\n');
  return {
    markdown,
    goals: [],
    charts: [{ file: 'event-log-fold.svg', title: 'event-log fold time', svg }],
    data: { sizes, tail: TAIL, samplesMs: Object.fromEntries(got) },
  };
}

/** The part `event-log`. */
export const foldScaling: BenchPart = {
  name: 'event-log',
  title: 'Event log: fold time from 10^3 to 10^6 events, with and without a snapshot',
  summary: 'cold fold of logs of 10^3..10^6 events, from the start and from a snapshot',
  run,
};
