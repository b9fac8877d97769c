/**
 * The one error family of the redis-k8s charm. Every error has a stable `code` (branch on it, not
 * on the message), a message starting with "cannot ...", and round-trips through `toJSON()` and
 * {@link redisCharmErrorFromJSON}.
 */
import { CodedError, type CodedErrorJSON } from '@charms/charm-sdk';

/** Stable codes of {@link RedisCharmError}. */
export type RedisCharmErrorCode =
  /** No TCP/TLS connection to redis-server could be made in time. */
  | 'redis-unreachable'
  /** redis-server refused the admin password. */
  | 'redis-auth-failed'
  /** redis-server answered a command with an error. */
  | 'redis-command'
  /** The admin secret cannot be read (not granted yet, removed, or missing keys). */
  | 'secret-unavailable'
  /** A TLS file resource cannot be read. */
  | 'tls-resource'
  /** A reply from redis-server has an unexpected shape. */
  | 'redis-protocol';

/** Plain JSON form of a {@link RedisCharmError}. */
export type RedisCharmErrorJSON = CodedErrorJSON<RedisCharmErrorCode, 'RedisCharmError'>;

/** Base (and only) class of the charm's own errors; `details` carries the data fields. */
export class RedisCharmError extends CodedError<RedisCharmErrorCode, 'RedisCharmError'> {
  override name = 'RedisCharmError' as const;
}

/** Rebuilds an error from its `toJSON()` form. */
export function redisCharmErrorFromJSON(json: RedisCharmErrorJSON): RedisCharmError {
  return new RedisCharmError(json.code, json.message, json.details);
}

/** Whether `e` is a {@link RedisCharmError} (optionally with `code`), also across package copies. */
export function isRedisCharmError(e: unknown, code?: RedisCharmErrorCode): e is RedisCharmError {
  return (
    e instanceof Error &&
    e.name === 'RedisCharmError' &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (code === undefined || (e as RedisCharmError).code === code)
  );
}
