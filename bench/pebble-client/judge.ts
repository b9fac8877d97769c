/** Turns the per-round numbers of one metric into min/median/max, ratios and goal verdicts. */
import type { CompetitorId } from './competitors.js';
import type { Metric } from './measures.js';
import { type Spread, spread } from './stats.js';

/** A goal with its verdict. */
export interface Verdict {
  goal: string;
  value: number;
  met: boolean;
}

export interface MetricResult {
  id: string;
  title: string;
  unit: string;
  better: 'lower' | 'higher';
  values: Partial<Record<CompetitorId, Spread>>;
  /** Ratios of the medians. */
  oursVsGo?: number;
  oursVsOps?: number;
  goals: Verdict[];
}

const check = (op: '<=' | '>=' | '<', a: number, b: number) => (op === '<=' ? a <= b : op === '>=' ? a >= b : a < b);

export function judge(m: Metric, roundsOf: (c: CompetitorId) => number[] | undefined): MetricResult {
  const values: MetricResult['values'] = {};
  for (const c of ['ours', 'go', 'ops'] as const) {
    const xs = roundsOf(c);
    if (xs && xs.length > 0) values[c] = spread(xs);
  }
  const ours = values.ours?.median;
  const ratio = (c: CompetitorId) => {
    const other = values[c]?.median;
    return ours !== undefined && other !== undefined && other > 0 ? ours / other : undefined;
  };
  const result: MetricResult = { id: m.id, title: m.title, unit: m.unit, better: m.better, values, goals: [] };
  const vsGo = ratio('go');
  const vsOps = ratio('ops');
  if (vsGo !== undefined) result.oursVsGo = vsGo;
  if (vsOps !== undefined) result.oursVsOps = vsOps;
  if (m.goVsOurs && vsGo !== undefined)
    result.goals.push({
      goal: `ours/Go ${m.goVsOurs.op} ${m.goVsOurs.ratio}`,
      value: vsGo,
      met: check(m.goVsOurs.op, vsGo, m.goVsOurs.ratio),
    });
  if (m.absolute && ours !== undefined)
    result.goals.push({
      goal: `ours ${m.absolute.op} ${m.absolute.value} ${m.unit}`,
      value: ours,
      met: check(m.absolute.op, ours, m.absolute.value),
    });
  if (m.vsOps && vsOps !== undefined)
    result.goals.push({
      goal: `not slower than ops (ours/ops ${m.better === 'higher' ? '>=' : '<='} 1)`,
      value: vsOps,
      met: m.better === 'higher' ? vsOps >= 1 : vsOps <= 1,
    });
  return result;
}
