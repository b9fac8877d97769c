import { setTimeout as sleep } from 'node:timers/promises';
import { isSentinelError } from './errors.js';
import { SENTINEL_PORT } from './paths.js';
import { withSentinel, type SentinelConnector, type SentinelSession } from './sentinel-client.js';
import { instanceDown, masterHealthy, type InstanceView, type MasterView } from './sentinel-view.js';
import type { ClientTls } from './tls.js';

/**
 * Sentinels never forget a sentinel they have seen, so after units leave every remaining sentinel
 * must be `SENTINEL RESET`, one at a time, each given time to rediscover the others before the next
 * (the Redis docs: "one after the other, waiting at least 30 seconds between instances"). Here the
 * wait is a condition, not a clock: the reset sentinel again knows every live member and as many
 * healthy replicas as before. The leader runs the pass for the whole application.
 */
export interface ConvergePlan {
  masterName: string;
  /** Every sentinel unit of the application now (this one included). */
  members: ReadonlyArray<{ unit: string; address: string }>;
  /** Addresses of sentinel units that left: what the members must forget. */
  departed: readonly string[];
  /** Addresses of redis units that left (sentinel keeps listing them as replicas, down, until reset). */
  departedReplicas?: readonly string[];
}

/** What the pass did for one member. */
export interface MemberReset {
  unit: string;
  /** Sentinels and replicas it forgot (their addresses). */
  forgot: string[];
  /** From the RESET until it knew the live members and its replicas again. */
  rediscoveredMs: number | null;
  /** Why it was not reset, or why the pass stopped there. */
  problem?: string;
}

/** Seams and bounds of {@link convergeSentinels}. */
export interface ConvergeSeams {
  connector: SentinelConnector;
  password: string;
  tls?: ClientTls;
  /** How long a departed sentinel may still answer before the pass gives up (default 30 s). */
  staleTimeoutMs?: number;
  /** How long a reset sentinel may take to rediscover (default 30 s, the docs' spacing). */
  rediscoverTimeoutMs?: number;
  pollMs?: number;
  now?: () => number;
}

/** The instances (sentinels or replicas) `known` lists that belong to departed units (pure). */
export function staleInstances(known: readonly InstanceView[], departed: ReadonlySet<string>): InstanceView[] {
  return known.filter((k) => departed.has(k.ip));
}

/**
 * Why this sentinel must not be reset now (pure), or null: a stale sentinel or replica is not seen
 * down yet (it would be learned again at once: a sentinel through hello messages, a replica from the
 * master's INFO), or the master is down or failing over (a reset then loses the replicas the failover
 * needs). Departed instances that are down are what the reset is for: they never block.
 */
export function resetBlocker(
  master: MasterView,
  stale: readonly InstanceView[],
  staleReplicas: readonly InstanceView[] = [],
): string | null {
  const alive = stale.filter((s) => !instanceDown(s));
  if (alive.length > 0) return `departed sentinel ${alive.map((s) => `${s.ip}:${s.port}`).join(', ')} still answers`;
  const replicas = staleReplicas.filter((r) => !instanceDown(r));
  if (replicas.length > 0)
    return `departed replica ${replicas.map((r) => `${r.ip}:${r.port}`).join(', ')} is not seen down yet`;
  if (!masterHealthy(master)) return 'the master is down';
  if (master.flags.some((f) => f.startsWith('failover_') || f === 'promoted')) return 'a failover is running';
  return null;
}

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  pollMs: number,
  now: () => number,
): Promise<T | undefined> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || now() >= deadline) return value;
    await sleep(pollMs);
  }
}

async function answers(seams: ConvergeSeams, address: string): Promise<boolean> {
  try {
    return await withSentinel(seams.connector, endpoint(seams, address), 3000, async (s) => (await s.myid()) !== '');
  } catch (e) {
    if (isSentinelError(e)) return false;
    throw e;
  }
}

function endpoint(seams: ConvergeSeams, host: string) {
  return {
    host,
    port: SENTINEL_PORT,
    password: seams.password,
    ...(seams.tls === undefined ? {} : { tls: seams.tls }),
  };
}

/** The most healthy, non-departed replicas any of `members` lists (null when none answers). */
async function healthyReplicasElsewhere(
  seams: ConvergeSeams,
  masterName: string,
  members: readonly string[],
  departed: ReadonlySet<string>,
): Promise<number | null> {
  const counts = await Promise.all(
    members.map((a) =>
      withSentinel(
        seams.connector,
        endpoint(seams, a),
        3000,
        async (o) => (await o.replicas(masterName)).filter((r) => !instanceDown(r) && !departed.has(r.ip)).length,
      ).catch((e: unknown) => {
        if (isSentinelError(e)) return null;
        throw e;
      }),
    ),
  );
  const known = counts.filter((c): c is number => c !== null);
  return known.length === 0 ? null : Math.max(...known);
}

