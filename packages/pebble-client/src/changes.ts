import { z } from 'zod';
import { AbortError, APIError, ChangeError, isPebbleError, TimeoutError } from './errors.js';
import { msToGoDuration } from './duration.js';
import { lazySchema, type CallOptions } from './request.js';
import type { Transport } from './transport.js';

const data = z.record(z.string(), z.unknown());

export const taskSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    summary: z.string(),
    status: z.string(),
    log: z.array(z.string()).nullish(),
    progress: z.object({ label: z.string().optional(), done: z.number(), total: z.number() }).loose().optional(),
    'spawn-time': z.string(),
    'ready-time': z.string().optional(),
    data: data.nullish(),
  })
  .loose()
  .transform((t) => ({
    id: t.id,
    kind: t.kind,
    summary: t.summary,
    status: t.status,
    log: t.log ?? [],
    progress: { label: t.progress?.label ?? '', done: t.progress?.done ?? 0, total: t.progress?.total ?? 0 },
    spawnTime: t['spawn-time'],
    readyTime: t['ready-time'],
    data: t.data ?? {},
  }));
/** One task of a change. Times are the server's RFC 3339 strings (nanosecond precision kept). */
export type Task = z.output<typeof taskSchema>;

export const changeSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    summary: z.string(),
    status: z.string(),
    ready: z.boolean(),
    err: z.string().optional(),
    'spawn-time': z.string(),
    'ready-time': z.string().optional(),
    data: data.nullish(),
    tasks: z.array(taskSchema).nullish(),
  })
  .loose()
  .transform((c) => ({
    id: c.id,
    kind: c.kind,
    summary: c.summary,
    status: c.status,
    ready: c.ready,
    err: c.err,
    spawnTime: c['spawn-time'],
    readyTime: c['ready-time'],
    data: c.data ?? {},
    tasks: c.tasks ?? [],
  }));
/** A change (`start`, `stop`, `exec`, ...). Final when `ready`; failed when `err` is set. */
export type Change = z.output<typeof changeSchema>;

/** Which changes `getChanges` returns. */
export type ChangeSelect = 'in-progress' | 'ready' | 'all';

export interface GetChangesOptions extends CallOptions {
  /** Default `in-progress`. */
  select?: ChangeSelect | undefined;
  /** Only changes acting on this service. */
  service?: string | undefined;
}

/** The list answer; null when empty. Built on first use. */
const changeListSchema = lazySchema(() =>
  z
    .array(changeSchema)
    .nullable()
    .transform((x) => x ?? []),
);

/** `GET /v1/changes`. */
export function getChanges(t: Transport, options: GetChangesOptions = {}): Promise<Change[]> {
  const { select, service, ...call } = options;
  return t.sync('GET', '/v1/changes', {
    ...call,
    query: { select, for: service },
    schema: changeListSchema(),
  });
}

/** `GET /v1/changes/{id}`; 404 APIError when unknown. */
export function getChange(t: Transport, id: string, options: CallOptions = {}): Promise<Change> {
  return t.sync('GET', `/v1/changes/${encodeURIComponent(id)}`, { ...options, schema: changeSchema });
}

/** `POST /v1/changes/{id}` with `abort`; 400 APIError when the change is already ready. */
export function abortChange(t: Transport, id: string, options: CallOptions = {}): Promise<Change> {
  return t.sync('POST', `/v1/changes/${encodeURIComponent(id)}`, {
    ...options,
    body: { action: 'abort' },
    schema: changeSchema,
  });
}

/** Default overall wait for a change, as in ops: 30 s. */
export const DEFAULT_WAIT = 30_000;
const SLICE = 10_000;
const MARGIN = 5_000;

export interface WaitChangeOptions {
  signal?: AbortSignal | undefined;
  /** Overall deadline in milliseconds (default 30000; 0 waits forever). */
  timeout?: number | undefined;
}

/**
 * Wait until a change is ready and return it (a failed change is returned, not thrown).
 * Repeats `GET /v1/changes/{id}/wait?timeout=<slice>` under the overall deadline, so no single request
 * outlives the transport's timeouts; a 504 just means "not yet".
 * @throws {TimeoutError} when the deadline passes first; {@link AbortError} when the signal aborts.
 */
export async function waitChange(t: Transport, id: string, options: WaitChangeOptions = {}): Promise<Change> {
  const total = options.timeout ?? DEFAULT_WAIT;
  const deadline = total > 0 ? Date.now() + total : Infinity;
  const path = `/v1/changes/${encodeURIComponent(id)}/wait`;
  for (;;) {
    if (options.signal?.aborted)
      throw new AbortError(
        { message: `cannot wait for change ${id}: aborted by the caller` },
        { cause: options.signal.reason },
      );
    const remaining = deadline - Date.now();
    if (remaining <= 0)
      throw new TimeoutError({ message: `cannot wait for change ${id}: timed out after ${total}ms`, timeout: total });
    const slice = Math.min(remaining, SLICE);
    try {
      return await t.sync('GET', path, {
        query: { timeout: msToGoDuration(slice) },
        schema: changeSchema,
        signal: options.signal,
        timeout: slice + MARGIN,
        long: true,
      });
    } catch (err) {
      if (err instanceof APIError && err.statusCode === 504) continue;
      if (isPebbleError(err) && err.code === 'timeout' && remaining > slice) continue;
      throw err;
    }
  }
}

/** Wait for a change and throw {@link ChangeError} (with task logs) if it failed. */
export async function waitChangeOrThrow(t: Transport, id: string, options: WaitChangeOptions = {}): Promise<Change> {
  const change = await waitChange(t, id, options);
  if (change.err) throw new ChangeError({ err: change.err, change });
  return change;
}
