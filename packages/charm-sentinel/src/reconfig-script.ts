import { DEFAULT_PEBBLE_BIN, DEFAULT_PEBBLE_SOCKET } from '@charms/charm-sdk';

/** The Pebble notice key sentinel's failover script records. */
export const FAILOVER_NOTICE_KEY = 'canonical.com/redis/failover';

/**
 * The `client-reconfig-script` (pure). Sentinel runs it after a failover with
 * `<master> <role> <state> <from-ip> <from-port> <to-ip> <to-port>`; it records a Pebble custom
 * notice, which Juju turns into `sentinel-pebble-custom-notice`. Exit 2 on a bad call (sentinel
 * does not retry it); a failing notify exits 1 so sentinel retries.
 */
export function reconfigScript(pebbleBin: string = DEFAULT_PEBBLE_BIN): string {
  return `#!/bin/sh
# Installed by the redis-sentinel-k8s charm: turns a sentinel failover into a Pebble notice.
# Called as: <master-name> <role> <state> <from-ip> <from-port> <to-ip> <to-port>
[ "$#" -ge 7 ] || { echo "usage: $0 <master> <role> <state> <from-ip> <from-port> <to-ip> <to-port>" >&2; exit 2; }
if [ -z "\${PEBBLE_SOCKET:-}" ] && [ -z "\${PEBBLE:-}" ]; then
  PEBBLE_SOCKET=${DEFAULT_PEBBLE_SOCKET}
  export PEBBLE_SOCKET
fi
${pebbleBin} notify ${FAILOVER_NOTICE_KEY} master="$1" role="$2" state="$3" from="$4:$5" to="$6:$7" || exit 1
`;
}