async function resetOne(
  s: SentinelSession,
  plan: ConvergePlan,
  unit: string,
  self: string,
  live: ReadonlySet<string>,
  seams: ConvergeSeams,
): Promise<MemberReset | null> {
  const now = seams.now ?? Date.now;
  const poll = seams.pollMs ?? 250;
  const departed = new Set(plan.departed);
  const departedReplicas = new Set(plan.departedReplicas ?? []);
  let stale: InstanceView[] = [];
  let staleReplicas: InstanceView[] = [];
  let blocker: string | null = null;
  const ready = await waitFor(
    async () => {
      const [master, known, replicas] = await Promise.all([
        s.master(plan.masterName),
        s.sentinels(plan.masterName),
        departedReplicas.size === 0 ? Promise.resolve([]) : s.replicas(plan.masterName),
      ]);
      stale = staleInstances(known, departed);
      staleReplicas = staleInstances(replicas, departedReplicas);
      if (stale.length === 0 && staleReplicas.length === 0) return 'nothing';
      blocker = resetBlocker(master, stale, staleReplicas);
      return blocker === null ? 'reset' : undefined;
    },
    seams.staleTimeoutMs ?? 30_000,
    poll,
    now,
  );
  if (ready === 'nothing') return null;
  if (ready === undefined) return { unit, forgot: [], rediscoveredMs: null, problem: blocker ?? 'not ready' };
  const healthyReplicas = (await s.replicas(plan.masterName)).filter(
    (r) => !instanceDown(r) && !departedReplicas.has(r.ip),
  ).length;
  const others = [...live].filter((a) => a !== self);
  const t0 = now();
  await s.reset(plan.masterName);
  const back = await waitFor(
    async () => {
      const [master, known] = await Promise.all([s.master(plan.masterName), s.sentinels(plan.masterName)]);
      const ips = new Set(known.map((k) => k.ip));
      if (others.every((a) => ips.has(a)) && master.numSlaves >= healthyReplicas) return true;
      // units leave one after another: a member that stopped answering since, or a replica every other
      // member now sees down, is not waited for (it would hold the pass until the timeout)
      const missing = others.filter((a) => !ips.has(a));
      if ((await Promise.all(missing.map((a) => answers(seams, a)))).some(Boolean)) return undefined;
      const elsewhere = await healthyReplicasElsewhere(
        seams,
        plan.masterName,
        others.filter((a) => ips.has(a)),
        departedReplicas,
      );
      return master.numSlaves >= Math.min(healthyReplicas, elsewhere ?? healthyReplicas) ? true : undefined;
    },
    seams.rediscoverTimeoutMs ?? 30_000,
    poll,
    now,
  );
  const forgot = [...stale, ...staleReplicas].map((x) => x.ip);
  if (back === undefined)
    return {
      unit,
      forgot,
      rediscoveredMs: null,
      problem: 'did not rediscover the live sentinels and replicas in time',
    };
  return { unit, forgot, rediscoveredMs: now() - t0 };
}

/**
 * Resets, one at a time, every member that still knows departed sentinels or replicas, waiting after each until
 * it knows the live members and its replicas again. Stops at the first member that cannot be made
 * whole (resetting the next one blind is what the docs warn against). Unreachable members are skipped.
 */
export async function convergeSentinels(plan: ConvergePlan, seams: ConvergeSeams): Promise<MemberReset[]> {
  const ordered = [...plan.members].sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true }));
  const reachable = await Promise.all(ordered.map((m) => answers(seams, m.address)));
  const live = new Set(ordered.filter((_, i) => reachable[i]).map((m) => m.address));
  const done: MemberReset[] = [];
  for (const m of ordered) {
    if (!live.has(m.address)) {
      done.push({ unit: m.unit, forgot: [], rediscoveredMs: null, problem: 'unreachable; skipped' });
      continue;
    }
    let result: MemberReset | null;
    try {
      result = await withSentinel(seams.connector, endpoint(seams, m.address), 5000, (s) =>
        resetOne(s, plan, m.unit, m.address, live, seams),
      );
    } catch (e) {
      if (!isSentinelError(e)) throw e;
      result = { unit: m.unit, forgot: [], rediscoveredMs: null, problem: `${e.code}: ${e.message}` };
    }
    if (result === null) continue;
    done.push(result);
    if (result.problem !== undefined) break;
  }
  return done;
}
