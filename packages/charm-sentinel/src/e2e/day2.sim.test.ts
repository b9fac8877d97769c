/**
 * Day-2 operations on one 3+3 model in charm-sim (real Pebble, redis-server, redis-sentinel), in order:
 * both passwords rotated under WAIT-acknowledged writes, a planned `failover` under writes with
 * `get-primary` agreeing, then invalid action params and config values refused with the name in the message.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { charmToDeploy, packageDir, SimModel, simAvailable, until } from '@charms/charm-sdk/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedWriter } from '../testing/acked-writer.js';

const SENTINEL_DIR = packageDir('@charms/charm-sentinel');
const REDIS_DIR = packageDir('@charms/charm-redis');
const REDIS = ['redis-k8s/0', 'redis-k8s/1', 'redis-k8s/2'] as const;
const SENTINELS = ['redis-sentinel-k8s/0', 'redis-sentinel-k8s/1', 'redis-sentinel-k8s/2'] as const;

/** One short-lived connection; `port` 26379 is a sentinel. */
async function withRedis<T>(host: string, port: number, password: string, f: (c: Redis) => Promise<T>): Promise<T> {
  const c = new Redis({
    host,
    port,
    password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
    // the ready check's INFO needs AUTH first: auth() below probes an unauthenticated connection
    enableReadyCheck: password !== '',
    protocol: 2,
  });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return await f(c);
  } finally {
    c.disconnect();
  }
}

