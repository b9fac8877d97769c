import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  isEventLogError,
  nodeFileSystem,
  openEventLog,
  openEventLogReader,
  type FileSystem,
  type LogReport,
} from './index.js';
import { tempDir, testSchema, totals } from './testing-fixtures/test-schema.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

async function seqs(iterable: AsyncIterable<{ seq: number }>): Promise<number[]> {
  const out: number[] = [];
  for await (const event of iterable) out.push(event.seq);
  return out;
}

describe('append and read', () => {
  test('assigns consecutive seqs from 1 and reads events back typed and in order', async () => {
    const log = await openEventLog({ dir, schema: testSchema });
    expect(log.lastSeq).toBe(0);
    const first = await log.append({ type: 'tick', payload: { n: 7 } });
    const second = await log.append({
      type: 'config',
      payload: { name: 'a', password: { $secret: 'secret:abc' }, replicas: 2 },
    });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    const events = [];
    for await (const event of log.read()) events.push(event);
    expect(events.map((e) => [e.seq, e.type, e.payload])).toEqual([
      [1, 'tick', { n: 7 }],
      [2, 'config', { name: 'a', password: { $secret: 'secret:abc' }, replicas: 2 }],
    ]);
    expect(events[1]?.hash).toBe(second.hash);
    await log.close();
  });

  test('concurrent appends keep call order and each resolves with its own seq (group commit)', async () => {
    const log = await openEventLog({ dir, schema: testSchema });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) => log.append({ type: 'tick', payload: { n } })),
    );
    expect(results.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const payloads: number[] = [];
    for await (const event of log.read()) if (event.type === 'tick') payloads.push(event.payload.n);
    expect(payloads).toEqual(Array.from({ length: 50 }, (_, n) => n));
    await log.close();
  });

  test('rolls segments at the size bound and names each by its first seq', async () => {
    const log = await openEventLog({ dir, schema: testSchema, maxSegmentBytes: 1024 });
    for (let n = 0; n < 30; n++) await log.append({ type: 'tick', payload: { n } });
    await log.close();
    const segments = (await readdir(dir)).filter((name) => name.startsWith('segment-')).sort();
    expect(segments.length).toBeGreaterThan(3);
    for (const name of segments) {
      const firstLine = (await readFile(path.join(dir, name), 'utf8')).split('\n')[0] as string;
      expect(JSON.parse(firstLine).seq).toBe(Number(name.slice(8, 20)));
      expect((await readFile(path.join(dir, name))).length).toBeLessThanOrEqual(1024);
    }
    const reopened = await openEventLog({ dir, schema: testSchema, maxSegmentBytes: 1024 });
    expect(reopened.lastSeq).toBe(30);
    expect(await seqs(reopened.read({ fromSeq: 12, toSeq: 20 }))).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20]);
    await reopened.append({ type: 'tick', payload: { n: 30 } });
    expect((await reopened.verify()).lastSeq).toBe(31);
    await reopened.close();
  });

  test('refuses invalid events with precise codes and writes nothing', async () => {
    const log = await openEventLog({ dir, schema: testSchema });
    await expect(log.append({ type: 'nope', payload: {} } as never)).rejects.toMatchObject({
      code: 'unknown-event-type',
      details: { type: 'nope' },
    });
    await expect(log.append({ type: 'tick', payload: { n: 'x' } } as never)).rejects.toMatchObject({
      code: 'invalid-payload',
      message: expect.stringMatching(/^cannot append a "tick" event: its payload is invalid: payload.n: /),
    });
    await expect(log.append(null as never)).rejects.toMatchObject({ code: 'invalid-event' });
    expect(log.lastSeq).toBe(0);
    await log.close();
    await expect(log.append({ type: 'tick', payload: { n: 1 } })).rejects.toMatchObject({ code: 'closed' });
  });

  test('a reader sees only whole records while the writer appends, and a later read sees more', async () => {
    const log = await openEventLog({ dir, schema: testSchema, maxSegmentBytes: 2048 });
    const reader = await openEventLogReader({ dir, schema: testSchema });
    const writing = (async () => {
      for (let n = 0; n < 300; n++) await Promise.all([log.append({ type: 'tick', payload: { n } })]);
    })();
    let previous = 0;
    let reads = 0;
    while (log.lastSeq < 300 || reads === 0) {
      const seen = await seqs(reader.read());
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1));
      expect(seen.length).toBeGreaterThanOrEqual(previous);
      previous = seen.length;
      reads++;
    }
    await writing;
    expect(await seqs(reader.read())).toHaveLength(300);
    await log.close();
  });
});

