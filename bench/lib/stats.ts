/** Summary statistics and interleaved rounds: the two rules every comparison in bench/ follows. */

/** min / median / max (and p99 when asked) of a sample. */
export interface Summary {
  n: number;
  min: number;
  median: number;
  max: number;
  p99: number;
}

/** Summarises a non-empty sample; throws on an empty one, since a missing measurement must not read as 0. */
export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new Error('summarize: empty sample');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
  const p99 = s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)] as number;
  return { n: s.length, min: s[0] as number, median, max: s[s.length - 1] as number, p99 };
}

/** The p-th percentile (0..100, nearest rank) of a non-empty sample. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) throw new Error('percentile: empty sample');
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

/** One competitor of a comparison: a name and one measured round. */
export interface Competitor<R> {
  name: string;
  round(index: number): Promise<R>;
}

/**
 * Runs every competitor once per round, in the same order each round (A, B, C, A, B, C ...), so a slow
 * phase of a shared machine spreads over all of them. Returns each competitor's results, by name.
 */
export async function interleave<R>(
  rounds: number,
  competitors: readonly Competitor<R>[],
  progress: (line: string) => void = () => undefined,
): Promise<Map<string, R[]>> {
  const out = new Map<string, R[]>(competitors.map((c) => [c.name, []]));
  for (let i = 0; i < rounds; i++) {
    for (const c of competitors) {
      progress(`round ${i + 1}/${rounds}: ${c.name}`);
      out.get(c.name)?.push(await c.round(i));
    }
  }
  return out;
}

/** A goal stated as a bound on a ratio, and whether one run met it. */
export interface Goal {
  what: string;
  ratio: number;
  /** `<=` means the ratio must not exceed `bound`; `>=` that it must reach it. */
  op: '<=' | '>=';
  bound: number;
  met: boolean;
}

/** Builds a goal from a measured ratio. */
export function goal(what: string, ratio: number, op: '<=' | '>=', bound: number): Goal {
  return { what, ratio, op, bound, met: op === '<=' ? ratio <= bound : ratio >= bound };
}
