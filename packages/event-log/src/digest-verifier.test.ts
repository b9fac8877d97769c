import { stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startDigestVerifier } from './digest-verifier.js';
import { isEventLogError, openEventLog, openEventLogReader } from './index.js';
import { flipByteInLine, lineOffsets, segmentFiles } from './testing-fixtures/files.js';
import { tempDir, testSchema, totals } from './testing-fixtures/test-schema.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

/** Writes ticks n = 1..count in 1 KiB segments (about 5 records each). */
async function writeTicks(count: number): Promise<string[]> {
  const log = await openEventLog({ dir, schema: testSchema, maxSegmentBytes: 1024, snapshotEvery: 0 });
  for (let n = 1; n <= count; n++) await log.append({ type: 'tick', payload: { n } });
  await log.close();
  return segmentFiles(dir);
}

describe('startDigestVerifier', () => {
  test('vouches for whole intact segments and stops at the first line whose digest differs', async () => {
    const segments = await writeTicks(30);
    const [a, b, c] = segments as [string, string, string];
    const damagedAt = await flipByteInLine(path.join(dir, b), 2);
    const verifier = startDigestVerifier(dir, [
      { name: a, offset: 0 },
      { name: b, offset: 0 },
      { name: c, offset: (await lineOffsets(path.join(dir, c)))[1] as number },
    ]);
    try {
      expect(await verifier.verifiedUpTo(a)).toBe((await stat(path.join(dir, a))).size);
      expect(await verifier.verifiedUpTo(b)).toBe(damagedAt);
      expect(await verifier.verifiedUpTo(c)).toBe((await stat(path.join(dir, c))).size);
      expect(await verifier.verifiedUpTo('segment-999999999999.jsonl')).toBe(0);
    } finally {
      await verifier.close();
    }
  });

  test('a segment it cannot read is vouched for from nowhere; close() answers what is still pending', async () => {
    const segments = await writeTicks(30);
    const [a, b] = segments as [string, string];
    await unlink(path.join(dir, a));
    const verifier = startDigestVerifier(dir, [
      { name: a, offset: 0 },
      { name: b, offset: 0 },
    ]);
    expect(await verifier.verifiedUpTo(a)).toBe(0);
    await verifier.close();
    const after = await verifier.verifiedUpTo(b);
    expect([0, (await stat(path.join(dir, b))).size]).toContain(after);
  });
});

describe('reads across many sealed segments (digests checked on a worker thread)', () => {
  test('fold and read return exactly the appended events, from the start and from mid-segment', async () => {
    const segments = await writeTicks(200);
    expect(segments.length).toBeGreaterThan(10);
    const reader = await openEventLogReader({ dir, schema: testSchema });
    const folded = await reader.fold(totals);
    expect(folded.state).toMatchObject({ count: 200, sum: (200 * 201) / 2 });
    const seqs: number[] = [];
    for await (const event of reader.read({ fromSeq: 23, toSeq: 180 })) seqs.push(event.seq);
    expect(seqs).toEqual(Array.from({ length: 158 }, (_, i) => i + 23));
  });

  test('a flipped byte in an early sealed segment still fails with its segment, line and reason', async () => {
    const segments = await writeTicks(200);
    const damaged = segments[2] as string;
    await flipByteInLine(path.join(dir, damaged), 4);
    const reader = await openEventLogReader({ dir, schema: testSchema });
    const seen: number[] = [];
    const error = await (async () => {
      for await (const event of reader.read()) seen.push(event.seq);
    })().catch((e: unknown) => e);
    expect(isEventLogError(error, 'corrupt-record')).toBe(true);
    const firstSeq = Number(damaged.slice(8, 20));
    expect((error as { details: object }).details).toMatchObject({
      segment: damaged,
      line: 4,
      seq: firstSeq + 3,
      reason: 'bad-hash',
    });
    // nothing at or after the damaged record was returned
    expect(seen).toEqual(Array.from({ length: firstSeq + 2 }, (_, i) => i + 1));
  });
});
