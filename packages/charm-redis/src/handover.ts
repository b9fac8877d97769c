/**
 * The effects of a leaving primary's handover (the decisions are pure, in handover-decide.ts): pause
 * writes, wait until every replica reached this primary's offset, switch the role (SENTINEL FAILOVER,
 * or REPLICAOF by the charm), demote this server, unpause.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { HandoverSpec } from './desired.js';
import type { HandoverRecord } from './events.js';
import {
  agreedSuccessor,
  CATCH_UP_TIMEOUT_MS,
  caughtUp,
  chooseSuccessor,
  HANDOVER_BOUND_MS,
  sentinelHosts,
  SENTINEL_PORT,
  SWITCH_TIMEOUT_MS,
  unfit,
  type Candidate,
} from './handover-decide.js';
import type { Passwords } from './passwords.js';
import type { RedisConnector, RedisEndpoint, RedisSession } from './redis-client.js';
import { probeReplication } from './replication.js';
import { REDIS_PORT } from './paths.js';

/** Seams and bounds of {@link handOver} and {@link awaitHandover}. */
export interface HandoverDeps {
  connect: RedisConnector;
  /** The CA when TLS is on. */
  ca?: string;
  catchUpTimeoutMs?: number;
  switchTimeoutMs?: number;
  pollMs?: number;
  now?: () => number;
}

const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function endpoint(host: string, port: number, password: string, ca: string | undefined): RedisEndpoint {
  return { host, port, password, ...(ca === undefined ? {} : { tls: { ca } }) };
}

/** Runs `f` on a short-lived session; null when the server cannot be reached or `f` fails. */
async function ask<T>(deps: HandoverDeps, ep: RedisEndpoint, f: (s: RedisSession) => Promise<T>): Promise<T | null> {
  let s: RedisSession | undefined;
  try {
    s = await deps.connect(ep, { timeoutMs: 2000 });
    return await f(s);
  } catch {
    return null;
  } finally {
    await s?.close();
  }
}

async function probe(deps: HandoverDeps, members: HandoverSpec['candidates'], password: string): Promise<Candidate[]> {
  return Promise.all(
    members.map(async (m) => {
      try {
        const view = await ask(deps, endpoint(m.address, REDIS_PORT, password, deps.ca), probeReplication);
        return view === null ? { ...m, view: null, error: 'no answer' } : { ...m, view };
      } catch (e) {
        return { ...m, view: null, error: why(e) };
      }
    }),
  );
}

/** Polls `check` every `pollMs` until it returns non-null or `timeoutMs` passed; null on timeout. */
async function poll<T>(deps: HandoverDeps, timeoutMs: number, check: () => Promise<T | null>): Promise<T | null> {
  const now = deps.now ?? Date.now;
  const deadline = now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null || now() >= deadline) return v;
    await sleep(deps.pollMs ?? 50);
  }
}

/**
 * Hands this primary's role over before its unit goes. Never throws: the outcome says what happened;
 * when no handover was possible, the old path (sentinel, or the leader's promotion) takes over once
 * the unit is gone.
 */
