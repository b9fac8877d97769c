/** The part `pebble`: the Pebble client bench (ours vs Pebble's Go client vs ops.pebble) in the report. */
import { barChart } from '../lib/chart.js';
import type { BenchPart, RunOptions } from '../lib/part.js';
import type { Goal } from '../lib/stats.js';
import { renderMarkdown, runPebbleBench } from './pebble-bench.js';

const NAMES = { ours: 'ours', go: 'Go client', ops: 'ops.pebble' } as const;

async function run(o: RunOptions) {
  const result = await runPebbleBench({ rounds: o.rounds, smoke: o.smoke, log: o.progress });
  const goals: Goal[] = result.metrics.flatMap((m) =>
    m.goals.map((v) => {
      const bound = /(<=|>=|<)\s*([\d.]+)/.exec(v.goal);
      return {
        what: `${m.title}: ${v.goal}`,
        ratio: v.value,
        op: bound?.[1] === '>=' ? '>=' : '<=',
        bound: Number(bound?.[2] ?? NaN),
        met: v.met,
      };
    }),
  );
  // one chart per unit, so bars in one panel compare like with like
  const units = [...new Set(result.metrics.map((m) => m.unit))];
  const charts = await Promise.all(
    units.map(async (unit, i) => ({
      file: `pebble-client-${i + 1}.svg`,
      title: `Pebble client: ${unit}`,
      svg: await barChart(
        `Pebble client, ${unit} (median, min-max whiskers)`,
        unit,
        result.metrics
          .filter((m) => m.unit === unit)
          .flatMap((m) =>
            (['ours', 'go', 'ops'] as const).flatMap((c) => {
              const s = m.values[c];
              return s ? [{ measure: m.title, competitor: NAMES[c], median: s.median, min: s.min, max: s.max }] : [];
            }),
          ),
      ),
    })),
  );
  return { markdown: renderMarkdown(result), goals, charts, data: result };
}

/** The part `pebble`. */
export const pebblePart: BenchPart = {
  name: 'pebble',
  title: "Pebble client: ours vs Pebble's Go client vs ops.pebble",
  summary: 'sequential latency, concurrency, push/pull throughput and peak RSS on one pebble run daemon',
  run,
};
