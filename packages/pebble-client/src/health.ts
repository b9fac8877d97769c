import { z } from 'zod';
import { ProtocolError } from './errors.js';
import type { CallOptions } from './request.js';
import { readRawError, type Transport } from './transport.js';

export interface HealthOptions extends CallOptions {
  /** `ready` also counts `alive` checks. */
  level?: 'alive' | 'ready' | undefined;
  /** Only these checks. */
  names?: readonly string[] | undefined;
}

/**
 * `GET /v1/health`: true when no matching (active) check is down. Pebble answers an unhealthy state with
 * HTTP 502 and a sync envelope, which is returned as `false`, not thrown.
 */
export async function getHealth(t: Transport, options: HealthOptions = {}): Promise<boolean> {
  const { level, names, ...call } = options;
  const result = await t.sync('GET', '/v1/health', {
    ...call,
    query: { level, names: names && names.length > 0 ? names.join(',') : undefined },
    okStatuses: [200, 502],
    schema: z.object({ healthy: z.boolean() }).loose(),
  });
  return result.healthy;
}

/** `GET /v1/metrics` (Pebble 1.19+): the OpenMetrics text. */
export async function getMetrics(t: Transport, options: CallOptions = {}): Promise<string> {
  const res = await t.raw('GET', '/v1/metrics', { ...options, idempotent: true });
  const type = String(res.headers['content-type'] ?? '');
  if (res.statusCode !== 200) throw await readRawError(res);
  if (!type.startsWith('text/plain')) {
    res.body.destroy();
    throw new ProtocolError({
      message: `cannot use response to GET /v1/metrics: expected text/plain, got ${type || 'no content type'}`,
      statusCode: res.statusCode,
    });
  }
  return res.body.text();
}
