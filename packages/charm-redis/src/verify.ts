import { setTimeout as sleep } from 'node:timers/promises';
import type { DesiredRole } from './desired.js';
import type { Verification } from './events.js';
import type { RedisConnector, RedisEndpoint, RedisSession } from './redis-client.js';
import { probeReplication, type ReplicationView } from './replication.js';

/** Bounds of {@link waitForRole}. */
export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  now?: () => number;
}

/** Whether a server's view is what `role` wants: a master, or a replica of the primary with its link up. */
export function roleMatches(view: ReplicationView, role: DesiredRole): boolean {
  if (role.kind === 'primary') return view.role === 'master';
  return view.role === 'slave' && view.masterHost === role.primaryAddress && view.linkStatus === 'up';
}

function toVerification(
  role: DesiredRole,
  view: ReplicationView | null,
  ok: boolean,
  elapsedMs: number,
  error?: string,
): Verification {
  return {
    ok,
    expected: role.kind === 'primary' ? 'master' : 'slave',
    role: view?.role ?? null,
    masterHost: view?.masterHost ?? null,
    linkStatus: view?.linkStatus ?? null,
    connectedReplicas: view === null ? null : view.connectedReplicas,
    runId: view?.runId ?? null,
    elapsedMs: Math.round(elapsedMs),
    ...(error === undefined ? {} : { error }),
  };
}

/**
 * Polls the server until it has `role` (a replica also needs `master_link_status:up`) or the bound
 * passes; connection errors count as "not yet" (the server may still be starting or loading).
 */
export async function waitForRole(
  connect: RedisConnector,
  endpoint: RedisEndpoint,
  role: DesiredRole,
  options: WaitOptions,
): Promise<Verification> {
  const now = options.now ?? (() => performance.now());
  const start = now();
  let session: RedisSession | undefined;
  let view: ReplicationView | null = null;
  let error: string | undefined;
  try {
    for (;;) {
      try {
        session ??= await connect(endpoint, { timeoutMs: 2000 });
        view = await probeReplication(session);
        error = undefined;
        if (roleMatches(view, role)) return toVerification(role, view, true, now() - start);
      } catch (e) {
        error = (e as Error).message;
        await session?.close();
        session = undefined;
      }
      if (now() - start >= options.timeoutMs) return toVerification(role, view, false, now() - start, error);
      await sleep(options.intervalMs ?? 200);
    }
  } finally {
    await session?.close();
  }
}
