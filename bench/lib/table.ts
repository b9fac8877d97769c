/** Markdown tables of summaries: every cell a median with its min..max, as the report's rule asks. */
import { markdownTable } from 'markdown-table';
import type { Summary } from './stats.js';

/** Formats a number with a precision that suits its size. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** `median (min – max)` of a summary. */
export function cell(s: Summary | undefined): string {
  return s === undefined ? '–' : `**${fmt(s.median)}** (${fmt(s.min)} – ${fmt(s.max)})`;
}

/** A markdown table from a header row and body rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return markdownTable([header, ...rows] as string[][], { alignDelimiters: false });
}
