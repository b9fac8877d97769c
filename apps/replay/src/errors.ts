import { isEventLogError } from '@charms/event-log';
import { z } from 'zod';

/** Stable error codes of charm-replay: branch on these, never on message text. */
export const REPLAY_ERROR_CODES = [
  /** Bad command-line input (exit 2). */
  'usage',
  /** The log, charm dir or model dir does not exist or holds no event log. */
  'log-not-found',
  /** `--unit` names no pod of the charm-sim model. */
  'unit-not-found',
  /** The charm that wrote the log is not one charm-replay knows (or cannot be told). */
  'unknown-charm',
  /** A seq outside the records the log holds. */
  'seq-out-of-range',
  /** A record or the hash chain fails verification (event-log `corrupt-record`). */
  'corrupt-log',
  /** A snapshot is damaged or disagrees with a fold from the start. */
  'corrupt-snapshot',
  /** A record does not decode under the charm's event schema (another charm, a newer revision). */
  'undecodable-record',
  /** The question does not apply to this charm (e.g. `why role` for sentinel). */
  'unsupported-question',
  /** A `--config k=v` override names an unknown option or has a value of the wrong type. */
  'bad-config-override',
  /** The charm's reducer or planner threw at a seq. */
  'replay-failed',
  /** Reading a file or writing the output failed. */
  'io-failed',
] as const;
export type ReplayErrorCode = (typeof REPLAY_ERROR_CODES)[number];

/** Where and why, depending on the code. */
export interface ReplayErrorDetails {
  path?: string;
  seq?: number;
  /** The event-log error code behind this one. */
  eventLogCode?: string;
  segment?: string;
  line?: number;
  offset?: number;
  reason?: string;
  [field: string]: unknown;
}

/** JSON form of a {@link ReplayError}. */
export interface ReplayErrorJSON {
  name: 'ReplayError';
  code: ReplayErrorCode;
  message: string;
  details: ReplayErrorDetails;
}

const brand: unique symbol = Symbol.for('@charms/replay.error');

/** The one error class of charm-replay; messages start with "cannot" and say how to fix it. */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
  readonly [brand] = true;

  constructor(
    readonly code: ReplayErrorCode,
    message: string,
    readonly details: ReplayErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }

  toJSON(): ReplayErrorJSON {
    return { name: 'ReplayError', code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error from {@link toJSON} output. */
  static fromJSON(value: unknown): ReplayError {
    const json = ReplayErrorJSONSchema.parse(value);
    return new ReplayError(json.code, json.message, json.details as ReplayErrorDetails);
  }
}

const ReplayErrorJSONSchema = z.object({
  name: z.literal('ReplayError'),
  code: z.enum(REPLAY_ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});

/** True for charm-replay errors (also across duplicate copies of the package). */
export function isReplayError(value: unknown, code?: ReplayErrorCode): value is ReplayError {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[brand] !== true) return false;
  return code === undefined || (value as ReplayError).code === code;
}

const DECODE_CODES = new Set(['unknown-event-type', 'invalid-payload', 'unsupported-version', 'upcast-failed']);

/**
 * Turns what reading a log threw into a {@link ReplayError} naming the log and the fix; other
 * errors pass through unchanged.
 */
export function fromLogError(error: unknown, logDir: string, charm: string | null): unknown {
  if (isReplayError(error) || !isEventLogError(error)) return error;
  const d = error.details;
  const where = { path: logDir, eventLogCode: error.code, ...pick(d) };
  if (error.code === 'corrupt-record') {
    const at = `${d.segment ?? 'a segment'} line ${d.line ?? '?'}${d.offset === undefined ? '' : ` (byte ${d.offset})`}`;
    return new ReplayError(
      'corrupt-log',
      `cannot read the event log ${logDir}: the record at ${at} is corrupt (${d.reason ?? 'unknown reason'}); run \`charm-replay verify\` for the full report`,
      where,
      { cause: error },
    );
  }
  if (DECODE_CODES.has(error.code)) {
    const as = charm === null ? '' : ` as ${charm}`;
    return new ReplayError(
      'undecodable-record',
      `cannot decode record ${d.seq ?? '?'}${as} in ${logDir}: ${error.message.replace(/^cannot /, '')}; check --charm or use a charm-replay that knows this charm revision`,
      where,
      { cause: error },
    );
  }
  if (error.code === 'reducer-failed') {
    return new ReplayError('replay-failed', `cannot fold ${logDir}: ${error.message.replace(/^cannot /, '')}`, where, {
      cause: error,
    });
  }
  return new ReplayError(
    'io-failed',
    `cannot read the event log ${logDir}: ${error.message.replace(/^cannot /, '')}`,
    where,
    { cause: error },
  );
}

function pick(d: Record<string, unknown>): ReplayErrorDetails {
  const out: Record<string, unknown> = {};
  for (const k of ['seq', 'segment', 'line', 'offset', 'reason', 'type'] as const)
    if (d[k] !== undefined) out[k] = d[k];
  return out as ReplayErrorDetails;
}
