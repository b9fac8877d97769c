/** The names and places the charm and its workload agree on: container, service, ports, files. */

/** The workload container. */
export const CONTAINER = 'redis';
/** The Pebble service running redis-server. */
export const SERVICE = 'redis-server';
/** Label of the application secret holding `password` and `sentinel-password`. */
export const SECRET_LABEL = 'redis-k8s-passwords';
/** Environment variable of the service carrying the digest of the restart-only settings. */
export const DIGEST_ENV = 'REDIS_CHARM_STATIC_DIGEST';

/** The port redis-server serves on (plaintext, or TLS when enable-tls is set). */
export const REDIS_PORT = 6379;
/** redis-sentinel-k8s's port (it has no option to change it), for clients' `sentinel-endpoints`. */
export const SENTINEL_PORT = 26379;

/** Where the charm keeps its files in the workload container. */
export interface WorkloadPaths {
  conf: string;
  dataDir: string;
  tlsDir: string;
  /** The Pebble binary redis-server's start command calls to record its notice (start-command.ts). */
  pebbleBin: string;
}

/** The container paths Juju's redis image uses. */
export const DEFAULT_PATHS: WorkloadPaths = {
  conf: '/etc/redis/redis.conf',
  dataDir: '/var/lib/redis',
  tlsDir: '/etc/redis/tls',
  pebbleBin: '/charm/bin/pebble',
};
