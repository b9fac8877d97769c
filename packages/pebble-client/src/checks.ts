import { z } from 'zod';
import { lazySchema, type CallOptions } from './request.js';
import type { Transport } from './transport.js';

export const checkInfoSchema = z
  .object({
    name: z.string(),
    level: z.string().optional(),
    startup: z.string().optional(),
    status: z.string(),
    successes: z.int().optional(),
    failures: z.int().optional(),
    threshold: z.int(),
    'change-id': z.string().optional(),
    'prev-change-id': z.string().optional(),
  })
  .loose()
  .transform((c) => ({
    name: c.name,
    level: (c.level || undefined) as 'alive' | 'ready' | undefined,
    startup: (c.startup || 'enabled') as 'enabled' | 'disabled',
    status: c.status as 'up' | 'down' | 'inactive',
    successes: c.successes,
    failures: c.failures ?? 0,
    threshold: c.threshold,
    changeId: c['change-id'],
    prevChangeId: c['prev-change-id'],
  }));
/** Status of one health check. `successes` is undefined before Pebble 1.23. */
export type CheckInfo = z.output<typeof checkInfoSchema>;

export interface GetChecksOptions extends CallOptions {
  /** Exactly this level. */
  level?: 'alive' | 'ready' | undefined;
  names?: readonly string[] | undefined;
}

/** The list answer; null when empty. Built on first use. */
const checkListSchema = lazySchema(() =>
  z
    .array(checkInfoSchema)
    .nullable()
    .transform((x) => x ?? []),
);

/** `GET /v1/checks`, sorted by name. */
export function getChecks(t: Transport, options: GetChecksOptions = {}): Promise<CheckInfo[]> {
  const { level, names, ...call } = options;
  return t.sync('GET', '/v1/checks', {
    ...call,
    query: { level, names: names && names.length > 0 ? names.join(',') : undefined },
    schema: checkListSchema(),
  });
}

const changedSchema = z
  .object({ changed: z.array(z.string()).nullish() })
  .loose()
  .transform((r) => r.changed ?? []);

function checksAction(
  t: Transport,
  action: 'start' | 'stop',
  checks: readonly string[],
  options: CallOptions,
): Promise<string[]> {
  return t.sync('POST', '/v1/checks', { ...options, body: { action, checks: [...checks] }, schema: changedSchema });
}

/** Start checks (Pebble 1.19+); returns the names whose state changed. */
export function startChecks(t: Transport, checks: readonly string[], options: CallOptions = {}): Promise<string[]> {
  return checksAction(t, 'start', checks, options);
}

/** Stop checks (Pebble 1.19+); returns the names whose state changed. */
export function stopChecks(t: Transport, checks: readonly string[], options: CallOptions = {}): Promise<string[]> {
  return checksAction(t, 'stop', checks, options);
}

const refreshSchema = z
  .object({ info: checkInfoSchema, error: z.string().optional() })
  .loose()
  .transform((r) => ({ info: r.info, error: r.error || undefined }));
/** Result of running a check now: its new info, and the error of this run if it failed. */
export type RefreshCheckResult = z.output<typeof refreshSchema>;

/** `POST /v1/checks/refresh` (Pebble 1.20+): run the check immediately. 404 APIError if not in the plan. */
export function refreshCheck(t: Transport, name: string, options: CallOptions = {}): Promise<RefreshCheckResult> {
  return t.sync('POST', '/v1/checks/refresh', { ...options, body: { name }, schema: refreshSchema });
}
