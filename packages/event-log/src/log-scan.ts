import { readAnchor } from './anchor.js';
import { EventLogError } from './errors.js';
import { startDigestVerifier, type DigestJob, type DigestVerifier } from './digest-verifier.js';
import { nodeFileSystem, readdirOrEmpty, type FileSystem } from './fs-seam.js';
import { sortSegments, type LogPaths, type SegmentInfo } from './layout.js';
import { GENESIS_HASH } from './record-codec.js';
import {
  corruptRecord,
  scanSegment,
  type RecordBatch,
  type ScanEnd,
  type ScanStart,
  type TornTail,
} from './segment-reader.js';

/** What every read needs: the filesystem and where the log is. */
export interface LogContext {
  fs: FileSystem;
  paths: LogPaths;
  chunkSize?: number | undefined;
}

/** Where a record's line is: segment file name, byte offset and 1-based line. */
export interface RecordPosition {
  segment: string;
  offset: number;
  line: number;
}

/** How reading the log ended. */
export interface ReadEnd {
  /** Seq of the last record read (0 when none). */
  lastSeq: number;
  lastHash: string | null;
  /** Position of the last record read. */
  last: RecordPosition | null;
  /** A torn tail of the newest segment that the read stopped at (a writer cuts it on open). */
  torn: TornTail | null;
}

/** The segments of the log, oldest first. */
export async function listSegments(ctx: LogContext): Promise<SegmentInfo[]> {
  return sortSegments(await readdirOrEmpty(ctx.fs, ctx.paths.dir));
}

/** Where reading from the first kept record starts; undefined for a log without segments. */
export async function startOfLog(ctx: LogContext, segments: readonly SegmentInfo[]): Promise<ScanStart | undefined> {
  const first = segments[0];
  if (first === undefined) return undefined;
  let prevHash: string | null = null;
  if (first.firstSeq === 1) prevHash = GENESIS_HASH;
  else {
    const anchor = await readAnchor(ctx.fs, ctx.paths);
    if (anchor !== undefined && anchor.seq === first.firstSeq - 1) prevHash = anchor.recordHash;
  }
  return { segment: first, offset: 0, linesBefore: 0, expectSeq: first.firstSeq, prevHash };
}

/**
 * Reads records from `start` through the newest segment in constant memory, verifying the chain,
 * stopping after `upToSeq` when given and at a torn tail of the newest segment.
 */
export async function* readFrom(
  ctx: LogContext,
  segments: readonly SegmentInfo[],
  start: ScanStart,
  upToSeq?: number,
): AsyncGenerator<RecordBatch, ReadEnd> {
  let index = segments.findIndex((s) => s.name === start.segment.name);
  if (index === -1) {
    throw new EventLogError(
      'io-failed',
      `cannot read segment ${start.segment.name}: it is gone (compacted while reading?)`,
      {
        segment: start.segment.name,
      },
    );
  }
  let current: ScanStart = start;
  let end: ReadEnd = { lastSeq: start.expectSeq - 1, lastHash: start.prevHash, last: null, torn: null };
  const verifier = digestVerifierFor(ctx, segments, index, start, upToSeq);
  try {
    for (;;) {
      const last = index === segments.length - 1;
      const digestsVerifiedUpTo = verifier?.verifiedUpTo(current.segment.name);
      const scan = scanSegment(current, {
        fs: ctx.fs,
        dir: ctx.paths.dir,
        mode: 'parse',
        last,
        upToSeq,
        chunkSize: ctx.chunkSize,
        digestsVerifiedUpTo,
      });
      let step: IteratorResult<RecordBatch, ScanEnd>;
      try {
        step = await scan.next();
        while (step.done !== true) {
          yield step.value;
          step = await scan.next();
        }
      } finally {
        await scan.return(undefined as never);
      }
      const result = step.value;
      if (result.lastRecord !== null) end = { ...end, last: { segment: current.segment.name, ...result.lastRecord } };
      end = { ...end, lastSeq: result.nextSeq - 1, lastHash: result.lastHash, torn: result.torn };
      if (result.stopped || last) return end;
      index++;
      const next = segments[index] as SegmentInfo;
      if (next.firstSeq !== result.nextSeq) throw corruptRecord(next.name, 1, 0, result.nextSeq, 'sequence-gap');
      current = { segment: next, offset: 0, linesBefore: 0, expectSeq: result.nextSeq, prevHash: result.lastHash };
    }
  } finally {
    await verifier?.close();
  }
}

/** Sealed segments a read must cross before a worker thread pays for itself. */
const PARALLEL_MIN_SEGMENTS = 3;

/**
 * A worker verifying the digests of the sealed segments this read will cross, when there are
 * enough of them and the log is on the real filesystem (the newest segment, which may still
 * grow or hold a torn tail, is always verified inline).
 */
function digestVerifierFor(
  ctx: LogContext,
  segments: readonly SegmentInfo[],
  index: number,
  start: ScanStart,
  upToSeq: number | undefined,
): DigestVerifier | undefined {
  if (ctx.fs !== nodeFileSystem) return undefined;
  const jobs: DigestJob[] = [];
  for (let i = index; i < segments.length - 1; i++) {
    const segment = segments[i] as SegmentInfo;
    if (upToSeq !== undefined && segment.firstSeq > upToSeq) break;
    jobs.push({ name: segment.name, offset: i === index ? start.offset : 0 });
  }
  return jobs.length >= PARALLEL_MIN_SEGMENTS ? startDigestVerifier(ctx.paths.dir, jobs, ctx.chunkSize) : undefined;
}

/** The segment holding `seq`, given segments oldest first. */
export function segmentHolding(segments: readonly SegmentInfo[], seq: number): SegmentInfo | undefined {
  let found: SegmentInfo | undefined;
  for (const segment of segments) {
    if (segment.firstSeq > seq) break;
    found = segment;
  }
  return found;
}
