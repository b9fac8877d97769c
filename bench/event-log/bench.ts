/**
 * Event-log benchmark: durable appends per second (sequential and group commit), time and peak RSS
 * to fold 1,000,000 small events, and reopen-and-fold time with a snapshot near the end.
 *
 * Run: npx tsx bench/event-log/bench.ts [--events 1000000] [--keep]
 * Each measurement that reports RSS or a cold open runs in a fresh child process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEventLog, openEventLogReader } from '../../packages/event-log/src/index.js';
import { counter, schema } from './fold-fixture.js';

const here = fileURLToPath(import.meta.url);
const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : (argv[i + 1] ?? fallback);
};

async function child(mode: string, dir: string): Promise<Record<string, number>> {
  const proc = spawn(process.execPath, [...process.execArgv, here, mode, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  if (code !== 0) throw new Error(`bench child ${mode} failed with exit code ${code}`);
  return JSON.parse(out) as Record<string, number>;
}

function mib(kib: number): number {
  return Math.round((kib / 1024) * 10) / 10;
}

/** Child: fold every event from the start with a fresh reader; prints time and peak RSS. */
async function foldAll(dir: string): Promise<void> {
  const baseline = process.resourceUsage().maxRSS;
  const started = performance.now();
  const reader = await openEventLogReader({ dir, schema });
  const result = await reader.fold(counter.reduce, { count: 0, sum: 0 });
  const ms = performance.now() - started;
  process.stdout.write(
    JSON.stringify({ ms, events: result.state.count, baselineKiB: baseline, peakKiB: process.resourceUsage().maxRSS }),
  );
}

/** Child: open the log for writing (lock, tail recovery) and fold the projection from its snapshot. */
async function reopenAndFold(dir: string): Promise<void> {
  const started = performance.now();
  const log = await openEventLog({ dir, schema, projection: counter, snapshotEvery: 0 });
  const opened = performance.now() - started;
  const result = await log.fold(counter);
  const ms = performance.now() - started;
  await log.close();
  process.stdout.write(
    JSON.stringify({
      ms,
      openMs: opened,
      events: result.state.count,
      snapshotSeq: result.snapshot?.seq ?? 0,
      folded: result.seq - (result.snapshot?.seq ?? 0),
    }),
  );
}

async function appendRate(dir: string, count: number, inFlight: number): Promise<number> {
  const log = await openEventLog({ dir, schema, snapshotEvery: 0 });
  let n = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (n < count) await log.append({ type: 'tick', payload: { n: n++ } });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await log.close();
  return count / seconds;
}

async function main(): Promise<void> {
  const events = Number(flag('--events', '1000000'));
  const root = await mkdtemp(path.join(os.tmpdir(), 'event-log-bench-'));
  try {
    const sequential = await appendRate(path.join(root, 'seq'), 2000, 1);
    const concurrent16 = await appendRate(path.join(root, 'c16'), 20000, 16);
    const concurrent256 = await appendRate(path.join(root, 'c256'), 100000, 256);

    const dir = path.join(root, 'big');
    const building = performance.now();
    const log = await openEventLog({ dir, schema, projection: counter, snapshotEvery: 0 });
    const nearEnd = events - 1000;
    const appendRange = async (from: number, to: number) => {
      for (let base = from; base < to; base += 10000) {
        const batch = Math.min(10000, to - base);
        await Promise.all(
          Array.from({ length: batch }, (_, i) => log.append({ type: 'tick', payload: { n: base + i } })),
        );
      }
    };
    await appendRange(0, nearEnd);
    await log.snapshot();
    await appendRange(nearEnd, events);
    await log.close();
    const buildSeconds = (performance.now() - building) / 1000;

    const folds = [];
    for (let i = 0; i < 3; i++) folds.push(await child('fold-all', dir));
    const foldMs = folds.map((f) => f['ms'] as number).sort((a, b) => a - b);
    const fold = folds[0] as Record<string, number>;
    const peakKiB = Math.max(...folds.map((f) => f['peakKiB'] as number));
    const reopen = [];
    for (let i = 0; i < 5; i++) reopen.push(await child('reopen-and-fold', dir));
    const reopenMs = reopen.map((r) => r['ms'] as number).sort((a, b) => a - b);

    const rows: [string, string][] = [
      ['durable appends/s, sequential (1 in flight)', sequential.toFixed(0)],
      ['durable appends/s, group commit (16 in flight)', concurrent16.toFixed(0)],
      ['durable appends/s, group commit (256 in flight)', concurrent256.toFixed(0)],
      [`build ${events} events (batches of 10000)`, `${buildSeconds.toFixed(1)} s`],
      [
        `fold ${fold['events']} events from the start (3 fresh processes)`,
        `median ${((foldMs[1] as number) / 1000).toFixed(2)} s, min ${((foldMs[0] as number) / 1000).toFixed(2)} s, max ${((foldMs[2] as number) / 1000).toFixed(2)} s (goal <= 2 s)`,
      ],
      [
        'peak RSS of those fold processes',
        `${mib(peakKiB)} MiB (goal <= 200 MiB; ${mib(fold['baselineKiB'] as number)} MiB before reading)`,
      ],
      [
        `reopen + fold from snapshot at ${reopen[0]?.['snapshotSeq']} (${reopen[0]?.['folded']} events after it)`,
        `median ${(reopenMs[2] as number).toFixed(1)} ms, min ${(reopenMs[0] as number).toFixed(1)} ms, max ${(reopenMs[4] as number).toFixed(1)} ms (goal <= 100 ms; open alone ${(reopen[2]?.['openMs'] as number).toFixed(1)} ms)`,
      ],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    const load = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    console.log(
      `event-log bench on ${os.cpus().length}x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, tmp ${os.tmpdir()}, load average ${load}`,
    );
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  } finally {
    if (!argv.includes('--keep')) await rm(root, { recursive: true, force: true });
    else console.log(`kept ${root}`);
  }
}

const [mode, dir] = argv;
if (mode === 'fold-all' && dir !== undefined) await foldAll(dir);
else if (mode === 'reopen-and-fold' && dir !== undefined) await reopenAndFold(dir);
else await main();
