import { RedisCharmError } from './errors.js';
import type { DesiredRole } from './desired.js';
import { type ConfEntry } from './redis-conf.js';
import type { RedisSession } from './redis-client.js';
import { probeReplication, type ReplicationView } from './replication.js';
import { REDIS_PORT } from './paths.js';

/** What {@link applyLiveSettings} changed on a running server, and its replication view after. */
export interface LiveResult {
  /** CONFIG SET parameters and their new values. */
  set: Record<string, string>;
  /** REPLICAOF issued ("no one" or "<host> <port>"). */
  replicaOf?: string;
  view: ReplicationView;
}

/** CONFIG GET's flat `[name, value, ...]` reply as a map. */
export function configReply(reply: unknown): Record<string, string> {
  if (!Array.isArray(reply) || reply.length % 2 !== 0 || !reply.every((x) => typeof x === 'string')) {
    throw new RedisCharmError('redis-protocol', 'cannot read CONFIG GET: expected a flat list of names and values', {});
  }
  const out: Record<string, string> = {};
  for (let i = 0; i < reply.length; i += 2) out[reply[i] as string] = reply[i + 1] as string;
  return out;
}

/** The live entries whose running value differs from the desired one (pure). */
export function liveDiff(entries: readonly ConfEntry[], running: Record<string, string>): Record<string, string> {
  const diff: Record<string, string> = {};
  for (const e of entries) {
    if (e.kind !== 'live' || typeof e.value !== 'string') continue;
    if (running[e.key] !== e.value) diff[e.key] = e.value;
  }
  return diff;
}

/** The REPLICAOF arguments that bring `view` to `role`, or undefined when it already has it (pure). */
export function replicaOfCommand(view: ReplicationView, role: DesiredRole): string[] | undefined {
  if (role.kind === 'primary') return view.role === 'master' ? undefined : ['no', 'one'];
  if (view.role === 'slave' && view.masterHost === role.primaryAddress && view.masterPort === REDIS_PORT)
    return undefined;
  return [role.primaryAddress, String(REDIS_PORT)];
}

/**
 * Brings a running server to the desired settings without a restart: CONFIG SET for live entries
 * that differ and, when the charm owns failover (`replicaOfLive`), REPLICAOF for a wrong role.
 */
export async function applyLiveSettings(
  session: RedisSession,
  entries: readonly ConfEntry[],
  role: DesiredRole,
  replicaOfLive: boolean,
): Promise<LiveResult> {
  const keys = entries.filter((e) => e.kind === 'live').map((e) => e.key);
  const diff = liveDiff(entries, configReply(await session.command('config', 'get', ...keys)));
  if (Object.keys(diff).length > 0) await session.command('config', 'set', ...Object.entries(diff).flat());
  let view = await probeReplication(session);
  const result: LiveResult = { set: diff, view };
  const replicaOf = replicaOfLive ? replicaOfCommand(view, role) : undefined;
  if (replicaOf !== undefined) {
    await session.command('replicaof', ...replicaOf);
    view = await probeReplication(session);
    return { ...result, replicaOf: replicaOf.join(' '), view };
  }
  return result;
}
