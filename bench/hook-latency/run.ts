/**
 * Hook latency: a no-op update-status of the charm-sdk example charm (packed, bundled Node) beside
 * the same charm written with Python ops 3.9.0, both deployed in charm-sim, measured in one run
 * from dispatch start to exit. Writes the medians into README.md next to this file.
 *
 *   node --conditions @charms/source --import tsx bench/hook-latency/run.ts [--samples 30] [--interval 2s]
 *
 * Each charm runs in its own model whose update-status timer is offset by half an interval from
 * the other's, so the two charms' hooks never share the CPU with each other.
 */
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import yauzl from 'yauzl';
// benches measure the packages from outside, like a user would
// eslint-disable-next-line @nx/enforce-module-boundaries
import { packCharm } from '@charms/charm-sdk/pack';

const HERE = resolve(new URL('.', import.meta.url).pathname);
const ROOT = resolve(HERE, '../..');
const WORK = join(HERE, 'work');
const SIM = join(ROOT, 'apps/sim/bin/charm-sim');

const { values } = parseArgs({ options: { samples: { type: 'string', default: '30' }, interval: { type: 'string', default: '2s' } } });
const SAMPLES = Number(values.samples);
const INTERVAL = values.interval;
const intervalMs = Number(/^(\d+)s$/.exec(INTERVAL)?.[1] ?? '2') * 1000;

/** Wraps dispatch so every run appends `<dispatch path> <start ns> <end ns> <exit code>`. */
const TIMING_WRAPPER = `#!/bin/sh
s=$(date +%s%N)
"$JUJU_CHARM_DIR/dispatch.real"
rc=$?
e=$(date +%s%N)
echo "$JUJU_DISPATCH_PATH $s $e $rc" >> "$JUJU_CHARM_DIR/.bench-timings"
exit $rc
`;

function sim(model: string, args: string[]): Promise<string> {
  const flags = ['--model-dir', join(WORK, model), '--update-status-interval', INTERVAL, '--pebble-poll-interval', '1s', '-q'];
  return new Promise((ok, fail) =>
    execFile(SIM, [...flags, ...args], { maxBuffer: 16 << 20, timeout: 300_000 }, (err, stdout, stderr) => (err ? fail(new Error(`charm-sim ${args.join(' ')}: ${stderr}${stdout}`)) : ok(stdout))),
  );
}

async function unzip(file: string, to: string): Promise<void> {
  const zip = await yauzl.openPromise(file);
  try {
    for await (const entry of zip.eachEntry()) {
      const dest = join(to, entry.fileName);
      await mkdir(join(dest, '..'), { recursive: true });
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
      await writeFile(dest, Buffer.concat(chunks));
      await chmod(dest, (entry.externalFileAttributes >>> 16) & 0o777);
    }
  } finally {
    zip.close();
  }
}

async function withTimer(dir: string): Promise<void> {
  await rename(join(dir, 'dispatch'), join(dir, 'dispatch.real'));
  await writeFile(join(dir, 'dispatch'), TIMING_WRAPPER, { mode: 0o755 });
}

async function timings(model: string, unit: string): Promise<{ hook: string; startNs: bigint; ms: number; rc: number }[]> {
  const file = join(WORK, model, 'pods', unit.replace('/', '-'), 'agent', 'charm', '.bench-timings');
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [hook = '', s = '0', e = '0', rc = '0'] = l.split(' ');
      return { hook, startNs: BigInt(s), ms: Number(BigInt(e) - BigInt(s)) / 1e6, rc: Number(rc) };
    });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;

