import fc from 'fast-check';
import { expect, test } from 'vitest';
import { canonicalDuration, formatGoDuration, parseGoDuration } from './duration.js';

test.each([
  ['0', 0],
  ['300ms', 300e6],
  ['1.5h', 5400e9],
  ['2h45m', 9900e9],
  ['1m30.5s', 90.5e9],
  ['10us', 10e3],
  ['10µs', 10e3],
  ['-2s', -2e9],
  ['.5s', 0.5e9],
])('parses Go duration %s', (text, ns) => {
  expect(parseGoDuration(text)).toBe(ns);
});

test.each(['', '10', 's', '1x', '1.s.', '--1s', '1s ', 'abc'])('rejects %j', (text) => {
  expect(parseGoDuration(text)).toBeUndefined();
});

test.each([
  [0, '0s'],
  [1, '1ns'],
  [1500, '1.5µs'],
  [1.5e6, '1.5ms'],
  [500e6, '500ms'],
  [2e9, '2s'],
  [1.5e9, '1.5s'],
  [60e9, '1m0s'],
  [90e9, '1m30s'],
  [3600e9, '1h0m0s'],
  [168 * 3600e9, '168h0m0s'],
  [-5e9, '-5s'],
])('formats %d ns like Go: %s', (ns, text) => {
  expect(formatGoDuration(ns)).toBe(text);
});

test('format then parse is the identity on whole nanoseconds', () => {
  fc.assert(fc.property(fc.integer({ min: -1e15, max: 1e15 }), (ns) => parseGoDuration(formatGoDuration(ns)) === ns));
});

test('canonicalDuration normalises and leaves non-durations alone', () => {
  expect(canonicalDuration('1500ms')).toBe('1.5s');
  expect(canonicalDuration('90s')).toBe('1m30s');
  expect(canonicalDuration('soon')).toBe('soon');
});
