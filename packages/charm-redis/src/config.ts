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

/** The fsync policies redis-server accepts for `appendfsync`. */
export const APPENDFSYNC_POLICIES = ['always', 'everysec', 'no'] as const;

/** redis-server's own `save` default, which the charm keeps unless told otherwise. */
export const DEFAULT_SAVE = '3600 1 300 100 60 10000';

const SAVE_MESSAGE =
  'must be pairs of "<seconds> <changes>" separated by spaces, such as "3600 1 300 100", or empty to turn RDB snapshots off';

/** `save` as redis.conf takes it, normalised to single spaces (CONFIG GET's form); "" turns snapshots off. */
const saveSchema = z
  .string({ error: SAVE_MESSAGE })
  .transform((v) =>
    v
      .trim()
      .split(/[ \t]+/)
      .filter(Boolean)
      .join(' '),
  )
  .refine((v) => {
    if (v === '') return true;
    const parts = v.split(' ');
    // newlines or any other character would let a value inject a directive into redis.conf
    return parts.length % 2 === 0 && parts.every((p, i) => /^\d{1,9}$/.test(p) && (i % 2 === 1 || Number(p) > 0));
  }, SAVE_MESSAGE);

const count = (what: string, min: number, max: number) =>
  z
    .number({ error: `must be a whole number of ${what} from ${min} to ${max}` })
    .int(`must be a whole number of ${what} from ${min} to ${max}`)
    .min(min, `must be a whole number of ${what} from ${min} to ${max}`)
    .max(max, `must be a whole number of ${what} from ${min} to ${max}`);

/** The charm's config (what `juju config redis-k8s` may set), parsed from config-get output. */
export const RedisConfig = z.object({
  'enable-tls': z.boolean({ error: 'must be true or false' }),
  maxmemory: z.string().trim().regex(MEMORY_SIZE, 'must be a size such as 0 (no limit), 268435456, 256mb or 2gb'),
  'maxmemory-policy': z.enum(MAXMEMORY_POLICIES, { error: `must be one of ${MAXMEMORY_POLICIES.join(', ')}` }),
  loglevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  // defaults keep event logs recorded before these options existed replayable
  appendonly: z.boolean({ error: 'must be true or false' }).default(true),
  appendfsync: z
    .enum(APPENDFSYNC_POLICIES, { error: `must be one of ${APPENDFSYNC_POLICIES.join(', ')}` })
    .default('everysec'),
  save: saveSchema.default(DEFAULT_SAVE),
  'min-replicas-to-write': count('replicas', 0, 100).default(0),
  'min-replicas-max-lag': count('seconds', 1, 3600).default(10),
});
export type RedisConfig = z.infer<typeof RedisConfig>;

/** The byte count of a memory size accepted by {@link MEMORY_SIZE} (as redis-server computes it). */
export function memoryBytes(size: string): number {
  const m = MEMORY_SIZE.exec(size.trim());
  if (m === null) throw new RangeError(`cannot parse memory size "${size}"`);
  return Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1);
}

/** Units needed before `min-replicas-to-write` applies: below this, losing one replica would stop writes. */
export const MIN_REPLICAS_UNITS = 3;

/** The `min-replicas-*` settings a unit runs with, and why they differ from the config if they do. */
export interface MinReplicas {
  toWrite: number;
  maxLag: number;
  /** Set when the configured `min-replicas-to-write` was relaxed, for the unit status. */
  relaxed: string | null;
}

/**
 * `min-replicas-to-write` for an application of `units` units (pure): off below {@link MIN_REPLICAS_UNITS}
 * units, and never more than the replicas there are, so the primary can always accept writes at full strength.
 */
export function effectiveMinReplicas(config: RedisConfig, units: number): MinReplicas {
  const wanted = config['min-replicas-to-write'];
  const maxLag = config['min-replicas-max-lag'];
  if (wanted === 0) return { toWrite: 0, maxLag, relaxed: null };
  if (units < MIN_REPLICAS_UNITS)
    return {
      toWrite: 0,
      maxLag,
      relaxed: `min-replicas-to-write ${wanted} relaxed to 0 below ${MIN_REPLICAS_UNITS} units (${units} now)`,
    };
  if (wanted > units - 1)
    return {
      toWrite: units - 1,
      maxLag,
      relaxed: `min-replicas-to-write ${wanted} relaxed to ${units - 1}: only ${units - 1} replicas`,
    };
  return { toWrite: wanted, maxLag, relaxed: null };
}
