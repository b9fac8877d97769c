import path from 'node:path';
import { writeAnchor, type Anchor } from './anchor.js';
import { io, syncDir } from './fs-seam.js';
import type { SegmentInfo } from './layout.js';
import { segmentHolding, startOfLog, type LogContext } from './log-scan.js';
import { corruptRecord, drainScan, scanSegment, type ScanStart } from './segment-reader.js';

/** What compaction does with the segments it removes from the live log. */
export type RetentionPolicy = 'archive' | 'drop';

/** The outcome of a compaction. */
export interface CompactResult {
  policy: RetentionPolicy;
  /** Segment files removed from the live log (moved to `archive/` or deleted). */
  segments: string[];
  /** The new anchor, when segments were removed. */
  anchor: Anchor | null;
}

/**
 * Removes the segments wholly before `keepSeq` (the newest verified snapshot's seq): first writes the
 * anchor that lets the rest of the chain be verified, then archives or deletes them.
 */
export async function compactBefore(
  ctx: LogContext,
  segments: readonly SegmentInfo[],
  keepSeq: number,
  policy: RetentionPolicy,
): Promise<CompactResult> {
  const keep = segmentHolding(segments, keepSeq);
  const keepIndex = keep === undefined ? -1 : segments.indexOf(keep);
  if (keep === undefined || keepIndex <= 0) return { policy, segments: [], anchor: null };
  const removed = segments.slice(0, keepIndex);
  const lastRemoved = removed[removed.length - 1] as SegmentInfo;
  const start: ScanStart =
    keepIndex === 1
      ? ((await startOfLog(ctx, segments)) as ScanStart)
      : { segment: lastRemoved, offset: 0, linesBefore: 0, expectSeq: lastRemoved.firstSeq, prevHash: null };
  const end = await drainScan(
    scanSegment(start, { fs: ctx.fs, dir: ctx.paths.dir, mode: 'verify', last: false, chunkSize: ctx.chunkSize }),
  );
  if (end.nextSeq !== keep.firstSeq) throw corruptRecord(keep.name, 1, 0, end.nextSeq, 'sequence-gap');
  const firstKept = await drainScan(
    scanSegment(
      { segment: keep, offset: 0, linesBefore: 0, expectSeq: keep.firstSeq, prevHash: end.lastHash },
      { fs: ctx.fs, dir: ctx.paths.dir, mode: 'verify', last: false, upToSeq: keep.firstSeq, chunkSize: 1 << 16 },
    ),
  );
  if (!firstKept.stopped) throw corruptRecord(keep.name, 1, 0, keep.firstSeq, 'truncated');
  const anchor: Anchor = { seq: keep.firstSeq - 1, recordHash: end.lastHash as string };
  await writeAnchor(ctx.fs, ctx.paths, anchor);
  if (policy === 'archive') {
    await io('create', ctx.paths.archive, () => ctx.fs.mkdir(ctx.paths.archive, { recursive: true }));
    for (const segment of removed) {
      const target = path.join(ctx.paths.archive, segment.name);
      await io('archive', ctx.paths.segment(segment.name), () =>
        ctx.fs.rename(ctx.paths.segment(segment.name), target),
      );
    }
    await syncDir(ctx.fs, ctx.paths.archive);
  } else {
    for (const segment of removed)
      await io('drop', ctx.paths.segment(segment.name), () => ctx.fs.unlink(ctx.paths.segment(segment.name)));
  }
  await syncDir(ctx.fs, ctx.paths.dir);
  return { policy, segments: removed.map((s) => s.name), anchor };
}
