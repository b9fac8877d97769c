import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinPieces } from './body-pieces.js';

/** Cut `chunk` into pieces separated by gaps (the framing), as [start, end) pairs. */
function cut(chunk: Buffer, lengths: number[], gaps: number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let at = gaps[0] ?? 0;
  for (let i = 0; i < lengths.length && at < chunk.length; i++) {
    const end = Math.min(chunk.length, at + (lengths[i] ?? 1));
    pieces.push(chunk.subarray(at, end));
    at = end + (gaps[i + 1] ?? 0);
  }
  return pieces;
}

describe('joinPieces', () => {
  it('returns a single piece as it is', () => {
    const chunk = Buffer.from('xxhelloxx');
    const piece = chunk.subarray(2, 7);
    expect(joinPieces(chunk, [piece])).toBe(piece);
  });

  it('joins pieces into one view of the chunk, moving the smaller ones to the largest', () => {
    const chunk = Buffer.from('3\r\nabc\r\n8\r\ndefghijk\r\n1\r\nl');
    const pieces = [chunk.subarray(3, 6), chunk.subarray(11, 19), chunk.subarray(24, 25)];
    const view = joinPieces(chunk, pieces);
    expect(view.toString()).toBe('abcdefghijkl');
    expect(view.buffer).toBe(chunk.buffer);
    // the largest piece did not move
    expect(view.byteOffset - chunk.byteOffset).toBe(11 - 3);
  });

  it('gives the bytes of the pieces in order for any cut (property)', () => {
    const arb = fc.record({
      data: fc.uint8Array({ minLength: 1, maxLength: 600 }),
      lengths: fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 12 }),
      gaps: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 13 }),
      offset: fc.integer({ min: 0, max: 16 }),
    });
    fc.assert(
      fc.property(arb, ({ data, lengths, gaps, offset }) => {
        // a view into a larger buffer, like a read into a slab: bytes outside it must stay untouched
        const outer = Buffer.alloc(data.length + offset + 16, 0xee);
        const chunk = outer.subarray(offset, offset + data.length);
        chunk.set(data);
        const pieces = cut(chunk, lengths, gaps);
        if (pieces.length === 0) return;
        const expected = Buffer.concat(pieces.map((p) => Buffer.from(p)));
        const view = joinPieces(chunk, pieces);
        expect(Buffer.from(view).equals(expected)).toBe(true);
        expect(
          view.byteOffset >= chunk.byteOffset && view.byteOffset + view.length <= chunk.byteOffset + chunk.length,
        ).toBe(true);
        expect(outer.subarray(0, offset).every((b) => b === 0xee)).toBe(true);
        expect(outer.subarray(offset + data.length).every((b) => b === 0xee)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
