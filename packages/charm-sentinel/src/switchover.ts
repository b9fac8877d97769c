import type { ActionResults } from '@charms/charm-sdk';
import { isSentinelError } from './errors.js';
import {
  CATCH_UP_TIMEOUT_MS,
  CONVERGE_TIMEOUT_MS,
  PIN_TIMEOUT_MS,
  chooseTarget,
  pauseBudgetMs,
  replicaHealth,
  sentinelsReady,
  type NodeFacts,
  type SentinelReport,
} from './failover-decide.js';
import { SENTINEL_PORT } from './paths.js';
import type { RedisNodeConnector, RedisNodeSession } from './redis-node-client.js';
import { promotable } from './sentinel-replicas.js';
import { withSentinel, type SentinelConnector, type SentinelSession } from './sentinel-client.js';
import type { ClientTls } from './tls.js';

/** A unit and its address. */
export interface Member {
  unit: string;
  address: string;
}

/** What a switchover needs to know (from the relation, the peers and the secret). */
export interface SwitchoverInput {
  /** The redis application's name (for messages) and its sentinel master name. */
  app: string;
  masterName: string;
  port: number;
  units: readonly Member[];
  /** This unit's sentinel, which runs SENTINEL FAILOVER. */
  local: Member;
  /** Every sentinel of the application, this one included. */
  sentinels: readonly Member[];
  /** How many sentinel units the application has (answering or not). */
  total: number;
  redisPassword: string;
  sentinelPassword: string;
  tls?: ClientTls;
  to?: string;
}

/** The effects a switchover uses. */
export interface SwitchoverSeams {
  sentinels: SentinelConnector;
  redis: RedisNodeConnector;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Progress for the operator (action-log); never given a secret. */
  progress: (message: string) => Promise<void>;
}

/** The outcome: results to report, and a failure message when it did not switch (or not cleanly). */
export interface SwitchoverOutcome {
  results: ActionResults;
  failure?: string;
}

class Refusal extends Error {}

const hostPort = (m: Member, port: number) => `${m.address}:${port}`;

async function report(input: SwitchoverInput, seams: SwitchoverSeams, m: Member): Promise<SentinelReport> {
  const endpoint = {
    host: m.address,
    port: SENTINEL_PORT,
    password: input.sentinelPassword,
    ...(input.tls === undefined ? {} : { tls: input.tls }),
  };
  try {
    return await withSentinel(seams.sentinels, endpoint, 3000, async (s) => {
      const [address, master] = await Promise.all([s.masterAddress(input.masterName), s.master(input.masterName)]);
      return {
        unit: m.unit,
        address: m.address,
        primary: address === null ? null : `${address.host}:${address.port}`,
        flags: master.flags,
        failoverTimeoutMs: master.failoverTimeout,
      };
    });
  } catch (e) {
    if (!isSentinelError(e)) throw e;
    return {
      unit: m.unit,
      address: m.address,
      primary: null,
      flags: [],
      failoverTimeoutMs: null,
      error: `${e.code}: ${e.message}`,
    };
  }
}

/** Runs `fn` on a new connection to `m` (sentinel's reconfiguration kills the connections it finds). */
async function onNode<T>(
  input: SwitchoverInput,
  seams: SwitchoverSeams,
  m: Member,
  fn: (s: RedisNodeSession) => Promise<T>,
): Promise<T> {
  const s = await seams.redis(
    {
      host: m.address,
      port: input.port,
      password: input.redisPassword,
      ...(input.tls === undefined ? {} : { tls: input.tls }),
    },
    { timeoutMs: 3000 },
  );
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** Polls `probe` every 50 ms until it returns a value or `timeoutMs` passes (then undefined). */
async function within<T>(
  seams: SwitchoverSeams,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const deadline = seams.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined || seams.now() >= deadline) return value;
    await seams.sleep(50);
  }
}

/**
 * A planned switchover without losing an acknowledged write: pin sentinel's choice with
 * replica-priority, CLIENT PAUSE WRITE the primary, wait for the target to reach its offset,
 * SENTINEL FAILOVER, wait for the promotion and a majority of sentinels, demote the old primary,
 * then CLIENT UNPAUSE and restore the priorities (both in `finally`).
 */
