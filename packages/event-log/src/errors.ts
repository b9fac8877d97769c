import { z } from 'zod';

/** Stable error codes: branch on these, never on message text. */
export type EventLogErrorCode =
  | 'invalid-options'
  | 'invalid-schema'
  | 'invalid-event'
  | 'locked'
  | 'lock-failed'
  | 'corrupt-record'
  | 'unknown-event-type'
  | 'invalid-payload'
  | 'unsupported-version'
  | 'upcast-failed'
  | 'log-damaged'
  | 'write-failed'
  | 'closed'
  | 'no-snapshot'
  | 'reducer-failed'
  | 'invalid-state'
  | 'io-failed';

const codes = [
  'invalid-options',
  'invalid-schema',
  'invalid-event',
  'locked',
  'lock-failed',
  'corrupt-record',
  'unknown-event-type',
  'invalid-payload',
  'unsupported-version',
  'upcast-failed',
  'log-damaged',
  'write-failed',
  'closed',
  'no-snapshot',
  'reducer-failed',
  'invalid-state',
  'io-failed',
] as const satisfies readonly EventLogErrorCode[];

/** Why a record failed verification (`details.reason` of a `corrupt-record` error). */
export type CorruptionReason =
  'unparsable' | 'bad-hash' | 'bad-envelope' | 'chain-broken' | 'sequence-gap' | 'truncated';

/** Data fields an error may carry; which ones depends on the code. */
export interface EventLogErrorDetails {
  /** Segment file name (not path) holding the bad record. */
  segment?: string;
  /** 1-based line number inside `segment`. */
  line?: number;
  /** Byte offset of that line inside `segment`. */
  offset?: number;
  /** Sequence number of the record concerned. */
  seq?: number;
  /** Event type concerned. */
  type?: string;
  reason?: CorruptionReason | string;
  /** Pid of the process holding the lock. */
  pid?: number;
  /** File or directory path concerned. */
  path?: string;
  /** Validation issues, one sentence each. */
  issues?: string[];
  [field: string]: unknown;
}

/** JSON form written by {@link EventLogError.toJSON}. */
export interface EventLogErrorJSON {
  name: 'EventLogError';
  code: EventLogErrorCode;
  message: string;
  details: EventLogErrorDetails;
  cause?: { name: string; message: string; code?: string };
}

const brand: unique symbol = Symbol.for('@charms/event-log.error');

/** The one error class of this package; `code` says what went wrong, `details` where. */
export class EventLogError extends Error {
  override readonly name = 'EventLogError';
  readonly code: EventLogErrorCode;
  readonly details: EventLogErrorDetails;
  readonly [brand] = true;

  constructor(
    code: EventLogErrorCode,
    message: string,
    details: EventLogErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = details;
  }

  toJSON(): EventLogErrorJSON {
    const json: EventLogErrorJSON = {
      name: 'EventLogError',
      code: this.code,
      message: this.message,
      details: this.details,
    };
    if (this.cause !== undefined) json.cause = summarizeCause(this.cause);
    return json;
  }

  /** Rebuilds an error from {@link toJSON} output (for example one read back from a log or a pipe). */
  static fromJSON(value: unknown): EventLogError {
    const json = ErrorJSONSchema.parse(value);
    const cause = json.cause === undefined ? undefined : Object.assign(new Error(json.cause.message), json.cause);
    return new EventLogError(
      json.code,
      json.message,
      json.details as EventLogErrorDetails,
      cause === undefined ? undefined : { cause },
    );
  }
}

const ErrorJSONSchema = z.object({
  name: z.literal('EventLogError'),
  code: z.enum(codes),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  cause: z.object({ name: z.string(), message: z.string(), code: z.string().optional() }).optional(),
});

/** True for errors of this package, also across duplicate copies of it. */
export function isEventLogError(value: unknown, code?: EventLogErrorCode): value is EventLogError {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[brand] !== true) return false;
  return code === undefined || (value as EventLogError).code === code;
}

function summarizeCause(cause: unknown): { name: string; message: string; code?: string } {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string'
      ? { name: cause.name, message: cause.message, code }
      : { name: cause.name, message: cause.message };
  }
  return { name: 'Error', message: String(cause) };
}

/** Wraps a failed filesystem call as an `io-failed` error naming the operation and path. */
export function ioError(operation: string, path: string, cause: unknown): EventLogError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new EventLogError('io-failed', `cannot ${operation} ${path}: ${reason}`, { path, operation }, { cause });
}

/** Formats zod issues as one sentence each, with the path in the payload. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `${where}: ${issue.message}`;
  });
}
