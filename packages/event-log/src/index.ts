/**
 * @charms/event-log: a durable, typed, crash-safe append-only event log.
 *
 * - {@link openEventLog}: the single writer (lock), append with group commit, fold, snapshots,
 *   compaction and repair.
 * - {@link openEventLogReader}: lock-free readers.
 * - {@link defineEventSchema}, {@link secret}, {@link defineProjection}: typed, versioned events and reducers.
 */
export { openEventLog } from './open-event-log.js';
export { EventLog } from './event-log.js';
export type { AppendResult, RepairResult } from './event-log.js';
export type { EventLogOptions, LogReport, RecoveryReport } from './writer-options.js';
export { openEventLogReader, EventLogReader } from './reader.js';
export type { FoldCallOptions, ReadOptions, ReaderOptions, VerifyResult } from './reader.js';
export { defineEventSchema } from './schema.js';
export type {
  DefinitionsOf,
  EncodedEvent,
  EventDefinitions,
  EventInput,
  EventMeta,
  EventOf,
  EventSchema,
  EventTypeDefinition,
  LoggedEvent,
} from './schema.js';
export { defineProjection } from './fold.js';
export type { FoldResult, Projection, Reducer } from './fold.js';
export { secret, secretRef, digestSecret, SecretRefSchema } from './secret.js';
export type { SecretRef } from './secret.js';
export { EventLogError, isEventLogError } from './errors.js';
export type { CorruptionReason, EventLogErrorCode, EventLogErrorDetails, EventLogErrorJSON } from './errors.js';
export type { CompactResult, RetentionPolicy } from './compact.js';
export type { RejectedSnapshot } from './snapshot-store.js';
export type { TornTail } from './segment-reader.js';
export type { RecordPosition } from './log-scan.js';
export type { RawRecord } from './record-codec.js';
export { GENESIS_HASH } from './record-codec.js';
export { nodeFileSystem } from './fs-seam.js';
export type { FileHandle, FileSystem } from './fs-seam.js';
export { nodeProcessProbe } from './lock.js';
export type { ProcessProbe } from './lock.js';
