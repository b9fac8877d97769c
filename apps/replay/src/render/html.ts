import type { TimelineEntry } from '../commands/timeline.js';
import { brief, type Change } from '../json-diff.js';

/** What the HTML page shows. */
export interface HtmlPage {
  charm: string;
  dir: string;
  generatedAt: string;
  entries: readonly TimelineEntry[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

const MAX_CHANGES = 60;

function changeTable(title: string, changes: readonly Change[] | undefined): string {
  if (changes === undefined || changes.length === 0) return '';
  const rows = changes
    .slice(0, MAX_CHANGES)
    .map(
      (c) =>
        `<tr><td class="path">${escapeHtml(c.path)}</td><td class="before">${escapeHtml(brief(c.before, 200))}</td><td class="after">${escapeHtml(brief(c.after, 200))}</td></tr>`,
    )
    .join('');
  const more =
    changes.length > MAX_CHANGES
      ? `<p class="more">… ${changes.length - MAX_CHANGES} more (charm-replay diff shows all)</p>`
      : '';
  return `<h4>${escapeHtml(title)}</h4><table class="changes"><tr><th>path</th><th>before</th><th>after</th></tr>${rows}</table>${more}`;
}

function row(e: TimelineEntry): string {
  const badges = e.changed.map((a) => `<span class="badge ${escapeHtml(a)}">${escapeHtml(a)}</span>`).join(' ');
  const body =
    changeTable('state changes (cause)', e.stateChanges) +
    changeTable('desired-state changes (effect)', e.desiredChanges);
  const cls = e.failed ? 'entry failed' : e.changed.length > 0 ? 'entry changed' : 'entry';
  const summary = `<summary><span class="seq">${e.seq}</span> <span class="time">${escapeHtml(e.time)}</span> <span class="type">${escapeHtml(e.type)}</span> ${escapeHtml(e.summary)} ${badges}</summary>`;
  return `<details class="${cls}" id="seq-${e.seq}">${summary}${body === '' ? '<p class="none">no change to state or desired state</p>' : body}</details>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222;background:#fafafa}
h1{font-size:1.3em;margin:0 0 .2em}.meta{color:#666;margin-bottom:1.2em}
details.entry{background:#fff;border:1px solid #ddd;border-radius:4px;margin:.25em 0;padding:.3em .6em}
details.changed{border-left:4px solid #2a7ae2}details.failed{border-left:4px solid #d33;background:#fff5f5}
summary{cursor:pointer}.seq{font-weight:600;display:inline-block;min-width:3em}.time{color:#777;font-family:monospace}
.type{color:#555;font-family:monospace}.badge{font-size:.8em;padding:0 .4em;border-radius:3px;background:#e8eefb;color:#2a5bb8}
.badge.restart{background:#fde8d8;color:#a4480c}.badge.status{background:#e6f4ea;color:#1e7b34}
table.changes{border-collapse:collapse;margin:.3em 0 .6em;font-family:monospace;font-size:12px;width:100%}
table.changes td,table.changes th{border:1px solid #eee;padding:2px 6px;text-align:left;vertical-align:top;word-break:break-all}
td.path{white-space:nowrap;word-break:normal}td.before{color:#a33}td.after{color:#282}h4{margin:.5em 0 .2em;font-size:.95em}.none,.more{color:#888}
`;

/** A self-contained HTML timeline (no scripts, no external resources). */
export function renderHtml(page: HtmlPage): string {
  const last = page.entries.at(-1)?.seq ?? 0;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(page.charm)} event log, ${page.entries.length} records</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(page.charm)}: event-log timeline</h1>`,
    `<div class="meta">${escapeHtml(page.dir)}: ${page.entries.length} records up to seq ${last}; generated ${escapeHtml(page.generatedAt)} by charm-replay. Open a record to see what it changed.</div>`,
    ...page.entries.map(row),
    '</body></html>',
    '',
  ].join('\n');
}
