import { describe, expect, it } from 'vitest';
import { ReadSlab } from './read-slab.js';

describe('ReadSlab', () => {
  it('puts consecutive reads one after the other in a slab, as views that do not overlap', () => {
    const slab = new ReadSlab(1000, 4000);
    const r1 = slab.next();
    expect(r1.length).toBe(1000);
    r1.fill(1, 0, 100);
    const a = slab.take(100);
    const r2 = slab.next();
    expect(r2.buffer).toBe(r1.buffer);
    expect(r2.byteOffset).toBe(r1.byteOffset + 100);
    expect(r2.length).toBe(900);
    r2.fill(2, 0, 250);
    const b = slab.take(250);
    expect(a.length).toBe(100);
    expect(a.every((x) => x === 1)).toBe(true);
    expect(b.length).toBe(250);
    expect(b.every((x) => x === 2)).toBe(true);
  });

  it('takes a fresh slab, twice as large up to the cap, when less than a quarter is left', () => {
    const slab = new ReadSlab(1000, 3000);
    const sizes: number[] = [];
    let last: Buffer | undefined;
    for (let i = 0; i < 5; i++) {
      const region = slab.next();
      if (region.buffer !== last?.buffer) sizes.push(region.length);
      last = region;
      slab.take(region.length); // a read that fills the region
    }
    expect(sizes).toEqual([1000, 2000, 3000, 3000, 3000]);
    const r = slab.next();
    slab.take(2200);
    expect(slab.next().buffer).toBe(r.buffer); // 800 of 3000 left: still this slab
    slab.take(51);
    expect(slab.next().buffer).not.toBe(r.buffer); // 749 left, less than a quarter
  });

  it('hands out the same region again when a read took nothing', () => {
    const slab = new ReadSlab(1000, 4000);
    const r1 = slab.next();
    expect(slab.take(0).length).toBe(0);
    const r2 = slab.next();
    expect(r2.buffer).toBe(r1.buffer);
    expect(r2.byteOffset).toBe(r1.byteOffset);
  });
});
