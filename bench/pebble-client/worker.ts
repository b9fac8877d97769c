/**
 * Our side of the Pebble client bench: runs one task with @charms/pebble-client against a Pebble
 * socket and prints one JSON object on stdout (the same shape as bench/pebble-go and ops_worker.py).
 * The driver bundles this file with esbuild and runs it with plain `node`, as charm code runs.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
// eslint-disable-next-line @nx/enforce-module-boundaries -- measures the sources, so it runs without a build
import { PebbleClient } from '../../packages/pebble-client/src/index.js';
import type { WorkerResult } from './worker-result.js';

function statusKiB(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : -1;
}

const { values: a } = parseArgs({
  options: {
    socket: { type: 'string' },
    task: { type: 'string' },
    n: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '50' },
    callers: { type: 'string', default: '64' },
    'per-caller': { type: 'string', default: '100' },
    file: { type: 'string', default: '' },
    dest: { type: 'string', default: '' },
    reps: { type: 'string', default: '1' },
    'warm-transfers': { type: 'string', default: '0' },
  },
});

async function seq(c: PebbleClient, n: number, warmup: number, r: WorkerResult): Promise<void> {
  const calls: [string, () => Promise<unknown>][] = [
    ['services', () => c.getServices()],
    ['plan', () => c.getPlan()],
    ['system-info', () => c.getSystemInfo()],
  ];
  const samples: Record<string, number[]> = Object.fromEntries(calls.map(([name]) => [name, []]));
  for (let i = 0; i < warmup + n; i++) {
    for (const [name, call] of calls) {
      const t0 = performance.now();
      await call();
      if (i >= warmup) samples[name]?.push(performance.now() - t0);
    }
  }
  r.samples = samples;
}

async function conc(c: PebbleClient, callers: number, perCaller: number, r: WorkerResult): Promise<void> {
  const run = (per: number) =>
    Promise.all(
      Array.from({ length: callers }, async () => {
        for (let j = 0; j < per; j++) await c.getServices();
      }),
    );
  await run(2);
  const t0 = performance.now();
  await run(perCaller);
  r.seconds = (performance.now() - t0) / 1000;
  r.calls = callers * perCaller;
}

async function pushOnce(c: PebbleClient, source: string, dest: string): Promise<number> {
  await c.push(dest, createReadStream(source), { timeout: 0 });
  return (await stat(source)).size;
}

/** Times `reps` pushes after `warm` untimed ones. */
async function push(c: PebbleClient, source: string, dest: string, reps: number, warm: number, r: WorkerResult) {
  for (let i = 0; i < warm; i++) await pushOnce(c, source, dest);
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < reps; i++) bytes += await pushOnce(c, source, dest);
  r.seconds = (performance.now() - t0) / 1000;
  r.bytes = bytes;
  r.transfers = reps;
}

async function pullOnce(c: PebbleClient, path: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of await c.pull(path, { timeout: 0 })) bytes += (chunk as Buffer).length;
  return bytes;
}

/** Times `reps` pulls after `warm` untimed ones. */
async function pull(c: PebbleClient, path: string, reps: number, warm: number, r: WorkerResult): Promise<void> {
  for (let i = 0; i < warm; i++) await pullOnce(c, path);
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < reps; i++) bytes += await pullOnce(c, path);
  r.seconds = (performance.now() - t0) / 1000;
  r.bytes = bytes;
  r.transfers = reps;
}

async function main(): Promise<void> {
  if (!a.socket || !a.task) throw new Error('--socket and --task are required');
  const c = new PebbleClient({ socketPath: a.socket });
  const r: WorkerResult = { task: a.task, seconds: 0, baseRssKiB: statusKiB('VmRSS'), peakRssKiB: 0 };
  try {
    if (a.task === 'seq') await seq(c, Number(a.n), Number(a.warmup), r);
    else if (a.task === 'conc') await conc(c, Number(a.callers), Number(a['per-caller']), r);
    else if (a.task === 'push') await push(c, a.file, a.dest, Number(a.reps), Number(a['warm-transfers']), r);
    else if (a.task === 'pull') await pull(c, a.file, Number(a.reps), Number(a['warm-transfers']), r);
    else throw new Error(`unknown task ${a.task}`);
  } finally {
    await c.close();
  }
  r.peakRssKiB = statusKiB('VmHWM');
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

await main();
