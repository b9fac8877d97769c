/**
 * The report: bench/REPORT.md and bench/report/report.json. Running one part replaces that part's
 * section and keeps the others (each section says when and on what it was measured).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { MachineFacts } from './machine.js';
import type { PartResult } from './part.js';
import { table } from './table.js';

/** One part's stored result, as report.json keeps it. */
export interface StoredPart extends Omit<PartResult, 'charts'> {
  name: string;
  title: string;
  date: string;
  smoke: boolean;
  rounds: number;
  seconds: number;
  machine: MachineFacts;
  loadAfter: number[];
  charts: { file: string; title: string }[];
}

const Stored = z.object({
  parts: z.array(z.looseObject({ name: z.string(), title: z.string(), markdown: z.string() })),
});

/** Reads report.json; a missing or unreadable file starts a new report (said once on stderr). */
export async function readStored(dir: string): Promise<StoredPart[]> {
  const file = path.join(dir, 'report', 'report.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  const parsed = Stored.safeParse(JSON.parse(text));
  if (!parsed.success) {
    process.stderr.write(`bench: ${file} is not a report this version wrote; starting a new one\n`);
    return [];
  }
  return parsed.data.parts as unknown as StoredPart[];
}

const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');

function section(p: StoredPart): string {
  const m = p.machine;
  const goals =
    p.goals.length === 0
      ? ''
      : [
          '',
          table(
            ['goal', 'ratio', 'bound', 'met'],
            p.goals.map((g) => [g.what, g.ratio.toFixed(2), `${g.op} ${g.bound}`, g.met ? 'yes' : '**no**']),
          ),
        ].join('\n');
  const charts = p.charts.map((c) => `\n![${c.title}](report/${c.file})`).join('\n');
  return [
    `## ${p.title}`,
    '',
    `_${p.date}${p.smoke ? ', smoke run (tiny sizes: not a measurement)' : ''}; ${p.rounds} interleaved rounds; ` +
      `${Math.round(p.seconds)} s; ${m.cpus} × ${m.cpuModel}; load average ${load(m.loadBefore)} before, ${load(p.loadAfter)} after._`,
    '',
    p.markdown.trim(),
    goals,
    charts,
  ].join('\n');
}

/** Renders REPORT.md from the stored parts, in `order`. */
export function renderReport(parts: readonly StoredPart[], order: readonly string[]): string {
  const sorted = [...parts].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const goals = sorted.flatMap((p) => p.goals.map((g) => ({ part: p.title, ...g })));
  const m = sorted[0]?.machine;
  return [
    '# Benchmark report',
    '',
    'Written by `npm run bench` (all parts) or `npm run bench -- <part>` (one part; the others keep their',
    'last results). Every comparison runs its competitors interleaved in rounds (A, B, C, A, B, C ...) in',
    'one run; cells are **median** (min – max). The machine is shared and noisy: read ratios, not absolute',
    'times. Raw numbers: [report/report.json](report/report.json).',
    '',
    m === undefined
      ? ''
      : [
          '## Machine',
          '',
          table(
            ['fact', 'value'],
            [
              ['CPUs', `${m.cpus} × ${m.cpuModel}`],
              ['memory', `${m.memGiB} GiB`],
              ['kernel', m.kernel],
              ['Node', m.node],
              ['Go', m.go],
              ['Python', m.python],
              ['Pebble', m.pebble],
              ['Redis', m.redis],
            ],
          ),
        ].join('\n'),
    '',
    '## Goals',
    '',
    goals.length === 0
      ? 'No part states a goal yet.'
      : table(
          ['part', 'goal', 'ratio', 'bound', 'met'],
          goals.map((g) => [g.part, g.what, g.ratio.toFixed(2), `${g.op} ${g.bound}`, g.met ? 'yes' : '**no**']),
        ),
    '',
    ...sorted.map(section),
    '',
  ].join('\n');
}

/** Writes REPORT.md, report/report.json and the charts of the parts just run into `dir`. */
export async function writeReport(
  dir: string,
  fresh: readonly (StoredPart & { svgs: readonly string[] })[],
  order: readonly string[],
): Promise<string> {
  await mkdir(path.join(dir, 'report'), { recursive: true });
  for (const p of fresh)
    for (const [i, c] of p.charts.entries()) await writeFile(path.join(dir, 'report', c.file), p.svgs[i] ?? '');
  const kept = (await readStored(dir)).filter((p) => !fresh.some((f) => f.name === p.name));
  const parts = [...kept, ...fresh.map(({ svgs: _svgs, ...p }) => p)];
  await writeFile(path.join(dir, 'report', 'report.json'), JSON.stringify({ parts }, null, 2) + '\n');
  const file = path.join(dir, 'REPORT.md');
  await writeFile(file, renderReport(parts, order));
  return file;
}