export async function switchover(input: SwitchoverInput, seams: SwitchoverSeams): Promise<SwitchoverOutcome> {
  const t0 = seams.now();
  const sessions = new Map<string, RedisNodeSession>();
  let sentinel: SentinelSession | undefined;
  try {
    return await run(input, seams, t0, sessions, async () => {
      sentinel ??= await seams.sentinels(
        {
          host: input.local.address,
          port: SENTINEL_PORT,
          password: input.sentinelPassword,
          ...(input.tls === undefined ? {} : { tls: input.tls }),
        },
        { timeoutMs: 3000 },
      );
      return sentinel;
    });
  } catch (e) {
    if (e instanceof Refusal) return { results: {}, failure: e.message };
    throw e;
  } finally {
    await Promise.all([...sessions.values(), ...(sentinel === undefined ? [] : [sentinel])].map((s) => s.close()));
  }
}

async function run(
  input: SwitchoverInput,
  seams: SwitchoverSeams,
  t0: number,
  sessions: Map<string, RedisNodeSession>,
  localSentinel: () => Promise<SentinelSession>,
): Promise<SwitchoverOutcome> {
  const reports = await Promise.all(input.sentinels.map((m) => report(input, seams, m)));
  const ready = sentinelsReady(reports, input.total);
  if (!ready.ok) throw new Refusal(ready.message);
  const local = await localSentinel().catch((e: unknown) => {
    throw isSentinelError(e) ? new Refusal(`cannot fail over: ${e.message}`) : e;
  });
  const quorum = await local.ckquorum(input.masterName).catch((e: unknown) => {
    throw isSentinelError(e) ? new Refusal(`cannot fail over: ${e.message}`) : e;
  });
  if (!quorum.ok) throw new Refusal(`cannot fail over: the sentinels lack a majority: ${quorum.message}`);
  const primaryAddress = ready.majority.primary.slice(0, ready.majority.primary.lastIndexOf(':'));
  const primaryMember = input.units.find((u) => u.address === primaryAddress);
  if (primaryMember === undefined)
    throw new Refusal(
      `cannot fail over: the primary ${ready.majority.primary} is not a unit of ${input.app} as its relation data lists them`,
    );

  const facts: NodeFacts[] = await Promise.all(
    input.units.map(async (u): Promise<NodeFacts> => {
      try {
        const s = await seams.redis(
          {
            host: u.address,
            port: input.port,
            password: input.redisPassword,
            ...(input.tls === undefined ? {} : { tls: input.tls }),
          },
          { timeoutMs: 3000 },
        );
        sessions.set(u.unit, s);
        return { ...u, info: await s.replication() };
      } catch (e) {
        if (!isSentinelError(e)) throw e;
        return { ...u, info: null, error: e.message };
      }
    }),
  );
  const primaryFacts = facts.find((f) => f.unit === primaryMember.unit);
  const primary = sessions.get(primaryMember.unit);
  if (primary === undefined || primaryFacts?.info == null)
    throw new Refusal(
      `cannot fail over: the primary ${primaryMember.unit} does not answer (${primaryFacts?.error ?? 'no answer'})`,
    );
  if (primaryFacts.info['role'] !== 'master')
    throw new Refusal(
      `cannot fail over: ${primaryMember.unit}, the sentinels' primary, reports role ${primaryFacts.info['role']}`,
    );
  const others = await primary.otherFailovers();
  if (others.length > 0)
    throw new Refusal(
      `cannot fail over: a failover is already in progress (another failover action is connected to the primary from ${others.join(', ')})`,
    );

  const health = facts
    .filter((f) => f.unit !== primaryMember.unit)
    .map((f) => replicaHealth({ address: primaryMember.address, port: input.port, info: primaryFacts.info ?? {} }, f));
  const choice = chooseTarget(
    input.app,
    primaryMember.unit,
    input.units.map((u) => u.unit),
    health,
    input.to,
  );
  if (!choice.ok) throw new Refusal(choice.message);
  const target = choice.target;
  const targetSession = sessions.get(target.unit) as RedisNodeSession;
  const failoverTimeoutMs = reports.find((r) => r.unit === input.local.unit)?.failoverTimeoutMs ?? 30_000;

  const results: ActionResults = {
    'old-primary': hostPort(primaryMember, input.port),
    'old-primary-unit': primaryMember.unit,
  };
  const steps: Record<string, number> = {};
  const restored: string[] = [];
  const restoreFailed: string[] = [];
  const pinned: { unit: string; priority: number }[] = [];
  let failure: string | undefined;
  try {
    // sentinel picks by replica-priority first: every other replica at 0 leaves it only the target
    for (const r of choice.pin) {
      await (sessions.get(r.unit) as RedisNodeSession).setReplicaPriority(0);
      pinned.push({ unit: r.unit, priority: r.priority });
    }
    if (pinned.length > 0) {
      await seams.progress(
        `replica-priority 0 on ${pinned.map((p) => p.unit).join(', ')}; waiting for sentinel to see it`,
      );
      const tPin = seams.now();
      const seen = await within(seams, PIN_TIMEOUT_MS, async () => {
        const replicas = await local.replicaDetails(input.masterName);
        const fit = replicas.filter(promotable).map((r) => `${r.ip}:${r.port}`);
        return fit.length === 1 && fit[0] === hostPort(target, input.port) ? true : undefined;
      });
      steps['pin-ms'] = seams.now() - tPin;
      if (seen === undefined)
        throw new Refusal(
          `cannot fail over to ${target.unit}: sentinel ${input.local.unit} still ranks other replicas as promotable after ${PIN_TIMEOUT_MS} ms (SENTINEL REPLICAS ${input.masterName} shows why); nothing was switched`,
        );
    }
    failure = await pausedSwitch(input, seams, {
      primary,
      primaryMember,
      target,
      targetSession,
      local,
      failoverTimeoutMs,
      results,
      steps,
    });
  } finally {
    for (const p of pinned) {
      try {
        // a new connection: SENTINEL FAILOVER's REPLICAOF ran CLIENT KILL TYPE normal on this replica
        const member = input.units.find((u) => u.unit === p.unit) as Member;
        await onNode(input, seams, member, (n) => n.setReplicaPriority(p.priority));
        restored.push(p.unit);
      } catch (e) {
        restoreFailed.push(`${p.unit} (${(e as Error).message}; run CONFIG SET replica-priority ${p.priority} on it)`);
      }
    }
  }
  if (pinned.length > 0) results['pinned'] = pinned.map((p) => `${p.unit}=${p.priority}`).join(' ');
  results['duration-ms'] = seams.now() - t0;
  results['steps'] = Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, String(v)]));
  if (restoreFailed.length > 0)
    failure = `${failure === undefined ? '' : `${failure}; `}could not restore replica-priority on ${restoreFailed.join(', ')}`;
  return failure === undefined ? { results } : { results, failure };
}

