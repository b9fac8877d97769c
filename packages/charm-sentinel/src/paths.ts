import { DEFAULT_PEBBLE_BIN } from '@charms/charm-sdk';

/** The port every sentinel listens on. */
export const SENTINEL_PORT = 26379;

/** The workload container's name (metadata `containers:`). */
export const CONTAINER = 'sentinel';

/** The Pebble service running sentinel. */
export const SERVICE = 'sentinel';

/** The peer relation endpoint. */
export const PEER_ENDPOINT = 'sentinel-peers';

/** The endpoint related to redis-k8s's `sentinel` endpoint. */
export const REDIS_ENDPOINT = 'redis';

/** The Juju unit-state key holding this unit's sentinel id. */
export const MYID_KEY = 'sentinel-myid';

/** Where things live inside the sentinel container (tests point them at temp dirs). */
export interface SentinelPaths {
  confDir: string;
  confFile: string;
  scriptPath: string;
  /** Sentinel's working directory. */
  dataDir: string;
  /** Where the TLS certificate, key and CA go (0700; files 0600). */
  tlsDir: string;
  /** The Pebble binary the failover script calls. */
  pebbleBin: string;
}

/** The paths in a real (or charm-sim) workload container. */
export const DEFAULT_PATHS: SentinelPaths = {
  confDir: '/etc/redis-sentinel',
  confFile: '/etc/redis-sentinel/sentinel.conf',
  scriptPath: '/etc/redis-sentinel/notify-failover.sh',
  dataDir: '/var/lib/redis-sentinel',
  tlsDir: '/etc/redis-sentinel/tls',
  pebbleBin: DEFAULT_PEBBLE_BIN,
};

/** Paths rooted at `dir` (for tests that run sentinel on the host). */
export function pathsUnder(dir: string, pebbleBin: string): SentinelPaths {
  return {
    confDir: `${dir}/etc`,
    confFile: `${dir}/etc/sentinel.conf`,
    scriptPath: `${dir}/etc/notify-failover.sh`,
    dataDir: `${dir}/data`,
    tlsDir: `${dir}/etc/tls`,
    pebbleBin,
  };
}
