import { describe, expect, it } from 'vitest';
import { brief, diffJson, sameJson } from './json-diff.js';

describe('diffJson', () => {
  it('lists leaf differences by dotted path, with absent sides as undefined', () => {
    const before = { a: 1, nested: { keep: true, gone: 'x' }, list: [1, 2], 'odd key': 1 };
    const after = { a: 2, nested: { keep: true, added: null }, list: [1, 3, 4], 'odd key': 1 };
    expect(diffJson(before, after)).toEqual([
      { path: 'a', before: 1, after: 2 },
      { path: 'list[1]', before: 2, after: 3 },
      { path: 'list[2]', before: undefined, after: 4 },
      { path: 'nested.added', before: undefined, after: null },
      { path: 'nested.gone', before: 'x', after: undefined },
    ]);
  });

  it('reports a replaced root or a type change at its path', () => {
    expect(diffJson(null, { a: 1 })).toEqual([{ path: '(root)', before: null, after: { a: 1 } }]);
    expect(diffJson({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: 'a', before: [1], after: { 0: 1 } }]);
    expect(diffJson({ 'x.y': 1 }, { 'x.y': 2 })[0]?.path).toBe('["x.y"]');
  });

  it('finds equal values equal', () => {
    expect(sameJson({ a: [1, { b: 'c' }] }, { a: [1, { b: 'c' }] })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
  });
});

describe('brief', () => {
  it('shows JSON on one line, cut with an ellipsis, and absent values', () => {
    expect(brief('x')).toBe('"x"');
    expect(brief(undefined)).toBe('(absent)');
    expect(brief({ long: 'y'.repeat(200) }, 20)).toHaveLength(20);
    expect(brief({ long: 'y'.repeat(200) }, 20).endsWith('…')).toBe(true);
  });
});
