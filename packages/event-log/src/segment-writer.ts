import { EventLogError, ioError } from './errors.js';
import { syncDir, type FileHandle, type FileSystem } from './fs-seam.js';
import { segmentName, type LogPaths, type SegmentInfo } from './layout.js';
import type { RecordPosition } from './log-scan.js';
import { encodeRecord } from './record-codec.js';

/** Where the writer continues: the newest segment and the chain's head. */
export interface WriterState {
  segment: SegmentInfo;
  /** Bytes of valid records in the segment. */
  size: number;
  /** Lines in the segment. */
  lines: number;
  nextSeq: number;
  lastHash: string;
}

/** An appended record, durable. */
export interface Appended {
  seq: number;
  time: string;
  hash: string;
  position: RecordPosition;
  /** The stored line without its newline. */
  line: Buffer;
}

interface Pending {
  line: Buffer;
  seq: number;
  time: string;
  hash: string;
  position?: RecordPosition;
  resolve: (appended: Appended) => void;
  reject: (error: unknown) => void;
}

/**
 * Appends records to the newest segment with group commit: records queued while a write and
 * fdatasync are in flight go out together in the next one, and every promise resolves only after
 * its bytes are synced. Rolls to a new segment past `maxSegmentBytes`. After any failed write the
 * writer refuses further appends (`write-failed`): the file's state is unknown until reopened.
 */
export class SegmentWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private failure: EventLogError | null = null;
  private size: number;
  private lines: number;
  private segment: SegmentInfo;
  /** Next seq to assign. */
  nextSeq: number;
  /** Hash of the last assigned record. */
  lastHash: string;
  /** Seq of the last durable record. */
  durableSeq: number;

  constructor(
    private readonly fs: FileSystem,
    private readonly paths: LogPaths,
    private handle: FileHandle,
    state: WriterState,
    private readonly maxSegmentBytes: number,
    private readonly onDurable: (batch: readonly Appended[]) => void,
  ) {
    this.segment = state.segment;
    this.size = state.size;
    this.lines = state.lines;
    this.nextSeq = state.nextSeq;
    this.lastHash = state.lastHash;
    this.durableSeq = state.nextSeq - 1;
  }

  /** The error that stopped this writer, if any. */
  get failed(): EventLogError | null {
    return this.failure;
  }

  /** Assigns the next seq, chains the record and resolves once it is durable. */
  append(time: string, type: string, v: number, payloadJson: string): Promise<Appended> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const seq = this.nextSeq;
    const { line, hash } = encodeRecord({ seq, time, type, v, prev: this.lastHash }, payloadJson);
    this.nextSeq++;
    this.lastHash = hash;
    return new Promise<Appended>((resolve, reject) => {
      this.queue.push({ line, seq, time, hash, resolve, reject });
      this.flushing ??= Promise.resolve().then(() => this.flushLoop());
    });
  }

  /** Waits until everything queued is durable or failed. */
  async drain(): Promise<void> {
    while (this.flushing !== null) await this.flushing;
  }

  /** Drains, then closes the segment file. */
  async close(): Promise<void> {
    await this.drain();
    await this.handle.close().catch(() => undefined);
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.writeBatch(batch);
      } catch (error) {
        this.failure = new EventLogError(
          'write-failed',
          `cannot append to ${this.segment.name}: ${error instanceof Error ? error.message : String(error)}; reopen the log to recover its tail`,
          { segment: this.segment.name },
          { cause: error },
        );
        for (const item of [...batch, ...this.queue]) item.reject(this.failure);
        this.queue = [];
        break;
      }
      this.durableSeq = (batch[batch.length - 1] as Pending).seq;
      const appended = batch.map((item) => ({
        seq: item.seq,
        time: item.time,
        hash: item.hash,
        position: item.position as RecordPosition,
        line: item.line.subarray(0, item.line.length - 1),
      }));
      this.onDurable(appended);
      batch.forEach((item, i) => item.resolve(appended[i] as Appended));
    }
    this.flushing = null;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    let group: Buffer[] = [];
    let groupBytes = 0;
    for (const item of batch) {
      const full = this.size + groupBytes > 0 && this.size + groupBytes + item.line.length > this.maxSegmentBytes;
      if (full) {
        await this.writeAll(group, groupBytes);
        await this.sync();
        await this.roll(item.seq);
        group = [];
        groupBytes = 0;
      }
      item.position = {
        segment: this.segment.name,
        offset: this.size + groupBytes,
        line: this.lines + group.length + 1,
      };
      group.push(item.line);
      groupBytes += item.line.length;
    }
    await this.writeAll(group, groupBytes);
    await this.sync();
  }

  private async writeAll(group: Buffer[], bytes: number): Promise<void> {
    if (bytes === 0) return;
    const data = group.length === 1 ? (group[0] as Buffer) : Buffer.concat(group, bytes);
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.handle.write(data, written, data.length - written);
      written += bytesWritten;
    }
    this.size += bytes;
    this.lines += group.length;
  }

  private async sync(): Promise<void> {
    await this.handle.datasync();
  }

  /** Closes the full segment and starts the next one at `firstSeq`; the new name is made durable first. */
  private async roll(firstSeq: number): Promise<void> {
    await this.handle.close();
    const next: SegmentInfo = { name: segmentName(firstSeq), firstSeq };
    this.handle = await openSegmentForAppend(this.fs, this.paths, next);
    await syncDir(this.fs, this.paths.dir);
    this.segment = next;
    this.size = 0;
    this.lines = 0;
  }
}

/** Opens (creating if needed) a segment for appending. */
export async function openSegmentForAppend(fs: FileSystem, paths: LogPaths, segment: SegmentInfo): Promise<FileHandle> {
  const file = paths.segment(segment.name);
  try {
    return await fs.open(file, 'a', 0o600);
  } catch (error) {
    throw ioError('open segment', file, error);
  }
}
