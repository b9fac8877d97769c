/**
 * `npm run bench [-- <part>...] [--smoke] [--rounds N] [--out DIR]`: runs the named parts (all when
 * none is named), interleaved in rounds, and writes bench/REPORT.md with charts in bench/report/.
 * `--smoke` runs tiny sizes into a scratch dir (what CI runs: it proves the benches work, it measures
 * nothing).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { machineFacts } from './lib/machine.js';
import type { BenchPart } from './lib/part.js';
import { writeReport, type StoredPart } from './lib/report.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');

/** Every part, in report order; loaded only when run. */
const PARTS: Record<string, () => Promise<BenchPart>> = {
  pebble: async () => (await import('./pebble-client/pebble-part.js')).pebblePart,
  hooks: async () => (await import('./hook-latency/hooks-part.js')).hooksPart,
  'event-log': async () => (await import('./event-log/fold-scaling.js')).foldScaling,
  cluster: async () => (await import('./cluster/cluster-part.js')).clusterPart,
};

const USAGE = `usage: npm run bench [-- <part>...] [--smoke] [--rounds N] [--out DIR]
parts: ${Object.keys(PARTS).join(', ')} (default: all)`;

const Args = z.object({
  smoke: z.boolean(),
  rounds: z.coerce.number().int().min(1).max(100),
  out: z.string().min(1),
  help: z.boolean(),
});

async function main(): Promise<number> {
  const raw = parseArgs({
    allowPositionals: true,
    options: {
      smoke: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const smoke = raw.values.smoke ?? false;
  const parsed = Args.safeParse({
    ...raw.values,
    rounds: raw.values.rounds ?? (smoke ? '1' : '5'),
    out: raw.values.out ?? (smoke ? await mkdtemp(path.join(os.tmpdir(), 'bench-smoke-')) : HERE),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    process.stderr.write(`bench: --${issue?.path.join('.')}: ${issue?.message}\n${USAGE}\n`);
    return 2;
  }
  const opts = parsed.data;
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!smoke && opts.rounds < 5) process.stderr.write('bench: fewer than 5 rounds: the report will say so\n');
  const unknown = raw.positionals.filter((p) => !(p in PARTS));
  if (unknown.length > 0) {
    process.stderr.write(`bench: no part named ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const names = raw.positionals.length > 0 ? raw.positionals : Object.keys(PARTS);
  const fresh: (StoredPart & { svgs: string[] })[] = [];
  let failed = 0;
  for (const name of names) {
    const part = await (PARTS[name] as () => Promise<BenchPart>)();
    const machine = await machineFacts(ROOT);
    const workDir = await mkdtemp(path.join(os.tmpdir(), `bench-${name}-`));
    const started = performance.now();
    process.stdout.write(`\n== ${part.title}${smoke ? ' (smoke)' : ''}\n`);
    try {
      const r = await part.run({
        smoke,
        rounds: opts.rounds,
        workDir,
        progress: (line) => process.stdout.write(`  ${name}: ${line}\n`),
      });
      fresh.push({
        name,
        title: part.title,
        date: new Date().toISOString(),
        smoke,
        rounds: opts.rounds,
        seconds: (performance.now() - started) / 1000,
        machine,
        loadAfter: os.loadavg(),
        markdown: r.markdown,
        goals: r.goals,
        data: r.data,
        charts: r.charts.map(({ file, title }) => ({ file, title })),
        svgs: r.charts.map((c) => c.svg),
      });
      for (const g of r.goals)
        process.stdout.write(
          `  ${g.met ? 'met    ' : 'MISSED '} ${g.what}: ${g.ratio.toFixed(2)} (${g.op} ${g.bound})\n`,
        );
    } catch (e) {
      failed += 1;
      process.stderr.write(`bench: part ${name} failed: ${(e as Error).message}\n`);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
  const file = await writeReport(opts.out, fresh, Object.keys(PARTS));
  process.stdout.write(`\nwrote ${file}\n`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