interface PausedContext {
  primary: RedisNodeSession;
  primaryMember: Member;
  target: Member;
  targetSession: RedisNodeSession;
  local: SentinelSession;
  failoverTimeoutMs: number;
  results: ActionResults;
  steps: Record<string, number>;
}

/** The paused part; returns a failure message when it did not switch cleanly. Unpauses in `finally`. */
async function pausedSwitch(
  input: SwitchoverInput,
  seams: SwitchoverSeams,
  c: PausedContext,
): Promise<string | undefined> {
  const budget = pauseBudgetMs(c.failoverTimeoutMs);
  await seams.progress(`pausing writes on ${c.primaryMember.unit} (CLIENT PAUSE ${budget} WRITE)`);
  const tPause = seams.now();
  await c.primary.pauseWrites(budget);
  let outcome: string | undefined;
  let thrown: unknown;
  try {
    outcome = await whilePaused(input, seams, c, tPause);
  } catch (e) {
    thrown = e;
  }
  const unpauseError = await c.primary.unpause().then(
    () => null,
    (e: unknown) => (e as Error).message,
  );
  c.steps['pause-ms'] = seams.now() - tPause;
  if (unpauseError !== null) {
    const m = `could not CLIENT UNPAUSE ${c.primaryMember.unit} (${unpauseError}); its writes resume when the ${budget} ms pause ends`;
    if (thrown instanceof Refusal) throw new Refusal(`${thrown.message}; ${m}`);
    if (thrown !== undefined) throw thrown;
    return outcome === undefined ? m : `${outcome}; ${m}`;
  }
  if (thrown !== undefined) throw thrown;
  if (outcome === undefined) await awaitAllAgree(input, seams, c);
  return outcome;
}

