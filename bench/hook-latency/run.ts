/**
 * Hook latency: a no-op update-status of the charm-sdk example charm (packed, bundled Node) beside
 * the same charm written with Python ops 3.9.0 and a framework-free Node floor, all deployed in
 * charm-sim, measured in one run from dispatch start to exit. Writes the medians into README.md
 * next to this file.
 *
 *   node --conditions @charms/source --import tsx bench/hook-latency/run.ts [--samples 30] [--rounds 3] [--interval 1s]
 *
 * One charm runs at a time (its own fresh model per round), so no two charms' hooks share the CPU;
 * the rounds interleave the charms so that a slow phase of the machine is spread over all of them.
 */
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import yauzl from 'yauzl';
// benches measure the packages from outside, like a user would
import { NODE_RUNTIME, packCharm } from '@charms/charm-sdk/pack';

const HERE = resolve(new URL('.', import.meta.url).pathname);
const ROOT = resolve(HERE, '../..');
const WORK = join(HERE, 'work');
const SIM = join(ROOT, 'apps/sim/bin/charm-sim');

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '3' },
    interval: { type: 'string', default: '1s' },
  },
});
const SAMPLES = Number(values.samples);
const ROUNDS = Number(values.rounds);
const INTERVAL = values.interval;
const intervalMs = Number(/^(\d+)s$/.exec(INTERVAL)?.[1] ?? '2') * 1000;
const NODE_VERSION = NODE_RUNTIME.version;

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
  const flags = [
    '--model-dir',
    join(WORK, model),
    '--update-status-interval',
    INTERVAL,
    '--pebble-poll-interval',
    '1s',
    '-q',
  ];
  return new Promise((ok, fail) =>
    execFile(SIM, [...flags, ...args], { maxBuffer: 16 << 20, timeout: 300_000 }, (err, stdout, stderr) =>
      err ? fail(new Error(`charm-sim ${args.join(' ')}: ${stderr}${stdout}`)) : ok(stdout),
    ),
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

async function timings(
  model: string,
  unit: string,
): Promise<{ hook: string; startNs: bigint; ms: number; rc: number }[]> {
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
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;

interface Contender {
  model: string;
  app: string;
  label: string;
  dir: string;
}

type Sample = Awaited<ReturnType<typeof timings>>[number];

const unitOf = (c: Contender) => `${c.app}/0`;

/** A contender's update-status samples after warm-up; any failed hook fails the bench. */
function pick(all: Sample[], unit: string, warmup: number): Sample[] {
  const failed = all.filter((t) => t.rc !== 0);
  if (failed.length > 0)
    throw new Error(`${unit}: ${failed.length} hooks failed (${failed.map((f) => f.hook).join(', ')})`);
  return all.filter((t) => t.hook === 'hooks/update-status').slice(warmup);
}

/** Deploys `c` in a fresh model, collects `n` update-status samples after `warmup`, destroys the model. */
async function sampleRound(c: Contender, model: string, n: number, warmup: number): Promise<Sample[]> {
  try {
    await sim(model, [
      'deploy',
      c.dir,
      c.app,
      '--resource',
      'workload-image=ubuntu:22.04',
      '--wait',
      '--timeout',
      '180s',
    ]);
    const deadline = Date.now() + (n + warmup + 10) * intervalMs * 2 + 60_000;
    for (;;) {
      const got = await timings(model, unitOf(c));
      const kept = pick(got, unitOf(c), warmup);
      if (kept.length >= n) return kept.slice(0, n);
      if (Date.now() > deadline)
        throw new Error(`${c.app}: only ${kept.length} update-status samples before the deadline`);
      await sleep(500);
    }
  } finally {
    await sim(model, ['destroy']).catch(() => undefined);
  }
}

async function prepare(): Promise<Contender[]> {
  process.stdout.write('packing the example charm...\n');
  const packed = await packCharm({
    charmDir: join(ROOT, 'packages/charm-sdk/src/testing-fixtures/example-charm'),
    outDir: WORK,
  });
  const tsDir = join(WORK, 'ts-charm');
  await unzip(packed.path, tsDir);
  // the floor: the same unzipped charm (metadata, bundled Node) running floor.mjs instead of the bundle
  const floorDir = join(WORK, 'floor-charm');
  await unzip(packed.path, floorDir);
  await cp(join(HERE, 'floor-charm/floor.mjs'), join(floorDir, 'floor.mjs'));
  await writeFile(
    join(floorDir, 'dispatch'),
    '#!/bin/sh\nexec "$JUJU_CHARM_DIR/node/bin/node" "$JUJU_CHARM_DIR/floor.mjs"\n',
    { mode: 0o755 },
  );
  const opsDir = join(WORK, 'ops-charm');
  await cp(join(HERE, 'ops-charm'), opsDir, { recursive: true, verbatimSymlinks: true });
  await rm(join(opsDir, 'lib'), { force: true });
  await symlink(join(ROOT, 'tools/python/lib'), join(opsDir, 'lib'));
  const contenders: Contender[] = [
    {
      model: 'model-ts',
      app: 'example-k8s',
      label: `example-k8s (TypeScript, charm-sdk, bundled Node ${NODE_VERSION})`,
      dir: tsDir,
    },
    { model: 'model-ops', app: 'example-ops-k8s', label: 'example-ops-k8s (Python, ops 3.9.0)', dir: opsDir },
    {
      model: 'model-floor',
      app: 'example-floor-k8s',
      label: `floor: bundled Node ${NODE_VERSION}, same calls, no framework (\`floor-charm/floor.mjs\`)`,
      dir: floorDir,
    },
  ];
  for (const c of contenders) await withTimer(c.dir);
  return contenders;
}

async function main(): Promise<void> {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
  const contenders = await prepare();
  const perRound = Math.ceil(SAMPLES / ROUNDS);
  const warmup = 3;
  const samples: Sample[][] = contenders.map(() => []);
  // one charm at a time, so no hook shares the CPU with another charm's; rounds interleave the
  // charms so that a slow phase of the machine spreads over all of them
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [i, c] of contenders.entries()) {
      process.stdout.write(
        `round ${round}/${ROUNDS}: ${c.app}, ${perRound} update-status hooks after ${warmup} warm-up...\n`,
      );
      samples[i]?.push(...(await sampleRound(c, `${c.model}-${round}`, perRound, warmup)));
    }
  }
  const rows = contenders.map((c, i) => {
    const ms = (samples[i] ?? []).map((t) => t.ms);
    return { label: c.label, n: ms.length, median: median(ms), p10: pct(ms, 10), p90: pct(ms, 90) };
  });
  const [ts, ops, floor] = rows as [Row, Row, Row];
  process.stdout.write(rows.map((r) => `  ${r.label}: median ${r.median.toFixed(1)} ms\n`).join(''));
  process.stdout.write(
    `ratio ours/ops ${(ts.median / ops.median).toFixed(2)}, floor/ops ${(floor.median / ops.median).toFixed(2)}\n`,
  );
  await writeResults(rows, {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  });
}

