import { z } from 'zod';
import { DEFAULT_WAIT, waitChangeOrThrow } from './changes.js';
import { lazySchema, type CallOptions } from './request.js';
import type { Transport } from './transport.js';

export const serviceInfoSchema = z
  .object({
    name: z.string(),
    startup: z.string(),
    current: z.string(),
    'current-since': z.string().optional(),
  })
  .loose()
  .transform((s) => ({
    name: s.name,
    startup: s.startup as 'enabled' | 'disabled',
    current: s.current as 'active' | 'inactive' | 'backoff' | 'error',
    currentSince: s['current-since'],
  }));
/** Status of one service. `current` is `active`, `inactive`, `backoff` or `error`. */
export type ServiceInfo = z.output<typeof serviceInfoSchema>;

/** True when the service is running (`current` is `active`). */
export function isServiceRunning(info: ServiceInfo): boolean {
  return info.current === 'active';
}

export interface GetServicesOptions extends CallOptions {
  /** Only these services (unknown names are silently left out by Pebble). */
  names?: readonly string[] | undefined;
}

/** The list answer; null when empty. Built on first use. */
const serviceListSchema = lazySchema(() =>
  z
    .array(serviceInfoSchema)
    .nullable()
    .transform((x) => x ?? []),
);

/** `GET /v1/services`, sorted by name. */
export function getServices(t: Transport, options: GetServicesOptions = {}): Promise<ServiceInfo[]> {
  const { names, ...call } = options;
  return t.sync('GET', '/v1/services', {
    ...call,
    query: { names: names && names.length > 0 ? names.join(',') : undefined },
    schema: serviceListSchema(),
  });
}

/** Options of the service actions. */
export interface ServiceActionOptions {
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds to wait for the change to finish (default 30000). `0` returns the change id at once
   * without waiting (as in ops).
   */
  timeout?: number | undefined;
}

export type ServiceAction = 'start' | 'stop' | 'restart' | 'autostart' | 'replan';

/**
 * `POST /v1/services` with `action`, then wait for the change.
 * @returns the change id.
 * @throws {ChangeError} when the change fails (the message carries the task logs).
 */
export async function serviceAction(
  t: Transport,
  action: ServiceAction,
  services: readonly string[],
  options: ServiceActionOptions = {},
): Promise<string> {
  const wait = options.timeout ?? DEFAULT_WAIT;
  const started = Date.now();
  const change = await t.async('POST', '/v1/services', {
    body: { action, services: [...services] },
    signal: options.signal,
    timeout: wait > 0 ? wait : undefined,
  });
  if (wait === 0) return change;
  await waitChangeOrThrow(t, change, { signal: options.signal, timeout: Math.max(1, wait - (Date.now() - started)) });
  return change;
}

/** Start the named services (and what they require). */
export function startServices(
  t: Transport,
  services: readonly string[],
  options?: ServiceActionOptions,
): Promise<string> {
  return serviceAction(t, 'start', services, options);
}

/** Stop the named services (and their dependents). */
export function stopServices(
  t: Transport,
  services: readonly string[],
  options?: ServiceActionOptions,
): Promise<string> {
  return serviceAction(t, 'stop', services, options);
}

/** Stop then start the named services. */
export function restartServices(
  t: Transport,
  services: readonly string[],
  options?: ServiceActionOptions,
): Promise<string> {
  return serviceAction(t, 'restart', services, options);
}

/** Start every `startup: enabled` service; 400 APIError with kind `no-default-services` when there are none. */
export function autostartServices(t: Transport, options?: ServiceActionOptions): Promise<string> {
  return serviceAction(t, 'autostart', [], options);
}

/** Restart services whose definition changed, stop removed ones, start enabled ones that are not running. */
export function replanServices(t: Transport, options?: ServiceActionOptions): Promise<string> {
  return serviceAction(t, 'replan', [], options);
}
