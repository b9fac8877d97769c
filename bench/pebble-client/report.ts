/** The markdown section of the Pebble client bench, rendered from its result JSON. */
import type { PebbleBenchResult } from './pebble-bench.js';
import type { MetricResult } from './judge.js';
import type { Spread } from './stats.js';

const fmt = (x: number | undefined): string => {
  if (x === undefined || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  return a >= 1000
    ? Math.round(x).toLocaleString('en-US')
    : a >= 100
      ? x.toFixed(0)
      : a >= 10
        ? x.toFixed(1)
        : x.toFixed(2);
};
const cell = (s: Spread | undefined) => (s ? `${fmt(s.min)} / **${fmt(s.median)}** / ${fmt(s.max)}` : '–');
const ratio = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(2));

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function metricRows(metrics: MetricResult[]): string[][] {
  return metrics.map((m) => [
    `${m.title} (${m.unit}, ${m.better} is better)`,
    cell(m.values.ours),
    cell(m.values.go),
    cell(m.values.ops),
    ratio(m.oursVsGo),
    ratio(m.oursVsOps),
  ]);
}

/** The section: machine, per-competitor min/median/max tables, and the goals with their verdicts. */
export function renderMarkdown(r: PebbleBenchResult): string {
  const m = r.machine;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const head = ['measure', 'ours min / **median** / max', 'Go', 'ops', 'ours/Go', 'ours/ops'];
  const isRss = (x: MetricResult) => x.id.endsWith('-rss');
  const goals = r.metrics.flatMap((x) =>
    x.goals.map((g) => [x.title, g.goal, fmt(g.value), g.met ? 'met' : '**not met**']),
  );
  const out = [
    `Run ${r.startedAt} to ${r.finishedAt}${r.smoke ? ' (**smoke run: tiny sizes, not a measurement**)' : ''}: ` +
      `${r.rounds} rounds, each running every task once per client in the order ours, Go, ops, ` +
      `each task in a fresh worker process against one \`pebble run\` daemon (4 running services).`,
    '',
    table(
      ['machine', ''],
      [
        ['CPU', `${m.nproc} × ${m.cpu}`],
        ['load average before / after (1, 5, 15 min)', `${load(m.loadBefore)} / ${load(m.loadAfter)}`],
        ['Node', m.node],
        ['Go', m.go],
        ['Python', `${m.python}, ops ${m.ops}`],
        ['pebble', m.pebble],
      ],
    ),
    '',
    `Sequential: ${r.plan.seqCalls} iterations of (get services, get plan, system info) after ${r.plan.seqWarmup} warm-up ones ` +
      `(and after ${r.plan.seqWarmupSteady} for the steady state); ` +
      `p50 and p99 are per round. Concurrency: ${r.plan.callers} callers sharing one client, ${r.plan.perCaller} calls each ` +
      `(and ${r.plan.perCallerSteady} each for the steady state, where Node's JIT warm-up is a small part of the window). ` +
      `Push streams from a file on disk (page-cached); pull counts the bytes and drops them. Small sizes are moved ` +
      `several times per round (up to 32 MiB in all); their steady-state rows come after untimed warm-up transfers ` +
      `(${r.plan.warmTransfers} per task, in every client).`,
    '',
    '### Latency and throughput',
    '',
    table(head, metricRows(r.metrics.filter((x) => !isRss(x)))),
    '',
    '### Peak RSS above the worker\u2019s baseline (VmHWM after the task minus VmRSS before it)',
    '',
    table(head, metricRows(r.metrics.filter(isRss))),
    '',
    '### Goals (issue 11), on the medians',
    '',
    table(['measure', 'goal', 'value', 'verdict'], goals),
  ];
  if (r.skipped.length > 0) {
    const seen = new Set<string>();
    out.push('', 'Skipped:');
    for (const s of r.skipped) {
      const key = `${s.competitor}: ${s.reason}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(
        `- ${s.competitor} (${r.skipped
          .filter((x) => x.reason === s.reason)
          .map((x) => x.job)
          .join(', ')}): ${s.reason}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
