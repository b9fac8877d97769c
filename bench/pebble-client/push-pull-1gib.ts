/**
 * Pebble client file streaming benchmark: start a real `pebble run`, push a 1 GiB file generated on
 * the fly, pull it back, compare sha256 digests computed while streaming, and print throughput and
 * the client process's peak RSS (VmHWM). Goal: peak RSS under 128 MiB and identical bytes.
 *
 * Run: npx tsx bench/pebble-client/push-pull-1gib.ts [--mib 1024] [--chunk-kib 64] [--node-flags=...] [--in-process]
 *
 * The client runs the way charm code runs in production: bundled by esbuild and executed by plain
 * `node` in a child process, so the measured RSS is the client's and not tsx's (its loader thread
 * alone adds about 40 MiB). That child gets `--node-flags` (default `--max-semi-space-size=1`: V8
 * then scavenges often enough to free the stream's dead 64 KiB buffers before they pile up; pass
 * `--node-flags=` for V8's defaults). `--in-process` measures inside the tsx process instead.
 * Exit code 1 when the bytes differ or the RSS goal is missed.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startPebbleDaemon } from '../../packages/pebble-client/src/testing/index.js';

const RSS_GOAL_MIB = 128;

const raw = parseArgs({
  options: {
    mib: { type: 'string', default: '1024' },
    'chunk-kib': { type: 'string', default: '64' },
    'in-process': { type: 'boolean', default: false },
    'node-flags': { type: 'string', default: '--max-semi-space-size=1' },
    child: { type: 'boolean', default: false },
  },
}).values;
const parsed = z
  .object({
    mib: z.coerce.number().int().positive(),
    'chunk-kib': z.coerce
      .number()
      .int()
      .positive()
      .max(16 * 1024),
  })
  .safeParse(raw);
if (!parsed.success) {
  console.error(
    `cannot run the bench: --mib and --chunk-kib must be positive integers (${parsed.error.issues[0]?.message ?? ''})`,
  );
  process.exit(2);
}
const args = parsed.data;

function statusKiB(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

const mib = (bytes: number) => bytes / (1024 * 1024);

/** `total` bytes in fresh `chunk`-sized buffers (as a file read stream gives them), hashed as they are made. */
async function* generate(total: number, chunk: number, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  const block = randomBytes(chunk);
  for (let sent = 0, i = 0; sent < total; i++) {
    const n = Math.min(chunk, total - sent);
    const buf = Buffer.allocUnsafe(n);
    block.copy(buf, 0, 0, n);
    if (n >= 8) buf.writeBigUInt64LE(BigInt(i), 0);
    hash.update(buf);
    sent += n;
    yield buf;
  }
}

/** The measured part: daemon, push, pull, digests and RSS, in this process. */
async function measure(): Promise<void> {
  const total = args.mib * 1024 * 1024;
  const chunk = args['chunk-kib'] * 1024;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-pebble-client-'));
  const daemon = await startPebbleDaemon().catch(async (err: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  try {
    const client = daemon.client();
    const file = path.join(dir, 'big.bin');
    const rssStart = statusKiB('VmRSS') / 1024;

    const sent = createHash('sha256');
    let t0 = performance.now();
    await client.push(file, generate(total, chunk, sent), { timeout: 0 });
    const pushSeconds = (performance.now() - t0) / 1000;
    const sentDigest = sent.digest('hex');
    const peakAfterPush = statusKiB('VmHWM') / 1024;

    const [info] = await client.listFiles(file, { itself: true });

    const received = createHash('sha256');
    let receivedBytes = 0;
    t0 = performance.now();
    for await (const part of await client.pull(file, { timeout: 0 })) {
      received.update(part as Buffer);
      receivedBytes += (part as Buffer).length;
    }
    const pullSeconds = (performance.now() - t0) / 1000;
    const receivedDigest = received.digest('hex');

    const peak = statusKiB('VmHWM') / 1024;
    const match = sentDigest === receivedDigest && receivedBytes === total && info?.size === total;
    const rows: [string, string][] = [
      [
        'client process',
        raw['in-process'] ? 'tsx (in-process)' : `node ${process.execArgv.join(' ') || '(no flags)'}, esbuild bundle`,
      ],
      ['size', `${args.mib} MiB in ${args['chunk-kib']} KiB chunks`],
      ['push', `${pushSeconds.toFixed(2)} s, ${(mib(total) / pushSeconds).toFixed(0)} MiB/s`],
      ['pull', `${pullSeconds.toFixed(2)} s, ${(mib(receivedBytes) / pullSeconds).toFixed(0)} MiB/s`],
      ['sha256 pushed', sentDigest],
      ['sha256 pulled', receivedDigest],
      ['bytes match', String(match)],
      ['RSS before push', `${rssStart.toFixed(1)} MiB`],
      ['peak RSS in push', `${peakAfterPush.toFixed(1)} MiB`],
      ['peak RSS (VmHWM)', `${peak.toFixed(1)} MiB (goal < ${RSS_GOAL_MIB} MiB)`],
      ['node', process.version],
    ];
    for (const [k, v] of rows) console.log(`${k.padEnd(18)} ${v}`);
    if (!match || peak >= RSS_GOAL_MIB) {
      console.error(
        !match
          ? 'FAIL: the pulled bytes differ from the pushed bytes'
          : `FAIL: peak RSS ${peak.toFixed(1)} MiB is not under ${RSS_GOAL_MIB} MiB`,
      );
      process.exitCode = 1;
    }
  } finally {
    await daemon.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Bundle this file with esbuild and run the bundle with plain node; its exit code becomes ours. */
async function runBundled(): Promise<void> {
  const { build } = await import('esbuild');
  const self = fileURLToPath(import.meta.url);
  const outfile = path.join(path.dirname(self), 'work', 'push-pull-1gib.mjs');
  await build({
    entryPoints: [self],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['esbuild'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    minify: true,
    logLevel: 'warning',
  });
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const flags = raw['node-flags'].split(/\s+/).filter((f) => f !== '');
  const child = spawn(
    process.execPath,
    [...flags, outfile, '--child', '--mib', String(args.mib), '--chunk-kib', String(args['chunk-kib'])],
    { stdio: 'inherit', env },
  );
  const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  process.exitCode = code;
}

if (raw.child || raw['in-process']) await measure();
else await runBundled();
