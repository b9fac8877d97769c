import { z } from 'zod';

/** The charm's options (config.yaml), as `juju config` may set them. */
export const SentinelOptions = z.object({
  'down-after-milliseconds': z
    .number()
    .int()
    .min(100, 'must be at least 100 (ms)')
    .max(3_600_000, 'must be at most 3600000 (one hour)'),
  'failover-timeout': z
    .number()
    .int()
    .min(1000, 'must be at least 1000 (ms)')
    .max(86_400_000, 'must be at most 86400000 (one day)'),
  'parallel-syncs': z.number().int().min(1, 'must be at least 1').max(64, 'must be at most 64'),
  /** Unset: a majority of the sentinel units. */
  quorum: z.number().int().min(1, 'must be at least 1').max(64, 'must be at most 64').nullish(),
});
export type SentinelOptions = z.infer<typeof SentinelOptions>;

/** The smallest majority of `sentinels`: floor(n/2)+1. */
export function majority(sentinels: number): number {
  return Math.floor(Math.max(1, sentinels) / 2) + 1;
}

/** The quorum to apply and, when the override cannot work, why. */
export interface QuorumDecision {
  quorum: number;
  /** Set when the configured quorum exceeds the sentinels there are (it is then capped). */
  problem?: string;
}

/**
 * The quorum for `sentinels` sentinel units: the configured override, else a majority. An override
 * above the number of sentinels could never reach ODOWN, so it is capped and reported.
 */
export function decideQuorum(override: number | null | undefined, sentinels: number): QuorumDecision {
  const n = Math.max(1, sentinels);
  if (override === null || override === undefined) return { quorum: majority(n) };
  if (override > n) {
    return {
      quorum: n,
      problem: `quorum ${override} exceeds the ${n} sentinel unit${n === 1 ? '' : 's'}; using ${n} (add units or lower it with juju config)`,
    };
  }
  return { quorum: override };
}

/** The per-master settings sentinel can change at runtime with `SENTINEL SET`. */
export interface RuntimeSettings {
  quorum: number;
  'down-after-milliseconds': number;
  'failover-timeout': number;
  'parallel-syncs': number;
}

/** Names of {@link RuntimeSettings}, in the order sentinel.conf lists them. */
export const RUNTIME_KEYS = ['quorum', 'down-after-milliseconds', 'failover-timeout', 'parallel-syncs'] as const;
