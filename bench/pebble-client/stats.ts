/** Order statistics for the bench tables. */

/** The value at percentile `p` (0-100) of `xs`, nearest rank. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))] as number;
}

/** Min, median and max of the per-round values. */
export interface Spread {
  min: number;
  median: number;
  max: number;
  /** The per-round values, in round order. */
  rounds: number[];
}

export function spread(rounds: readonly number[]): Spread {
  const s = [...rounds].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length === 0 ? NaN : s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
  return { min: s[0] ?? NaN, median, max: s[s.length - 1] ?? NaN, rounds: [...rounds] };
}
