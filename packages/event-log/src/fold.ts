import type { z } from 'zod';
import { EventLogError, isEventLogError } from './errors.js';
import { isProjectionName, type SegmentInfo } from './layout.js';
import { listSegments, readFrom, startOfLog, type LogContext, type ReadEnd, type RecordPosition } from './log-scan.js';
import type { EventDefinitions, EventSchema, LoggedEvent } from './schema.js';
import type { RecordBatch, ScanStart, TornTail } from './segment-reader.js';
import { listSnapshots, loadSnapshot, type RejectedSnapshot } from './snapshot-store.js';

/** A reducer over the events of a log. It must be pure and treat its input state as read-only. */
export type Reducer<D extends EventDefinitions, T> = (state: T, event: LoggedEvent<D>) => T;

/** A named, versioned reducer whose states can be snapshotted. Bump `version` when `reduce` changes. */
export interface Projection<D extends EventDefinitions, T> {
  /** Lowercase letters, digits and dashes; it is part of snapshot file names. */
  name: string;
  version: number;
  initial: T;
  reduce: Reducer<D, T>;
  /** Validates a snapshot's state before it is trusted (recommended). */
  state?: z.ZodType<T> | undefined;
}

/** Checks and returns a projection; `schema` only ties its event type to the log's. */
export function defineProjection<D extends EventDefinitions, T>(
  _schema: EventSchema<D>,
  projection: Projection<D, T>,
): Projection<D, T> {
  if (!isProjectionName(projection.name)) {
    throw new EventLogError(
      'invalid-options',
      `cannot define projection "${projection.name}": use 1-64 lowercase letters, digits and dashes`,
    );
  }
  if (!Number.isInteger(projection.version) || projection.version < 1) {
    throw new EventLogError(
      'invalid-options',
      `cannot define projection "${projection.name}": version must be an integer >= 1`,
    );
  }
  return projection;
}

/** The outcome of a fold. */
export interface FoldResult<T> {
  state: T;
  /** Seq of the last event folded (0 for an empty log). */
  seq: number;
  /** Hash of that event. */
  hash: string | null;
  /** Position of that event. */
  position: RecordPosition | null;
  /** The snapshot the fold resumed from, if any. */
  snapshot: { file: string; seq: number } | null;
  /** Snapshots that were found but not trusted, newest first. */
  rejectedSnapshots: RejectedSnapshot[];
  /** A torn tail of the newest segment the fold stopped at (only seen by readers while a writer is down). */
  torn: TornTail | null;
}

/** Options of {@link foldLog}. */
export interface FoldOptions<D extends EventDefinitions, T> {
  /** Resume from the newest valid snapshot of this projection. */
  projection?: Projection<D, T> | undefined;
  /** Fold only up to this seq. */
  upToSeq?: number | undefined;
  /** Segments to read (listed by the caller to share one directory listing). */
  segments?: readonly SegmentInfo[] | undefined;
}

/** Folds the log in constant memory, resuming from the newest valid snapshot when a projection is given. */
export async function foldLog<D extends EventDefinitions, T>(
  ctx: LogContext,
  schema: EventSchema<D>,
  reduce: Reducer<D, T>,
  initial: T,
  options: FoldOptions<D, T> = {},
): Promise<FoldResult<T>> {
  const segments = options.segments ?? (await listSegments(ctx));
  const rejectedSnapshots: RejectedSnapshot[] = [];
  let state = structuredClone(initial);
  let start: ScanStart | undefined;
  let snapshot: FoldResult<T>['snapshot'] = null;
  let position: RecordPosition | null = null;
  if (options.projection !== undefined) {
    for (const candidate of await listSnapshots(ctx, options.projection.name)) {
      if (options.upToSeq !== undefined && candidate.seq > options.upToSeq) continue;
      const loaded = await loadSnapshot(ctx, segments, candidate.file, options.projection);
      if ('reason' in loaded) {
        rejectedSnapshots.push(loaded);
        continue;
      }
      state = loaded.state as T;
      start = loaded.resume;
      snapshot = { file: loaded.file, seq: loaded.seq };
      position = loaded.position;
      break;
    }
  }
  start ??= await startOfLog(ctx, segments);
  const base = { snapshot, rejectedSnapshots };
  if (start === undefined) return { state, seq: 0, hash: null, position: null, torn: null, ...base };
  if (options.upToSeq !== undefined && start.expectSeq > options.upToSeq) {
    return { state, seq: start.expectSeq - 1, hash: start.prevHash, position, torn: null, ...base };
  }
  const read = readFrom(ctx, segments, start, options.upToSeq);
  let step: IteratorResult<RecordBatch, ReadEnd>;
  try {
    step = await read.next();
    while (step.done !== true) {
      for (const record of step.value.records) state = applyOne(reduce, state, schema.decode(record));
      step = await read.next();
    }
  } finally {
    await read.return(undefined as never);
  }
  const end = step.value;
  return { state, seq: end.lastSeq, hash: end.lastHash, position: end.last ?? position, torn: end.torn, ...base };
}

function applyOne<D extends EventDefinitions, T>(reduce: Reducer<D, T>, state: T, event: LoggedEvent<D>): T {
  try {
    return reduce(state, event);
  } catch (error) {
    if (isEventLogError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new EventLogError(
      'reducer-failed',
      `cannot fold record ${event.seq} (${event.type}): the reducer threw: ${reason}`,
      { seq: event.seq, type: event.type },
      { cause: error },
    );
  }
}