/** How many sentinels name `wanted` as the master now; an unreachable one does not agree. */
async function countAgreeing(input: SwitchoverInput, seams: SwitchoverSeams, wanted: string): Promise<number> {
  const views = await Promise.all(
    input.sentinels.map((m) =>
      withSentinel(
        seams.sentinels,
        {
          host: m.address,
          port: SENTINEL_PORT,
          password: input.sentinelPassword,
          ...(input.tls === undefined ? {} : { tls: input.tls }),
        },
        1000,
        (s) => s.masterAddress(input.masterName),
      ).catch(() => null),
    ),
  );
  return views.filter((v) => v !== null && `${v.host}:${v.port}` === wanted).length;
}

/** Writes flow again (a majority agreed); the action returns once every sentinel agrees too, or after a bound. */
async function awaitAllAgree(input: SwitchoverInput, seams: SwitchoverSeams, c: PausedContext): Promise<void> {
  const wanted = hostPort(c.target, input.port);
  const tAgree = seams.now();
  let agreeing = 0;
  await within(seams, CONVERGE_TIMEOUT_MS, async () => {
    agreeing = await countAgreeing(input, seams, wanted);
    return agreeing >= input.sentinels.length ? true : undefined;
  });
  c.steps['agree-ms'] = seams.now() - tAgree;
  c.results['sentinels'] = `${agreeing} of ${input.total} report the new primary`;
}

async function whilePaused(
  input: SwitchoverInput,
  seams: SwitchoverSeams,
  c: PausedContext,
  tPause: number,
): Promise<string | undefined> {
  // a paused primary sends no PINGs and expires nothing: its offset stays put
  const caught = await within(seams, CATCH_UP_TIMEOUT_MS, async () => {
    const [p, t] = await Promise.all([c.primary.replication(), c.targetSession.replication()]);
    const offset = Number(p['master_repl_offset']);
    return Number(t['slave_repl_offset']) >= offset && Number.isFinite(offset)
      ? { offset, target: Number(t['slave_repl_offset']) }
      : undefined;
  });
  c.steps['catch-up-ms'] = seams.now() - tPause;
  if (caught === undefined)
    throw new Refusal(
      `cannot fail over to ${c.target.unit}: it did not reach the primary's replication offset within ${CATCH_UP_TIMEOUT_MS} ms; nothing was switched`,
    );
  c.results['offset'] = caught.offset;
  c.results['new-primary-offset'] = caught.target;
  await seams.progress(`${c.target.unit} is at offset ${caught.target}; SENTINEL FAILOVER ${input.masterName}`);
  const tSwitch = seams.now();
  await c.local.failover(input.masterName).catch((e: unknown) => {
    if (!isSentinelError(e)) throw e;
    const inProgress = /INPROG/.test(e.message);
    throw new Refusal(
      inProgress
        ? 'cannot fail over: a failover is already in progress (sentinel answered INPROG); nothing was switched'
        : `cannot fail over: ${e.message}; nothing was switched`,
    );
  });
  const wanted = hostPort(c.target, input.port);
  const needed = Math.floor(input.total / 2) + 1;
  let promoted = false;
  let agreeing = 0;
  const switched = await within(seams, c.failoverTimeoutMs + CONVERGE_TIMEOUT_MS, async () => {
    promoted ||= (await onNode(input, seams, c.target, (n) => n.replication()))['role'] === 'master';
    if (!promoted) return undefined;
    agreeing = await countAgreeing(input, seams, wanted);
    return agreeing >= needed ? true : undefined;
  });
  c.steps['switch-ms'] = seams.now() - tSwitch;
  c.results['sentinels'] = `${agreeing} of ${input.total} report the new primary`;
  if (!promoted)
    return `sentinel did not promote ${c.target.unit} within ${c.failoverTimeoutMs + CONVERGE_TIMEOUT_MS} ms (its failover-timeout is ${c.failoverTimeoutMs} ms); writes resumed on ${c.primaryMember.unit}`;
  // as sentinel does at +convert-to-slave, without waiting 8 s: no write reaches the old primary after unpausing
  const rewrite = await c.primary.demote(c.target.address, input.port);
  if (rewrite !== null)
    await seams.progress(`${c.primaryMember.unit} follows ${c.target.unit}; CONFIG REWRITE failed: ${rewrite}`);
  c.results['new-primary'] = wanted;
  c.results['new-primary-unit'] = c.target.unit;
  return switched === undefined
    ? `${c.target.unit} was promoted but only ${agreeing} of ${input.total} sentinels report it after ${CONVERGE_TIMEOUT_MS} ms (${needed} needed); run get-primary`
    : undefined;
}
