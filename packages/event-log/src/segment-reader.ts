import path from 'node:path';
import { EventLogError, type CorruptionReason, ioError } from './errors.js';
import type { FileHandle, FileSystem } from './fs-seam.js';
import type { SegmentInfo } from './layout.js';
import { parseRecord, prevMatches, verifyLine, type RawRecord } from './record-codec.js';

/** Where a scan starts inside a segment and what it expects to find there. */
export interface ScanStart {
  segment: SegmentInfo;
  /** Byte offset of the first line to read. */
  offset: number;
  /** Number of lines before `offset` (for 1-based line numbers in errors). */
  linesBefore: number;
  /** Seq the first line must carry. */
  expectSeq: number;
  /** `prev` the first line must carry; null trusts whatever it says. */
  prevHash: string | null;
}

/** Options of {@link scanSegment}. */
export interface ScanOptions {
  fs: FileSystem;
  dir: string;
  /** `verify` checks integrity only; `parse` also parses and yields records. */
  mode: 'verify' | 'parse';
  /** The newest segment: a torn tail ends the scan instead of raising corruption. */
  last: boolean;
  /** Stop after the record with this seq. */
  upToSeq?: number | undefined;
  chunkSize?: number | undefined;
  /** Absolute offset up to which another thread already checked every line's digest. */
  digestsVerifiedUpTo?: Promise<number> | undefined;
}

/** Records read from one chunk of a segment. */
export interface RecordBatch {
  segment: string;
  records: RawRecord[];
  /** Byte offset and 1-based line of the last record of the batch. */
  lastOffset: number;
  lastLine: number;
}

/** Bytes at the end of the newest segment that do not form valid records and are followed by none. */
export interface TornTail {
  segment: string;
  /** Byte offset where the torn part starts (the log is valid up to here). */
  offset: number;
  /** Length of the torn part. */
  bytes: number;
  /** 1-based line where the torn part starts. */
  line: number;
  reason: 'partial-line' | 'unparsable' | 'bad-hash';
}

/** How a segment scan ended. */
export interface ScanEnd {
  /** Offset just past the last valid record read. */
  endOffset: number;
  /** Lines in the segment up to `endOffset`. */
  lines: number;
  /** Seq the next record must carry. */
  nextSeq: number;
  /** Hash of the last valid record read, or the start's prevHash when none was read. */
  lastHash: string | null;
  /** Offset and line of the last valid record read, if any. */
  lastRecord: { offset: number; line: number } | null;
  torn: TornTail | null;
  /** True when the scan stopped at `upToSeq`. */
  stopped: boolean;
}

const DEFAULT_CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/** Builds the `corrupt-record` error for a bad line. */
export function corruptRecord(
  segment: string,
  line: number,
  offset: number,
  seq: number,
  reason: CorruptionReason,
): EventLogError {
  return new EventLogError(
    'corrupt-record',
    `cannot read the event log: record ${seq} at ${segment} line ${line} (byte ${offset}) is corrupt (${reason}); ` +
      'inspect the file, then call repair() to move the damaged part aside',
    { segment, line, offset, seq, reason },
  );
}

interface Bad {
  offset: number;
  line: number;
  reason: CorruptionReason;
  seq: number;
}

/**
 * Reads one segment from `start` in constant memory, verifying every line and the chain.
 * Yields batches of records (parse mode only) and returns how the scan ended.
 * Throws `corrupt-record` for damage that is not a torn tail of the newest segment.
 */
