import { stringify } from 'yaml';
import type { TimelineEntry } from '../commands/timeline.js';
import type { VerifyReport } from '../commands/verify.js';
import type { WhatIfAnswer } from '../commands/what-if.js';
import type { AreaChange, WhyAnswer } from '../commands/why.js';
import { brief, type Change } from '../json-diff.js';

/** `- path: before -> after` lines, at most `max` of them. */
export function changeLines(changes: readonly Change[], indent = '    ', max = 20): string[] {
  const lines = changes.slice(0, max).map((c) => `${indent}${c.path}: ${brief(c.before, 70)} -> ${brief(c.after, 70)}`);
  if (changes.length > max) lines.push(`${indent}… ${changes.length - max} more (use --json for all)`);
  return lines;
}

/** The timeline as aligned lines: seq, time, what changed, the record's summary. */
export function renderTimeline(entries: readonly TimelineEntry[]): string {
  if (entries.length === 0) return 'no records in that range\n';
  const width = String(entries.at(-1)?.seq ?? 0).length;
  const lines = entries.map((e) => {
    const changed = e.changed.length === 0 ? '' : `  [${e.changed.join(', ')}]`;
    return `${String(e.seq).padStart(width)}  ${e.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}  ${e.failed ? '!! ' : ''}${e.summary}${changed}`;
  });
  return `${lines.join('\n')}\n`;
}

/** A value as YAML under a heading. */
export function renderValue(heading: string, value: unknown): string {
  return `# ${heading}\n${stringify(value, { lineWidth: 0 })}`;
}

function changeBlock(c: AreaChange): string[] {
  const out = [`  seq ${c.seq} (${c.time}): ${c.summary}`];
  if (c.stateChanges.length > 0) out.push('   because the state changed:', ...changeLines(c.stateChanges, '    ', 12));
  out.push('   which changed:', ...changeLines(c.changes, '    ', 12));
  return out;
}

/** The answer of `why`. */
export function renderWhy(answer: WhyAnswer, all: boolean): string {
  const lines = [`${answer.question} follows ${answer.meaning}.`];
  if (answer.last === null) {
    lines.push(`It never changed up to seq ${answer.at}.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `At seq ${answer.at} it last changed at seq ${answer.last.seq}; it changed ${answer.history.length} time(s) in all.`,
    '',
  );
  const shown = all ? answer.history : [answer.last];
  for (const c of shown) lines.push(...changeBlock(c), '');
  if (!all && answer.history.length > 1)
    lines.push(
      `earlier changes at seq ${answer.history
        .slice(0, -1)
        .map((c) => c.seq)
        .join(', ')} (--all shows them)`,
    );
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The answer of `what-if`. */
export function renderWhatIf(answer: WhatIfAnswer): string {
  const set = Object.entries(answer.overrides)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const lines = [`with ${set} in ${answer.injected} config observation(s), replayed to seq ${answer.lastSeq}:`];
  if (answer.firstDivergence === null) {
    lines.push('  the desired state would have been the same throughout.');
    return `${lines.join('\n')}\n`;
  }
  const d = answer.firstDivergence;
  lines.push(`  it first differs after seq ${d.seq} (${d.summary}) in ${d.areas.join(', ')}`);
  const areas = Object.entries(answer.final) as [string, Change[]][];
  if (areas.length === 0) lines.push('  and ends the same as recorded.');
  for (const [area, changes] of areas)
    lines.push(`  at the end, ${area} (recorded -> what-if):`, ...changeLines(changes, '    '));
  return `${lines.join('\n')}\n`;
}

/** The report of `verify`. */
export function renderVerify(r: VerifyReport): string {
  const lines = [
    `ok: ${r.dir} (${r.charm})`,
    `  ${r.records} records, seq ${r.firstSeq}..${r.lastSeq}, ${r.segments} segment(s), hash chain and every payload verified`,
    r.snapshot === null
      ? '  no snapshot (folds start from the first record)'
      : `  snapshot at seq ${r.snapshot.seq} (${r.snapshot.file}) agrees with a fold from the start`,
  ];
  if (r.torn !== null)
    lines.push(
      `  a torn last record in ${r.torn.segment} at byte ${r.torn.offset} (${r.torn.bytes} bytes): the next writer cuts it; it was never acknowledged`,
    );
  for (const s of r.rejectedSnapshots) lines.push(`  ignored snapshot ${s.file}: ${s.reason}`);
  return `${lines.join('\n')}\n`;
}
