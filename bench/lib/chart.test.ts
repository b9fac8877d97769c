import { describe, expect, it } from 'vitest';
import { barChart, lineChart } from './chart.js';

describe('charts', () => {
  it('renders grouped bars with whiskers as standalone SVG naming every competitor and measure', async () => {
    const svg = await barChart('push', 'MiB/s', [
      { measure: '2 MiB', competitor: 'ours', median: 300, min: 280, max: 320 },
      { measure: '2 MiB', competitor: 'Go', median: 350, min: 340, max: 360 },
      { measure: '16 MiB', competitor: 'ours', median: 400, min: 390, max: 420 },
      { measure: '16 MiB', competitor: 'Go', median: 410, min: 400, max: 430 },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of ['ours', 'Go', '2 MiB', '16 MiB', 'MiB/s', 'push']) expect(svg).toContain(label);
  });
  it('renders a log-scaled curve per series', async () => {
    const svg = await lineChart('fold', 'events', 'ms', [
      { x: 1e3, y: 2, series: 'no snapshot' },
      { x: 1e6, y: 900, series: 'no snapshot' },
      { x: 1e3, y: 1, series: 'snapshot' },
      { x: 1e6, y: 3, series: 'snapshot' },
    ]);
    expect(svg).toContain('no snapshot');
    expect(svg).toMatch(/<path[^>]+d="M/);
  });
});