describe('projections and snapshots', () => {
  test('takes snapshots automatically every N records and folds from the newest one', async () => {
    const log = await openEventLog({ dir, schema: testSchema, projection: totals, snapshotEvery: 10 });
    for (let n = 1; n <= 35; n++) await log.append({ type: 'tick', payload: { n } });
    await log.close();
    const snapshots = await readdir(path.join(dir, 'snapshots'));
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    const reader = await openEventLogReader({ dir, schema: testSchema });
    const fromSnapshot = await reader.fold(totals);
    const fromStart = await reader.fold(totals.reduce, totals.initial);
    expect(fromSnapshot.snapshot?.seq).toBeGreaterThanOrEqual(20);
    expect(fromSnapshot.state).toEqual(fromStart.state);
    expect(fromSnapshot.state).toEqual({ count: 35, sum: (35 * 36) / 2, configs: 0, lastName: null });
  });

  test('snapshot() on demand records the state at the last durable record', async () => {
    const log = await openEventLog({ dir, schema: testSchema, projection: totals, snapshotEvery: 0 });
    expect(await log.snapshot()).toBeNull();
    for (let n = 0; n < 5; n++) await log.append({ type: 'tick', payload: { n } });
    const taken = await log.snapshot();
    expect(taken?.seq).toBe(5);
    await log.append({ type: 'tick', payload: { n: 100 } });
    const folded = await log.fold(totals);
    expect(folded.snapshot?.seq).toBe(5);
    expect(folded.state.sum).toBe(110);
    await log.close();
  });

  test('keeps the newest keepSnapshots snapshots', async () => {
    const log = await openEventLog({ dir, schema: testSchema, projection: totals, snapshotEvery: 0, keepSnapshots: 2 });
    for (let n = 0; n < 4; n++) {
      await log.append({ type: 'tick', payload: { n } });
      await log.snapshot();
    }
    expect((await readdir(path.join(dir, 'snapshots'))).sort()).toEqual([
      'totals-000000000003.json',
      'totals-000000000004.json',
    ]);
    await log.close();
  });

  test('a snapshot of another projection version is ignored and reported', async () => {
    const log = await openEventLog({ dir, schema: testSchema, projection: totals, snapshotEvery: 0 });
    await log.append({ type: 'tick', payload: { n: 1 } });
    await log.snapshot();
    await log.close();
    const reader = await openEventLogReader({ dir, schema: testSchema });
    const result = await reader.fold({ ...totals, version: 2 });
    expect(result.snapshot).toBeNull();
    expect(result.rejectedSnapshots[0]?.reason).toMatch(/version 1, not totals version 2/);
    expect(result.state.count).toBe(1);
  });
});

describe('failures', () => {
  test('fake fs: a failed fdatasync rejects the batch and every later append until reopen', async () => {
    let failSync = false;
    const fakeFs: FileSystem = {
      ...nodeFileSystem,
      open: async (file, flags, mode) => {
        const handle = await nodeFileSystem.open(file, flags, mode);
        if (flags !== 'a') return handle;
        const datasync = handle.datasync.bind(handle);
        handle.datasync = async () => {
          if (failSync) throw Object.assign(new Error('EIO: fake i/o error'), { code: 'EIO' });
          return datasync();
        };
        return handle;
      },
    };
    const reports: LogReport[] = [];
    const log = await openEventLog({ dir, schema: testSchema, fs: fakeFs, onReport: (r) => reports.push(r) });
    await log.append({ type: 'tick', payload: { n: 1 } });
    failSync = true;
    const error = await log.append({ type: 'tick', payload: { n: 2 } }).catch((e: unknown) => e);
    expect(isEventLogError(error, 'write-failed')).toBe(true);
    failSync = false;
    await expect(log.append({ type: 'tick', payload: { n: 3 } })).rejects.toMatchObject({ code: 'write-failed' });
    await log.close();
    const reopened = await openEventLog({ dir, schema: testSchema });
    expect(reopened.lastSeq).toBeGreaterThanOrEqual(1);
    await reopened.append({ type: 'tick', payload: { n: 4 } });
    expect((await reopened.verify()).records).toBe(reopened.lastSeq);
    await reopened.close();
  });

  test('rejects bad options with invalid-options naming the field', async () => {
    await expect(openEventLog({ dir, schema: testSchema, maxSegmentBytes: 10 })).rejects.toMatchObject({
      code: 'invalid-options',
      message: expect.stringMatching(/maxSegmentBytes/),
    });
    await expect(openEventLog({ dir: '', schema: testSchema })).rejects.toMatchObject({ code: 'invalid-options' });
  });
});
