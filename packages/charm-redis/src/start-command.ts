/**
 * How redis-server starts. Pebble restarts a server that died by itself, without the charm: such a
 * primary can come back after the sentinels began a failover, take writes that its old replicas
 * acknowledge (WAIT succeeds), and lose them all when the sentinels demote it (the chaos suite's
 * sigkill-redis-server lost 26 acknowledged writes that way). So every start is write-fenced on the
 * command line, which overrides redis.conf and survives sentinel's CONFIG REWRITE, and records a Pebble
 * notice first; the notice's hook (redis-pebble-custom-notice) lifts the fence: at once on a replica or
 * a primary without sentinels, once the sentinels confirm it on a primary they watch (reconcile.ts).
 */
import { redisServerCommandAfter } from '@charms/charm-sdk/redis';
import { FENCE_MIN_REPLICAS } from './sentinel-fence.js';

/** The key of the Pebble notice each start of redis-server records. */
export const STARTED_NOTICE_KEY = 'canonical.com/redis/server-started';

/** Where the workload Pebble's socket is when neither PEBBLE_SOCKET nor PEBBLE is set (Juju's layout). */
const DEFAULT_PEBBLE_SOCKET = '/charm/container/pebble.socket';

/** The Pebble service command: notice, then redis-server on `conf` with writes fenced (pure). */
export function redisStartCommand(conf: string, pebbleBin: string): string {
  const notify = [
    `[ -n "\${PEBBLE_SOCKET:-}\${PEBBLE:-}" ] || export PEBBLE_SOCKET=${DEFAULT_PEBBLE_SOCKET}`,
    `${pebbleBin} notify ${STARTED_NOTICE_KEY} >/dev/null || echo "redis-k8s: no ${STARTED_NOTICE_KEY} notice recorded" >&2`,
  ].join('; ');
  return redisServerCommandAfter(notify, conf, '--min-replicas-to-write', String(FENCE_MIN_REPLICAS));
}
