import path from 'node:path';
import { z } from 'zod';
import { compactBefore, type CompactResult, type RetentionPolicy } from './compact.js';
import { EventLogError, isEventLogError } from './errors.js';
import { foldLog, type FoldResult, type Projection } from './fold.js';
import { io, nodeFileSystem, removeTempFiles, syncDir, type FileSystem } from './fs-seam.js';
import { logPaths } from './layout.js';
import { listSegments, type RecordPosition } from './log-scan.js';
import { acquireLock, nodeProcessProbe, type HeldLock, type ProcessProbe } from './lock.js';
import { EventLogReader, parseOptions, ReaderOptionsSchema } from './reader.js';
import { recoverTail } from './recovery.js';
import { moveDamageAside } from './repair.js';
import type { EventDefinitions, EventInput, EventSchema } from './schema.js';
import type { TornTail } from './segment-reader.js';
import { openSegmentForAppend, SegmentWriter, type Appended } from './segment-writer.js';
import { listSnapshots, loadSnapshot, pruneSnapshots, writeSnapshot } from './snapshot-store.js';

/** Something the log wants a person to know about; it did not stop the operation. */
export interface LogReport {
  kind: 'torn-tail-cut' | 'lock-taken-over' | 'temp-files-removed' | 'snapshot-rejected' | 'snapshot-failed' | 'projection-failed';
  message: string;
  details: Record<string, unknown>;
}

/** What opening the log found and fixed. */
export interface RecoveryReport {
  /** The torn tail that was cut from the newest segment, if any. */
  tornTail: TornTail | null;
  /** The dead process whose stale lock was taken over, if any. */
  lockTakenOver: { pid: number } | null;
  /** Leftover temporary files of interrupted atomic writes that were removed. */
  removedTempFiles: string[];
  /** Corruption found (only with `allowDamaged`); appends are refused until `repair()`. */
  damage: EventLogError | null;
}

/** Options of {@link openEventLog}. */
export interface EventLogOptions<D extends EventDefinitions, T = unknown> {
  /** The log directory; created if missing. */
  dir: string;
  schema: EventSchema<D>;
  /** The projection whose state is snapshotted automatically and on demand. */
  projection?: Projection<D, T>;
  /** Take a snapshot of `projection` every this many records (default 1000; 0 turns it off). */
  snapshotEvery?: number;
  /** Snapshots kept per projection (default 3). */
  keepSnapshots?: number;
  /** A segment is closed and a new one started past this size (default 4 MiB). */
  maxSegmentBytes?: number;
  /** Open a log with mid-file corruption in a read-only, repairable state instead of throwing. */
  allowDamaged?: boolean;
  /**
   * What opening verifies: the newest segment (default; older ones are verified as they are read)
   * or the whole log.
   */
  verifyOnOpen?: 'newest-segment' | 'all';
  /** Read buffer size in bytes (default 1 MiB). */
  chunkSize?: number;
  clock?: () => Date;
  fs?: FileSystem;
  processProbe?: ProcessProbe;
  /** Receives reports (torn tail cut, stale lock taken over, snapshots rejected or failed). */
  onReport?: (report: LogReport) => void;
}

const WriterOptionsSchema = ReaderOptionsSchema.extend({
  snapshotEvery: z.number().int().nonnegative().default(1000),
  keepSnapshots: z.number().int().min(1).default(3),
  maxSegmentBytes: z.number().int().min(1024, 'maxSegmentBytes must be at least 1024').default(4 << 20),
  allowDamaged: z.boolean().default(false),
  verifyOnOpen: z.enum(['newest-segment', 'all']).default('newest-segment'),
});

/** The outcome of {@link EventLog.append}: the record is durable. */
export interface AppendResult {
  seq: number;
  time: string;
  hash: string;
}

/** The outcome of {@link EventLog.repair}. */
export interface RepairResult {
  /** Files renamed to `*.damaged-<time>` (relative to the log directory). */
  movedAside: string[];
  /** Seq of the last record kept. */
  lastSeq: number;
}

interface Head<T> {
  seq: number;
  hash: string;
  position: RecordPosition;
  state: T;
}

