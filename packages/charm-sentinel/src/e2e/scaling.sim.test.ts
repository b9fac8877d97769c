/**
 * Scaling on one model in charm-sim (real Pebble, redis-server, redis-sentinel): redis-k8s and
 * redis-sentinel-k8s 3 -> 5 -> 3 (scaled down redis-k8s first, then redis-sentinel-k8s, so that each
 * kind of departure is forgotten on its own). After each step every sentinel must report the right
 * replicas, other sentinels and quorum, and after a scale-down none may still list a departed unit.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { charmToDeploy, packageDir, SimModel, simAvailable, until } from '@charms/charm-sdk/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ioredisConnector, withSentinel } from '../sentinel-client.js';
import { instanceDown, type InstanceView, type MasterView } from '../sentinel-view.js';

const SENTINEL_DIR = packageDir('@charms/charm-sentinel');
const REDIS_DIR = packageDir('@charms/charm-redis');
const MASTER = 'redis-k8s';

/** What one sentinel reports about the master group. */
interface SentinelReport {
  unit: string;
  master: MasterView;
  sentinels: InstanceView[];
  replicas: InstanceView[];
}

/** One short-lived connection to a redis-server. */
async function withRedis<T>(host: string, password: string, f: (c: Redis) => Promise<T>): Promise<T> {
  const c = new Redis({
    host,
    port: 6379,
    password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
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

const byNumber = (a: string, b: string) => Number(a.split('/')[1]) - Number(b.split('/')[1]);

describe.skipIf(!simAvailable || !existsSync(join(REDIS_DIR, 'charmcraft.yaml')))(
  'scaling redis-k8s and redis-sentinel-k8s 3 -> 5 -> 3 in charm-sim',
  () => {
    let sim: SimModel;
    const passwords = { admin: '', sentinel: '' };
    const address: Record<string, string> = {};
    const timings: Record<string, number> = {};

    const units = async (app: string): Promise<string[]> =>
      Object.keys((await sim.status()).applications[app]?.units ?? {}).sort(byNumber);
    const learnAddresses = async () => {
      const status = await sim.status();
      for (const app of Object.values(status.applications))
        for (const [unit, u] of Object.entries(app.units)) if (u.address !== '') address[unit] = u.address;
    };
    const report = (unit: string): Promise<SentinelReport> =>
      withSentinel(
        ioredisConnector,
        { host: address[unit] as string, port: 26379, password: passwords.sentinel },
        3000,
        async (s) => {
          const [master, sentinels, replicas] = await Promise.all([
            s.master(MASTER),
            s.sentinels(MASTER),
            s.replicas(MASTER),
          ]);
          return { unit, master, sentinels, replicas };
        },
      );

    /**
     * Waits until every sentinel unit reports `replicas` replicas and `sentinels - 1` other sentinels (none
     * down, none departed), quorum `floor(sentinels/2)+1` and the same healthy master; returns the reports.
     */
    const converged = async (
      { replicas, sentinels: n }: { replicas: number; sentinels: number },
      departed: readonly string[],
      timeoutMs: number,
    ) => {
      const gone = new Set(departed);
      let last: unknown = null;
      return until(
        `every sentinel to report ${replicas} replicas, ${n - 1} other sentinels, quorum ${Math.floor(n / 2) + 1}`,
        async () => {
          const sentinels = await units('redis-sentinel-k8s');
          if (sentinels.length !== n) return ((last = `sentinel units ${sentinels.join(', ')}`), undefined);
          const reports = await Promise.all(sentinels.map(report)).catch((e: Error) => e.message);
          last = reports;
          if (typeof reports === 'string') return undefined;
          const primary = reports[0]?.master.ip;
          const ok = reports.every(
            (r) =>
              r.master.ip === primary &&
              r.master.flags.join() === 'master' &&
              r.master.numSlaves === replicas &&
              r.master.numOtherSentinels === n - 1 &&
              r.master.quorum === Math.floor(n / 2) + 1 &&
              r.replicas.length === replicas &&
              r.replicas.every((x) => !instanceDown(x) && !gone.has(x.ip)) &&
              r.sentinels.length === n - 1 &&
              r.sentinels.every((x) => !instanceDown(x) && !gone.has(x.ip)),
          );
          return ok ? reports : undefined;
        },
        timeoutMs,
        1000,
      ).catch((e: Error) => {
        const brief = Array.isArray(last)
          ? (last as SentinelReport[]).map((r) => ({
              unit: r.unit,
              master: `${r.master.ip} ${r.master.flags.join()}`,
              numSlaves: r.master.numSlaves,
              numOtherSentinels: r.master.numOtherSentinels,
              quorum: r.master.quorum,
              replicas: r.replicas.map((x) => `${x.ip} ${x.flags.join()}`),
              sentinels: r.sentinels.map((x) => `${x.ip} ${x.flags.join()}`),
            }))
          : last;
        throw new Error(`${e.message}; departed ${departed.join(', ') || 'none'}; last: ${JSON.stringify(brief)}`);
      });
    };

    const redisActive = async (n: number) => {
      const redis = (await sim.status()).applications['redis-k8s']?.units ?? {};
      const entries = Object.entries(redis);
      expect(entries).toHaveLength(n);
      for (const [unit, u] of entries)
        expect({ unit, status: u['workload-status'].current }).toEqual({ unit, status: 'active' });
    };

    beforeAll(async () => {
      const t0 = Date.now();
      sim = await SimModel.create('scaling');
      const [sentinelCharm, redisCharm] = await Promise.all([
        charmToDeploy(SENTINEL_DIR, join(sim.dir, 'out')),
        charmToDeploy(REDIS_DIR, join(sim.dir, 'out')),
      ]);
      await sim.cli(['deploy', redisCharm, '-n', '3', '--wait', '--timeout', '180s'], 240_000);
      await sim.cli(['deploy', sentinelCharm, '-n', '3', '--config', 'down-after-milliseconds=5000']);
      await sim.cli(['relate', 'redis-k8s:sentinel', 'redis-sentinel-k8s:redis']);
      await sim.wait(240_000);
      timings['deploy-relate-settle'] = Date.now() - t0;
      await learnAddresses();
      passwords.sentinel = String((await sim.action('redis-k8s/0', 'get-sentinel-password'))['sentinel-password']);
      passwords.admin = String((await sim.action('redis-k8s/0', 'get-initial-admin-password'))['password']);
    }, 600_000);

    afterAll(async () => {
      // CHARM_SENTINEL_E2E_KEEP=1 keeps the model for a post-mortem
      if (process.env['CHARM_SENTINEL_E2E_KEEP'] === '1') console.log(`kept the model at ${sim?.dir}`);
      else await sim?.destroy();
      console.log(`charm-sentinel scaling e2e timings (ms): ${JSON.stringify(timings)}`);
    });

    let primary = '';

    it('3 + 3: every sentinel reports 2 replicas, 2 other sentinels, quorum 2 and the primary redis-k8s published', async () => {
      const t = Date.now();
      const reports = await converged({ replicas: 2, sentinels: 3 }, [], 120_000);
      timings['3x3-agree'] = Date.now() - t;
      primary = reports[0]?.master.ip as string;
      expect((await sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-k8s'))['primary-address']).toBe(primary);
      await redisActive(3);
    }, 180_000);

    it('5 + 5: two units added to each app; every sentinel reports 4 replicas, 4 other sentinels, quorum 3, same primary', async () => {
      expect(primary).not.toBe('');
      const t = Date.now();
      const [newRedis, newSentinels] = await Promise.all([
        sim.addUnit('redis-k8s', 2),
        sim.addUnit('redis-sentinel-k8s', 2),
      ]);
      expect(newRedis).toEqual(['redis-k8s/3', 'redis-k8s/4']);
      expect(newSentinels).toEqual(['redis-sentinel-k8s/3', 'redis-sentinel-k8s/4']);
      await sim.wait(300_000);
      timings['scale-up-settle'] = Date.now() - t;
      await learnAddresses();
      const reports = await converged({ replicas: 4, sentinels: 5 }, [], 180_000);
      timings['scale-up-converged'] = Date.now() - t;
      expect(reports.every((r) => r.master.ip === primary)).toBe(true);
      await redisActive(5);
      const sentinelStatus = (await sim.status()).applications['redis-sentinel-k8s']?.units ?? {};
      for (const [unit, u] of Object.entries(sentinelStatus))
        expect({ unit, status: u['workload-status'] }).toEqual({
          unit,
          status: { current: 'active', message: 'monitoring redis-k8s (5 sentinels, quorum 3)' },
        });
    }, 600_000);

    const departedRedis: string[] = [];

    it('3 + 5: the two highest-numbered replicas removed; every sentinel forgets them (not even s_down) and reports 2 replicas, 4 other sentinels, quorum 3', async () => {
      expect(primary).not.toBe('');
      const gone = (await units('redis-k8s'))
        .filter((u) => address[u] !== primary)
        .sort(byNumber)
        .slice(-2);
      expect(gone).toEqual(['redis-k8s/3', 'redis-k8s/4']);
      departedRedis.push(...gone.map((u) => address[u] as string));
      const t = Date.now();
      await sim.removeUnit(...gone);
      await sim.wait(300_000);
      timings['redis-scale-down-settle'] = Date.now() - t;
      const reports = await converged({ replicas: 2, sentinels: 5 }, departedRedis, 240_000);
      timings['redis-scale-down-converged'] = Date.now() - t;
      expect(reports.every((r) => r.master.ip === primary)).toBe(true);
      await redisActive(3);
    }, 600_000);

    it('3 + 3: the two highest-numbered sentinels removed too; every sentinel forgets them and reports 2 replicas, 2 other sentinels, quorum 2', async () => {
      expect(departedRedis).toHaveLength(2);
      const gone = (await units('redis-sentinel-k8s')).slice(-2);
      expect(gone).toEqual(['redis-sentinel-k8s/3', 'redis-sentinel-k8s/4']);
      const departed = [...departedRedis, ...gone.map((u) => address[u] as string)];
      const t = Date.now();
      await sim.removeUnit(...gone);
      await sim.wait(300_000);
      timings['sentinel-scale-down-settle'] = Date.now() - t;
      const reports = await converged({ replicas: 2, sentinels: 3 }, departed, 240_000);
      timings['sentinel-scale-down-converged'] = Date.now() - t;
      expect(reports.every((r) => r.master.ip === primary)).toBe(true);
      await redisActive(3);
      const sentinelStatus = (await sim.status()).applications['redis-sentinel-k8s']?.units ?? {};
      for (const [unit, u] of Object.entries(sentinelStatus))
        expect({ unit, status: u['workload-status'] }).toEqual({
          unit,
          status: { current: 'active', message: 'monitoring redis-k8s (3 sentinels, quorum 2)' },
        });

      // a key written on the primary reaches every remaining replica
      const value = `scaled-${Date.now()}`;
      await withRedis(primary, passwords.admin, (c) => c.set('e2e:scaling', value));
      const replicas = (await units('redis-k8s')).filter((u) => address[u] !== primary);
      expect(replicas).toHaveLength(2);
      await until(
        'the key on every replica',
        async () => {
          const got = await Promise.all(
            replicas.map((u) => withRedis(address[u] as string, passwords.admin, (c) => c.get('e2e:scaling'))),
          );
          return got.every((g) => g === value) ? true : undefined;
        },
        30_000,
        250,
      );
    }, 600_000);
  },
);
