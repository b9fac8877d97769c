/**
 * A client charm (src/testing/client-charm, /bin/sh) related to redis-k8s x3 with
 * redis-sentinel-k8s x3 in charm-sim (real Pebble, redis-server, redis-sentinel): it records the
 * relation's keys and the granted secret; the test connects through sentinel with exactly those
 * (ioredis in the test process, over loopback) and keeps writing across a kill-pod of the primary
 * and a planned failover; the keys follow the primary.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { charmToDeploy, packageDir, SimModel, simAvailable, until } from '@charms/charm-sdk/testing';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedWriter } from '../testing/acked-writer.js';

const SENTINEL_DIR = packageDir('@charms/charm-sentinel');
const REDIS_DIR = packageDir('@charms/charm-redis');
const CLIENT_CHARM = join(SENTINEL_DIR, 'src', 'testing', 'client-charm');
const REDIS = ['redis-k8s/0', 'redis-k8s/1', 'redis-k8s/2'] as const;
const SENTINELS = ['redis-sentinel-k8s/0', 'redis-sentinel-k8s/1', 'redis-sentinel-k8s/2'] as const;
const CLIENT = 'redis-client/0';

/** What the client charm wrote: the relation's application bag and the secret it was granted. */
const ClientView = z.object({
  hook: z.string(),
  relation: z.record(z.string(), z.string()),
  secret: z.object({ password: z.string(), 'sentinel-password': z.string() }).nullable(),
});
type ClientView = z.infer<typeof ClientView>;

const hostPort = (s: string) => {
  const at = s.lastIndexOf(':');
  return { host: s.slice(0, at), port: Number(s.slice(at + 1)) };
};

