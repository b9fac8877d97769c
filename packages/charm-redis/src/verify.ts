import { setTimeout as sleep } from 'node:timers/promises';
import { waiting, type StatusValue } from '@charms/charm-sdk';
import type { DesiredRole, WorkloadSpec } from './desired.js';
import type { Verification } from './events.js';
import type { RedisConnector, RedisEndpoint, RedisSession } from './redis-client.js';
import { probeReplication, type ReplicationView } from './replication.js';

/** Bounds of {@link waitForRole}. */
export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  now?: () => number;
}

/** What the verify stage checks after reconciling: the server, whether this hook (re)started it, its role then. */
export interface RoleCheck {
  endpoint: RedisEndpoint;
  started: boolean;
  view: ReplicationView;
}

/** What the verify stage found: the verification to record (after a start) and the status it calls for. */
export interface RoleVerdict {
  verification?: Verification;
  status?: StatusValue;
}

/** The status a verification calls for; undefined when it passed (pure). */
export function verificationStatus(v: Verification, roleText: string): StatusValue | undefined {
  if (v.ok) return undefined;
  if (v.role === null) return waiting(`redis-server is not answering yet${v.error ? `: ${v.error}` : ''}`);
  if (v.expected === 'slave' && v.role === 'slave')
    return waiting(`${roleText}: replication link is ${v.linkStatus ?? 'unknown'}`);
  return waiting(`redis-server reports role ${v.role}, expected ${roleText}`);
}

/**
 * The verify stage: after a (re)start it waits (bounded) for the expected role, a replica's link
 * included, and records the verification; otherwise the role reconciling saw must be the expected one.
 */
export async function verifyRole(
  connect: RedisConnector,
  spec: WorkloadSpec,
  check: RoleCheck,
  roleText: string,
  options: WaitOptions,
): Promise<RoleVerdict> {
  if (!check.started) {
    if (check.view.role === spec.expectedRole) return {};
    return { status: waiting(`redis-server reports role ${check.view.role}, expected ${roleText}`) };
  }
  const verification = await waitForRole(connect, check.endpoint, spec.role, options);
  const status = verificationStatus(verification, roleText);
  return { verification, ...(status === undefined ? {} : { status }) };
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
