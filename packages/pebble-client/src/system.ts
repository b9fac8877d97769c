import { z } from 'zod';
import type { CallOptions } from './request.js';
import type { Transport } from './transport.js';

/** `GET /v1/system-info` result. */
export const systemInfoSchema = z
  .object({
    'boot-id': z.string(),
    version: z.string(),
    'http-address': z.string().optional(),
    'https-address': z.string().optional(),
  })
  .loose()
  .transform((s) => ({
    bootId: s['boot-id'],
    version: s.version,
    httpAddress: s['http-address'],
    httpsAddress: s['https-address'],
  }));

/** What the daemon says about itself. A new `bootId` means Pebble restarted. */
export type SystemInfo = z.output<typeof systemInfoSchema>;

/** Get the daemon's version, boot id and TCP listener addresses. */
export function getSystemInfo(t: Transport, options: CallOptions = {}): Promise<SystemInfo> {
  return t.sync('GET', '/v1/system-info', { ...options, schema: systemInfoSchema });
}