/** A log opened for writing: the single writer (lock held) that can also read, fold and snapshot. */
export class EventLog<D extends EventDefinitions, T = unknown> extends EventLogReader<D> {
  private writer: SegmentWriter | null = null;
  private damageError: EventLogError | null;
  private closed = false;
  private head: Head<T> | null = null;
  private lastSnapshotSeq = 0;
  private snapshotting: Promise<unknown> = Promise.resolve();
  private autoSnapshotPending = false;

  /** @internal use {@link openEventLog} */
  constructor(
    schema: EventSchema<D>,
    private readonly settings: z.infer<typeof WriterOptionsSchema> & { projection: Projection<D, T> | undefined },
    private readonly seams: { fs: FileSystem; clock: () => Date; report: (report: LogReport) => void },
    private readonly lock: HeldLock,
    /** What opening found and fixed. */
    readonly recovery: RecoveryReport,
  ) {
    super(settings.dir, schema, seams.fs, settings.chunkSize);
    this.damageError = recovery.damage;
  }

  /** Seq of the last durable record (0 for an empty log). */
  get lastSeq(): number {
    return this.writer?.durableSeq ?? 0;
  }

  /** The corruption that stops appends until {@link repair}, if any. */
  get damage(): EventLogError | null {
    return this.damageError;
  }

  /** @internal */
  async start(): Promise<void> {
    const segments = await listSegments(this.ctx);
    const tail = await recoverTail(this.ctx, segments);
    if (!tail.ok) {
      this.damageError = tail.damage;
      return;
    }
    const created = !segments.some((s) => s.name === tail.state.segment.name);
    const handle = await openSegmentForAppend(this.ctx.fs, this.ctx.paths, tail.state.segment);
    if (created) await syncDir(this.ctx.fs, this.ctx.paths.dir);
    this.writer = new SegmentWriter(this.ctx.fs, this.ctx.paths, handle, tail.state, this.settings.maxSegmentBytes, (batch) => this.afterDurable(batch));
    if (tail.torn !== null) this.recovery.tornTail ??= tail.torn;
    const projection = this.settings.projection;
    this.lastSnapshotSeq = projection === undefined ? 0 : ((await listSnapshots(this.ctx, projection.name))[0]?.seq ?? 0);
  }

  /**
   * Validates, records and durably stores one event; resolves after fdatasync. Concurrent appends
   * share one sync (group commit) and keep their call order.
   */
  async append(event: EventInput<D>): Promise<AppendResult> {
    const writer = this.usableWriter();
    const encoded = this.schema.encode(event);
    const appended = await writer.append(this.seams.clock().toISOString(), encoded.type, encoded.v, encoded.payloadJson);
    return { seq: appended.seq, time: appended.time, hash: appended.hash };
  }

  /** Writes a snapshot of the projection at the last durable record; null for an empty log. */
  snapshot(): Promise<{ file: string; seq: number } | null> {
    return this.queueSnapshot(false);
  }

  private queueSnapshot(auto: boolean): Promise<{ file: string; seq: number } | null> {
    const next = this.snapshotting.then(() => (auto && this.closed ? null : this.takeSnapshot()));
    this.snapshotting = next.catch(() => undefined);
    return next;
  }

  /**
   * Removes the segments wholly before the newest verified snapshot of the projection: archived to
   * `archive/` or dropped, as `policy` says. Nothing is ever removed without this call.
   */
  async compact(options: { policy: RetentionPolicy }): Promise<CompactResult & { snapshot: { file: string; seq: number } }> {
    this.usableWriter();
    if (options.policy !== 'archive' && options.policy !== 'drop') {
      throw new EventLogError('invalid-options', `cannot compact: policy must be "archive" or "drop", got ${String(options.policy)}`);
    }
    const projection = this.requireProjection('compact');
    const segments = await listSegments(this.ctx);
    for (const candidate of await listSnapshots(this.ctx, projection.name)) {
      const loaded = await loadSnapshot(this.ctx, segments, candidate.file, projection);
      if ('reason' in loaded) {
        this.seams.report({ kind: 'snapshot-rejected', message: `snapshot ${loaded.file} was not trusted: ${loaded.reason}`, details: { ...loaded } });
        continue;
      }
      const result = await compactBefore(this.ctx, segments, loaded.seq, options.policy);
      return { ...result, snapshot: { file: loaded.file, seq: loaded.seq } };
    }
    throw new EventLogError('no-snapshot', `cannot compact: projection "${projection.name}" has no verified snapshot; call snapshot() first`);
  }

