import path from 'node:path';
import { z } from 'zod';
import { EventLogError, formatIssues, isEventLogError } from './errors.js';
import { foldLog, type FoldResult, type Projection, type Reducer } from './fold.js';
import { nodeFileSystem, type FileSystem } from './fs-seam.js';
import { logPaths } from './layout.js';
import { listSegments, readFrom, segmentHolding, startOfLog, type LogContext } from './log-scan.js';
import type { EventDefinitions, EventSchema, LoggedEvent } from './schema.js';
import type { ScanStart, TornTail } from './segment-reader.js';

/** Options of {@link EventLogReader.read}. */
export interface ReadOptions {
  /** First seq to return (default: the first kept record). */
  fromSeq?: number;
  /** Last seq to return (default: the end of the log). */
  toSeq?: number;
}

/** Options of `fold`. */
export interface FoldCallOptions {
  /** Fold only up to this seq. */
  upToSeq?: number;
}

/** The outcome of {@link EventLogReader.verify}. */
export interface VerifyResult {
  segments: number;
  /** Seq of the first kept record (0 for an empty log). */
  firstSeq: number;
  lastSeq: number;
  lastHash: string | null;
  records: number;
  /** A torn tail of the newest segment (a writer cuts it when it opens). */
  torn: TornTail | null;
}

/** Options of {@link openEventLogReader}. */
export interface ReaderOptions<D extends EventDefinitions> {
  /** The log directory. */
  dir: string;
  schema: EventSchema<D>;
  fs?: FileSystem;
  /** Read buffer size in bytes (default 1 MiB). */
  chunkSize?: number;
}

export const ReaderOptionsSchema = z.object({
  dir: z.string().min(1, 'dir must name the log directory'),
  chunkSize: z.number().int().min(4096, 'chunkSize must be at least 4096 bytes').optional(),
});

/** Parses plain option fields, turning failures into `invalid-options` errors. */
export function parseOptions<T>(schema: z.ZodType<T>, options: unknown, what: string): T {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  throw new EventLogError('invalid-options', `cannot ${what}: ${formatIssues(parsed.error).join('; ')}`, {
    issues: formatIssues(parsed.error),
  });
}

/**
 * Reads a log without taking the writer's lock: any number of readers, also while a writer appends.
 * Reads stop at the end of the last complete valid record; a partial last line is never returned.
 */
export class EventLogReader<D extends EventDefinitions> {
  protected readonly ctx: LogContext;

  constructor(
    readonly dir: string,
    readonly schema: EventSchema<D>,
    fs: FileSystem,
    chunkSize: number | undefined,
  ) {
    this.ctx = { fs, paths: logPaths(path.resolve(dir)), chunkSize };
  }

  /** The highest seq reads may return (the writer bounds it to what is durable). */
  protected readBound(): number | undefined {
    return undefined;
  }

  /** Called when a read meets corruption (the writer stops appending). */
  protected noteCorruption(_error: EventLogError): void {
    return undefined;
  }

  /** Called after a projection was folded (the writer keeps its state to snapshot it). */
  protected projectionFolded<T>(_projection: Projection<D, T>, _result: FoldResult<T>): void {
    return undefined;
  }

  /** Streams events in order, upcast and validated, in constant memory. */
  async *read(options: ReadOptions = {}): AsyncGenerator<LoggedEvent<D>, void> {
    const upTo = minDefined(options.toSeq, this.readBound());
    const segments = await listSegments(this.ctx);
    let start = await startOfLog(this.ctx, segments);
    if (start === undefined) return;
    const from = options.fromSeq ?? 0;
    const holder = segmentHolding(segments, from);
    if (holder !== undefined && holder !== start.segment) {
      start = {
        segment: holder,
        offset: 0,
        linesBefore: 0,
        expectSeq: holder.firstSeq,
        prevHash: null,
      } satisfies ScanStart;
    }
    if (upTo !== undefined && upTo < start.expectSeq) return;
    const reading = this.guard(readFrom(this.ctx, segments, start, upTo));
    for await (const batch of reading) {
      for (const record of batch.records) if (record.seq >= from) yield this.schema.decode(record);
    }
  }

  /** Folds every event from the first kept one with an ad-hoc reducer (no snapshots: they belong to projections). */
  fold<T>(reduce: Reducer<D, T>, initial: T, options?: FoldCallOptions): Promise<FoldResult<T>>;
  /** Folds a projection, resuming from its newest valid snapshot; rejected snapshots are reported in the result. */
  fold<T>(projection: Projection<D, T>, options?: FoldCallOptions): Promise<FoldResult<T>>;
  async fold<T>(
    first: Reducer<D, T> | Projection<D, T>,
    second?: T | FoldCallOptions,
    third?: FoldCallOptions,
  ): Promise<FoldResult<T>> {
    const isReducer = typeof first === 'function';
    const options = (isReducer ? third : (second as FoldCallOptions | undefined)) ?? {};
    const upToSeq = minDefined(options.upToSeq, this.readBound());
    try {
      if (isReducer) return await foldLog(this.ctx, this.schema, first, second as T, { upToSeq });
      const result = await foldLog(this.ctx, this.schema, first.reduce, first.initial, { projection: first, upToSeq });
      this.projectionFolded(first, result);
      return result;
    } catch (error) {
      if (isEventLogError(error, 'corrupt-record')) this.noteCorruption(error);
      throw error;
    }
  }

  /**
   * Verifies the whole log: every line, the hash chain across segments, and (with `decode`, the
   * default) that every payload decodes under the schema. Throws the first error found.
   */
  async verify(options: { decode?: boolean } = {}): Promise<VerifyResult> {
    const segments = await listSegments(this.ctx);
    const start = await startOfLog(this.ctx, segments);
    if (start === undefined) return { segments: 0, firstSeq: 0, lastSeq: 0, lastHash: null, records: 0, torn: null };
    const reading = readFrom(this.ctx, segments, start, this.readBound());
    let records = 0;
    try {
      let step = await reading.next();
      while (step.done !== true) {
        records += step.value.records.length;
        if (options.decode !== false) for (const record of step.value.records) this.schema.decode(record);
        step = await reading.next();
      }
      const end = step.value;
      return {
        segments: segments.length,
        firstSeq: start.expectSeq,
        lastSeq: end.lastSeq,
        lastHash: end.lastHash,
        records,
        torn: end.torn,
      };
    } catch (error) {
      if (isEventLogError(error, 'corrupt-record')) this.noteCorruption(error);
      throw error;
    } finally {
      await reading.return(undefined as never);
    }
  }

  private async *guard<T>(source: AsyncGenerator<T, unknown>): AsyncGenerator<T, void> {
    try {
      yield* source;
    } catch (error) {
      if (isEventLogError(error, 'corrupt-record')) this.noteCorruption(error);
      throw error;
    }
  }
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** Opens a log for reading only (no lock; the directory must exist). */
export async function openEventLogReader<const D extends EventDefinitions>(
  options: ReaderOptions<D>,
): Promise<EventLogReader<D>> {
  const parsed = parseOptions(
    ReaderOptionsSchema,
    { dir: options.dir, chunkSize: options.chunkSize },
    'open the event log for reading',
  );
  const fs = options.fs ?? nodeFileSystem;
  try {
    await fs.stat(parsed.dir);
  } catch (error) {
    throw new EventLogError(
      'io-failed',
      `cannot open the event log ${parsed.dir} for reading: ${String(error)}`,
      { path: parsed.dir },
      { cause: error },
    );
  }
  return new EventLogReader(parsed.dir, options.schema, fs, parsed.chunkSize);
}
