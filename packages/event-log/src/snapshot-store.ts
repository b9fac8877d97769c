import { z } from 'zod';
import { EventLogError, isEventLogError } from './errors.js';
import { hasErrno, readdirOrEmpty, syncDir, writeFileAtomic } from './fs-seam.js';
import { parseSnapshotName, snapshotName, type SegmentInfo } from './layout.js';
import type { LogContext, RecordPosition } from './log-scan.js';
import { sealJson, unsealJson } from './sealed-json.js';
import { drainScan, scanSegment, type ScanStart } from './segment-reader.js';

const SNAPSHOT_FORMAT = 'charms.event-log.snapshot/1';

const SnapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  projection: z.string(),
  projectionVersion: z.number().int().positive(),
  seq: z.number().int().positive(),
  recordHash: z.string().regex(/^[0-9a-f]{64}$/),
  segment: z.string(),
  offset: z.number().int().nonnegative(),
  line: z.number().int().positive(),
  time: z.string(),
  state: z.unknown(),
});

/** Which projection a snapshot belongs to; snapshots of other names or versions are never used. */
export interface SnapshotKey {
  name: string;
  version: number;
  /** Validates the stored state before it is trusted. */
  state?: z.ZodType | undefined;
}

/** What a snapshot records besides the state. */
export interface SnapshotMeta {
  seq: number;
  recordHash: string;
  position: RecordPosition;
  time: string;
}

/** A snapshot that was found and verified. */
export interface LoadedSnapshot {
  file: string;
  seq: number;
  state: unknown;
  /** Position of the snapshot's record. */
  position: RecordPosition;
  /** Where reading resumes: just after the snapshot's record. */
  resume: ScanStart;
}

/** A snapshot file that was not used, and why. */
export interface RejectedSnapshot {
  file: string;
  reason: string;
}

/** Writes a snapshot atomically (temporary file, fsync, rename, directory fsync); returns its file name. */
export async function writeSnapshot(
  ctx: LogContext,
  key: SnapshotKey,
  meta: SnapshotMeta,
  state: unknown,
): Promise<string> {
  const name = snapshotName(key.name, meta.seq);
  const fields = {
    format: SNAPSHOT_FORMAT,
    projection: key.name,
    projectionVersion: key.version,
    seq: meta.seq,
    recordHash: meta.recordHash,
    segment: meta.position.segment,
    offset: meta.position.offset,
    line: meta.position.line,
    time: meta.time,
    state,
  };
  let data: string;
  try {
    data = sealJson(fields);
  } catch (error) {
    throw new EventLogError(
      'invalid-state',
      `cannot snapshot projection "${key.name}": its state is not JSON-serializable (${String(error)})`,
      {
        seq: meta.seq,
      },
    );
  }
  await ctx.fs.mkdir(ctx.paths.snapshots, { recursive: true });
  await syncDir(ctx.fs, ctx.paths.dir);
  await writeFileAtomic(ctx.fs, ctx.paths.snapshot(name), data);
  return name;
}

/** Snapshot files of projection `name`, newest first. */
export async function listSnapshots(ctx: LogContext, name: string): Promise<{ file: string; seq: number }[]> {
  const found: { file: string; seq: number }[] = [];
  for (const entry of await readdirOrEmpty(ctx.fs, ctx.paths.snapshots)) {
    const parsed = parseSnapshotName(entry);
    if (parsed !== undefined && parsed.projection === name) found.push({ file: parsed.name, seq: parsed.seq });
  }
  return found.sort((a, b) => b.seq - a.seq);
}

/**
 * Reads and verifies one snapshot: its seal, its projection name and version, its state schema, and
 * that the log still holds its record with the same hash. Returns the reason when it cannot be trusted.
 */
export async function loadSnapshot(
  ctx: LogContext,
  segments: readonly SegmentInfo[],
  file: string,
  key: SnapshotKey,
): Promise<LoadedSnapshot | RejectedSnapshot> {
  const reject = (reason: string): RejectedSnapshot => ({ file, reason });
  let data: Buffer;
  try {
    data = await ctx.fs.readFile(ctx.paths.snapshot(file));
  } catch (error) {
    return reject(hasErrno(error, 'ENOENT') ? 'file vanished' : `unreadable: ${String(error)}`);
  }
  const sealed = unsealJson(data);
  if ('reason' in sealed) return reject(sealed.reason);
  const parsed = SnapshotSchema.safeParse(sealed.value);
  if (!parsed.success)
    return reject(`unexpected fields: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const snap = parsed.data;
  if (snap.projection !== key.name || snap.projectionVersion !== key.version) {
    return reject(
      `made for projection ${snap.projection} version ${snap.projectionVersion}, not ${key.name} version ${key.version}`,
    );
  }
  if (parseSnapshotName(file)?.seq !== snap.seq) return reject(`file name does not match its seq ${snap.seq}`);
  const segment = segments.find((s) => s.name === snap.segment);
  if (segment === undefined) return reject(`its segment ${snap.segment} is not in the log`);
  const start: ScanStart = {
    segment,
    offset: snap.offset,
    linesBefore: snap.line - 1,
    expectSeq: snap.seq,
    prevHash: null,
  };
  let end;
  try {
    end = await drainScan(
      scanSegment(start, {
        fs: ctx.fs,
        dir: ctx.paths.dir,
        mode: 'verify',
        last: false,
        upToSeq: snap.seq,
        chunkSize: 1 << 16,
      }),
    );
  } catch (error) {
    if (!isEventLogError(error)) throw error;
    return reject(
      `its record ${snap.seq} is not at ${snap.segment} byte ${snap.offset}: ${error.details.reason ?? error.code}`,
    );
  }
  if (!end.stopped) return reject(`its record ${snap.seq} is not in the log`);
  if (end.lastHash !== snap.recordHash)
    return reject(`record ${snap.seq} has another hash than the snapshot recorded (a different history)`);
  if (key.state !== undefined) {
    const state = key.state.safeParse(snap.state);
    if (!state.success)
      return reject(`state does not match the projection's schema: ${state.error.issues[0]?.message ?? ''}`);
    snap.state = state.data;
  }
  const resume: ScanStart = {
    segment,
    offset: end.endOffset,
    linesBefore: snap.line,
    expectSeq: snap.seq + 1,
    prevHash: snap.recordHash,
  };
  const position = { segment: snap.segment, offset: snap.offset, line: snap.line };
  return { file, seq: snap.seq, state: snap.state, position, resume };
}

/** Deletes all but the newest `keep` snapshots of `name`; snapshots are derived data. */
export async function pruneSnapshots(ctx: LogContext, name: string, keep: number): Promise<string[]> {
  const removed: string[] = [];
  for (const { file } of (await listSnapshots(ctx, name)).slice(keep)) {
    await ctx.fs.unlink(ctx.paths.snapshot(file)).catch(() => undefined);
    removed.push(file);
  }
  return removed;
}
