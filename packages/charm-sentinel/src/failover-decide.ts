import { z } from 'zod';
import { majorityPrimary, type MajorityView, type SentinelAnswer } from './get-primary.js';

/**
 * The pure decisions of the `failover` action: which params are valid, whether sentinel may switch
 * over now, which replicas are healthy, which one to promote, and how long writes may stay paused.
 */

/** A replica whose primary last heard from it longer ago than this (seconds, INFO `lag`) is lagging. */
export const MAX_LAG_SECONDS = 5;
/** How long sentinel may take to see the replica priorities change (it sends INFO every 10 s). */
export const PIN_TIMEOUT_MS = 25_000;
/** How long the chosen replica may take to reach the paused primary's offset. */
export const CATCH_UP_TIMEOUT_MS = 3_000;
/** After the promotion, how long a majority of sentinels may take to report it (hello every 2 s). */
export const CONVERGE_TIMEOUT_MS = 10_000;

/** The action's params, parsed at the boundary. */
export const FailoverParams = z
  .object({
    to: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\/\d{1,6}$/, 'must be a unit name of the related redis-k8s application, like redis-k8s/2')
      .optional(),
  })
  .strict();
export type FailoverParams = z.infer<typeof FailoverParams>;

/** What one sentinel said about the master (address and flags), or why it could not be asked. */
export interface SentinelReport extends SentinelAnswer {
  flags: string[];
  /** Its failover-timeout (ms), when it answered. */
  failoverTimeoutMs: number | null;
}

/** Whether sentinel may run a switchover now (pure): a majority agrees on a healthy primary, none fails over. */
export function sentinelsReady(
  reports: readonly SentinelReport[],
  total: number,
): { ok: true; majority: MajorityView & { primary: string } } | { ok: false; message: string } {
  const busy = reports.filter((r) => r.flags.includes('failover_in_progress'));
  if (busy.length > 0)
    return {
      ok: false,
      message: `cannot fail over: a failover is already in progress (sentinel ${busy.map((r) => r.unit).join(', ')} runs one); run get-primary when it is done`,
    };
  const majority = majorityPrimary(reports, total);
  if (majority.primary === null)
    return {
      ok: false,
      message: `cannot fail over: the sentinels lack a majority: ${majority.votes} of ${total} agree on a primary, ${majority.needed} needed (${reports
        .map((r) => `${r.unit}: ${r.primary ?? r.error ?? 'no master'}`)
        .join('; ')})`,
    };
  const down = reports.filter(
    (r) => r.primary === majority.primary && r.flags.some((f) => f === 's_down' || f === 'o_down'),
  );
  if (down.length > 0)
    return {
      ok: false,
      message: `cannot fail over: sentinel ${down.map((r) => r.unit).join(', ')} sees the primary ${majority.primary} down, so sentinel's own failover is under way or due; run get-primary when it is done`,
    };
  return { ok: true, majority: { ...majority, primary: majority.primary } };
}

/** One redis-k8s unit as the action found it: its `INFO replication`, or why it could not be asked. */
export interface NodeFacts {
  unit: string;
  address: string;
  info: Record<string, string> | null;
  error?: string;
}

/** A replica judged against the primary. */
export interface ReplicaHealth {
  unit: string;
  address: string;
  healthy: boolean;
  /** Why it is not healthy. */
  problem?: string;
  /** Its `replica-priority` (INFO `slave_priority`). */
  priority: number;
  /** Its processed replication offset (INFO `slave_repl_offset`). */
  offset: number;
}

/** The primary's `slaveN:ip=..,port=..,state=..,offset=..,lag=..` lines, by replica address (pure). */
export function connectedReplicas(primaryInfo: Record<string, string>): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const [key, value] of Object.entries(primaryInfo)) {
    if (!/^slave\d+$/.test(key)) continue;
    const fields = Object.fromEntries(value.split(',').map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
    if (fields['ip'] !== undefined) out.set(`${fields['ip']}:${fields['port']}`, fields);
  }
  return out;
}

const num = (v: string | undefined, fallback: number): number => {
  const n = Number(v);
  return v === undefined || !Number.isFinite(n) ? fallback : n;
};

