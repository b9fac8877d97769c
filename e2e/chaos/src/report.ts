/** Writes REPORT.md and report.json beside it from a run's scenario results. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SETTINGS } from './cluster.js';
import type { ScenarioResult } from './result.js';

/** A whole run: when, on what, how long, and each scenario. */
export interface RunReport {
  startedAt: string;
  durationS: number;
  mode: 'full' | 'short';
  host: string;
  settings: typeof SETTINGS & Record<string, string | number>;
  scenarios: ScenarioResult[];
}

const cell = (v: number | null) => (v === null ? 'n/a' : String(v));
const WIDTH = 118;

/** `text` as lines of at most WIDTH, at spaces, continuation lines indented by `indent` (pure). */
export function wrap(text: string, first = '', indent = ''): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const lead = line === first || line === indent ? line : `${line} `;
    if (line.trim() !== '' && lead.length + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else line = lead + word;
  }
  lines.push(line);
  return lines;
}

/** The markdown report (pure). */
export function renderReport(r: RunReport): string {
  const rows = r.scenarios.map(
    (s) =>
      `| ${s.name} | ${s.runs} | ${s.faults} | ${s.acknowledged} | ${cell(s.lost)} | ${cell(s.longestUnavailableMs)} | ${cell(s.primariesAtRest)} | ${s.outcome} |`,
  );
  const notes = r.scenarios.flatMap((s) =>
    s.notes.length ? [`### ${s.name}`, '', ...s.notes.flatMap((n) => wrap(n, '- ', '  ')), ''] : [],
  );
  return [
    '# Chaos report',
    '',
    ...wrap(
      `Run ${r.mode} on ${r.host}, started ${r.startedAt}, took ${r.durationS} s. Written by \`npm run chaos\`; numbers also in report.json.`,
    ),
    '',
    '## Settings',
    '',
    ...Object.entries(r.settings).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '## Scenarios',
    '',
    '| scenario | runs | faults injected | acknowledged writes | writes lost | longest unavailability (ms) | primaries at rest | outcome |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## Notes',
    '',
    ...notes,
  ].join('\n');
}

/** Writes both files into `dir`. */
export async function writeReport(dir: string, r: RunReport): Promise<void> {
  await writeFile(join(dir, 'report.json'), JSON.stringify(r, null, 2) + '\n');
  await writeFile(join(dir, 'REPORT.md'), renderReport(r));
}