  /**
   * Moves the damaged part of the log aside (renamed to `*.damaged-<time>`, never deleted), so that
   * appends can continue after the last good record. Without damage it verifies the log and changes nothing.
   */
  async repair(): Promise<RepairResult> {
    this.assertOpen();
    await this.writer?.drain();
    const damage = await this.firstDamage();
    let movedAside: string[] = [];
    if (damage !== null) {
      await this.writer?.close();
      this.writer = null;
      const details = damage.details as { segment: string; offset: number; seq: number };
      movedAside = await moveDamageAside(this.ctx, await listSegments(this.ctx), details, this.seams.clock());
    }
    if (damage !== null || this.writer === null) {
      this.head = null;
      this.damageError = null;
      await this.start();
      if (this.damageError !== null) throw this.damageError;
    }
    return { movedAside, lastSeq: this.lastSeq };
  }

  /** Waits for pending appends and snapshots, closes the segment and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer?.drain();
    await this.snapshotting;
    await this.writer?.close();
    await this.lock.release();
  }

  protected override readBound(): number | undefined {
    return this.writer?.durableSeq;
  }

  protected override noteCorruption(error: EventLogError): void {
    this.damageError ??= error;
  }

  protected override projectionFolded<U>(folded: Projection<D, U>, result: FoldResult<U>): void {
    const projection = this.settings.projection;
    const writer = this.writer;
    if (projection === undefined || folded.name !== projection.name || folded.version !== projection.version) return;
    if (writer !== null && result.seq === writer.durableSeq && result.hash !== null && result.position !== null) {
      this.head = { seq: result.seq, hash: result.hash, position: result.position, state: structuredClone(result.state) as unknown as T };
    }
  }

  private usableWriter(): SegmentWriter {
    this.assertOpen();
    if (this.damageError !== null) {
      throw new EventLogError(
        'log-damaged',
        `cannot append: the log is damaged (${this.damageError.message}); call repair() to move the damaged part aside`,
        { ...this.damageError.details },
        { cause: this.damageError },
      );
    }
    const writer = this.writer as SegmentWriter;
    if (writer.failed !== null) throw writer.failed;
    return writer;
  }

  private assertOpen(): void {
    if (this.closed) throw new EventLogError('closed', `cannot use the event log ${this.dir}: it was closed; open it again`);
  }

  private requireProjection(what: string): Projection<D, T> {
    const projection = this.settings.projection;
    if (projection === undefined) throw new EventLogError('invalid-options', `cannot ${what}: open the log with a projection`);
    return projection;
  }

  private async firstDamage(): Promise<EventLogError | null> {
    try {
      await this.verify({ decode: false });
      return null;
    } catch (error) {
      if (isEventLogError(error, 'corrupt-record') && typeof error.details.segment === 'string' && error.details.segment.startsWith('segment-')) return error;
      throw error;
    }
  }

  /** Advances the in-memory projection head over newly durable records and triggers auto snapshots. */
  private afterDurable(batch: readonly Appended[]): void {
    const projection = this.settings.projection;
    if (projection === undefined) return;
    for (const appended of batch) {
      if (this.head === null || this.head.seq !== appended.seq - 1) {
        this.head = null;
        break;
      }
      try {
        const event = this.schema.decode(JSON.parse(appended.line.toString('utf8')));
        this.head = { seq: appended.seq, hash: appended.hash, position: appended.position, state: projection.reduce(this.head.state, event) };
      } catch (error) {
        this.head = null;
        this.seams.report({ kind: 'projection-failed', message: `projection ${projection.name} failed at record ${appended.seq}: ${String(error)}`, details: { seq: appended.seq } });
        break;
      }
    }
    const last = batch[batch.length - 1];
    const every = this.settings.snapshotEvery;
    if (every > 0 && last !== undefined && !this.autoSnapshotPending && last.seq - this.lastSnapshotSeq >= every) {
      this.autoSnapshotPending = true;
      this.queueSnapshot(true)
        .catch((error: unknown) =>
          this.seams.report({ kind: 'snapshot-failed', message: `automatic snapshot failed: ${String(error)}`, details: { error: String(error) } }),
        )
        .finally(() => {
          this.autoSnapshotPending = false;
        });
    }
  }