/** Judges one replica (pure): reachable, replicating this primary with the link up, online and not lagging. */
export function replicaHealth(
  primary: { address: string; port: number; info: Record<string, string> },
  node: NodeFacts,
  maxLagSeconds = MAX_LAG_SECONDS,
): ReplicaHealth {
  const info = node.info;
  const base = {
    unit: node.unit,
    address: node.address,
    priority: num(info?.['slave_priority'], 100),
    offset: num(info?.['slave_repl_offset'], -1),
  };
  const bad = (problem: string): ReplicaHealth => ({ ...base, healthy: false, problem });
  if (info === null) return bad(`unreachable (${node.error ?? 'no answer'})`);
  if (info['role'] !== 'slave') return bad(`it is a ${info['role'] ?? 'server of unknown role'}, not a replica`);
  const replicates = `${info['master_host']}:${info['master_port']}`;
  if (replicates !== `${primary.address}:${primary.port}`)
    return bad(`it replicates ${replicates}, not the primary ${primary.address}:${primary.port}`);
  if (info['master_link_status'] !== 'up')
    return bad(`its replication link is ${info['master_link_status'] ?? 'unknown'}`);
  if (info['master_sync_in_progress'] === '1') return bad('it is still loading a full sync');
  const seen = connectedReplicas(primary.info).get(`${node.address}:${primary.port}`);
  if (seen === undefined) return bad('the primary does not list it among its connected replicas');
  if (seen['state'] !== 'online') return bad(`the primary sees it in state ${seen['state']}`);
  const lag = num(seen['lag'], Number.POSITIVE_INFINITY);
  if (lag > maxLagSeconds)
    return bad(`it is lagging: the primary last heard from it ${lag} s ago (bound ${maxLagSeconds} s)`);
  if (base.priority === 0) return bad('its replica-priority is 0, so sentinel never promotes it');
  return { ...base, healthy: true };
}

/** The replica to promote and the replicas to keep out of sentinel's choice meanwhile. */
export type TargetChoice = { ok: true; target: ReplicaHealth; pin: ReplicaHealth[] } | { ok: false; message: string };

/**
 * Picks the replica to promote (pure): `to` when given and healthy, else the one sentinel would rank
 * first among the healthy ones (lower priority, larger offset, then unit name). Every other reachable
 * replica with a non-zero priority is pinned to 0 so sentinel can only pick the target.
 */
export function chooseTarget(
  app: string,
  primaryUnit: string,
  units: readonly string[],
  replicas: readonly ReplicaHealth[],
  to: string | undefined,
): TargetChoice {
  const unhealthy = (r: ReplicaHealth) => `${r.unit}: ${r.problem ?? 'unknown'}`;
  let target: ReplicaHealth | undefined;
  if (to !== undefined) {
    if (!units.includes(to))
      return {
        ok: false,
        message: `cannot fail over to ${to}: it is not a unit of ${app} (its units: ${[...units].sort().join(', ')})`,
      };
    if (to === primaryUnit) return { ok: false, message: `cannot fail over to ${to}: it is the primary already` };
    target = replicas.find((r) => r.unit === to);
    if (target === undefined || !target.healthy)
      return {
        ok: false,
        message: `cannot fail over to ${to}: it is not a healthy replica (${target?.problem ?? 'not found'})`,
      };
  } else {
    const ranked = replicas
      .filter((r) => r.healthy)
      .sort(
        (a, b) =>
          a.priority - b.priority || b.offset - a.offset || a.unit.localeCompare(b.unit, 'en', { numeric: true }),
      );
    target = ranked[0];
    if (target === undefined)
      return {
        ok: false,
        message: `cannot fail over: no healthy replica of ${primaryUnit} (${replicas.length === 0 ? 'it has none' : replicas.map(unhealthy).join('; ')})`,
      };
  }
  const chosen = target;
  const pin = replicas.filter((r) => r.unit !== chosen.unit && r.priority > 0 && !r.problem?.startsWith('unreachable'));
  return { ok: true, target: chosen, pin };
}

/** How long CLIENT PAUSE may hold writes (pure): catch-up, sentinel's own failover limit, convergence, margin. */
export function pauseBudgetMs(failoverTimeoutMs: number): number {
  return CATCH_UP_TIMEOUT_MS + failoverTimeoutMs + CONVERGE_TIMEOUT_MS + 2_000;
}
