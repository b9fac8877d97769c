import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openEventLog, openEventLogReader } from './index.js';
import { tempDir, testSchema, totals } from './testing-fixtures/test-schema.js';

const LANES = 2;
const KILLS_PER_LANE = 105;
const seed = Number(process.env['EVENT_LOG_CRASH_SEED'] ?? Date.now() % 1_000_000);

let work: { dir: string; cleanup: () => Promise<void> };
let bundle: string;

beforeAll(async () => {
  work = await tempDir('event-log-crash-');
  bundle = path.join(work.dir, 'crash-writer.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./testing-fixtures/crash-writer.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    conditions: ['@charms/source'],
    minify: true,
    logLevel: 'error',
  });
});
afterAll(async () => work.cleanup());

/** Small seeded PRNG so a failing run can be replayed with EVENT_LOG_CRASH_SEED. */
function random(s: number): () => number {
  let state = s >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ack {
  n: number;
  run: string;
}

/** Runs one child until it has acknowledged `killAfter` appends, SIGKILLs it, and collects every ack it printed. */
async function runAndKill(
  dir: string,
  run: string,
  concurrency: number,
  killAfter: number,
  acked: Map<number, Ack>,
): Promise<{ pid: number; acks: number }> {
  const child = spawn(process.execPath, [bundle, dir, run, String(concurrency)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  let acks = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const [kind, a, b] = line.split(' ');
    if (kind === 'ack') {
      acked.set(Number(a), { n: Number(b), run });
      acks++;
    }
    if ((kind === 'ready' && killAfter === 0) || acks === killAfter) child.kill('SIGKILL');
  }
  const signal = await exited;
  if (signal !== 'SIGKILL')
    throw new Error(`crash writer ${run} ended without being killed (${String(signal)}): ${stderr}`);
  return { pid: child.pid as number, acks };
}

async function checkAfterKill(dir: string, acked: Map<number, Ack>, pid: number, run: string): Promise<number> {
  const maxAcked = Math.max(0, ...acked.keys());
  const reader = await openEventLogReader({ dir, schema: testSchema });
  const seen = new Map<number, Ack>();
  let expected = 1;
  for await (const event of reader.read()) {
    expect(event.seq, `${run}: reader seq order`).toBe(expected++);
    if (event.type === 'tick') seen.set(event.seq, { n: event.payload.n, run: event.payload.note ?? '' });
  }
  for (const [seq, ack] of acked)
    expect(seen.get(seq), `${run}: acknowledged seq ${seq} before the writer reopened`).toEqual(ack);

  const log = await openEventLog({ dir, schema: testSchema, projection: totals });
  expect(log.recovery.lockTakenOver?.pid, `${run}: stale lock of the killed child`).toBe(pid);
  const verified = await log.verify();
  expect(verified.lastSeq).toBeGreaterThanOrEqual(maxAcked);
  for (const name of await readdir(dir)) {
    if (!name.startsWith('segment-')) continue;
    const data = await readFile(path.join(dir, name));
    expect(data.length === 0 || data[data.length - 1] === 0x0a, `${run}: ${name} ends with a whole line`).toBe(true);
  }
  const fromSnapshot = await log.fold(totals);
  const fromStart = await log.fold(totals.reduce, totals.initial);
  expect(fromSnapshot.state).toEqual(fromStart.state);
  expect(fromStart.state.count).toBe(verified.records);
  await log.close();
  return verified.lastSeq;
}

test(`every acknowledged append survives ${LANES * KILLS_PER_LANE} SIGKILLs at random moments (seed ${seed})`, async () => {
  const next = random(seed);
  let kills = 0;
  let ackedTotal = 0;
  const lanes = Array.from({ length: LANES }, async (_, lane) => {
    const dir = path.join(work.dir, `lane-${lane}`);
    const acked = new Map<number, Ack>();
    for (let cycle = 0; cycle < KILLS_PER_LANE; cycle++) {
      const run = `lane${lane}-cycle${cycle}`;
      const concurrency = 1 + Math.floor(next() * 4);
      const killAfter = Math.floor(next() * 25);
      const { pid, acks } = await runAndKill(dir, run, concurrency, killAfter, acked);
      kills++;
      ackedTotal += acks;
      await checkAfterKill(dir, acked, pid, run);
    }
  });
  await Promise.all(lanes);
  expect(kills).toBeGreaterThanOrEqual(200);
  expect(ackedTotal).toBeGreaterThan(kills);
  // a bound, not a speed goal: ~110 s alone on 2 cores, far more when other suites share them
}, 420_000);
