import { describe, expect, it } from 'vitest';
import { parseDuration, parseTimeScale, retryDelay, Settings } from './settings.js';

describe('settings', () => {
  it('parses durations with units', () => {
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('300ms')).toBe(300);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('5m')).toBe(300_000);
    expect(() => parseDuration('soon')).toThrow(/cannot parse duration "soon"/);
  });

  it('defaults to Juju timings and doubles the retry delay up to the cap', () => {
    const s = Settings.parse({});
    expect(s).toMatchObject({
      modelName: 'sim',
      updateStatusIntervalMs: 300_000,
      pebblePollIntervalMs: 5000,
      secretTimeScale: 1,
    });
    const fast = Settings.parse({ hookRetryDelayMs: 100, hookRetryMaxDelayMs: 350 });
    expect([1, 2, 3, 4].map((a) => retryDelay(fast, a))).toEqual([100, 200, 350, 350]);
  });

  it('parses the secret time scale: a number in (0, 1]', () => {
    expect(parseTimeScale('0.001')).toBe(0.001);
    expect(parseTimeScale('1')).toBe(1);
    for (const bad of ['0', '-1', '2', 'fast', '']) {
      expect(() => parseTimeScale(bad)).toThrow(
        `cannot parse secret time scale "${bad}": use a number greater than 0 and at most 1 (e.g. 0.001 makes hourly rotation 3.6s)`,
      );
    }
    expect(() => Settings.parse({ secretTimeScale: 0 })).toThrow();
  });
});
