import { describe, expect, it } from 'vitest';
import { goal, interleave, percentile, summarize } from './stats.js';

describe('summarize', () => {
  it('gives min, median, max and p99 of odd and even samples', () => {
    expect(summarize([3, 1, 2])).toEqual({ n: 3, min: 1, median: 2, max: 3, p99: 3 });
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(hundred).p99).toBe(99);
    expect(percentile(hundred, 50)).toBe(50);
  });
  it('refuses an empty sample instead of reporting 0', () => {
    expect(() => summarize([])).toThrow(/empty/);
  });
});

describe('interleave', () => {
  it('runs the competitors in the same order every round', async () => {
    const order: string[] = [];
    const mk = (name: string) => ({ name, round: async (i: number) => (order.push(`${name}${i}`), i) });
    const out = await interleave(3, [mk('A'), mk('B'), mk('C')]);
    expect(order).toEqual(['A0', 'B0', 'C0', 'A1', 'B1', 'C1', 'A2', 'B2', 'C2']);
    expect(out.get('B')).toEqual([0, 1, 2]);
  });
});

describe('goal', () => {
  it('states whether a ratio meets its bound in either direction', () => {
    expect(goal('x', 0.9, '>=', 0.8).met).toBe(true);
    expect(goal('x', 0.7, '>=', 0.8).met).toBe(false);
    expect(goal('y', 1.2, '<=', 1.3).met).toBe(true);
    expect(goal('y', 1.4, '<=', 1.3).met).toBe(false);
  });
});