export async function* scanSegment(start: ScanStart, options: ScanOptions): AsyncGenerator<RecordBatch, ScanEnd> {
  const { fs, mode, last, upToSeq } = options;
  const name = start.segment.name;
  const file = path.join(options.dir, name);
  let handle: FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    throw ioError('open segment', file, error);
  }
  const chunks = new ChunkReader(handle, file, options.chunkSize ?? DEFAULT_CHUNK, start.offset);
  try {
    const trusted = (await options.digestsVerifiedUpTo) ?? 0;
    let buf: Buffer = Buffer.allocUnsafe(2 * (options.chunkSize ?? DEFAULT_CHUNK));
    let filled = 0;
    let base = start.offset;
    let line = start.linesBefore;
    let expectSeq = start.expectSeq;
    let prevHash = start.prevHash;
    let endOffset = start.offset;
    let lastRecord: ScanEnd['lastRecord'] = null;
    let bad: Bad | undefined;
    chunks.prefetch();
    for (;;) {
      const chunk = await chunks.take();
      if (chunk.length === 0) break;
      if (filled + chunk.length > buf.length) buf = grow(buf, filled, filled + chunk.length);
      chunk.copy(buf, filled);
      filled += chunk.length;
      chunks.prefetch();
      const view = buf.subarray(0, filled);
      let pos = 0;
      const records: RawRecord[] = [];
      let batchOffset = 0;
      let batchLine = 0;
      for (let nl = view.indexOf(NEWLINE, pos); nl !== -1; nl = view.indexOf(NEWLINE, pos)) {
        line++;
        const lineOffset = base + pos;
        if (bad !== undefined) {
          if (typeof verifyLine(view, pos, nl) !== 'string')
            throw corruptRecord(name, bad.line, bad.offset, bad.seq, bad.reason);
          pos = nl + 1;
          continue;
        }
        const integrity = verifyLine(view, pos, nl, base + nl < trusted);
        let reason: CorruptionReason | undefined;
        let record: RawRecord | undefined;
        if (typeof integrity === 'string') reason = integrity;
        else if (integrity.seq !== expectSeq) reason = 'sequence-gap';
        else if (prevHash !== null && !prevMatches(view, integrity, prevHash)) reason = 'chain-broken';
        else if (mode === 'parse') {
          const parsed = parseRecord(view, pos, nl, integrity);
          if (typeof parsed === 'string') reason = parsed;
          else record = parsed;
        }
        if (reason !== undefined) {
          if (records.length > 0)
            yield { segment: name, records: records.splice(0), lastOffset: batchOffset, lastLine: batchLine };
          if (!last || typeof integrity !== 'string') {
            throw corruptRecord(name, line, lineOffset, expectSeq, reason);
          }
          bad = { offset: lineOffset, line, reason, seq: expectSeq };
          pos = nl + 1;
          continue;
        }
        if (record !== undefined) records.push(record);
        prevHash = (integrity as { hash: string }).hash;
        expectSeq++;
        endOffset = base + nl + 1;
        lastRecord = { offset: lineOffset, line };
        batchOffset = lineOffset;
        batchLine = line;
        pos = nl + 1;
        if (upToSeq !== undefined && expectSeq > upToSeq) {
          if (records.length > 0) yield { segment: name, records, lastOffset: batchOffset, lastLine: batchLine };
          return {
            endOffset,
            lines: line,
            nextSeq: expectSeq,
            lastHash: prevHash,
            lastRecord,
            torn: null,
            stopped: true,
          };
        }
      }
      if (records.length > 0) yield { segment: name, records, lastOffset: batchOffset, lastLine: batchLine };
      buf.copy(buf, 0, pos, filled);
      base += pos;
      filled -= pos;
    }
    const fileEnd = base + filled;
    let torn: TornTail | null = null;
    if (bad !== undefined) {
      torn = {
        segment: name,
        offset: bad.offset,
        bytes: fileEnd - bad.offset,
        line: bad.line,
        reason: bad.reason as TornTail['reason'],
      };
    } else if (filled > 0) {
      if (!last) throw corruptRecord(name, line + 1, base, expectSeq, 'truncated');
      torn = { segment: name, offset: base, bytes: filled, line: line + 1, reason: 'partial-line' };
    }
    const lines = bad === undefined ? line : bad.line - 1;
    return { endOffset, lines, nextSeq: expectSeq, lastHash: prevHash, lastRecord, torn, stopped: false };
  } finally {
    await chunks.settle();
    await handle.close();
  }
}

function grow(buf: Buffer, filled: number, needed: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, needed));
  buf.copy(bigger, 0, 0, filled);
  return bigger;
}

/** Reads a file in chunks, one read ahead, so the next read runs while a chunk is processed. */
class ChunkReader {
  private readonly buf: Buffer;
  private pending: Promise<number> | null = null;

  constructor(
    private readonly handle: FileHandle,
    private readonly file: string,
    chunkSize: number,
    private position: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  /** Starts reading the next chunk (call only after the last chunk's bytes were copied out). */
  prefetch(): void {
    this.pending = this.handle.read(this.buf, 0, this.buf.length, this.position).then(
      ({ bytesRead }) => bytesRead,
      (error: unknown) => Promise.reject(ioError('read', this.file, error)),
    );
  }

  /** The next chunk (empty at end of file); valid until the next prefetch. */
  async take(): Promise<Buffer> {
    const bytes = await (this.pending as Promise<number>);
    this.pending = null;
    this.position += bytes;
    return this.buf.subarray(0, bytes);
  }

  /** Waits for a read still in flight (before the file is closed). */
  async settle(): Promise<void> {
    await this.pending?.catch(() => undefined);
  }
}

/** Runs a scan to its end, discarding batches; returns how it ended. */
export async function drainScan(scan: AsyncGenerator<RecordBatch, ScanEnd>): Promise<ScanEnd> {
  for (;;) {
    const step = await scan.next();
    if (step.done === true) return step.value;
  }
}
