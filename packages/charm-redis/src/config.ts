import { z } from 'zod';

/** A Redis memory size as redis.conf takes it: bytes, or a number with k/kb/m/mb/g/gb (case-insensitive). */
export const MEMORY_SIZE = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i;

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 ** 2,
  mb: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1024 ** 3,
};

/** The eviction policies redis-server accepts for `maxmemory-policy`. */
export const MAXMEMORY_POLICIES = [
  'noeviction',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
] as const;

/** The log levels redis-server accepts. */
export const LOG_LEVELS = ['debug', 'verbose', 'notice', 'warning'] as const;

/** The charm's config (what `juju config redis-k8s` may set), parsed from config-get output. */
export const RedisConfig = z.object({
  'enable-tls': z.boolean({ error: 'must be true or false' }),
  maxmemory: z.string().trim().regex(MEMORY_SIZE, 'must be a size such as 0 (no limit), 268435456, 256mb or 2gb'),
  'maxmemory-policy': z.enum(MAXMEMORY_POLICIES, { error: `must be one of ${MAXMEMORY_POLICIES.join(', ')}` }),
  loglevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
});
export type RedisConfig = z.infer<typeof RedisConfig>;

/** The byte count of a memory size accepted by {@link MEMORY_SIZE} (as redis-server computes it). */
export function memoryBytes(size: string): number {
  const m = MEMORY_SIZE.exec(size.trim());
  if (m === null) throw new RangeError(`cannot parse memory size "${size}"`);
  return Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1);
}
