/**
 * The one error family of the sentinel charm. Callers branch on `code`, never on the message;
 * every error round-trips through `toJSON()` and {@link sentinelErrorFromJSON}.
 */
import { CodedError, type CodedErrorJSON } from '@charms/charm-sdk';
import { classifyRedisFailure, type RedisFailureKind } from '@charms/charm-sdk/redis';

/** Stable codes of {@link SentinelCharmError}. */
export type SentinelErrorCode =
  /** The local sentinel did not answer (not started yet, crashed, wrong address). */
  | 'sentinel-unreachable'
  /** The sentinel refused our password. */
  | 'sentinel-auth-failed'
  /** A sentinel command failed (error reply). */
  | 'sentinel-command-failed'
  /** A sentinel reply did not have the expected shape. */
  | 'sentinel-reply-invalid'
  /** Relation data from the redis application breaks the contract. */
  | 'relation-data-invalid'
  /** The credentials secret cannot be read or lacks a key. */
  | 'secret-unavailable'
  /** A value cannot be written into sentinel.conf safely. */
  | 'render-invalid'
  /** A redis-k8s unit did not answer (the `failover` action talks to them directly). */
  | 'redis-unreachable'
  /** A redis-k8s unit refused the admin password. */
  | 'redis-auth-failed'
  /** A command to a redis-k8s unit failed (error reply). */
  | 'redis-command-failed';

/** Plain JSON form of a {@link SentinelCharmError}. */
export type SentinelErrorJSON = CodedErrorJSON<SentinelErrorCode, 'SentinelCharmError'>;

const CODES: ReadonlySet<string> = new Set<SentinelErrorCode>([
  'sentinel-unreachable',
  'sentinel-auth-failed',
  'sentinel-command-failed',
  'sentinel-reply-invalid',
  'relation-data-invalid',
  'secret-unavailable',
  'render-invalid',
  'redis-unreachable',
  'redis-auth-failed',
  'redis-command-failed',
]);

/** Every error the sentinel charm raises itself; messages start with "cannot ...". */
export class SentinelCharmError extends CodedError<SentinelErrorCode, 'SentinelCharmError'> {
  override name = 'SentinelCharmError' as const;
}

/** Rebuilds a {@link SentinelCharmError} from its JSON form. */
export function sentinelErrorFromJSON(json: unknown): SentinelCharmError {
  const j = json as Partial<SentinelErrorJSON> | null;
  if (
    j === null ||
    typeof j !== 'object' ||
    j.name !== 'SentinelCharmError' ||
    typeof j.code !== 'string' ||
    !CODES.has(j.code) ||
    typeof j.message !== 'string'
  ) {
    throw new TypeError(
      'cannot rebuild a SentinelCharmError: the JSON lacks name "SentinelCharmError", a known code or a message',
    );
  }
  return new SentinelCharmError(
    j.code,
    j.message,
    typeof j.details === 'object' && j.details !== null ? j.details : {},
  );
}

/** Whether `e` is a {@link SentinelCharmError}, optionally with `code`. */
export function isSentinelError(e: unknown, code?: SentinelErrorCode): e is SentinelCharmError {
  return e instanceof SentinelCharmError && (code === undefined || e.code === code);
}

/** How the failures of one kind of server this charm talks to are worded and coded. */
export interface FailureWording {
  server: string;
  /** What the server refused, after "it refused ". */
  refused: string;
  codes: Record<RedisFailureKind, SentinelErrorCode>;
}

/** Maps an ioredis or socket error (classified by the sdk's rule) to the charm's error family. */
export function redisFailureError(
  e: unknown,
  endpoint: { host: string; port: number },
  command: string,
  wording: FailureWording,
): SentinelCharmError {
  if (isSentinelError(e)) return e;
  const message = (e as Error)?.message ?? String(e);
  const where = `${endpoint.host}:${endpoint.port}`;
  const kind = classifyRedisFailure(e);
  const text = {
    auth: `cannot authenticate to ${wording.server} ${where}: it refused ${wording.refused}`,
    unreachable: `cannot reach ${wording.server} ${where}: ${message}`,
    command: `cannot run ${command} on ${wording.server} ${where}: ${message}`,
  }[kind];
  const details = kind === 'command' ? { endpoint: where, command } : { endpoint: where };
  return new SentinelCharmError(wording.codes[kind], text, details, { cause: e });
}
