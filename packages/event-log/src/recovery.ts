import { readAnchor } from './anchor.js';
import { EventLogError, isEventLogError } from './errors.js';
import { io } from './fs-seam.js';
import { segmentName, type SegmentInfo } from './layout.js';
import { startOfLog, type LogContext } from './log-scan.js';
import { GENESIS_HASH } from './record-codec.js';
import { corruptRecord, drainScan, scanSegment, type ScanStart, type TornTail } from './segment-reader.js';
import type { WriterState } from './segment-writer.js';

/** What opening found at the end of the log. */
export type TailRecovery =
  { ok: true; state: WriterState; torn: TornTail | null } | { ok: false; damage: EventLogError };

/**
 * Verifies the newest segment (and the one before it when the newest holds no record), cuts a torn
 * tail, and returns where the writer continues. Damage that is not a torn tail is returned, not cut.
 */
export async function recoverTail(ctx: LogContext, segments: readonly SegmentInfo[]): Promise<TailRecovery> {
  const active = segments[segments.length - 1];
  if (active === undefined) {
    const anchor = await readAnchor(ctx.fs, ctx.paths);
    const firstSeq = anchor === undefined ? 1 : anchor.seq + 1;
    const state = {
      segment: { name: segmentName(firstSeq), firstSeq },
      size: 0,
      lines: 0,
      nextSeq: firstSeq,
      lastHash: anchor?.recordHash ?? GENESIS_HASH,
    };
    return { ok: true, state, torn: null };
  }
  try {
    const start = await scanStart(ctx, segments, segments.length - 1);
    const end = await drainScan(
      scanSegment(start, { fs: ctx.fs, dir: ctx.paths.dir, mode: 'verify', last: true, chunkSize: ctx.chunkSize }),
    );
    if (end.torn !== null) await truncate(ctx, active.name, end.torn.offset);
    let lastHash = end.lastHash;
    if (end.lastRecord === null && segments.length > 1) lastHash = await lastHashBefore(ctx, segments);
    const state: WriterState = {
      segment: active,
      size: end.endOffset,
      lines: end.lines,
      nextSeq: end.nextSeq,
      lastHash: lastHash ?? GENESIS_HASH,
    };
    return { ok: true, state, torn: end.torn };
  } catch (error) {
    if (isEventLogError(error, 'corrupt-record')) return { ok: false, damage: error };
    throw error;
  }
}

async function scanStart(ctx: LogContext, segments: readonly SegmentInfo[], index: number): Promise<ScanStart> {
  const segment = segments[index] as SegmentInfo;
  if (index === 0) return (await startOfLog(ctx, segments)) as ScanStart;
  return { segment, offset: 0, linesBefore: 0, expectSeq: segment.firstSeq, prevHash: null };
}

/** The newest segment is empty: the chain continues from the last record of the one before. */
async function lastHashBefore(ctx: LogContext, segments: readonly SegmentInfo[]): Promise<string | null> {
  const index = segments.length - 2;
  const active = segments[index + 1] as SegmentInfo;
  const end = await drainScan(
    scanSegment(await scanStart(ctx, segments, index), {
      fs: ctx.fs,
      dir: ctx.paths.dir,
      mode: 'verify',
      last: false,
      chunkSize: ctx.chunkSize,
    }),
  );
  if (end.nextSeq !== active.firstSeq) throw corruptRecord(active.name, 1, 0, end.nextSeq, 'sequence-gap');
  return end.lastHash;
}

async function truncate(ctx: LogContext, segment: string, size: number): Promise<void> {
  const file = ctx.paths.segment(segment);
  await io('cut the torn tail of', file, async () => {
    const handle = await ctx.fs.open(file, 'r+');
    try {
      await handle.truncate(size);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  });
}
