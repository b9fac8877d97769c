import { compactBefore, type CompactResult, type RetentionPolicy } from './compact.js';
import { EventLogError, isEventLogError } from './errors.js';
import { foldLog, type FoldResult, type Projection } from './fold.js';
import { syncDir, type FileSystem } from './fs-seam.js';
import { listSegments, type RecordPosition } from './log-scan.js';
import type { HeldLock } from './lock.js';
import { EventLogReader } from './reader.js';
import { recoverTail } from './recovery.js';
import { moveDamageAside } from './repair.js';
import type { EventDefinitions, EventInput, EventSchema } from './schema.js';
import { openSegmentForAppend, SegmentWriter, type Appended } from './segment-writer.js';
import { listSnapshots, loadSnapshot, pruneSnapshots, writeSnapshot } from './snapshot-store.js';
import type { LogReport, RecoveryReport, WriterSettings } from './writer-options.js';

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

  /** @internal use `openEventLog` */
  constructor(
    schema: EventSchema<D>,
    private readonly settings: WriterSettings<D, T>,
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
    this.writer = new SegmentWriter(
      this.ctx.fs,
      this.ctx.paths,
      handle,
      tail.state,
      this.settings.maxSegmentBytes,
      (batch) => this.afterDurable(batch),
    );
    if (tail.torn !== null) this.recovery.tornTail ??= tail.torn;
    const projection = this.settings.projection;
    this.lastSnapshotSeq =
      projection === undefined ? 0 : ((await listSnapshots(this.ctx, projection.name))[0]?.seq ?? 0);
  }

  /**
   * Validates, records and durably stores one event; resolves after fdatasync. Concurrent appends
   * share one sync (group commit) and keep their call order.
   */
  async append(event: EventInput<D>): Promise<AppendResult> {
    const writer = this.usableWriter();
    const encoded = this.schema.encode(event);
    const appended = await writer.append(
      this.seams.clock().toISOString(),
      encoded.type,
      encoded.v,
      encoded.payloadJson,
    );
    return { seq: appended.seq, time: appended.time, hash: appended.hash };
  }

  /** Writes a snapshot of the projection at the last durable record; null for an empty log. */
  snapshot(): Promise<{ file: string; seq: number } | null> {
    const next = this.snapshotting.then(() => this.takeSnapshot(false));
    this.snapshotting = next.catch(() => undefined);
    return next;
  }

  /**
   * Removes the segments wholly before the newest verified snapshot of the projection: archived to
   * `archive/` or dropped, as `policy` says. Nothing is ever removed without this call.
   */
  async compact(options: {
    policy: RetentionPolicy;
  }): Promise<CompactResult & { snapshot: { file: string; seq: number } }> {
    this.usableWriter();
    if (options.policy !== 'archive' && options.policy !== 'drop') {
      throw new EventLogError(
        'invalid-options',
        `cannot compact: policy must be "archive" or "drop", got ${String(options.policy)}`,
      );
    }
    const projection = this.requireProjection('compact');
    await this.settleSnapshots();
    const segments = await listSegments(this.ctx);
    for (const candidate of await listSnapshots(this.ctx, projection.name)) {
      const loaded = await loadSnapshot(this.ctx, segments, candidate.file, projection);
      if ('reason' in loaded) {
        this.seams.report({
          kind: 'snapshot-rejected',
          message: `snapshot ${loaded.file} was not trusted: ${loaded.reason}`,
          details: { ...loaded },
        });
        continue;
      }
      const result = await compactBefore(this.ctx, segments, loaded.seq, options.policy);
      return { ...result, snapshot: { file: loaded.file, seq: loaded.seq } };
    }
    throw new EventLogError(
      'no-snapshot',
      `cannot compact: projection "${projection.name}" has no verified snapshot; call snapshot() first`,
    );
  }

  /**
   * Moves the damaged part of the log aside (renamed to `*.damaged-<time>`, never deleted), so that
   * appends can continue after the last good record. Without damage it verifies the log and changes nothing.
   */
  async repair(): Promise<RepairResult> {
    this.assertOpen();
    await this.writer?.drain();
    await this.settleSnapshots();
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
    await this.settleSnapshots();
    await this.writer?.close();
    await this.lock.release();
  }

  /** Waits until no snapshot is being written, including ones queued meanwhile. */
  private async settleSnapshots(): Promise<void> {
    for (let pending = this.snapshotting; ; pending = this.snapshotting) {
      await pending;
      if (pending === this.snapshotting) return;
    }
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
      this.head = {
        seq: result.seq,
        hash: result.hash,
        position: result.position,
        state: structuredClone(result.state) as unknown as T,
      };
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
    if (this.closed)
      throw new EventLogError('closed', `cannot use the event log ${this.dir}: it was closed; open it again`);
  }

  private requireProjection(what: string): Projection<D, T> {
    const projection = this.settings.projection;
    if (projection === undefined)
      throw new EventLogError('invalid-options', `cannot ${what}: open the log with a projection`);
    return projection;
  }

  private async firstDamage(): Promise<EventLogError | null> {
    try {
      await this.verify({ decode: false });
      return null;
    } catch (error) {
      if (
        isEventLogError(error, 'corrupt-record') &&
        typeof error.details.segment === 'string' &&
        error.details.segment.startsWith('segment-')
      )
        return error;
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
        this.head = {
          seq: appended.seq,
          hash: appended.hash,
          position: appended.position,
          state: projection.reduce(this.head.state, event),
        };
      } catch (error) {
        this.head = null;
        this.seams.report({
          kind: 'projection-failed',
          message: `projection ${projection.name} failed at record ${appended.seq}: ${String(error)}`,
          details: { seq: appended.seq },
        });
        break;
      }
    }
    this.maybeAutoSnapshot();
  }

  /**
   * Starts background snapshots while `snapshotEvery` records were added since the last one. The work
   * is chained on `snapshotting`, so `close()` waits for all of it.
   */
  private maybeAutoSnapshot(): void {
    if (this.autoSnapshotPending || !this.snapshotDue()) return;
    this.autoSnapshotPending = true;
    const run = async (): Promise<void> => {
      try {
        for (let before = this.lastSnapshotSeq; this.snapshotDue(); before = this.lastSnapshotSeq) {
          await this.takeSnapshot(true);
          if (this.lastSnapshotSeq === before) break;
        }
      } catch (error) {
        this.seams.report({
          kind: 'snapshot-failed',
          message: `automatic snapshot failed: ${String(error)}`,
          details: { error: String(error) },
        });
      } finally {
        this.autoSnapshotPending = false;
      }
    };
    this.snapshotting = this.snapshotting.then(run);
  }

  private snapshotDue(): boolean {
    const every = this.settings.snapshotEvery;
    return every > 0 && this.lastSeq - this.lastSnapshotSeq >= every;
  }

  private async takeSnapshot(auto: boolean): Promise<{ file: string; seq: number } | null> {
    if (!auto) this.usableWriter();
    else if (this.writer === null || this.writer.failed !== null || this.damageError !== null) return null;
    const projection = this.requireProjection('snapshot');
    const target = this.lastSeq;
    if (target === 0) return null;
    let head = this.head;
    if (head === null || head.seq !== target) {
      const folded = await foldLog(this.ctx, this.schema, projection.reduce, projection.initial, {
        projection,
        upToSeq: target,
      });
      for (const rejected of folded.rejectedSnapshots) {
        this.seams.report({
          kind: 'snapshot-rejected',
          message: `snapshot ${rejected.file} was not trusted: ${rejected.reason}`,
          details: { ...rejected },
        });
      }
      if (folded.hash === null || folded.position === null) return null;
      head = { seq: folded.seq, hash: folded.hash, position: folded.position, state: folded.state };
    }
    if (head.seq === this.lastSnapshotSeq) return null;
    const meta = {
      seq: head.seq,
      recordHash: head.hash,
      position: head.position,
      time: this.seams.clock().toISOString(),
    };
    const file = await writeSnapshot(this.ctx, projection, meta, head.state);
    this.lastSnapshotSeq = Math.max(this.lastSnapshotSeq, head.seq);
    await pruneSnapshots(this.ctx, projection.name, this.settings.keepSnapshots);
    return { file, seq: head.seq };
  }
}
