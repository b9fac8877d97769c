import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis as RedisClient } from 'ioredis';
import { z } from 'zod';
import { openRedis } from '@charms/charm-sdk/redis';
import { SentinelCharmError, isSentinelError, redisFailureError, type FailureWording } from './errors.js';
import {
  parseInstanceList,
  parseMasterReply,
  parseQuorumReply,
  type InstanceView,
  type MasterView,
  type QuorumView,
} from './sentinel-view.js';
import { parseReplicasReply, type ReplicaView } from './sentinel-replicas.js';
import type { ClientTls } from './tls.js';

/** Where a sentinel listens and the password it requires. */
export interface SentinelEndpoint {
  host: string;
  port: number;
  password?: string;
  /** Connect with TLS, verifying the chain against this CA (sentinel serves TLS only). */
  tls?: ClientTls;
}

/** The sentinel commands the charm needs, on one connection. */
export interface SentinelSession {
  /** `SENTINEL MASTER <name>`. */
  master(name: string): Promise<MasterView>;
  /** `SENTINEL MYID`. */
  myid(): Promise<string>;
  /** `SENTINEL GET-MASTER-ADDR-BY-NAME <name>`: null when sentinel does not monitor it. */
  masterAddress(name: string): Promise<{ host: string; port: number } | null>;
  /** `SENTINEL CKQUORUM <name>`: its NOQUORUM error is an answer, not a failure. */
  ckquorum(name: string): Promise<QuorumView>;
  /** `SENTINEL SET <name> <option> <value> ...` (values may be secret: they travel on the socket only). */
  set(name: string, settings: ReadonlyArray<readonly [string, string]>): Promise<void>;
  /** `SENTINEL RESET <name>`: forget replicas and sentinels, then re-discover them. */
  reset(name: string): Promise<void>;
  /** `SENTINEL SENTINELS <name>`: the other sentinels this one knows. */
  sentinels(name: string): Promise<InstanceView[]>;
  /** `SENTINEL REPLICAS <name>`: the replicas this one knows. */
  replicas(name: string): Promise<InstanceView[]>;
  /** `SENTINEL REPLICAS <name>` with each replica's priority and INFO age (what the failover action pins). */
  replicaDetails(name: string): Promise<ReplicaView[]>;
  /** `SENTINEL FAILOVER <name>`: a failover without agreement (rejects when one runs or no replica is fit). */
  failover(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a session to one sentinel (the seam tests and replay substitute). */
export type SentinelConnector = (
  endpoint: SentinelEndpoint,
  options?: { timeoutMs?: number },
) => Promise<SentinelSession>;

const AddrReply = z.union([z.null(), z.tuple([z.string(), z.coerce.number().int()])]);

const SENTINEL_WORDING: FailureWording = {
  server: 'sentinel',
  refused: "the sentinel password (is sentinel.conf's requirepass from the current secret revision?)",
  codes: { auth: 'sentinel-auth-failed', unreachable: 'sentinel-unreachable', command: 'sentinel-command-failed' },
};

/** Maps an ioredis or socket error to the charm's error family. */
export function classifySentinelError(e: unknown, endpoint: SentinelEndpoint, command: string): SentinelCharmError {
  return redisFailureError(e, endpoint, command, SENTINEL_WORDING);
}

/** The real connector: one ioredis connection, no reconnects and no offline queue (a hook is short). */
export const ioredisConnector: SentinelConnector = async (endpoint, options = {}) => {
  let client: RedisClient;
  try {
    client = await openRedis({ ...endpoint, timeoutMs: options.timeoutMs });
  } catch (e) {
    throw classifySentinelError(e, endpoint, 'AUTH');
  }
  const call = async (command: string, args: string[]): Promise<unknown> => {
    try {
      return await client.call('SENTINEL', ...args);
    } catch (e) {
      throw classifySentinelError(e, endpoint, command);
    }
  };
  return {
    master: async (name) => parseMasterReply(await call('SENTINEL MASTER', ['MASTER', name])),
    myid: async () =>
      z
        .string()
        .regex(/^[0-9a-f]{40}$/)
        .parse(await call('SENTINEL MYID', ['MYID'])),
    masterAddress: async (name) => {
      const reply = AddrReply.safeParse(
        await call('SENTINEL GET-MASTER-ADDR-BY-NAME', ['GET-MASTER-ADDR-BY-NAME', name]),
      );
      if (!reply.success)
        throw new SentinelCharmError(
          'sentinel-reply-invalid',
          'cannot read the reply to SENTINEL GET-MASTER-ADDR-BY-NAME: expected [host, port] or nil',
        );
      return reply.data === null ? null : { host: reply.data[0], port: reply.data[1] };
    },
    ckquorum: async (name) => {
      const reply = await client.call('SENTINEL', 'CKQUORUM', name).then(
        (r) => String(r),
        (e: unknown) => {
          const message = (e as Error)?.message ?? '';
          if (message.startsWith('NOQUORUM')) return message;
          throw classifySentinelError(e, endpoint, 'SENTINEL CKQUORUM');
        },
      );
      return parseQuorumReply(reply);
    },
    set: async (name, settings) => {
      if (settings.length === 0) return;
      await call(`SENTINEL SET ${settings.map(([k]) => k).join(' ')}`, ['SET', name, ...settings.flat()]);
    },
    reset: async (name) => {
      await call('SENTINEL RESET', ['RESET', name]);
    },
    sentinels: async (name) =>
      parseInstanceList(await call('SENTINEL SENTINELS', ['SENTINELS', name]), 'SENTINEL SENTINELS'),
    replicas: async (name) =>
      parseInstanceList(await call('SENTINEL REPLICAS', ['REPLICAS', name]), 'SENTINEL REPLICAS'),
    replicaDetails: async (name) => parseReplicasReply(await call('SENTINEL REPLICAS', ['REPLICAS', name])),
    failover: async (name) => {
      await call('SENTINEL FAILOVER', ['FAILOVER', name]);
    },
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
};

/**
 * Connects, retrying refused connections until `timeoutMs` (sentinel was just started); other
 * failures (a wrong password) are thrown at once.
 */
export async function connectWithin(
  connector: SentinelConnector,
  endpoint: SentinelEndpoint,
  timeoutMs: number,
): Promise<SentinelSession> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connector(endpoint, { timeoutMs: Math.min(3000, Math.max(200, deadline - Date.now())) });
    } catch (e) {
      if (!isSentinelError(e, 'sentinel-unreachable') || Date.now() >= deadline) throw e;
      await sleep(100);
    }
  }
}

/** Runs `fn` on a session and always closes it. */
export async function withSentinel<T>(
  connector: SentinelConnector,
  endpoint: SentinelEndpoint,
  timeoutMs: number,
  fn: (s: SentinelSession) => Promise<T>,
): Promise<T> {
  const session = await connectWithin(connector, endpoint, timeoutMs);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