interface Row {
  label: string;
  n: number;
  median: number;
  p10: number;
  p90: number;
}

async function writeResults(rows: Row[], run: { date: string; machine: string }): Promise<void> {
  const readme = join(HERE, 'README.md');
  const text = await readFile(readme, 'utf8');
  const f = (x: number) => x.toFixed(1);
  const [ts, ops, floor] = rows as [Row, Row, Row];
  const block = [
    '<!-- BEGIN results (written by run.ts) -->',
    // one sentence over three lines: the README's line width (Prettier's printWidth) holds for generated text too
    `Last run: ${run.date}: ${rows.map((r) => r.n).join(', ')} no-op update-status hooks (in the order below),`,
    `one charm at a time in ${ROUNDS} interleaved rounds, each round after 3 warm-up hooks; timer every ${INTERVAL};`,
    `${run.machine}.`,
    '',
    '| charm | median | p10 | p90 |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.label} | **${f(r.median)} ms** | ${f(r.p10)} ms | ${f(r.p90)} ms |`),
    '',
    `Ratio of medians, ours / floor: **${(ts.median / floor.median).toFixed(2)}** (goal: at most 1.15); ours / ops: **${(ts.median / ops.median).toFixed(2)}**; floor / ops: **${(floor.median / ops.median).toFixed(2)}**.`,
    '<!-- END results -->',
  ].join('\n');
  await writeFile(readme, text.replace(/<!-- BEGIN results[\s\S]*<!-- END results -->/, block));
}

await main();
