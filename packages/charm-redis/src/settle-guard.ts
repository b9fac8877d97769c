/**
 * Settles a primary that came back guarded (see restart-guard.ts): follow the primary a majority
 * of sentinels names, or ask a sentinel to promote the most up-to-date replica, or (no sentinel)
 * become master again only when no peer holds data. Every wait is bounded.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { GuardOutcome } from './events.js';
import type { RedisConnector, RedisEndpoint, RedisSession } from './redis-client.js';
import { REDIS_PORT } from './redis-conf.js';
import { parseInfo } from './replication.js';
import { majorityMaster, sentinelCaughtUp, sentinelReplicas, type GuardSpec } from './restart-guard.js';

/** Credentials and bounds of {@link settleGuard}. */
export interface SettleOptions {
  connect: RedisConnector;
  /** This unit's redis-server. */
  self: RedisEndpoint;
  sentinelPassword: string;
  /** The charm restarted the server itself (SIGTERM: a clean shutdown kept every write). */
  cleanRestart?: boolean;
  /** How long to wait for sentinel to see the replicas' offsets and to switch (each). */
  timeoutMs: number;
  intervalMs?: number;
}

async function using<T>(
  connect: RedisConnector,
  endpoint: RedisEndpoint,
  fn: (s: RedisSession) => Promise<T>,
): Promise<T> {
  const session = await connect(endpoint, { timeoutMs: 2000 });
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

async function info(
  connect: RedisConnector,
  endpoint: RedisEndpoint,
  section: string,
): Promise<Record<string, string>> {
  return using(connect, endpoint, async (s) => parseInfo(String(await s.command('info', section))));
}

/** Polls `probe` until it returns a value, at most `timeoutMs`; undefined when the bound passes. */
async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs: number) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (performance.now() >= deadline) return undefined;
    await sleep(intervalMs);
  }
}

/** Settles the guarded server at `options.self` (it must be answering). */
export async function settleGuard(guard: GuardSpec, options: SettleOptions): Promise<GuardOutcome> {
  const { connect, self } = options;
  const interval = options.intervalMs ?? 250;
  const t0 = performance.now();
  const done = (o: Omit<GuardOutcome, 'elapsedMs'>): GuardOutcome => ({
    ...o,
    elapsedMs: Math.round(performance.now() - t0),
  });
  const replicaOf = (host: string) => using(connect, self, (s) => s.command('replicaof', host, String(REDIS_PORT)));
  const sentinel = (host: string, port: number): RedisEndpoint => ({
    host,
    port,
    password: options.sentinelPassword,
    ...(self.tls === undefined ? {} : { tls: self.tls }),
  });
  const ask = (host: string, port: number, ...args: string[]) =>
    using(connect, sentinel(host, port), (s) => s.command('sentinel', ...args));
  if (options.cleanRestart === true) {
    await using(connect, self, (s) => s.command('replicaof', 'no', 'one'));
    return done({ action: 'promoted', reason: 'the charm restarted it (clean shutdown, nothing lost)' });
  }
  const answers = () =>
    Promise.all(
      guard.sentinels.map((s) =>
        ask(s.host, s.port, 'get-master-addr-by-name', guard.masterName).then(
          (r) => (Array.isArray(r) && typeof r[0] === 'string' ? r[0] : null),
          () => null,
        ),
      ),
    );
  const named = async () => majorityMaster(await answers(), guard.sentinels.length);

  const first = await answers();
  const master = majorityMaster(first, guard.sentinels.length);
  if (master === null && first.every((a) => a === null)) {
    // no sentinel monitors a master (none related or not configured yet): the charm decides,
    // master again only if no peer that answers has data this unit could wipe
    const sizes = await Promise.all(
      guard.peers.map((p) =>
        using(connect, { ...self, host: p.address }, (s) => s.command('dbsize')).then(Number, () => 0),
      ),
    );
    const holder = guard.peers.findIndex((_, i) => sizes[i] !== 0);
    if (holder >= 0)
      return done({
        action: 'held',
        reason: `${guard.peers[holder]?.unit} holds ${sizes[holder]} keys: a restarted primary must not resync its replicas from itself`,
      });
    await using(connect, self, (s) => s.command('replicaof', 'no', 'one'));
    return done({ action: 'promoted', reason: 'no peer that answers holds data' });
  }
  if (master === null)
    return done({ action: 'held', reason: `no majority of the ${guard.sentinels.length} sentinels names a primary` });
  if (master !== self.host) {
    await replicaOf(master);
    return done({ action: 'followed', primary: master, reason: 'a majority of sentinels names another primary' });
  }
  // the sentinels still take this unit for the primary: make them promote the best replica
  const actual = new Map<string, number>();
  await Promise.all(
    guard.peers.map(async (p) => {
      const i = await info(connect, { ...self, host: p.address }, 'replication').catch(() => null);
      if (i?.['role'] === 'slave' && i['slave_repl_offset'] !== undefined)
        actual.set(p.address, Number(i['slave_repl_offset']));
    }),
  );
  if (actual.size === 0) return done({ action: 'held', reason: 'no replica answers' });
  const leader = guard.sentinels[0] as GuardSpec['sentinels'][number];
  const fresh = await poll(
    async () => {
      const seen = sentinelReplicas(await ask(leader.host, leader.port, 'replicas', guard.masterName));
      return sentinelCaughtUp(seen, actual) ? true : undefined;
    },
    options.timeoutMs,
    interval,
  );
  try {
    await ask(leader.host, leader.port, 'failover', guard.masterName);
  } catch (e) {
    // INPROG: a failover sentinel started on its own is as good
    if (!/INPROG/.test((e as Error).message))
      return done({ action: 'held', reason: `SENTINEL FAILOVER was refused: ${(e as Error).message}` });
  }
  const promoted = await poll(
    async () => {
      const m = await named();
      return m !== null && m !== self.host ? m : undefined;
    },
    options.timeoutMs,
    interval,
  );
  if (promoted === undefined)
    return done({ action: 'held', reason: `the sentinels did not switch within ${options.timeoutMs} ms` });
  await replicaOf(promoted);
  return done({
    action: 'sentinel-failover',
    primary: promoted,
    reason:
      fresh === undefined
        ? `asked ${leader.unit} to fail over (its replica offsets were not caught up within ${options.timeoutMs} ms)`
        : `asked ${leader.unit} to fail over to the most up-to-date replica`,
  });
}
