/**
 * The shared 3+3 model: redis-k8s x3 related to redis-sentinel-k8s x3 in charm-sim, built from the
 * charms' nx `pack` targets, with direct admin clients to every unit and sentinel queries.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageDir, SimModel, until } from '@charms/charm-sdk/testing';
import { Redis } from 'ioredis';

const run = promisify(execFile);

export const REDIS_UNITS = ['redis-k8s/0', 'redis-k8s/1', 'redis-k8s/2'] as const;
export const SENTINEL_UNITS = ['redis-sentinel-k8s/0', 'redis-sentinel-k8s/1', 'redis-sentinel-k8s/2'] as const;
export const MASTER_NAME = 'redis-k8s';

/** The settings every scenario runs under (reported beside the numbers). */
export const SETTINGS = {
  'down-after-milliseconds': 2000,
  'failover-timeout': 6000,
  'wait-timeout-ms': 500,
  'update-status-interval': '20s',
} as const;
const UPDATE_STATUS_INTERVAL = SETTINGS['update-status-interval'];

/** Runs the charms' nx `pack` targets (cached by nx) and returns the two .charm paths. */
export async function packCharms(): Promise<{ redis: string; sentinel: string }> {
  await run('npx', ['nx', 'run-many', '-t', 'pack', '-p', '@charms/charm-redis,@charms/charm-sentinel'], {
    // nx finds the workspace from any directory in it
    cwd: packageDir('@charms/chaos-e2e'),
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    maxBuffer: 64 << 20,
    timeout: 600_000,
  });
  return {
    redis: join(packageDir('@charms/charm-redis'), 'dist/redis-k8s_ubuntu@22.04-amd64.charm'),
    sentinel: join(packageDir('@charms/charm-sentinel'), 'dist/redis-sentinel-k8s_ubuntu@22.04-amd64.charm'),
  };
}

/** A deployed, settled 3+3 model and what scenarios need to talk to it. */
export class Cluster {
  readonly address: Record<string, string> = {};
  adminPassword = '';
  sentinelPassword = '';

  private constructor(readonly sim: SimModel) {}

  /** Deploys redis-k8s x3, then redis-sentinel-k8s x3, relates them and waits for the model to settle. */
  static async start(name: string): Promise<Cluster> {
    const charms = await packCharms();
    // update-status refreshes statuses no other hook would (a sentinel's view of frozen peers)
    const c = new Cluster(await SimModel.create(name, { updateStatusInterval: UPDATE_STATUS_INTERVAL }));
    const sim = c.sim;
    await sim.cli(['deploy', charms.redis, '-n', '3', '--wait', '--timeout', '180s'], 240_000);
    await sim.cli([
      'deploy',
      charms.sentinel,
      '-n',
      '3',
      '--config',
      `down-after-milliseconds=${SETTINGS['down-after-milliseconds']}`,
      '--config',
      `failover-timeout=${SETTINGS['failover-timeout']}`,
    ]);
    await sim.cli(['relate', 'redis-k8s:sentinel', 'redis-sentinel-k8s:redis']);
    await sim.cli(['wait', '--timeout', '180s'], 240_000);
    await c.refreshAddresses();
    c.sentinelPassword = String((await sim.action('redis-k8s/0', 'get-sentinel-password'))['sentinel-password']);
    c.adminPassword = String((await sim.action('redis-k8s/0', 'get-initial-admin-password'))['password']);
    return c;
  }

  /** The persistence and write-safety settings redis-server runs with (CONFIG GET on the primary). */
  async redisSettings(): Promise<Record<string, string>> {
    const primary = await this.atRest();
    const keys = ['appendonly', 'appendfsync', 'save', 'min-replicas-to-write', 'min-replicas-max-lag'];
    const out: Record<string, string> = { 'data dir': '/var/lib/redis on the database storage' };
    await this.withRedis(primary, async (c) => {
      for (const k of keys) {
        const v = (await c.config('GET', k)) as string[];
        out[k] = v[1] ?? '';
      }
    });
    return out;
  }