async function main(): Promise<void> {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
  process.stdout.write('packing the example charm...\n');
  const packed = await packCharm({ charmDir: join(ROOT, 'packages/charm-sdk/src/testing-fixtures/example-charm'), outDir: WORK });
  const tsDir = join(WORK, 'ts-charm');
  await unzip(packed.path, tsDir);
  await withTimer(tsDir);
  const opsDir = join(WORK, 'ops-charm');
  await cp(join(HERE, 'ops-charm'), opsDir, { recursive: true, verbatimSymlinks: true });
  await rm(join(opsDir, 'lib'), { force: true });
  await symlink(join(ROOT, 'tools/python/lib'), join(opsDir, 'lib'));
  await withTimer(opsDir);

  process.stdout.write('starting two models with update-status timers about half an interval apart...\n');
  await sim('model-ts', ['status']);
  await sleep(intervalMs / 2);
  await sim('model-ops', ['status']);
  try {
    await Promise.all([
      sim('model-ts', ['deploy', tsDir, 'example-k8s', '--resource', 'workload-image=ubuntu:22.04', '--wait', '--timeout', '180s']),
      sim('model-ops', ['deploy', opsDir, 'example-ops-k8s', '--resource', 'workload-image=ubuntu:22.04', '--wait', '--timeout', '180s']),
    ]);
    const warmup = 3;
    // extra samples in case some overlap the other model's hooks
    const extra = Math.ceil(SAMPLES / 3);
    const deadline = Date.now() + (SAMPLES + warmup + extra + 10) * intervalMs * 2 + 60_000;
    for (;;) {
      const [a, b] = await Promise.all([timings('model-ts', 'example-k8s/0'), timings('model-ops', 'example-ops-k8s/0')]);
      const n = Math.min(a.filter((t) => t.hook === 'hooks/update-status').length, b.filter((t) => t.hook === 'hooks/update-status').length);
      if (process.stdout.isTTY) process.stdout.write(`\r  update-status samples: ${n}/${SAMPLES + warmup}`);
      if (n >= SAMPLES + warmup + extra) break;
      if (Date.now() > deadline) throw new Error(`only ${n} update-status samples before the deadline`);
      await sleep(1000);
    }
    process.stdout.write('\n');
    const [allTs, allOps] = await Promise.all([timings('model-ts', 'example-k8s/0'), timings('model-ops', 'example-ops-k8s/0')]);
    const pick = (all: typeof allTs, other: typeof allTs, unit: string) => {
      const failed = all.filter((t) => t.rc !== 0);
      if (failed.length > 0) throw new Error(`${unit}: ${failed.length} hooks failed (${failed.map((f) => f.hook).join(', ')})`);
      const end = (t: (typeof all)[number]) => t.startNs + BigInt(Math.round(t.ms * 1e6));
      // a sample that ran while the other charm's hook ran shared the CPU with it: drop it
      const alone = (t: (typeof all)[number]) => !other.some((o) => o.startNs < end(t) && t.startNs < end(o));
      const runs = all.filter((t) => t.hook === 'hooks/update-status').slice(warmup);
      return { kept: runs.filter(alone).slice(0, SAMPLES), overlapped: runs.filter((t) => !alone(t)).length };
    };
    const tsPick = pick(allTs, allOps, 'example-k8s/0');
    const opsPick = pick(allOps, allTs, 'example-ops-k8s/0');
    const ts = tsPick.kept;
    const ops = opsPick.kept;
    process.stdout.write(`  kept ${ts.length} and ${ops.length} samples; ${tsPick.overlapped + opsPick.overlapped} overlapped the other charm's hooks and were dropped\n`);
    const tsMs = ts.map((t) => t.ms);
    const opsMs = ops.map((t) => t.ms);
    const result = {
      date: new Date().toISOString(),
      samples: `${ts.length} (ours) and ${ops.length} (ops)`,
      interval: INTERVAL,
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
      ts: { median: median(tsMs), p10: pct(tsMs, 10), p90: pct(tsMs, 90) },
      ops: { median: median(opsMs), p10: pct(opsMs, 10), p90: pct(opsMs, 90) },
    };
    const ratio = result.ts.median / result.ops.median;
    process.stdout.write(`charm-sdk median ${result.ts.median.toFixed(1)} ms, ops median ${result.ops.median.toFixed(1)} ms, ratio ${ratio.toFixed(2)}\n`);
    await writeResults(result, ratio);
  } finally {
    await Promise.all([sim('model-ts', ['destroy']).catch(() => undefined), sim('model-ops', ['destroy']).catch(() => undefined)]);
  }
}

async function writeResults(r: { date: string; samples: string; interval: string; machine: string; ts: Record<string, number>; ops: Record<string, number> }, ratio: number): Promise<void> {
  const readme = join(HERE, 'README.md');
  const text = await readFile(readme, 'utf8');
  const f = (x: number | undefined) => (x ?? NaN).toFixed(1);
  const block = [
    '<!-- BEGIN results (written by run.ts) -->',
    `Last run: ${r.date}: ${r.samples} no-op update-status hooks that ran alone (after 3 warm-up hooks), timer every ${r.interval}; ${r.machine}.`,
    '',
    '| charm | median | p10 | p90 |',
    '|---|---|---|---|',
    `| example-k8s (TypeScript, charm-sdk, bundled Node ${'24.21.0'}) | **${f(r.ts['median'])} ms** | ${f(r.ts['p10'])} ms | ${f(r.ts['p90'])} ms |`,
    `| example-ops-k8s (Python, ops 3.9.0) | **${f(r.ops['median'])} ms** | ${f(r.ops['p10'])} ms | ${f(r.ops['p90'])} ms |`,
    '',
    `Ratio of medians (ours / ops): **${ratio.toFixed(2)}** (goal: at most 0.25).`,
    '<!-- END results -->',
  ].join('\n');
  await writeFile(readme, text.replace(/<!-- BEGIN results[\s\S]*<!-- END results -->/, block));
}

await main();
