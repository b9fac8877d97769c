/**
 * Addresses read from other applications' relation bags. A related app writes what it likes, so an
 * address is used (in the write fence, in clients' `sentinel-endpoints`, as a failover report's
 * primary) only when it is an IP literal or a DNS host name: no newline, space or quote that could
 * end up in a config line, and at most 253 characters (a 1 MiB value is refused, never kept).
 */
import { isIP } from 'node:net';
import { z } from 'zod';

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** An address another app published: an IP literal or a host name. */
export const RelationAddress = z
  .string()
  .max(253, 'must be at most 253 characters')
  .refine((v) => isIP(v) !== 0 || HOSTNAME.test(v), { message: 'must be an IP address or a host name' });

/** A TCP port: a whole number from 1 to 65535. */
export const Port = z.number().int().min(1, 'must be at least 1').max(65535, 'must be at most 65535');

/** `value` when it is a usable address, else null (pure). */
export function validAddress(value: string | null | undefined): string | null {
  return value != null && RelationAddress.safeParse(value).success ? value : null;
}

/** Why `value` is no usable address ('' when it is one), for warnings; the value is quoted shortened. */
export function addressProblem(value: string): string {
  const parsed = RelationAddress.safeParse(value);
  if (parsed.success) return '';
  return `${quoted(value)} ${parsed.error.issues[0]?.message ?? 'is invalid'}`;
}

/** A relation value for a log line: JSON-quoted, cut at 64 characters with the full length named. */
export function quoted(value: string): string {
  return value.length <= 64
    ? JSON.stringify(value)
    : `${JSON.stringify(value.slice(0, 64))}... (${value.length} chars)`;
}

/** `host:port` for a client's endpoint list, or null when either part is unusable (pure). */
export function endpoint(host: string, port: number): string | null {
  if (validAddress(host) === null || !Port.safeParse(port).success) return null;
  return `${host}:${port}`;
}
