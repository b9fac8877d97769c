/**
 * Pure decisions of the primary's handover when its unit is removed: who takes over, which sentinels
 * to ask, whether a replica caught up, whether the sentinels agree. The effects are not wired in yet (see the README).
 */
import type { ReplicationView } from './replication.js';

/** How long the primary waits for the successor to reach its replication offset (writes paused). */
export const CATCH_UP_TIMEOUT_MS = 10_000;
/** How long it waits, after SENTINEL FAILOVER or REPLICAOF NO ONE, for the new primary to be named. */
export const SWITCH_TIMEOUT_MS = 30_000;
/** The whole handover is bounded by this (catch-up, switch, margin); CLIENT PAUSE lasts at most this. */
export const HANDOVER_BOUND_MS = CATCH_UP_TIMEOUT_MS + SWITCH_TIMEOUT_MS + 5_000;
/** The port redis-sentinel-k8s serves on. */
export const SENTINEL_PORT = 26379;

/** A unit and its pod address. */
export interface Member {
  unit: string;
  address: string;
}

/** One other unit as the leaving primary found it: its replication view, or why it could not be asked. */
export interface Candidate extends Member {
  view: ReplicationView | null;
  error?: string;
}

/** A successor and the replicas that must follow it; or why there is none. */
export type SuccessorChoice =
  { ok: true; target: Candidate & { offset: number }; followers: Candidate[] } | { ok: false; message: string };

/** Why a candidate cannot take over from the primary at `primaryAddress`, or null when it can (pure). */
export function unfit(c: Candidate, primaryAddress: string): string | null {
  if (c.view === null) return `unreachable (${c.error ?? 'no answer'})`;
  if (c.view.role !== 'slave') return `it is a ${c.view.role}, not a replica`;
  if (c.view.masterHost !== primaryAddress) return `it replicates ${c.view.masterHost ?? 'nothing'}, not this primary`;
  if (c.view.linkStatus !== 'up') return `its replication link is ${c.view.linkStatus ?? 'unknown'}`;
  if (c.view.masterReplOffset === null) return 'it reports no replication offset';
  return null;
}

/**
 * The successor (pure): the replica of this primary with the largest replication offset (the most
 * up to date), ties broken by unit number. Every other replica of this primary follows it.
 */
export function chooseSuccessor(primary: Member, candidates: readonly Candidate[]): SuccessorChoice {
  const fit = candidates.filter((c) => unfit(c, primary.address) === null);
  const ranked = [...fit].sort(
    (a, b) =>
      (b.view?.masterReplOffset ?? 0) - (a.view?.masterReplOffset ?? 0) ||
      a.unit.localeCompare(b.unit, 'en', { numeric: true }),
  );
  const target = ranked[0];
  if (target === undefined) {
    const why = candidates.map((c) => `${c.unit}: ${unfit(c, primary.address) ?? 'fit'}`).join('; ');
    return { ok: false, message: `no replica of ${primary.unit} can take over (${why || 'it has none'})` };
  }
  const followers = candidates.filter((c) => c.unit !== target.unit && c.view !== null);
  return { ok: true, target: { ...target, offset: target.view?.masterReplOffset ?? 0 }, followers };
}

/**
 * The sentinels monitoring this server, from its CLIENT LIST (pure): each sentinel keeps a command
 * connection named `sentinel-<id>-cmd`; the address is the sentinel's pod address. Sorted, unique.
 */
export function sentinelHosts(clientList: string): string[] {
  const hosts = new Set<string>();
  for (const line of clientList.split(/\r?\n/)) {
    const fields = new Map(
      line
        .split(' ')
        .filter((f) => f.includes('='))
        .map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] as const),
    );
    if (!/^sentinel-[0-9a-f]+-cmd$/.test(fields.get('name') ?? '')) continue;
    const addr = fields.get('addr') ?? '';
    const host = addr.slice(0, addr.lastIndexOf(':'));
    if (host !== '') hosts.add(host.replace(/^\[|\]$/g, ''));
  }
  return [...hosts].sort();
}

/** Whether every replica that must not lose a write has reached the primary's offset (pure). */
export function caughtUp(primaryOffset: number | null, replicaOffsets: readonly (number | null)[]): boolean {
  return primaryOffset !== null && replicaOffsets.every((o) => o !== null && o >= primaryOffset);
}

/**
 * The primary a majority of `total` sentinels name, when it is not `old` (pure): the handover is done
 * once this is some other address. `answers` are `host` strings or null (no answer).
 */
export function agreedSuccessor(answers: readonly (string | null)[], total: number, old: string): string | null {
  const needed = Math.floor(total / 2) + 1;
  const votes = new Map<string, number>();
  for (const a of answers) if (a !== null && a !== old) votes.set(a, (votes.get(a) ?? 0) + 1);
  for (const [host, n] of votes) if (n >= needed) return host;
  return null;
}
