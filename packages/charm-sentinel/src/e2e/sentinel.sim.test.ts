import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PebbleClient } from '@charms/pebble-client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSentinel, ioredisConnector } from '../sentinel-client.js';
import type { MasterView } from '../sentinel-view.js';
import { until } from '../testing/redis-processes.js';
import { charmToDeploy, packageDir, SimModel, simAvailable } from '@charms/charm-sdk/testing';

const SENTINEL_DIR = packageDir('@charms/charm-sentinel');
const REDIS_DIR = packageDir('@charms/charm-redis');
const REDIS = ['redis-k8s/0', 'redis-k8s/1', 'redis-k8s/2'] as const;
const SENTINELS = ['redis-sentinel-k8s/0', 'redis-sentinel-k8s/1', 'redis-sentinel-k8s/2'] as const;

describe.skipIf(!simAvailable || !existsSync(join(REDIS_DIR, 'charmcraft.yaml')))(
  'redis-k8s x3 and redis-sentinel-k8s x3 in charm-sim (real Pebble, redis-server, redis-sentinel)',
  () => {
    let sim: SimModel;
    let sentinelPassword = '';
    let adminPassword = '';
    const address: Record<string, string> = {};
    const timings: Record<string, number> = {};

    const master = (unit: string) =>
      withSentinel(
        ioredisConnector,
        { host: address[unit] as string, port: 26379, password: sentinelPassword },
        3000,
        (s) => s.master('redis-k8s'),
      );
    const views = async (): Promise<MasterView[]> => Promise.all(SENTINELS.map(master));
    const role = async (unit: string): Promise<string> => {
      const c = new Redis({
        host: address[unit],
        port: 6379,
        password: adminPassword,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        protocol: 2,
      });
      c.on('error', () => undefined);
      try {
        await c.connect();
        return await c.info('replication');
      } finally {
        c.disconnect();
      }
    };

    // what a failed recovery step prints: the victim's replication, its service and log, its hooks
    const postMortem = async (victim: string, logFrom: number, info: string): Promise<string> => {
      const pebble = new PebbleClient({ socketPath: sim.pebbleSocket(victim, 'redis') });
      try {
        const services = await pebble.getServices().catch((e: Error) => e.message);
        const logs = await pebble.getLogs({ services: ['redis-server'], n: 15 }).then(
          (ls) => ls.map((l) => l.message),
          (e: Error) => e.message,
        );
        const hooks = (await sim.debugLog())
          .slice(logFrom)
          .filter((l) => l.unit === victim)
          .map((l) => `${l.hook}: ${l.message}`);
        const status = (await sim.status()).applications['redis-k8s']?.units[victim];
        return `victim ${victim}; last INFO replication: ${info.replace(/\r?\n/g, ' ')}; services ${JSON.stringify(services)}; status ${JSON.stringify(status)}; redis-server log ${JSON.stringify(logs)}; hooks since the stop ${JSON.stringify(hooks)}`;
      } finally {
        await pebble.close();
      }
    };

    beforeAll(async () => {
      const t0 = Date.now();
      sim = await SimModel.create('failover');
      const [sentinelCharm, redisCharm] = await Promise.all([
        charmToDeploy(SENTINEL_DIR, join(sim.dir, 'out')),
        charmToDeploy(REDIS_DIR, join(sim.dir, 'out')),
      ]);
      // redis-k8s first: its units must be settled before the sentinel relation appears
      await sim.cli(['deploy', redisCharm, '-n', '3', '--wait', '--timeout', '120s']);
      await sim.cli([
        'deploy',
        sentinelCharm,
        '-n',
        '3',
        '--config',
        'down-after-milliseconds=2000',
        '--config',
        'failover-timeout=6000',
      ]);
      await sim.cli(['relate', 'redis-k8s:sentinel', 'redis-sentinel-k8s:redis']);
      await sim.cli(['wait', '--timeout', '150s']);
      timings['deploy-relate-settle'] = Date.now() - t0;
      const status = await sim.status();
      for (const app of Object.values(status.applications))
        for (const [unit, u] of Object.entries(app.units)) address[unit] = u.address;
      sentinelPassword = String((await sim.action('redis-k8s/0', 'get-sentinel-password'))['sentinel-password']);
      adminPassword = String((await sim.action('redis-k8s/0', 'get-initial-admin-password'))['password']);
    }, 480_000);

    afterAll(async () => {
      // CHARM_SENTINEL_E2E_KEEP=1 keeps the model for a post-mortem
      // (destroy it with charm-sim --model-dir <dir> destroy)
      if (process.env['CHARM_SENTINEL_E2E_KEEP'] === '1') console.log(`kept the model at ${sim?.dir}`);
      else await sim?.destroy();
      console.log(`charm-sentinel e2e timings (ms): ${JSON.stringify(timings)}`);
    });

    it('settles: all sentinels agree on the primary redis-k8s published and know 2 replicas, 2 other sentinels, quorum 2', async () => {
      const units = (await sim.status()).applications['redis-sentinel-k8s']?.units ?? {};
      for (const unit of SENTINELS)
        expect(units[unit]?.['workload-status']).toEqual({
          current: 'active',
          message: 'monitoring redis-k8s (3 sentinels, quorum 2)',
        });
      const primary = (await sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-k8s'))['primary-address'];
      expect(Object.values(address)).toContain(primary);
      const t = Date.now();
      let last: MasterView[] = [];
      const agreed = await until(
        '3 sentinels to agree on the primary and see 2 replicas and 2 sentinels',
        async () => {
          last = await views();
          return last.every(
            (m) =>
              m.ip === primary &&
              m.numSlaves === 2 &&
              m.numOtherSentinels === 2 &&
              m.quorum === 2 &&
              m.flags.join() === 'master',
          )
            ? last
            : undefined;
        },
        60_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; redis-k8s published ${primary}; sentinels report ${JSON.stringify(last)}`);
      });
      timings['discovery-after-settle'] = Date.now() - t;
      expect(agreed.map((m) => m.port)).toEqual([6379, 6379, 6379]);
      const ids = await Promise.all(
        SENTINELS.map((u) =>
          withSentinel(
            ioredisConnector,
            { host: address[u] as string, port: 26379, password: sentinelPassword },
            3000,
            (s) => s.myid(),
          ),
        ),
      );
      expect(new Set(ids).size).toBe(3);
    }, 90_000);

    it('keeps the passwords out of the debug log and every event log', async () => {
      expect(sentinelPassword.length).toBeGreaterThanOrEqual(16);
      const texts = [await readFile(join(sim.dir, 'debug-log.jsonl'), 'utf8')];
      for (const unit of [...SENTINELS, ...REDIS]) {
        const dir = join(sim.charmDir(unit), '.event-log');
        for (const f of await readdir(dir, { recursive: true, withFileTypes: true }))
          if (f.isFile()) texts.push(await readFile(join(f.parentPath, f.name), 'utf8'));
      }
      for (const text of texts) {
        expect(text).not.toContain(sentinelPassword);
        expect(text).not.toContain(adminPassword);
      }
    });

    /**
     * Stops the current primary's redis-server through Pebble and follows the failover to a
     * consistent topology; returns the failover epoch sentinel published.
     */
    const failPrimary = async (step: string): Promise<number> => {
      const old = (await views())[0]?.ip as string;
      const victim = REDIS.find((u) => address[u] === old) as string;
      expect(victim).toBeDefined();
      const replicas = REDIS.filter((u) => u !== victim).map((u) => address[u]);
      const logBefore = (await sim.debugLog()).length;
      // kill-pod is no failure to sentinel on an idle machine: the pod and redis are back within down-after
      const pebble = new PebbleClient({ socketPath: sim.pebbleSocket(victim, 'redis') });
      const t0 = Date.now();
      const took = (what: string) => (timings[`${step}:${what}`] = Date.now() - t0);
      try {
        await pebble.stopServices(['redis-server']);
      } finally {
        await pebble.close();
      }
      let seen: unknown = null;
      const after = await until(
        'every sentinel to switch to a replica',
        async () => {
          const v = await views().catch((e: Error) => e.message);
          seen = v;
          return typeof v !== 'string' && v.every((m) => m.ip !== old && m.ip === v[0]?.ip) ? v : undefined;
        },
        45_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; stopped redis on ${victim} at ${old}; sentinels report ${JSON.stringify(seen)}`);
      });
      took('switch');
      expect(replicas).toContain(after[0]?.ip);
      expect(after.every((m) => m.configEpoch >= 1)).toBe(true);

      const notices = await until(
        'the sentinel-pebble-custom-notice hook on every sentinel unit',
        async () => {
          const ran = (await sim.debugLog())
            .slice(logBefore)
            .filter((l) => l.hook === 'sentinel-pebble-custom-notice' && l.message.startsWith('ran '));
          return new Set(ran.map((l) => l.unit)).size === 3 ? ran : undefined;
        },
        30_000,
      );
      took('notice-hooks');
      expect(notices.map((l) => l.unit).sort()).toEqual([...SENTINELS]);

      // Under load sentinel may fail over again (a just-promoted master must answer its first PING
      // within down-after-milliseconds): from here on the truth is whatever sentinel publishes last.
      const published = await until(
        'the sentinel leader to publish a replica as the new primary',
        async () => {
          const bag = await sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-sentinel-k8s');
          return bag['primary-address'] !== undefined && bag['primary-address'] !== old ? bag : undefined;
        },
        20_000,
      );
      took('published');
      expect(replicas).toContain(published['primary-address']);

      const followed = await until(
        'redis-k8s to record the primary sentinel published in its app bag',
        async () => {
          const [theirs, ours] = await Promise.all([
            sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-sentinel-k8s'),
            sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-k8s'),
          ]);
          return ours['primary-address'] !== old && ours['primary-address'] === theirs['primary-address']
            ? ours
            : undefined;
        },
        30_000,
      );
      took('redis-app-bag');
      expect(followed['primary']).toBe(Object.keys(address).find((u) => address[u] === followed['primary-address']));

      await sim.cli(['wait', '--timeout', '90s']);
      // redis-k8s's hooks on the publication start the old primary again, as a replica
      let lastInfo = '';
      let current = '';
      const replicaOf = (info: string, host: string) =>
        info.includes('role:slave') &&
        info.includes(`master_host:${host}\r\n`) &&
        info.includes('master_link_status:up');
      await until(
        'one consistent topology: sentinels, both app bags and every redis-server agree on the primary, the old one replicating it',
        async () => {
          const [v, bag, infos] = await Promise.all([
            views(),
            sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-k8s'),
            Promise.all(REDIS.map((u) => role(u).catch(() => ''))),
          ]);
          current = v[0]?.ip ?? '';
          lastInfo = infos[REDIS.indexOf(victim as (typeof REDIS)[number])] ?? '';
          if (!v.every((m) => m.ip === current) || bag['primary-address'] !== current) return undefined;
          return REDIS.every((u, i) =>
            address[u] === current ? (infos[i] ?? '').includes('role:master') : replicaOf(infos[i] ?? '', current),
          )
            ? true
            : undefined;
        },
        45_000,
      ).catch(async (e: Error) => {
        throw new Error(`${e.message}; sentinels name ${current}; ${await postMortem(victim, logBefore, lastInfo)}`);
      });
      expect(
        await until(
          'every sentinel to see 2 replicas of the primary',
          async () => {
            const v = await views();
            return v.every((m) => m.ip === current && m.numSlaves === 2 && m.numOtherSentinels === 2)
              ? true
              : undefined;
          },
          30_000,
        ),
      ).toBe(true);
      took('recovered');
      return Number((await sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-sentinel-k8s'))['failover-epoch']);
    };

    let firstEpoch = 0;

    it('the primary fails (its redis-server service stopped through Pebble): sentinel promotes a replica, the notice runs as a hook, redis-k8s learns the new primary, the old one returns as a replica', async () => {
      firstEpoch = await failPrimary('first');
      expect(firstEpoch).toBeGreaterThanOrEqual(1);
    }, 200_000);

    it('the new primary fails too: a second failover with a higher epoch, published and followed the same way', async () => {
      expect(firstEpoch).toBeGreaterThanOrEqual(1);
      expect(await failPrimary('second')).toBeGreaterThan(firstEpoch);
    }, 200_000);
  },
);