export async function handOver(spec: HandoverSpec, passwords: Passwords, deps: HandoverDeps): Promise<HandoverRecord> {
  const now = deps.now ?? Date.now;
  const start = now();
  let via: HandoverRecord['via'] = spec.via;
  let pausedAt: number | null = null;
  const record = (
    outcome: HandoverRecord['outcome'],
    message: string,
    successor: { unit: string | null; address: string } | null = null,
  ): HandoverRecord => ({
    outcome,
    via,
    successor: successor?.unit ?? null,
    successorAddress: successor?.address ?? null,
    elapsedMs: Math.round(now() - start),
    // a record returned while paused is built before the finally unpauses: the pause lasts until now
    pausedMs: pausedAt === null ? 0 : Math.round(now() - pausedAt),
    message,
  });
  const pw = passwords.password;
  let self: RedisSession;
  try {
    self = await deps.connect(endpoint(spec.self.address, REDIS_PORT, pw, deps.ca), { timeoutMs: 3000 });
  } catch (e) {
    return record('failed', `cannot hand over: ${why(e)}`);
  }
  try {
    const view = await probeReplication(self);
    if (view.role !== 'master') return record('not-primary', `no handover: redis-server is a ${view.role} already`);
    const candidates = await probe(deps, spec.candidates, pw);
    const sentinels = spec.via === 'sentinel' ? sentinelHosts(String(await self.command('client', 'list'))) : [];
    via = sentinels.length > 0 ? 'sentinel' : 'charm';
    let choice = chooseSuccessor(spec.self, candidates);
    // a non-leader hands over to the leader: the leader's own promotion then agrees with it
    if (choice.ok && via === 'charm' && !spec.leader) {
      const leader = candidates.find((c) => c.unit === spec.appLeader);
      const problem = leader === undefined ? 'not known' : unfit(leader, spec.self.address);
      if (leader === undefined || problem !== null)
        return record('no-successor', `no handover: the leader ${spec.appLeader ?? '(unknown)'} is ${problem}`);
      choice = { ok: true, target: { ...leader, offset: leader.view?.masterReplOffset ?? 0 }, followers: [] };
    }
    if (!choice.ok) return record('no-successor', `no handover: ${choice.message}`);
    const fit = candidates.filter((c) => unfit(c, spec.self.address) === null);
    await self.command('client', 'pause', String(HANDOVER_BOUND_MS), 'WRITE');
    pausedAt = now();
    try {
      const offset = (await probeReplication(self)).masterReplOffset;
      const reached = await poll(deps, deps.catchUpTimeoutMs ?? CATCH_UP_TIMEOUT_MS, async () => {
        const views = await probe(deps, fit, pw);
        return caughtUp(
          offset,
          views.map((v) => v.view?.masterReplOffset ?? null),
        )
          ? true
          : null;
      });
      if (reached === null)
        return record('timed-out', `no handover: the replicas did not reach offset ${offset ?? '?'} in time`);
      // caught up, every replica holds every write: the leader's choice falls to the unit order
      if (spec.leader) {
        const views = (await probe(deps, fit, pw)).map((c) =>
          c.view?.masterReplOffset == null || offset === null
            ? c
            : { ...c, view: { ...c.view, masterReplOffset: Math.min(c.view.masterReplOffset, offset) } },
        );
        const again = chooseSuccessor(spec.self, views);
        if (again.ok) choice = again;
      }
      let successor: { unit: string | null; address: string };
      if (via === 'sentinel') {
        const named = await switchBySentinel(spec, sentinels, passwords, deps);
        if (named === null) return record('timed-out', 'no handover: the sentinels did not name a new primary in time');
        successor = { unit: candidates.find((c) => c.address === named)?.unit ?? null, address: named };
      } else {
        const target = choice.target;
        await ask(deps, endpoint(target.address, REDIS_PORT, pw, deps.ca), (s) => s.command('replicaof', 'no', 'one'));
        for (const f of fit.filter((c) => c.unit !== target.unit))
          await ask(deps, endpoint(f.address, REDIS_PORT, pw, deps.ca), (s) =>
            s.command('replicaof', target.address, String(REDIS_PORT)),
          );
        successor = target;
      }
      // paused writes must fail (READONLY) rather than land here once unpaused
      await self.command('replicaof', successor.address, String(REDIS_PORT));
      return record('handed-over', `handed the primary role over to ${successor.unit ?? successor.address}`, successor);
    } finally {
      await self.command('client', 'unpause').catch(() => undefined);
    }
  } catch (e) {
    return record('failed', `cannot hand over: ${why(e)}`);
  } finally {
    await self.close();
  }
}

async function switchBySentinel(
  spec: HandoverSpec,
  sentinels: string[],
  passwords: Passwords,
  deps: HandoverDeps,
): Promise<string | null> {
  const sentinelEp = (host: string) => endpoint(host, SENTINEL_PORT, passwords.sentinelPassword, deps.ca);
  let asked = false;
  for (const host of sentinels) {
    const ok = await ask(deps, sentinelEp(host), (s) => s.command('sentinel', 'failover', spec.masterName));
    if (ok !== null) {
      asked = true;
      break;
    }
  }
  if (!asked) return null;
  return poll(deps, deps.switchTimeoutMs ?? SWITCH_TIMEOUT_MS, async () => {
    const answers = await Promise.all(
      sentinels.map((h) =>
        ask(deps, sentinelEp(h), async (s) => {
          const r = await s.command('sentinel', 'get-master-addr-by-name', spec.masterName);
          return Array.isArray(r) && typeof r[0] === 'string' ? r[0] : null;
        }),
      ),
    );
    return agreedSuccessor(answers, sentinels.length, spec.self.address);
  });
}

/**
 * Before a leader promotes itself in place of a primary that left: waits (bounded) until that
 * primary no longer answers as a master, so its handover can finish first. Returns what it saw.
 */
export async function awaitHandover(
  address: string,
  password: string,
  deps: HandoverDeps & { timeoutMs?: number },
): Promise<'gone' | 'demoted' | 'timed-out'> {
  const seen = await poll(deps, deps.timeoutMs ?? HANDOVER_BOUND_MS, async () => {
    const role = await ask(deps, endpoint(address, REDIS_PORT, password, deps.ca), async (s) => {
      return (await probeReplication(s)).role;
    });
    if (role === null) return 'gone' as const;
    return role === 'master' ? null : ('demoted' as const);
  });
  return seen ?? 'timed-out';
}
