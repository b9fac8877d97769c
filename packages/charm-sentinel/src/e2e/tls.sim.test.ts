import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { charmToDeploy, packageDir, SimModel, simAvailable } from '@charms/charm-sdk/testing';
import { PebbleClient } from '@charms/pebble-client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ioredisConnector, withSentinel } from '../sentinel-client.js';
import type { MasterView } from '../sentinel-view.js';
import { makeCerts, type TestCerts } from '../testing/certs.js';
import { until } from '../testing/redis-processes.js';

const SENTINEL_DIR = packageDir('@charms/charm-sentinel');
const REDIS_DIR = packageDir('@charms/charm-redis');
const REDIS = ['redis-k8s/0', 'redis-k8s/1', 'redis-k8s/2'] as const;
const SENTINELS = ['redis-sentinel-k8s/0', 'redis-sentinel-k8s/1', 'redis-sentinel-k8s/2'] as const;

describe.skipIf(!simAvailable || !existsSync(join(REDIS_DIR, 'charmcraft.yaml')))(
  'TLS: redis-k8s x3 (enable-tls) and redis-sentinel-k8s x3 in charm-sim',
  () => {
    let sim: SimModel;
    let certs: TestCerts;
    let sentinelPassword = '';
    let adminPassword = '';
    const address: Record<string, string> = {};
    const timings: Record<string, number> = {};

    const connect = async (host: string, port: number, password: string, tls: boolean): Promise<Redis> => {
      const c = new Redis({
        host,
        port,
        password,
        lazyConnect: true,
        connectTimeout: 3000,
        commandTimeout: 3000,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        protocol: 2,
        ...(tls ? { tls: { ca: certs.caPem, checkServerIdentity: () => undefined } } : {}),
      });
      c.on('error', () => undefined);
      try {
        await c.connect();
        return c;
      } catch (e) {
        c.disconnect();
        throw e;
      }
    };
    const master = (unit: string) =>
      withSentinel(
        ioredisConnector,
        { host: address[unit] as string, port: 26379, password: sentinelPassword, tls: { ca: certs.caPem } },
        3000,
        (s) => s.master('redis-k8s'),
      );
    const views = (): Promise<MasterView[]> => Promise.all(SENTINELS.map(master));
    const replication = async (unit: string): Promise<string> => {
      const c = await connect(address[unit] as string, 6379, adminPassword, true);
      try {
        return await c.info('replication');
      } finally {
        c.disconnect();
      }
    };

    beforeAll(async () => {
      const t0 = Date.now();
      [sim, certs] = await Promise.all([SimModel.create('tls'), makeCerts()]);
      const [sentinelCharm, redisCharm] = await Promise.all([
        charmToDeploy(SENTINEL_DIR, join(sim.dir, 'out')),
        charmToDeploy(REDIS_DIR, join(sim.dir, 'out')),
      ]);
      await sim.cli([
        'deploy',
        redisCharm,
        '-n',
        '3',
        '--config',
        'enable-tls=true',
        '--resource',
        `cert-file=${certs.redisCert}`,
        '--resource',
        `key-file=${certs.redisKey}`,
        '--resource',
        `ca-cert-file=${certs.ca}`,
        '--wait',
        '--timeout',
        '150s',
      ]);
      await sim.cli([
        'deploy',
        sentinelCharm,
        '-n',
        '3',
        '--config',
        'down-after-milliseconds=2000',
        '--config',
        'failover-timeout=6000',
        '--resource',
        `cert-file=${certs.sentinelCert}`,
        '--resource',
        `key-file=${certs.sentinelKey}`,
      ]);
      await sim.cli(['relate', 'redis-k8s:sentinel', 'redis-sentinel-k8s:redis']);
      await sim.cli(['wait', '--timeout', '180s']);
      timings['deploy-relate-settle'] = Date.now() - t0;
      for (const app of Object.values((await sim.status()).applications))
        for (const [unit, u] of Object.entries(app.units)) address[unit] = u.address;
      sentinelPassword = String((await sim.action('redis-k8s/0', 'get-sentinel-password'))['sentinel-password']);
      adminPassword = String((await sim.action('redis-k8s/0', 'get-initial-admin-password'))['password']);
    }, 480_000);

    afterAll(async () => {
      if (process.env['CHARM_SENTINEL_E2E_KEEP'] === '1') console.log(`kept the model at ${sim?.dir}`);
      else await sim?.destroy();
      await certs?.remove();
      console.log(`charm-sentinel TLS e2e timings (ms): ${JSON.stringify(timings)}`);
    });

    it('settles over TLS: every sentinel active, sees 2 replicas and 2 other sentinels, quorum 2; redis publishes tls-ca', async () => {
      const units = (await sim.status()).applications['redis-sentinel-k8s']?.units ?? {};
      for (const unit of SENTINELS)
        expect(units[unit]?.['workload-status']).toEqual({
          current: 'active',
          message: 'monitoring redis-k8s (3 sentinels, quorum 2)',
        });
      const bag = await sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-k8s');
      expect(bag['tls']).toBe('true');
      expect(bag['tls-ca']?.trim()).toBe(certs.caPem.trim());
      expect(JSON.stringify(bag)).not.toContain('PRIVATE KEY');
      let last: MasterView[] = [];
      await until(
        'the 3 sentinels to agree and see 2 replicas and 2 sentinels over TLS',
        async () => {
          last = await views();
          return last.every(
            (m) =>
              m.ip === bag['primary-address'] &&
              m.numSlaves === 2 &&
              m.numOtherSentinels === 2 &&
              m.quorum === 2 &&
              m.flags.join() === 'master',
          )
            ? true
            : undefined;
        },
        60_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; sentinels report ${JSON.stringify(last)}`);
      });
    }, 90_000);

    it('refuses plaintext on every sentinel and every redis unit', async () => {
      for (const unit of SENTINELS)
        await expect(
          connect(address[unit] as string, 26379, sentinelPassword, false).then((c) => c.ping()),
        ).rejects.toThrow();
      for (const unit of REDIS)
        await expect(
          connect(address[unit] as string, 6379, adminPassword, false).then((c) => c.ping()),
        ).rejects.toThrow();
      const c = await connect(address[SENTINELS[0]] as string, 26379, sentinelPassword, true);
      try {
        expect(await c.ping()).toBe('PONG');
      } finally {
        c.disconnect();
      }
    });

    it('fails over over TLS: the primary stopped, the sentinels elect and promote a replica, redis-k8s follows', async () => {
      const old = (await views())[0]?.ip as string;
      const victim = REDIS.find((u) => address[u] === old) as string;
      expect(victim).toBeDefined();
      const pebble = new PebbleClient({ socketPath: sim.pebbleSocket(victim, 'redis') });
      const t0 = Date.now();
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
      timings['failover-switch'] = Date.now() - t0;
      const promoted = after[0]?.ip as string;
      expect(REDIS.filter((u) => u !== victim).map((u) => address[u])).toContain(promoted);
      const newPrimary = REDIS.find((u) => address[u] === promoted) as string;
      expect(await replication(newPrimary)).toContain('role:master');
      await until(
        'redis-k8s to record the new primary in its app bag',
        async () =>
          (await sim.appBag('redis-k8s', 'redis-sentinel-k8s', 'redis-k8s'))['primary-address'] === promoted
            ? true
            : undefined,
        30_000,
      );
      timings['failover-redis-app-bag'] = Date.now() - t0;
      await sim.cli(['wait', '--timeout', '90s']);
      await until(
        'every sentinel to see the new primary with 2 replicas again, the old one replicating over TLS',
        async () => {
          const [v, info] = await Promise.all([views(), replication(victim).catch(() => '')]);
          return v.every((m) => m.ip === promoted && m.numSlaves === 2 && m.numOtherSentinels === 2) &&
            info.includes(`master_host:${promoted}\r\n`) &&
            info.includes('master_link_status:up')
            ? true
            : undefined;
        },
        60_000,
      );
      timings['failover-recovered'] = Date.now() - t0;
    }, 200_000);
  },
);
