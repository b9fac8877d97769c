/**
 * The one error family of the redis-k8s charm. Every error has a stable `code` (branch on it, not
 * on the message), a message starting with "cannot ...", and round-trips through `toJSON()` and
 * {@link redisCharmErrorFromJSON}.
 */

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
export interface RedisCharmErrorJSON {
  name: 'RedisCharmError';
  code: RedisCharmErrorCode;
  message: string;
  details: Record<string, unknown>;
}

/** Base (and only) class of the charm's own errors; `details` carries the data fields. */
export class RedisCharmError extends Error {
  override name = 'RedisCharmError' as const;
  readonly code: RedisCharmErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    code: RedisCharmErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  toJSON(): RedisCharmErrorJSON {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
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
