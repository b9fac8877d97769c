import type { Redis as RedisClient } from 'ioredis';
import { openRedis } from '@charms/charm-sdk/redis';
import { redisFailureError, type FailureWording, type SentinelCharmError } from './errors.js';
import type { ClientTls } from './tls.js';

/** The client name the `failover` action's connections carry (CLIENT LIST shows a running switchover). */
export const FAILOVER_CLIENT_NAME = 'redis-sentinel-k8s-failover';

/** One redis-k8s unit's redis-server and the admin password (sent on the socket only). */
export interface RedisNodeEndpoint {
  host: string;
  port: number;
  password: string;
  tls?: ClientTls;
}

/** The commands a switchover sends to one redis-server, on one connection. */
export interface RedisNodeSession {
  /** `INFO replication` as key/value pairs. */
  replication(): Promise<Record<string, string>>;
  /** `CLIENT PAUSE <ms> WRITE`: write commands block (reads go on) until `ms` pass or {@link unpause}. */
  pauseWrites(ms: number): Promise<void>;
  /** `CLIENT UNPAUSE`. */
  unpause(): Promise<void>;
  /** `CONFIG SET replica-priority <n>` (runtime only; 0 = sentinel never promotes it). */
  setReplicaPriority(priority: number): Promise<void>;
  /**
   * Makes a primary a replica of `host:port` the way sentinel reconfigures an instance (MULTI,
   * REPLICAOF, CONFIG REWRITE, CLIENT KILL TYPE normal and pubsub, EXEC; this connection survives).
   * Returns the CONFIG REWRITE error, if any (the rest must succeed).
   */
  demote(host: string, port: number): Promise<string | null>;
  /** Addresses of other connections named {@link FAILOVER_CLIENT_NAME} (another switchover running). */
  otherFailovers(): Promise<string[]>;
  close(): Promise<void>;
}

/** Opens a session to one redis-server (the seam tests substitute). */
export type RedisNodeConnector = (
  endpoint: RedisNodeEndpoint,
  options?: { timeoutMs?: number },
) => Promise<RedisNodeSession>;

/** Parses an INFO reply's `key:value` lines (pure). */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (line.startsWith('#') || at <= 0) continue;
    out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

const REDIS_WORDING: FailureWording = {
  server: 'redis',
  refused: "the admin password from the relation's secret",
  codes: { auth: 'redis-auth-failed', unreachable: 'redis-unreachable', command: 'redis-command-failed' },
};

/** Maps an ioredis or socket error to the charm's error family. */
export function classifyRedisError(e: unknown, endpoint: RedisNodeEndpoint, command: string): SentinelCharmError {
  return redisFailureError(e, endpoint, command, REDIS_WORDING);
}

/** The real connector: one ioredis connection, no reconnects and no offline queue. */
export const ioredisNodeConnector: RedisNodeConnector = async (endpoint, options = {}) => {
  let client: RedisClient;
  try {
    client = await openRedis({ ...endpoint, connectionName: FAILOVER_CLIENT_NAME, timeoutMs: options.timeoutMs });
  } catch (e) {
    throw classifyRedisError(e, endpoint, 'AUTH');
  }
  const call = async (command: string, args: string[]): Promise<unknown> => {
    try {
      return await client.call(args[0] as string, ...args.slice(1));
    } catch (e) {
      throw classifyRedisError(e, endpoint, command);
    }
  };
  return {
    replication: async () => parseInfo(String(await call('INFO replication', ['INFO', 'replication']))),
    pauseWrites: async (ms) => {
      await call('CLIENT PAUSE', ['CLIENT', 'PAUSE', String(ms), 'WRITE']);
    },
    unpause: async () => {
      await call('CLIENT UNPAUSE', ['CLIENT', 'UNPAUSE']);
    },
    setReplicaPriority: async (priority) => {
      await call('CONFIG SET replica-priority', ['CONFIG', 'SET', 'replica-priority', String(priority)]);
    },
    demote: async (host, port) => {
      let replies: [Error | null, unknown][] | null;
      try {
        replies = await client
          .multi()
          .call('REPLICAOF', host, String(port))
          .call('CONFIG', 'REWRITE')
          .call('CLIENT', 'KILL', 'TYPE', 'normal')
          .call('CLIENT', 'KILL', 'TYPE', 'pubsub')
          .exec();
      } catch (e) {
        throw classifyRedisError(e, endpoint, 'REPLICAOF');
      }
      if (replies === null) throw classifyRedisError(new Error('the transaction was aborted'), endpoint, 'REPLICAOF');
      const [replicaOf, rewrite] = replies;
      if (replicaOf?.[0]) throw classifyRedisError(replicaOf[0], endpoint, 'REPLICAOF');
      return rewrite?.[0] ? rewrite[0].message : null;
    },
    otherFailovers: async () => {
      const [mine, list] = await Promise.all([
        call('CLIENT ID', ['CLIENT', 'ID']),
        call('CLIENT LIST', ['CLIENT', 'LIST', 'TYPE', 'normal']),
      ]);
      return String(list)
        .split('\n')
        .map((line) =>
          Object.fromEntries(line.split(' ').map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)])),
        )
        .filter((c) => c['name'] === FAILOVER_CLIENT_NAME && c['id'] !== String(mine))
        .map((c) => String(c['addr']));
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
};
