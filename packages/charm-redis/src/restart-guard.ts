/**
 * The restart guard (pure): a primary that restarts must not come back as a master its replicas
 * follow, because it may be behind or empty (a pod recreated faster than sentinel's down-after,
 * an AOF that missed its last fsync). Its redis.conf therefore always starts it as a replica of
 * an address nothing serves; read-only and refusing SYNC to its old replicas (NOMASTERLINK), it
 * keeps them intact until a sentinel promotes the most up-to-date one, or the charm finds that no
 * peer holds data.
 */
import type { RedisState } from './state.js';
import type { ReplicationView } from './replication.js';
import { knownUnits, type Primary } from './topology.js';

/** Where a guarded server "replicates" from: the pod's own loopback on a port nothing listens on. */
export const GUARD_REPLICAOF = { host: '127.0.0.1', port: 1 } as const;

/** The sentinel port the charm asks (plaintext or TLS, like redis). */
export const SENTINEL_PORT = 26379;

/** What the guard needs to settle a restarted primary (part of the workload spec). */
export interface GuardSpec {
  /** The name sentinels monitor this application under. */
  masterName: string;
  /** The related sentinels that published an address. */
  sentinels: { unit: string; host: string; port: number }[];
  /** The other units of the application and their addresses. */
  peers: { unit: string; address: string }[];
}

/**
 * The guard of this unit when it is the primary (pure): null when it bootstraps the application
 * (nobody recorded yet: nothing to protect) or is alone, else what settling a restart needs.
 */
export function guardSpec(state: RedisState, primary: Primary): GuardSpec | null {
  if (state.unit === null || primary.unit !== state.unit || primary.source === 'bootstrap') return null;
  const peers = [...knownUnits(state)]
    .filter(([unit, address]) => unit !== state.unit && address !== null)
    .map(([unit, address]) => ({ unit, address: address as string }))
    .sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true }));
  if (peers.length === 0) return null;
  const sentinels = state.sentinels
    .flatMap((s) => Object.entries(s.addresses ?? {}))
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([unit, host]) => ({ unit, host, port: SENTINEL_PORT }))
    .sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true }));
  return { masterName: state.app ?? 'redis-k8s', sentinels, peers };
}

/** Whether a running server is held by the guard (a replica of {@link GUARD_REPLICAOF}). */
export function isGuarded(view: Pick<ReplicationView, 'role' | 'masterHost' | 'masterPort'>): boolean {
  return view.role === 'slave' && view.masterHost === GUARD_REPLICAOF.host && view.masterPort === GUARD_REPLICAOF.port;
}

/**
 * The primary a majority of `total` sentinels name (pure): the address more than half of them
 * answered with, else null (unreachable sentinels count against every answer).
 */
export function majorityMaster(answers: readonly (string | null)[], total: number): string | null {
  const votes = new Map<string, number>();
  for (const a of answers) if (a !== null) votes.set(a, (votes.get(a) ?? 0) + 1);
  for (const [address, n] of votes) if (n > total / 2) return address;
  return null;
}

/** One replica as a sentinel lists it (SENTINEL REPLICAS), the fields the guard compares. */
export interface SentinelReplica {
  ip: string;
  offset: number;
}

/** SENTINEL REPLICAS' reply (a list of flat field/value lists) as ip and slave-repl-offset (pure). */
export function sentinelReplicas(reply: unknown): SentinelReplica[] {
  if (!Array.isArray(reply)) return [];
  return reply.flatMap((entry) => {
    if (!Array.isArray(entry)) return [];
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < entry.length; i += 2) f[String(entry[i])] = String(entry[i + 1]);
    const offset = Number(f['slave-repl-offset']);
    return f['ip'] === undefined || Number.isNaN(offset) ? [] : [{ ip: f['ip'], offset }];
  });
}

/**
 * Whether a sentinel's replica offsets match what the replicas report now (pure): sentinel picks
 * the replica to promote by the offsets of its last INFO, so a stale view could pick one that
 * lacks writes another replica acknowledged.
 */
export function sentinelCaughtUp(seen: readonly SentinelReplica[], actual: ReadonlyMap<string, number>): boolean {
  for (const [ip, offset] of actual) if (!seen.some((r) => r.ip === ip && r.offset === offset)) return false;
  return true;
}
