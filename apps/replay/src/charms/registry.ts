import type { CharmName, ReplayCharm } from './adapter.js';
import { redisReplay } from './redis.js';
import { sentinelReplay } from './sentinel.js';

/** Every charm charm-replay can replay, by name. */
export const CHARMS: Record<CharmName, ReplayCharm> = {
  'redis-k8s': redisReplay,
  'redis-sentinel-k8s': sentinelReplay,
};

/** The charm named `name`, if charm-replay knows it. */
export function charmNamed(name: string): ReplayCharm | undefined {
  return Object.hasOwn(CHARMS, name) ? CHARMS[name as CharmName] : undefined;
}
