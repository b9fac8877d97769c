import { spawn } from 'node:child_process';
import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { isEventLogError, openEventLog, openEventLogReader, type LogReport } from './index.js';
import { flipByteInLine, lineOffsets, segmentFiles } from './testing-fixtures/files.js';
import { tempDir, testSchema, totals } from './testing-fixtures/test-schema.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

/** Writes `count` ticks (n = seq) in segments of at most 1 KiB, then closes the log. */
async function writeTicks(
  count: number,
  options: { snapshotEvery?: number; maxSegmentBytes?: number } = {},
): Promise<void> {
  const maxSegmentBytes = options.maxSegmentBytes ?? 1024;
  const log = await openEventLog({
    dir,
    schema: testSchema,
    projection: totals,
    maxSegmentBytes,
    snapshotEvery: options.snapshotEvery ?? 0,
  });
  for (let n = 1; n <= count; n++) await log.append({ type: 'tick', payload: { n } });
  await log.close();
}

async function readAll(source: AsyncIterable<{ seq: number }>): Promise<number[]> {
  const out: number[] = [];
  for await (const event of source) out.push(event.seq);
  return out;
}

describe('a flipped byte mid-file', () => {
  test('in an older segment: reads fail naming segment and line, appends stop, repair moves the rest aside', async () => {
    await writeTicks(40);
    const segments = await segmentFiles(dir);
    const damaged = segments[1] as string;
    const original = await readFile(path.join(dir, damaged));
    await flipByteInLine(path.join(dir, damaged), 3);
    const firstSeqOfDamaged = Number(damaged.slice(8, 20));

    const log = await openEventLog({ dir, schema: testSchema });
    const error = await readAll(log.read()).catch((e: unknown) => e);
    expect(isEventLogError(error, 'corrupt-record')).toBe(true);
    expect((error as { details: object }).details).toMatchObject({
      segment: damaged,
      line: 3,
      seq: firstSeqOfDamaged + 2,
      reason: 'bad-hash',
    });
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot read the event log: record ${firstSeqOfDamaged + 2} at ${damaged} line 3`),
    );
    await expect(log.append({ type: 'tick', payload: { n: 0 } })).rejects.toMatchObject({
      code: 'log-damaged',
      details: { segment: damaged, line: 3 },
    });

    const repaired = await log.repair();
    expect(repaired.lastSeq).toBe(firstSeqOfDamaged + 1);
    expect(repaired.movedAside.length).toBe(segments.length - 1);
    const kept = (await readdir(dir)).find((name) => name.startsWith(`${damaged}.damaged-`)) as string;
    const keptBytes = await readFile(path.join(dir, kept));
    expect(keptBytes.length).toBe(original.length);
    expect(keptBytes.equals(original)).toBe(false);
    for (const later of segments.slice(2))
      expect((await readdir(dir)).some((name) => name.startsWith(`${later}.damaged-`))).toBe(true);

    const appended = await log.append({ type: 'tick', payload: { n: 99 } });
    expect(appended.seq).toBe(firstSeqOfDamaged + 2);
    expect(await readAll(log.read())).toEqual(Array.from({ length: appended.seq }, (_, i) => i + 1));
    await log.close();
  });

  test('in the newest segment: open throws corrupt-record; with allowDamaged it opens, refuses appends until repair', async () => {
    await writeTicks(10, { maxSegmentBytes: 1 << 20 });
    const [segment] = await segmentFiles(dir);
    await flipByteInLine(path.join(dir, segment as string), 4);
    await expect(openEventLog({ dir, schema: testSchema })).rejects.toMatchObject({
      code: 'corrupt-record',
      details: { segment, line: 4, seq: 4, reason: 'bad-hash' },
    });
    const log = await openEventLog({ dir, schema: testSchema, allowDamaged: true });
    expect(log.recovery.damage?.details).toMatchObject({ segment, line: 4 });
    await expect(log.append({ type: 'tick', payload: { n: 0 } })).rejects.toMatchObject({ code: 'log-damaged' });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const event of log.read()) seen.push(event.seq);
      })(),
    ).rejects.toMatchObject({ code: 'corrupt-record' });
    expect(seen).toEqual([1, 2, 3]);
    const repaired = await log.repair();
    expect(repaired).toMatchObject({ lastSeq: 3 });
    expect((await log.append({ type: 'tick', payload: { n: 4 } })).seq).toBe(4);
    await log.close();
  });

  test('verifyOnOpen "all" finds damage in older segments when opening', async () => {
    await writeTicks(40);
    const segments = await segmentFiles(dir);
    await flipByteInLine(path.join(dir, segments[0] as string), 2);
    await expect(openEventLog({ dir, schema: testSchema, verifyOnOpen: 'all' })).rejects.toMatchObject({
      code: 'corrupt-record',
      details: { line: 2, seq: 2 },
    });
    const log = await openEventLog({ dir, schema: testSchema });
    expect(log.damage).toBeNull();
    await log.close();
  });

  test('in the last record (nothing valid after it): cut as a torn tail and reported', async () => {
    await writeTicks(5, { maxSegmentBytes: 1 << 20 });
    const [segment] = await segmentFiles(dir);
    await flipByteInLine(path.join(dir, segment as string), 5);
    const reports: LogReport[] = [];
    const log = await openEventLog({ dir, schema: testSchema, onReport: (r) => reports.push(r) });
    expect(log.recovery.tornTail).toMatchObject({ segment, line: 5, reason: 'bad-hash' });
    expect(reports.map((r) => r.kind)).toContain('torn-tail-cut');
    expect(log.lastSeq).toBe(4);
    expect((await log.append({ type: 'tick', payload: { n: 5 } })).seq).toBe(5);
    await log.close();
  });
});

describe('a truncated segment', () => {
  test('the newest one, mid-record: the partial line is cut and reported, acknowledged records stay', async () => {
    await writeTicks(6, { maxSegmentBytes: 1 << 20 });
    const [segment] = await segmentFiles(dir);
    const file = path.join(dir, segment as string);
    const offsets = await lineOffsets(file);
    const cutAt = (offsets[5] as number) + 20;
    await truncate(file, cutAt);
    const reader = await openEventLogReader({ dir, schema: testSchema });
    expect(await readAll(reader.read())).toEqual([1, 2, 3, 4, 5]);
    const log = await openEventLog({ dir, schema: testSchema });
    expect(log.recovery.tornTail).toEqual({ segment, offset: offsets[5], bytes: 20, line: 6, reason: 'partial-line' });
    expect((await stat(file)).size).toBe(offsets[5]);
    expect(log.lastSeq).toBe(5);
    await log.close();
  });

  test('an older one, mid-record: reading fails with reason truncated at that segment', async () => {
    await writeTicks(40);
    const segments = await segmentFiles(dir);
    const file = path.join(dir, segments[0] as string);
    const offsets = await lineOffsets(file);
    await truncate(file, (offsets[offsets.length - 1] as number) + 10);
    const reader = await openEventLogReader({ dir, schema: testSchema });
    await expect(readAll(reader.read())).rejects.toMatchObject({
      code: 'corrupt-record',
      details: { segment: segments[0], line: offsets.length, reason: 'truncated' },
    });
  });

  test('an older one, at a record boundary: the gap is found at the next segment', async () => {
    await writeTicks(40);
    const segments = await segmentFiles(dir);
    const offsets = await lineOffsets(path.join(dir, segments[0] as string));
    await truncate(path.join(dir, segments[0] as string), offsets[offsets.length - 1] as number);
    const reader = await openEventLogReader({ dir, schema: testSchema });
    await expect(reader.verify()).rejects.toMatchObject({
      code: 'corrupt-record',
      details: { segment: segments[1], line: 1, reason: 'sequence-gap' },
    });
  });
});

describe('a crash right after a segment roll', () => {
  test.each([
    ['empty', ''],
    ['holding a partial first record', '{"seq":'],
  ])('a newest segment %s continues the chain of the one before', async (_, content) => {
    await writeTicks(12);
    const reader = await openEventLogReader({ dir, schema: testSchema });
    const before = await reader.verify();
    const next = `segment-${String(before.lastSeq + 1).padStart(12, '0')}.jsonl`;
    await writeFile(path.join(dir, next), content);
    const log = await openEventLog({ dir, schema: testSchema });
    expect(log.lastSeq).toBe(before.lastSeq);
    expect(log.recovery.tornTail?.bytes ?? 0).toBe(content.length);
    const appended = await log.append({ type: 'tick', payload: { n: 13 } });
    expect(appended.seq).toBe(before.lastSeq + 1);
    expect((await readFile(path.join(dir, next), 'utf8')).startsWith(`{"seq":${appended.seq},`)).toBe(true);
    expect(await log.verify()).toMatchObject({ lastSeq: appended.seq, records: appended.seq });
    await log.close();
  });
});

describe('a bad snapshot', () => {
  test('a damaged newest snapshot is ignored and reported; the fold equals a fold from the start', async () => {
    await writeTicks(30, { snapshotEvery: 10 });
    const snapshots = (await readdir(path.join(dir, 'snapshots'))).sort();
    const newest = path.join(dir, 'snapshots', snapshots[snapshots.length - 1] as string);
    const data = await readFile(newest, 'utf8');
    await writeFile(newest, data.replace('"count":30', '"count":31'));
    const reports: LogReport[] = [];
    const log = await openEventLog({ dir, schema: testSchema, projection: totals, onReport: (r) => reports.push(r) });
    const folded = await log.fold(totals);
    expect(folded.rejectedSnapshots[0]).toMatchObject({
      file: snapshots[snapshots.length - 1],
      reason: expect.stringMatching(/hash mismatch/),
    });
    expect(folded.snapshot?.seq).toBe(20);
    expect(folded.state).toEqual((await log.fold(totals.reduce, totals.initial)).state);
    expect(folded.state.count).toBe(30);
    await log.close();
  });

  test('a well-sealed snapshot of another history or with an invalid state is never trusted', async () => {
    await writeTicks(10, { snapshotEvery: 5 });
    const { sealJson } = await import('./sealed-json.js');
    const reseal = async (name: string, change: Record<string, unknown>) => {
      const file = path.join(dir, 'snapshots', name);
      const fields = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      delete fields['hash'];
      await writeFile(file, sealJson({ ...fields, ...change }));
    };
    await reseal('totals-000000000010.json', { state: { count: 'many' } });
    await reseal('totals-000000000005.json', {
      recordHash: 'f'.repeat(64),
      state: { count: 1000, sum: 0, configs: 0, lastName: null },
    });
    const reader = await openEventLogReader({ dir, schema: testSchema });
    const folded = await reader.fold(totals);
    expect(folded.rejectedSnapshots.map((r) => r.reason)).toEqual([
      expect.stringMatching(/state does not match/),
      expect.stringMatching(/another hash/),
    ]);
    expect(folded.snapshot).toBeNull();
    expect(folded.state.count).toBe(10);
  });
});

describe('the lock', () => {
  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    return child.pid as number;
  }

  test('a stale lock of a dead process is taken over and reported', async () => {
    await writeTicks(1);
    const pid = await deadPid();
    await writeFile(
      path.join(dir, 'LOCK'),
      JSON.stringify({ pid, identity: null, token: 'x', createdAt: '2026-01-01T00:00:00Z' }),
    );
    const log = await openEventLog({ dir, schema: testSchema });
    expect(log.recovery.lockTakenOver).toEqual({ pid });
    expect(JSON.parse(await readFile(path.join(dir, 'LOCK'), 'utf8')).pid).toBe(process.pid);
    await log.close();
    await expect(stat(path.join(dir, 'LOCK'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('a lock whose pid was reused by another process (other start time) is stale', async () => {
    await writeFile(
      path.join(dir, 'LOCK'),
      JSON.stringify({ pid: process.pid, identity: 'another-boot:1', token: 'x', createdAt: '2026-01-01T00:00:00Z' }),
    );
    const log = await openEventLog({ dir, schema: testSchema });
    expect(log.recovery.lockTakenOver).toEqual({ pid: process.pid });
    await log.close();
  });

  test('a live owner keeps the lock: a second writer gets "locked" naming its pid', async () => {
    const first = await openEventLog({ dir, schema: testSchema });
    await expect(openEventLog({ dir, schema: testSchema })).rejects.toMatchObject({
      code: 'locked',
      details: { pid: process.pid },
    });
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await first.close();
    const { nodeProcessProbe } = await import('./lock.js');
    await writeFile(
      path.join(dir, 'LOCK'),
      JSON.stringify({
        pid: child.pid,
        identity: await nodeProcessProbe.identity(child.pid as number),
        token: 'y',
        createdAt: 'now',
      }),
    );
    await expect(openEventLog({ dir, schema: testSchema })).rejects.toMatchObject({
      code: 'locked',
      details: { pid: child.pid },
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const log = await openEventLog({ dir, schema: testSchema });
    expect(log.recovery.lockTakenOver).toEqual({ pid: child.pid });
    await log.close();
  });

  test('an unreadable lock file (torn by a power cut) counts as stale', async () => {
    await writeFile(path.join(dir, 'LOCK'), '');
    const log = await openEventLog({ dir, schema: testSchema });
    expect(log.recovery.lockTakenOver).toEqual({ pid: 0 });
    await log.close();
  });

  test('readers need no lock', async () => {
    const log = await openEventLog({ dir, schema: testSchema });
    await log.append({ type: 'tick', payload: { n: 1 } });
    const reader = await openEventLogReader({ dir, schema: testSchema });
    expect(await readAll(reader.read())).toEqual([1]);
    await log.close();
  });
});