const field = (info: string, key: string): string => new RegExp(`^${key}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '';

describe.skipIf(!simAvailable || !existsSync(join(REDIS_DIR, 'charmcraft.yaml')))(
  'day-2 operations on redis-k8s x3 + redis-sentinel-k8s x3 in charm-sim',
  () => {
    let sim: SimModel;
    let leader = '';
    const address: Record<string, string> = {};
    const passwords = { admin: '', sentinel: '' };
    const measured: Record<string, unknown> = {};

    const runIds = () =>
      Promise.all(
        REDIS.map((u) => withRedis(address[u] as string, 6379, passwords.admin, (c) => c.info('server'))),
      ).then((infos) => infos.map((i) => field(i, 'run_id')));
    const masterOf = (u: string) =>
      withRedis(address[u] as string, 26379, passwords.sentinel, async (c) => {
        const v = (await c.call('SENTINEL', 'MASTER', 'redis-k8s')) as string[];
        const m = new Map<string, string>();
        for (let i = 0; i + 1 < v.length; i += 2) m.set(v[i] as string, v[i + 1] as string);
        return { ip: m.get('ip') ?? '', flags: m.get('flags') ?? '', replicas: Number(m.get('num-slaves')) };
      });
    const newWriter = (prefix: string) =>
      new AckedWriter(
        {
          sentinels: SENTINELS.map((u) => ({ host: address[u] as string, port: 26379 })),
          name: 'redis-k8s',
          password: passwords.admin,
          sentinelPassword: passwords.sentinel,
        },
        prefix,
      ).start();
    /** Every acknowledged key on every redis unit (replicas may trail: bounded wait). */
    const expectAllPresent = async (prefix: string, acked: number[]) => {
      for (const u of REDIS) {
        const missing = await until(
          `${u} to hold all ${acked.length} acknowledged ${prefix} writes`,
          async () => {
            const values = await withRedis(address[u] as string, 6379, passwords.admin, (c) =>
              acked.length === 0 ? Promise.resolve([]) : c.mget(acked.map((s) => `${prefix}:${s}`)),
            ).catch(() => null);
            if (values === null) return undefined;
            const gone = acked.filter((s, i) => values[i] !== String(s));
            return gone.length === 0 ? gone : undefined;
          },
          30_000,
        );
        expect(missing).toEqual([]);
      }
    };
    /** What AUTH answers: 'OK', or the error (WRONGPASS...). */
    const auth = async (host: string, port: number, password: string) =>
      withRedis(host, port, '', (c) => c.call('AUTH', password)).then(String, (e: Error) => e.message);

    beforeAll(async () => {
      sim = await SimModel.create('day2');
      const [sentinelCharm, redisCharm] = await Promise.all([
        charmToDeploy(SENTINEL_DIR, join(sim.dir, 'out')),
        charmToDeploy(REDIS_DIR, join(sim.dir, 'out')),
      ]);
      await sim.cli(['deploy', redisCharm, '-n', '3', '--wait', '--timeout', '150s']);
      await sim.cli(['deploy', sentinelCharm, '-n', '3', '--config', 'down-after-milliseconds=3000']);
      await sim.cli(['relate', 'redis-k8s:sentinel', 'redis-sentinel-k8s:redis']);
      await sim.cli(['wait', '--timeout', '180s']);
      const status = await sim.status();
      for (const app of Object.values(status.applications))
        for (const [unit, u] of Object.entries(app.units)) {
          address[unit] = u.address;
          if (u.leader && unit.startsWith('redis-k8s/')) leader = unit;
        }
      passwords.sentinel = String((await sim.action(leader, 'get-sentinel-password'))['sentinel-password']);
      passwords.admin = String((await sim.action(leader, 'get-initial-admin-password'))['password']);
      await until(
        'every sentinel to see 2 replicas',
        async () => ((await Promise.all(SENTINELS.map(masterOf))).every((m) => m.replicas === 2) ? true : undefined),
        60_000,
      );
    }, 480_000);

    afterAll(async () => {
      await sim?.destroy();
      console.log(`day-2 e2e measurements: ${JSON.stringify(measured)}`);
    });

    it('rotates the admin and the sentinel password under writes: no restart, none lost, old ones refused', async () => {
      const before = await runIds();
      const old = { ...passwords };
      const writer = newWriter('rotate');
      try {
        await until(
          'the writer to acknowledge writes',
          async () => (writer.stats.acknowledged.length > 20 ? 1 : undefined),
          30_000,
        );
        for (const username of ['admin', 'sentinel'] as const) {
          const r = await sim.action(leader, 'set-password', { username });
          expect(r).toMatchObject({ username, generated: 'true' });
          await sim.cli(['wait', '--timeout', '120s']);
          if (username === 'admin')
            passwords.admin = String((await sim.action(leader, 'get-initial-admin-password'))['password']);
          else passwords.sentinel = String((await sim.action(leader, 'get-sentinel-password'))['sentinel-password']);
          expect(passwords[username]).not.toBe(old[username]);
          writer.setPasswords(passwords.admin, passwords.sentinel);
        }
        // every unit refuses the old passwords and takes the new ones
        for (const u of REDIS) {
          expect(await auth(address[u] as string, 6379, old.admin)).toMatch(/WRONGPASS|invalid password/);
          expect(await auth(address[u] as string, 6379, passwords.admin)).toBe('OK');
        }
        for (const u of SENTINELS) {
          expect(await auth(address[u] as string, 26379, old.sentinel)).toMatch(/WRONGPASS|invalid password/);
          expect(await auth(address[u] as string, 26379, passwords.sentinel)).toBe('OK');
        }
        const acked = writer.stats.acknowledged.length;
        await until(
          'more writes after the rotation',
          async () => (writer.stats.acknowledged.length > acked + 20 ? 1 : undefined),
          30_000,
        );
      } finally {
        await writer.stop();
      }
      expect(await runIds()).toEqual(before); // live: no redis-server restarted
      // the sentinels still authenticate to redis: the master is healthy and its replicas known
      for (const m of await Promise.all(SENTINELS.map(masterOf)))
        expect(m).toMatchObject({ flags: 'master', replicas: 2 });
      await expectAllPresent('rotate', writer.stats.acknowledged);
      measured['rotation'] = { ...writer.stats, acknowledged: writer.stats.acknowledged.length };
    }, 300_000);

    it('a planned failover under writes loses nothing, and get-primary names the new primary', async () => {
      const oldIp = (await masterOf(SENTINELS[0])).ip;
      const target = REDIS.find((u) => address[u] !== oldIp) as string;
      const writer = newWriter('switch');
      let result: Record<string, unknown> = {};
      try {
        await until(
          'the writer to acknowledge writes',
          async () => (writer.stats.acknowledged.length > 20 ? 1 : undefined),
          30_000,
        );
        result = await sim.action(SENTINELS[1], 'failover', { to: target });
        const acked = writer.stats.acknowledged.length;
        await until(
          'writes on the new primary',
          async () => (writer.stats.acknowledged.length > acked + 20 ? 1 : undefined),
          30_000,
        );
      } finally {
        await writer.stop();
      }
      expect(result).toMatchObject({ 'new-primary-unit': target, sentinels: '3 of 3 report the new primary' });
      const primary = await sim.action(SENTINELS[2], 'get-primary');
      expect(primary).toMatchObject({ 'primary-unit': target });
      await sim.cli(['wait', '--timeout', '120s']);
      await expectAllPresent('switch', writer.stats.acknowledged);
      const roles = await Promise.all(
        REDIS.map((u) => withRedis(address[u] as string, 6379, passwords.admin, (c) => c.info('replication'))),
      );
      expect(roles.map((i) => field(i, 'role'))).toEqual(REDIS.map((u) => (u === target ? 'master' : 'slave')));
      measured['failover'] = {
        acknowledged: writer.stats.acknowledged.length,
        failed: writer.stats.failed,
        unavailableMs: writer.stats.unavailableMs,
        longestAckGapMs: writer.stats.longestAckGapMs,
        durationMs: result['duration-ms'],
        pauseMs: (result['steps'] as Record<string, unknown> | undefined)?.['pause-ms'],
      };
    }, 300_000);

    it('refuses invalid action params with the param named, changing nothing', async () => {
      const short = await sim.runAction(leader, 'set-password', { username: 'admin', password: 'short' });
      expect(short.status).toBe('failed');
      expect(short.message).toMatch(/password/);
      const hostile = await sim.runAction(leader, 'set-password', { password: 'abcdefghijklmnop\nrequirepass x#' });
      expect(hostile.status).toBe('failed');
      expect(hostile.message).toMatch(/password/);
      const who = await sim.runAction(leader, 'set-password', { username: 'root' });
      expect(who.status).toBe('refused'); // the action's params schema, before any hook
      expect(who.message).toMatch(/username/);
      const follower = REDIS.find((u) => u !== leader) as string;
      const notLeader = await sim.runAction(follower, 'set-password', { username: 'admin' });
      expect(notLeader.status).toBe('failed');
      expect(notLeader.message).toMatch(/leader/);
      const to = await sim.runAction(SENTINELS[0], 'failover', { to: 'nope' });
      expect(to).toMatchObject({ status: 'failed' });
      expect(to.message).toContain('param "to" must be a unit name of the related redis-k8s application');
      expect(await auth(address[REDIS[0]] as string, 6379, passwords.admin)).toBe('OK');
    }, 120_000);

    it('blocks on an invalid config value naming the option, keeps redis running, recovers when fixed', async () => {
      const before = await runIds();
      for (const [key, value] of [
        ['appendfsync', 'sometimes'],
        ['min-replicas-max-lag', '0'],
        ['save', '60 10\nappendonly no'],
      ] as const) {
        await sim.cli(['config', 'redis-k8s', `${key}=${value}`]);
        const blocked = await until(
          `every redis-k8s unit blocked on ${key}`,
          async () => {
            const units = (await sim.status()).applications['redis-k8s']?.units ?? {};
            const all = REDIS.map((u) => units[u]?.['workload-status']);
            return all.every((s) => s?.current === 'blocked') ? all : undefined;
          },
          60_000,
        );
        for (const s of blocked) expect(s?.message).toContain(`option "${key}"`);
        await sim.cli(['config', 'redis-k8s', '--reset', key]);
        await sim.cli(['wait', '--timeout', '120s']);
      }
      const units = (await sim.status()).applications['redis-k8s']?.units ?? {};
      for (const u of REDIS) expect(units[u]?.['workload-status'].current).toBe('active');
      expect(await runIds()).toEqual(before);
      const conf = await withRedis(address[REDIS[0]] as string, 6379, passwords.admin, (c) =>
        c.config('GET', 'appendonly'),
      );
      expect(conf).toEqual(['appendonly', 'yes']); // the injected line never applied
    }, 300_000);
  },
);
