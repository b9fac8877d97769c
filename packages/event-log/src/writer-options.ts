import { z } from 'zod';
import type { EventLogError } from './errors.js';
import type { Projection } from './fold.js';
import type { FileSystem } from './fs-seam.js';
import type { ProcessProbe } from './lock.js';
import { ReaderOptionsSchema } from './reader.js';
import type { EventDefinitions, EventSchema } from './schema.js';
import type { TornTail } from './segment-reader.js';

/** Something the log wants a person to know about; it did not stop the operation. */
export interface LogReport {
  kind:
    | 'torn-tail-cut'
    | 'lock-taken-over'
    | 'temp-files-removed'
    | 'snapshot-rejected'
    | 'snapshot-failed'
    | 'projection-failed';
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

/** The plain option fields of a writer, with their defaults. */
export const WriterOptionsSchema = ReaderOptionsSchema.extend({
  snapshotEvery: z.number().int().nonnegative().default(1000),
  keepSnapshots: z.number().int().min(1).default(3),
  maxSegmentBytes: z
    .number()
    .int()
    .min(1024, 'maxSegmentBytes must be at least 1024')
    .default(4 << 20),
  allowDamaged: z.boolean().default(false),
  verifyOnOpen: z.enum(['newest-segment', 'all']).default('newest-segment'),
});

/** Parsed writer settings as the log keeps them. */
export type WriterSettings<D extends EventDefinitions, T> = z.infer<typeof WriterOptionsSchema> & {
  projection: Projection<D, T> | undefined;
};
