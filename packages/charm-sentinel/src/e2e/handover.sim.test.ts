/**
 * Removal of the primary's unit under WAIT-acknowledged writes, in charm-sim with real Pebble,
 * redis-server and redis-sentinel: first with redis-k8s alone (the charm hands over to the leader,
 * or the leaving leader to the most up-to-date replica), then with redis-sentinel-k8s related
 * (a coordinated SENTINEL FAILOVER). Each time: zero acknowledged writes lost, one master at rest.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { charmToDeploy, packageDir, SimModel, simAvailable, until } from '@charms/charm-sdk/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckedWriter, type WriterStats } from '../testing/acked-writer.js';

const SENTINEL_DIR = packageDir('@charms/charm-sentinel');
const REDIS_DIR = packageDir('@charms/charm-redis');

async function withRedis<T>(host: string, password: string, f: (c: Redis) => Promise<T>, port = 6379): Promise<T> {
  const c = new Redis({
    host,
    port,
    password,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
    commandTimeout: 2000,
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
  'removing the primary unit of redis-k8s in charm-sim, under acknowledged writes',
  () => {
    let sim: SimModel;
    let password = '';
    let sentinelPassword = '';
    const measured: Record<string, unknown> = {};
    let sentinelCharm = '';

    const redisUnits = async () => {
      const units = (await sim.status()).applications['redis-k8s']?.units ?? {};
      return Object.entries(units).map(([unit, u]) => ({ unit, address: u.address, leader: u.leader === true }));
    };
    const roleOf = (address: string) =>
      withRedis(address, password, (c) => c.info('replication')).then(
        (i) => field(i, 'role'),
        () => 'unreachable',
      );
    /** The unit whose redis-server is the only master. */
    const soleMaster = async () => {
      const units = await redisUnits();
      const roles = await Promise.all(units.map((u) => roleOf(u.address)));
      const masters = units.filter((_, i) => roles[i] === 'master');
      return masters.length === 1 && roles.every((r) => r === 'master' || r === 'slave') ? masters[0] : undefined;
    };
    const expectAllPresent = async (prefix: string, acked: number[]) => {
      for (const u of await redisUnits()) {
        const missing = await until(
          `${u.unit} to hold all ${acked.length} acknowledged ${prefix} writes`,
          async () => {
            const values = await withRedis(u.address, password, (c) =>
              c.mget(acked.map((s) => `${prefix}:${s}`)),
            ).catch(() => null);
            if (values === null) return undefined;
            const gone = acked.filter((s, i) => values[i] !== String(s));
            return gone.length === 0 ? gone : undefined;
          },
          30_000,
        ).catch(() => ['timed out']);
        expect(missing, `${u.unit} misses acknowledged writes`).toEqual([]);
      }
    };
    /** Writes through `writer` until `n` are acknowledged (bounded). */
    const ackedAtLeast = (writer: AckedWriter, n: number) =>
      until(`${n} acknowledged writes`, async () => (writer.stats.acknowledged.length >= n ? true : undefined), 30_000);

    const removePrimary = async (writer: AckedWriter): Promise<{ removed: string; stats: WriterStats }> => {
      const primary = await until('one master', soleMaster, 60_000);
      await ackedAtLeast(writer, 50);
      const before = writer.stats.acknowledged.length;
      await sim.cli(['remove-unit', primary.unit, '--wait', '--timeout', '150s']);
      await ackedAtLeast(writer, before + 50);
      const stats = await writer.stop();
      return { removed: primary.unit, stats };
    };

    beforeAll(async () => {
      sim = await SimModel.create('handover');
      const [s, redisCharm] = await Promise.all([
        charmToDeploy(SENTINEL_DIR, join(sim.dir, 'out')),
        charmToDeploy(REDIS_DIR, join(sim.dir, 'out')),
      ]);
      sentinelCharm = s;
      await sim.cli(['deploy', redisCharm, '-n', '3', '--wait', '--timeout', '150s']);
      const leader = (await redisUnits()).find((u) => u.leader)?.unit as string;
      password = String((await sim.action(leader, 'get-initial-admin-password'))['password']);
      sentinelPassword = String((await sim.action(leader, 'get-sentinel-password'))['sentinel-password']);
    }, 300_000);

    afterAll(async () => {
      await sim?.destroy();
      console.log(`handover e2e measurements: ${JSON.stringify(measured)}`);
    });

    it('without sentinel: the leaving primary hands over to the leader; none lost, one master, the bag names it', async () => {
      const writer = new AckedWriter(
        { locate: async () => (await soleMaster())?.address ?? null, password },
        'charm-handover',
      ).start();
      const { removed, stats } = await removePrimary(writer);
      await sim.cli(['wait', '--timeout', '120s']);
      const primary = await until('one master at rest', soleMaster, 60_000);
      expect(primary.unit).not.toBe(removed);
      const units = await redisUnits();
      expect(units.map((u) => u.unit)).not.toContain(removed);
      expect((await sim.appBag('redis-k8s', 'redis-k8s', 'redis-k8s'))['primary']).toBe(primary.unit);
      const status = (await sim.status()).applications['redis-k8s']?.units ?? {};
      expect(status[primary.unit]?.['workload-status']).toMatchObject({ current: 'active', message: 'primary' });
      await expectAllPresent('charm-handover', stats.acknowledged);
      measured['charm'] = {
        removed,
        successor: primary.unit,
        acked: stats.acknowledged.length,
        failed: stats.failed,
        unavailableMs: stats.unavailableMs,
        longestAckGapMs: stats.longestAckGapMs,
      };
    }, 400_000);

    it('with sentinel: the leaving primary asks for a coordinated failover; none lost, one master', async () => {
      await sim.cli(['add-unit', 'redis-k8s', '-n', '1', '--wait', '--timeout', '150s']);
      await sim.cli(['deploy', sentinelCharm, '-n', '3', '--config', 'down-after-milliseconds=3000']);
      await sim.cli(['relate', 'redis-k8s:sentinel', 'redis-sentinel-k8s:redis']);
      await sim.cli(['wait', '--timeout', '240s']);
      const sentinels = Object.values((await sim.status()).applications['redis-sentinel-k8s']?.units ?? {}).map(
        (u) => ({ host: u.address, port: 26379 }),
      );
      await until(
        'every sentinel to see 2 replicas',
        async () => {
          const n = await Promise.all(
            sentinels.map((s) =>
              withRedis(
                s.host,
                sentinelPassword,
                async (c) => {
                  const v = (await c.call('SENTINEL', 'MASTER', 'redis-k8s')) as string[];
                  return Number(v[v.indexOf('num-slaves') + 1]);
                },
                26379,
              ).catch(() => -1),
            ),
          );
          return n.every((x) => x === 2) ? true : undefined;
        },
        120_000,
      );
      const writer = new AckedWriter(
        { sentinels, name: 'redis-k8s', password, sentinelPassword },
        'sentinel-handover',
      ).start();
      const { removed, stats } = await removePrimary(writer);
      await sim.cli(['wait', '--timeout', '120s']);
      const primary = await until('one master at rest', soleMaster, 60_000);
      expect(primary.unit).not.toBe(removed);
      const named = await Promise.all(
        sentinels.map((s) =>
          withRedis(
            s.host,
            sentinelPassword,
            (c) => c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'redis-k8s') as Promise<string[]>,
            26379,
          ),
        ),
      );
      for (const n of named) expect(n[0]).toBe(primary.address);
      await expectAllPresent('sentinel-handover', stats.acknowledged);
      measured['sentinel'] = {
        removed,
        successor: primary.unit,
        acked: stats.acknowledged.length,
        failed: stats.failed,
        unavailableMs: stats.unavailableMs,
        longestAckGapMs: stats.longestAckGapMs,
      };
    }, 600_000);
  },
);
