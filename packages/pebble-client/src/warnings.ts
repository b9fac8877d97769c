import { z } from 'zod';
import { lazySchema, type CallOptions } from './request.js';
import type { Transport } from './transport.js';

const warningSchema = z
  .object({
    message: z.string(),
    'first-added': z.string(),
    'last-added': z.string(),
    'last-shown': z.string().nullish(),
    'expire-after': z.string().optional(),
    'repeat-after': z.string().optional(),
  })
  .loose()
  .transform((w) => ({
    message: w.message,
    firstAdded: w['first-added'],
    lastAdded: w['last-added'],
    lastShown: w['last-shown'] ?? undefined,
    expireAfter: w['expire-after'],
    repeatAfter: w['repeat-after'],
  }));
/** A legacy warning. */
export type Warning = z.output<typeof warningSchema>;

export interface GetWarningsOptions extends CallOptions {
  select?: 'pending' | 'all' | undefined;
}

/** The list answer; null when empty. Built on first use. */
const warningListSchema = lazySchema(() =>
  z
    .array(warningSchema)
    .nullable()
    .transform((x) => x ?? []),
);

/**
 * Legacy `GET /v1/warnings` (as ops `get_warnings`). Pebble >= 1.16 removed it and answers 404 APIError;
 * use `getNotices({ types: ['warning'] })` there.
 */
export function getWarnings(t: Transport, options: GetWarningsOptions = {}): Promise<Warning[]> {
  const { select, ...call } = options;
  return t.sync('GET', '/v1/warnings', {
    ...call,
    query: { select: select ?? 'pending' },
    schema: warningListSchema(),
  });
}

/**
 * Legacy `POST /v1/warnings` `okay` (as ops `ack_warnings`); returns how many were acknowledged.
 * Pebble >= 1.16 answers 404 APIError.
 */
export function ackWarnings(t: Transport, timestamp: string | Date, options: CallOptions = {}): Promise<number> {
  const time = typeof timestamp === 'string' ? timestamp : timestamp.toISOString();
  return t.sync('POST', '/v1/warnings', { ...options, body: { action: 'okay', timestamp: time }, schema: z.int() });
}