  private async takeSnapshot(): Promise<{ file: string; seq: number } | null> {
    this.usableWriter();
    const projection = this.requireProjection('snapshot');
    const target = this.lastSeq;
    if (target === 0) return null;
    let head = this.head;
    if (head === null || head.seq !== target) {
      const folded = await foldLog(this.ctx, this.schema, projection.reduce, projection.initial, { projection, upToSeq: target });
      for (const rejected of folded.rejectedSnapshots) {
        this.seams.report({ kind: 'snapshot-rejected', message: `snapshot ${rejected.file} was not trusted: ${rejected.reason}`, details: { ...rejected } });
      }
      if (folded.hash === null || folded.position === null) return null;
      head = { seq: folded.seq, hash: folded.hash, position: folded.position, state: folded.state };
    }
    if (head.seq === this.lastSnapshotSeq) return null;
    const meta = { seq: head.seq, recordHash: head.hash, position: head.position, time: this.seams.clock().toISOString() };
    const file = await writeSnapshot(this.ctx, projection, meta, head.state);
    this.lastSnapshotSeq = Math.max(this.lastSnapshotSeq, head.seq);
    await pruneSnapshots(this.ctx, projection.name, this.settings.keepSnapshots);
    return { file, seq: head.seq };
  }
}

/**
 * Opens (creating if needed) a log for writing: takes the lock, removes leftovers of interrupted
 * atomic writes, verifies the newest segment and cuts a torn tail. Mid-file corruption throws
 * `corrupt-record` unless `allowDamaged` is set.
 */
export async function openEventLog<const D extends EventDefinitions, T = unknown>(options: EventLogOptions<D, T>): Promise<EventLog<D, T>> {
  const { dir, chunkSize, snapshotEvery, keepSnapshots, maxSegmentBytes, allowDamaged, verifyOnOpen } = options;
  const fields = { dir, chunkSize, snapshotEvery, keepSnapshots, maxSegmentBytes, allowDamaged, verifyOnOpen };
  const parsed = parseOptions(WriterOptionsSchema, fields, 'open the event log');
  const fs = options.fs ?? nodeFileSystem;
  const clock = options.clock ?? (() => new Date());
  const report = options.onReport ?? (() => undefined);
  const root = path.resolve(parsed.dir);
  const paths = logPaths(root);
  await io('create the log directory', root, () => fs.mkdir(root, { recursive: true }));
  await syncDir(fs, path.dirname(root));
  const lock = await acquireLock(fs, paths.lock, options.processProbe ?? nodeProcessProbe, clock());
  let log: EventLog<D, T> | undefined;
  try {
    const removedTempFiles = [...(await removeTempFiles(fs, root)), ...(await removeTempFiles(fs, paths.snapshots))];
    const recovery: RecoveryReport = { tornTail: null, lockTakenOver: lock.takenOver, removedTempFiles, damage: null };
    log = new EventLog(options.schema, { ...parsed, dir: root, projection: options.projection }, { fs, clock, report }, lock, recovery);
    await log.start();
    if (log.damage === null && parsed.verifyOnOpen === 'all') await log.verify({ decode: false }).catch(rethrowUnlessCorrupt);
    if (log.damage !== null && !parsed.allowDamaged) throw log.damage;
    recovery.damage = log.damage;
    emitRecovery(recovery, report);
    return log;
  } catch (error) {
    await (log?.close() ?? lock.release()).catch(() => undefined);
    throw error;
  }
}

function rethrowUnlessCorrupt(error: unknown): void {
  if (!isEventLogError(error, 'corrupt-record')) throw error;
}

function emitRecovery(recovery: RecoveryReport, report: (report: LogReport) => void): void {
  const torn = recovery.tornTail;
  if (torn !== null) {
    report({ kind: 'torn-tail-cut', message: `cut ${torn.bytes} torn bytes from ${torn.segment} at line ${torn.line} (${torn.reason})`, details: { ...torn } });
  }
  if (recovery.lockTakenOver !== null) {
    report({ kind: 'lock-taken-over', message: `took over the stale lock of dead process ${recovery.lockTakenOver.pid}`, details: { ...recovery.lockTakenOver } });
  }
  if (recovery.removedTempFiles.length > 0) {
    report({ kind: 'temp-files-removed', message: `removed ${recovery.removedTempFiles.length} leftover temporary files`, details: { files: recovery.removedTempFiles } });
  }
}
