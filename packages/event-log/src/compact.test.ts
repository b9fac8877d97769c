import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openEventLog, openEventLogReader } from './index.js';
import { segmentFiles } from './testing-fixtures/files.js';
import { tempDir, testSchema, totals } from './testing-fixtures/test-schema.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

async function seqs(source: AsyncIterable<{ seq: number }>): Promise<number[]> {
  const out: number[] = [];
  for await (const event of source) out.push(event.seq);
  return out;
}

async function logWithTicks(count: number) {
  const log = await openEventLog({
    dir,
    schema: testSchema,
    projection: totals,
    maxSegmentBytes: 1024,
    snapshotEvery: 0,
  });
  for (let n = 1; n <= count; n++) await log.append({ type: 'tick', payload: { n } });
  return log;
}

test('nothing is removed without a verified snapshot, and never implicitly', async () => {
  const log = await logWithTicks(40);
  const before = await segmentFiles(dir);
  await expect(log.compact({ policy: 'drop' })).rejects.toMatchObject({ code: 'no-snapshot' });
  await log.close();
  expect(await segmentFiles(dir)).toEqual(before);
});

test('archive moves whole segments before the snapshot to archive/ and the rest still verifies against the anchor', async () => {
  const log = await logWithTicks(40);
  await log.snapshot();
  for (let n = 41; n <= 45; n++) await log.append({ type: 'tick', payload: { n } });
  const before = await segmentFiles(dir);
  const result = await log.compact({ policy: 'archive' });
  expect(result.snapshot.seq).toBe(40);
  expect(result.segments.length).toBeGreaterThan(0);
  expect(result.segments).toEqual(before.slice(0, result.segments.length));
  expect((await readdir(path.join(dir, 'archive'))).sort()).toEqual(result.segments);
  const remaining = await segmentFiles(dir);
  expect(Number(remaining[0]?.slice(8, 20))).toBeLessThanOrEqual(40);
  expect(result.anchor?.seq).toBe(Number(remaining[0]?.slice(8, 20)) - 1);

  const verified = await log.verify();
  expect(verified.firstSeq).toBe((result.anchor?.seq ?? 0) + 1);
  expect(verified.lastSeq).toBe(45);
  const folded = await log.fold(totals);
  expect(folded.state.count).toBe(45);
  expect(folded.state.sum).toBe((45 * 46) / 2);
  await log.append({ type: 'tick', payload: { n: 46 } });
  await log.close();
  const reopened = await openEventLog({ dir, schema: testSchema, projection: totals });
  expect(reopened.lastSeq).toBe(46);
  expect((await seqs(reopened.read()))[0]).toBe(verified.firstSeq);
  await reopened.close();
});

test('drop deletes the segments; the anchor ties the first kept record to the removed history', async () => {
  const log = await logWithTicks(40);
  await log.snapshot();
  const result = await log.compact({ policy: 'drop' });
  await log.close();
  expect(await readdir(dir)).not.toContain('archive');
  const remaining = await segmentFiles(dir);
  expect(remaining).not.toContain(result.segments[0]);
  const reader = await openEventLogReader({ dir, schema: testSchema });
  expect((await reader.verify()).firstSeq).toBe(Number(remaining[0]?.slice(8, 20)));
  const { sealJson } = await import('./sealed-json.js');
  await writeFile(
    path.join(dir, 'anchor.json'),
    sealJson({ format: 'charms.event-log.anchor/1', seq: result.anchor?.seq, recordHash: 'a'.repeat(64) }),
  );
  await expect(reader.verify()).rejects.toMatchObject({
    code: 'corrupt-record',
    details: { segment: remaining[0], line: 1, reason: 'chain-broken' },
  });
  await writeFile(path.join(dir, 'anchor.json'), 'garbage');
  await expect(reader.verify()).rejects.toMatchObject({
    code: 'corrupt-record',
    details: { path: path.join(dir, 'anchor.json') },
  });
});