  /** Re-reads pod addresses from `charm-sim status` (a recreated pod keeps its address, but check). */
  async refreshAddresses(): Promise<void> {
    const status = await this.sim.status();
    for (const app of Object.values(status.applications))
      for (const [unit, u] of Object.entries(app.units)) this.address[unit] = u.address;
  }

  unitAt(address: string): string | undefined {
    return REDIS_UNITS.find((u) => this.address[u] === address);
  }

  /** A direct admin connection to one redis unit that fails fast instead of retrying. */
  redis(unit: string): Redis {
    const c = new Redis({
      host: this.address[unit],
      port: 6379,
      password: this.adminPassword,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2000,
      commandTimeout: 5000,
      protocol: 2,
    });
    c.on('error', () => undefined);
    return c;
  }

  /** Runs `fn` on a fresh connection to `unit` and closes it. */
  async withRedis<T>(unit: string, fn: (c: Redis) => Promise<T>): Promise<T> {
    const c = this.redis(unit);
    try {
      await c.connect();
      return await fn(c);
    } finally {
      c.disconnect();
    }
  }

  /** The primary address one sentinel names, or an error message. */
  async sentinelMaster(unit: string): Promise<string> {
    const s = new Redis({
      host: this.address[unit],
      port: 26379,
      password: this.sentinelPassword,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2000,
      commandTimeout: 3000,
      protocol: 2,
    });
    s.on('error', () => undefined);
    try {
      await s.connect();
      const r = (await s.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME)) as string[] | null;
      return r?.[0] ?? 'none';
    } catch (e) {
      return `error: ${(e as Error).message}`;
    } finally {
      s.disconnect();
    }
  }

  /** Each redis unit's INFO replication ('' when it does not answer). */
  async replicationInfo(): Promise<Record<string, string>> {
    const infos = await Promise.all(
      REDIS_UNITS.map((u) => this.withRedis(u, (c) => c.info('replication')).catch(() => '')),
    );
    return Object.fromEntries(REDIS_UNITS.map((u, i) => [u, infos[i] ?? '']));
  }

  /**
   * Waits for rest: every live sentinel names one primary, that unit is the only master and the
   * other two replicate it with the link up and their offsets caught up. Returns the primary unit.
   */
  async atRest(timeoutMs = 120_000, sentinels: readonly string[] = SENTINEL_UNITS): Promise<string> {
    let last = '';
    return until(
      'one primary named by every sentinel, two replicas caught up',
      async () => {
        const named = await Promise.all(sentinels.map((s) => this.sentinelMaster(s)));
        const infos = await this.replicationInfo();
        last = `sentinels ${JSON.stringify(named)}; roles ${JSON.stringify(
          Object.fromEntries(
            Object.entries(infos).map(([u, i]) => [u, field(i, 'role') + '@' + field(i, 'master_host')]),
          ),
        )}`;
        const ip = named[0];
        if (!ip || !named.every((n) => n === ip)) return undefined;
        const primary = this.unitAt(ip);
        if (!primary) return undefined;
        const masters = REDIS_UNITS.filter((u) => field(infos[u] ?? '', 'role') === 'master');
        if (masters.length !== 1 || masters[0] !== primary) return undefined;
        const offset = Number(field(infos[primary] ?? '', 'master_repl_offset'));
        const ok = REDIS_UNITS.filter((u) => u !== primary).every((u) => {
          const i = infos[u] ?? '';
          return (
            field(i, 'master_host') === ip &&
            field(i, 'master_link_status') === 'up' &&
            Number(field(i, 'slave_repl_offset')) >= offset
          );
        });
        return ok ? primary : undefined;
      },
      timeoutMs,
      250,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; last seen: ${last}`);
    });
  }

  /** How many units report role master right now. */
  async mastersNow(): Promise<number> {
    const infos = await this.replicationInfo();
    return Object.values(infos).filter((i) => field(i, 'role') === 'master').length;
  }

  async destroy(): Promise<void> {
    await this.sim.destroy();
  }
}

/** One `key:value` field of an INFO section ('' when absent). */
export function field(info: string, key: string): string {
  const m = new RegExp(`^${key}:(.*)$`, 'm').exec(info);
  return m?.[1]?.trim() ?? '';
}