describe.skipIf(!simAvailable || !existsSync(join(CLIENT_CHARM, 'metadata.yaml')))(
  'a client charm of redis-k8s x3 + redis-sentinel-k8s x3 in charm-sim, through sentinel',
  () => {
    let sim: SimModel;
    const address: Record<string, string> = {};
    const measured: Record<string, unknown> = {};
    const viewPath = () => join(sim.charmDir(CLIENT), 'redis-view.json');
    const view = async (): Promise<ClientView> => ClientView.parse(JSON.parse(await readFile(viewPath(), 'utf8')));
    const masters = async (password: string) => {
      const roles = await Promise.all(
        REDIS.map(async (u) => {
          const c = new Redis({
            host: address[u],
            port: 6379,
            password,
            lazyConnect: true,
            maxRetriesPerRequest: 0,
            retryStrategy: () => null,
            connectTimeout: 2000,
          });
          c.on('error', () => undefined);
          try {
            await c.connect();
            return /^role:master/m.test(await c.info('replication')) ? u : null;
          } catch {
            return null;
          } finally {
            c.disconnect();
          }
        }),
      );
      return roles.filter((r): r is (typeof REDIS)[number] => r !== null);
    };
    /** The client's view once its `endpoints` names the one master at rest. */
    const settledOn = async (password: string) =>
      until(
        "the client's endpoints to name the one master",
        async () => {
          const m = await masters(password);
          const v = await view().catch(() => undefined);
          return m.length === 1 && v?.relation['endpoints'] === `${address[m[0] as string]}:6379`
            ? { master: m[0] as string, view: v }
            : undefined;
        },
        120_000,
        250,
      );
    const writerFrom = (v: ClientView, prefix: string) => {
      const secret = v.secret as NonNullable<ClientView['secret']>;
      return new AckedWriter(
        {
          sentinels: (v.relation['sentinel-endpoints'] ?? '').split(',').map(hostPort),
          name: v.relation['master-name'] as string,
          password: secret.password,
          sentinelPassword: secret['sentinel-password'],
        },
        prefix,
      ).start();
    };
    const lastGone: Record<string, unknown> = {};
    const expectAllPresent = async (password: string, prefix: string, acked: number[]) => {
      for (const u of REDIS) {
        const missing = await until(
          `${u} to hold all ${acked.length} acknowledged ${prefix} writes`,
          async () => {
            const c = new Redis({
              host: address[u],
              port: 6379,
              password,
              lazyConnect: true,
              maxRetriesPerRequest: 0,
              retryStrategy: () => null,
              connectTimeout: 2000,
            });
            let cause = '';
            c.on('error', (e: Error) => (cause = e.message));
            try {
              await c.connect();
              const values = acked.length === 0 ? [] : await c.mget(acked.map((s) => `${prefix}:${s}`));
              const gone = acked.filter((s, i) => values[i] !== String(s));
              lastGone[u] = { count: gone.length, first: gone.slice(0, 5), last: gone.slice(-5) };
              return gone.length === 0 ? gone : undefined;
            } catch (e) {
              lastGone[u] = { error: cause || (e as Error).message };
              return undefined;
            } finally {
              c.disconnect();
            }
          },
          30_000,
        ).catch(async (e: Error) => {
          const status = (await sim.status()).applications['redis-k8s']?.units[u]?.['workload-status'];
          throw new Error(
            `${e.message}; last seen missing on ${u}: ${JSON.stringify(lastGone[u] ?? 'no answer')}; status ${JSON.stringify(status)}`,
          );
        });
        expect(missing).toEqual([]);
      }
    };

    beforeAll(async () => {
      sim = await SimModel.create('clients');
      const [sentinelCharm, redisCharm] = await Promise.all([
        charmToDeploy(SENTINEL_DIR, join(sim.dir, 'out')),
        charmToDeploy(REDIS_DIR, join(sim.dir, 'out')),
      ]);
      await sim.cli(['deploy', redisCharm, '-n', '3', '--wait', '--timeout', '150s']);
      await sim.cli(['deploy', sentinelCharm, '-n', '3', '--config', 'down-after-milliseconds=3000']);
      await sim.cli(['deploy', CLIENT_CHARM]);
      await sim.cli(['relate', 'redis-k8s:sentinel', 'redis-sentinel-k8s:redis']);
      await sim.cli(['relate', 'redis-client:redis', 'redis-k8s:redis']);
      await sim.cli(['wait', '--timeout', '180s']);
      for (const app of Object.values((await sim.status()).applications))
        for (const [unit, u] of Object.entries(app.units)) address[unit] = u.address;
    }, 480_000);

    afterAll(async () => {
      await sim?.destroy();
      console.log(`clients e2e measurements: ${JSON.stringify(measured)}`);
    });

    it('reads the new keys: endpoints, read-only-endpoints, sentinel-endpoints, master-name, tls, and the granted secret', async () => {
      const v = await view();
      expect((await stat(viewPath())).mode & 0o777).toBe(0o600);
      const { master } = await settledOn(v.secret?.password ?? '');
      const replicas = REDIS.filter((u) => u !== master).map((u) => `${address[u]}:6379`);
      expect(v.relation).toMatchObject({
        endpoints: `${address[master]}:6379`,
        'read-only-endpoints': replicas.join(','),
        'sentinel-endpoints': SENTINELS.map((u) => `${address[u]}:26379`).join(','),
        'master-name': 'redis-k8s',
        tls: 'false',
        port: '6379',
        'leader-host': address[master],
      });
      expect(v.relation['tls-ca']).toBeUndefined();
      // the password is only in the granted secret, never in the bag
      expect(v.secret?.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(JSON.stringify(v.relation)).not.toContain(v.secret?.password);
      expect(JSON.stringify(v.relation)).not.toContain(v.secret?.['sentinel-password']);
      const status = (await sim.status()).applications['redis-client']?.units[CLIENT]?.['workload-status'];
      expect(status).toEqual({ current: 'active', message: `primary at ${address[master]}:6379` });
    });

    it('keeps writing through sentinel across a kill-pod of the primary: none lost, the keys name the master at rest', async () => {
      const before = await view();
      const password = before.secret?.password ?? '';
      const { master: killed } = await settledOn(password);
      const writer = writerFrom(before, 'kill');
      let ackedAtKill = 0;
      try {
        await until('the writer to acknowledge writes', async () =>
          writer.stats.acknowledged.length > 20 ? 1 : undefined,
        );
        ackedAtKill = writer.stats.acknowledged.length;
        await sim.cli(['kill-pod', killed, '--wait', '--timeout', '120s']);
        await sim.cli(['wait', '--timeout', '120s']);
        await until(
          'writes acknowledged after the kill',
          async () => (writer.stats.acknowledged.length > ackedAtKill + 50 ? 1 : undefined),
          60_000,
        );
      } finally {
        await writer.stop();
      }
      const { master } = await settledOn(password);
      await expectAllPresent(password, 'kill', writer.stats.acknowledged);
      measured['kill-pod'] = {
        killed,
        'master-after': master,
        'failed-over': master !== killed,
        acked: writer.stats.acknowledged.length,
        'acked-after-kill': writer.stats.acknowledged.length - ackedAtKill,
        failed: writer.stats.failed,
        unavailableMs: writer.stats.unavailableMs,
        longestAckGapMs: writer.stats.longestAckGapMs,
      };
    }, 400_000);

    it('after a planned failover the client sees the new primary in endpoints and the old one among read-only-endpoints', async () => {
      const v = await view();
      const password = v.secret?.password ?? '';
      const { master: old } = await settledOn(password);
      const target = REDIS.find((u) => u !== old) as string;
      const started = Date.now();
      expect(await sim.action(SENTINELS[0], 'failover', { to: target })).toMatchObject({ 'new-primary-unit': target });
      const after = await until(
        "the client's keys to name the new primary",
        async () => {
          const w = await view().catch(() => undefined);
          return w?.relation['endpoints'] === `${address[target]}:6379` ? w : undefined;
        },
        60_000,
        100,
      );
      measured['failover-to-client-keys-ms'] = Date.now() - started;
      expect(after.relation['read-only-endpoints']?.split(',')).toContain(`${address[old]}:6379`);
      expect(after.relation['leader-host']).toBe(address[target]);
    }, 200_000);
  },
);
