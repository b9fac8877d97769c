import { z } from 'zod';
import { AbortError } from './errors.js';
import { msToGoDuration } from './duration.js';
import type { CallOptions } from './request.js';
import type { Transport } from './transport.js';

export const noticeSchema = z
  .object({
    id: z.string(),
    'user-id': z.int().nullish(),
    type: z.string(),
    key: z.string(),
    'first-occurred': z.string(),
    'last-occurred': z.string(),
    'last-repeated': z.string(),
    occurrences: z.int(),
    'last-data': z.record(z.string(), z.string()).nullish(),
    'repeat-after': z.string().optional(),
    'expire-after': z.string().optional(),
  })
  .loose()
  .transform((n) => ({
    id: n.id,
    userId: n['user-id'] ?? null,
    type: n.type as NoticeType,
    key: n.key,
    firstOccurred: n['first-occurred'],
    lastOccurred: n['last-occurred'],
    /** Pass this string (not a Date: it has nanoseconds) as `after` to get only newer notices. */
    lastRepeated: n['last-repeated'],
    occurrences: n.occurrences,
    lastData: n['last-data'] ?? {},
    repeatAfter: n['repeat-after'],
    expireAfter: n['expire-after'],
  }));

/** Notice types Pebble knows; other strings may appear from newer daemons. */
export type NoticeType = 'custom' | 'change-update' | 'warning' | (string & {});
/** A notice. Times are the server's RFC 3339 strings with nanoseconds; `userId` null means public. */
export type Notice = z.output<typeof noticeSchema>;

const noticesSchema = z
  .array(noticeSchema)
  .nullable()
  .transform((n) => n ?? []);

export interface NoticesFilter {
  /** `all` (admin only): notices of every user. */
  users?: 'all' | undefined;
  /** Notices of this user id (admin only). */
  userId?: number | undefined;
  types?: readonly NoticeType[] | undefined;
  keys?: readonly string[] | undefined;
  /** Only notices repeated strictly after this time: pass a notice's `lastRepeated` string unchanged. */
  after?: string | undefined;
}

export interface GetNoticesOptions extends NoticesFilter, CallOptions {}

function noticesQuery(f: NoticesFilter) {
  return {
    users: f.users,
    'user-id': f.userId === undefined ? undefined : String(f.userId),
    types: f.types && f.types.length > 0 ? f.types.join(',') : undefined,
    keys: f.keys && f.keys.length > 0 ? [...f.keys] : undefined,
    after: f.after,
  };
}

/** `GET /v1/notices`, sorted by `lastRepeated`. */
export function getNotices(t: Transport, options: GetNoticesOptions = {}): Promise<Notice[]> {
  const { users, userId, types, keys, after, ...call } = options;
  return t.sync('GET', '/v1/notices', {
    ...call,
    query: noticesQuery({ users, userId, types, keys, after }),
    schema: noticesSchema,
  });
}

export interface WaitNoticesOptions extends NoticesFilter {
  signal?: AbortSignal | undefined;
  /**
   * How long to wait for a matching notice, in milliseconds (default
   * 30000; 0 waits until one arrives or the signal aborts).
   */
  timeout?: number | undefined;
}

const SLICE = 30_000;
const MARGIN = 5_000;

/**
 * Long-poll `GET /v1/notices?timeout=`: resolve as soon as matching notices exist, or with `[]` when the
 * wait ends without any. Each request's server-side timeout is shorter than its HTTP timeout.
 * @throws {AbortError} when the signal aborts.
 */
export async function waitNotices(t: Transport, options: WaitNoticesOptions = {}): Promise<Notice[]> {
  const { signal, timeout, ...filter } = options;
  const total = timeout ?? 30_000;
  const deadline = total > 0 ? Date.now() + total : Infinity;
  for (;;) {
    if (signal?.aborted)
      throw new AbortError({ message: 'cannot wait for notices: aborted by the caller' }, { cause: signal.reason });
    const remaining = deadline - Date.now();
    if (remaining <= 0) return [];
    const slice = Math.min(remaining, SLICE);
    const notices = await t.sync('GET', '/v1/notices', {
      query: { ...noticesQuery(filter), timeout: msToGoDuration(slice) },
      schema: noticesSchema,
      signal,
      timeout: slice + MARGIN,
      long: true,
    });
    if (notices.length > 0) return notices;
  }
}

/** `GET /v1/notices/{id}`; 404 APIError when missing. */
export function getNotice(t: Transport, id: string, options: CallOptions = {}): Promise<Notice> {
  return t.sync('GET', `/v1/notices/${encodeURIComponent(id)}`, { ...options, schema: noticeSchema });
}

export interface NotifyOptions extends CallOptions {
  /** String data attached to the occurrence (at most 4 KiB as JSON). */
  data?: Record<string, string> | undefined;
  /**
   * Repeat (wake waiters, fire Juju's custom-notice event) only if this
   * long passed since the last repeat: milliseconds or Go duration text.
   */
  repeatAfter?: number | string | undefined;
}

/**
 * `POST /v1/notices`: record an occurrence of a custom notice; returns its id. The key must look like
 * `example.com/path` (lowercase domain then path segments).
 */
export async function notify(t: Transport, type: 'custom', key: string, options: NotifyOptions = {}): Promise<string> {
  const { data, repeatAfter, ...call } = options;
  const body = {
    action: 'add',
    type,
    key,
    data,
    'repeat-after': typeof repeatAfter === 'number' ? msToGoDuration(repeatAfter) : repeatAfter,
  };
  const result = await t.sync('POST', '/v1/notices', { ...call, body, schema: z.object({ id: z.string() }).loose() });
  return result.id;
}
