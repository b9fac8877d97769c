import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { majorityPrimary } from './get-primary.js';
import { ioredisNodeConnector, parseInfo } from './redis-node-client.js';
import { ioredisConnector, withSentinel } from './sentinel-client.js';
import { switchover, type SwitchoverInput } from './switchover.js';
import { AckedWriter } from './testing/acked-writer.js';
import { loopbackPrefix, startRedis, until, waitReplicaLinked, type RedisProcess } from './testing/redis-processes.js';
import { startSentinel, type SentinelProcess } from './testing/sentinel-processes.js';

const available = existsSync('/usr/bin/redis-server');
const PASSWORD = 'redis "pass\\word" #1';
const SENTINEL_PASSWORD = 'sentinel pass "2"';
const NAME = 'redis-k8s';

describe.skipIf(!available)('switchover against 3 real redis-servers and 3 real sentinels', () => {
  const net = loopbackPrefix();
  let dir: string;
  const redis: RedisProcess[] = [];
  const sentinels: SentinelProcess[] = [];
  const units = [0, 1, 2].map((n) => ({ unit: `redis-k8s/${n}`, address: `${net}${n + 1}` }));
  const members = [0, 1, 2].map((n) => ({ unit: `redis-sentinel-k8s/${n}`, address: `${net}${n + 11}` }));
  const input = (to?: string): SwitchoverInput => ({
    app: 'redis-k8s',
    masterName: NAME,
    port: 6379,
    units,
    local: members[0] as (typeof members)[number],
    sentinels: members,
    total: 3,
    redisPassword: PASSWORD,
    sentinelPassword: SENTINEL_PASSWORD,
    ...(to === undefined ? {} : { to }),
  });
  const progress: string[] = [];
  const seams = {
    sentinels: ioredisConnector,
    redis: ioredisNodeConnector,
    now: () => Date.now(),
    sleep: (ms: number) => sleep(ms),
    progress: async (m: string) => void progress.push(m),
  };
  const info = async (r: RedisProcess) => {
    const c = r.client();
    try {
      await c.connect();
      return parseInfo(await c.info('replication'));
    } finally {
      c.disconnect();
    }
  };
  const views = () =>
    Promise.all(
      sentinels.map((s) =>
        withSentinel(ioredisConnector, { host: s.host, port: 26379, password: SENTINEL_PASSWORD }, 3000, async (x) => ({
          address: await x.masterAddress(NAME),
          master: await x.master(NAME),
        })),
      ),
    );
  const settled = (primary: string) =>
    until(
      `every sentinel to see ${primary} with 2 replicas and 2 other sentinels`,
      async () => {
        const v = await views();
        return v.every((x) => x.master.ip === primary && x.master.numSlaves === 2 && x.master.numOtherSentinels === 2)
          ? v
          : undefined;
      },
      60_000,
      200,
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'charm-sentinel-switchover-'));
    redis.push(await startRedis(dir, `${net}1`, PASSWORD));
    for (const n of [2, 3]) redis.push(await startRedis(dir, `${net}${n}`, PASSWORD, { host: `${net}1`, port: 6379 }));
    await Promise.all(redis.slice(1).map(waitReplicaLinked));
    for (const m of members)
      sentinels.push(
        await startSentinel(
          dir,
          m.address,
          { name: NAME, host: `${net}1`, port: 6379 },
          { redis: PASSWORD, sentinel: SENTINEL_PASSWORD },
          // a long down-after: only the action fails over
          { downAfterMs: 10_000, failoverTimeoutMs: 10_000 },
        ),
      );
    await settled(`${net}1`);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([...sentinels, ...redis].map((p) => p.stop()));
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('switches to the requested replica under WAIT-acknowledged writes: none lost, sentinels agree, priorities restored', async () => {
    const writer = new AckedWriter(
      {
        sentinels: members.map((m) => ({ host: m.address, port: 26379 })),
        name: NAME,
        password: PASSWORD,
        sentinelPassword: SENTINEL_PASSWORD,
      },
      'w1',
    ).start();
    let outcome: Awaited<ReturnType<typeof switchover>>;
    try {
      await until('some acknowledged writes', async () => (writer.stats.acknowledged.length >= 50 ? true : undefined));
      outcome = await switchover(input('redis-k8s/2'), seams);
      const after = writer.stats.acknowledged.length;
      await until('acknowledged writes on the new primary', async () =>
        writer.stats.acknowledged.length >= after + 50 ? true : undefined,
      );
    } finally {
      await writer.stop();
    }
    const stats = writer.stats;
    console.log(
      `switchover: ${JSON.stringify(outcome.results)}; writes attempted ${stats.attempted}, acknowledged ${stats.acknowledged.length}, failed ${stats.failed}, unavailable (first failed to next acknowledged) ${stats.unavailableMs} ms, longest gap between acknowledged writes ${stats.longestAckGapMs} ms`,
    );
    expect(outcome.failure).toBeUndefined();
    expect(outcome.results).toMatchObject({
      'old-primary': `${net}1:6379`,
      'old-primary-unit': 'redis-k8s/0',
      'new-primary': `${net}3:6379`,
      'new-primary-unit': 'redis-k8s/2',
      pinned: 'redis-k8s/1=100',
    });
    expect(Number(outcome.results['new-primary-offset'])).toBeGreaterThanOrEqual(Number(outcome.results['offset']));

    // every acknowledged write is on the new primary
    const c = (redis[2] as RedisProcess).client();
    await c.connect();
    try {
      const keys = stats.acknowledged.map((s) => `w1:${s}`);
      const missing: string[] = [];
      for (let i = 0; i < keys.length; i += 500) {
        const chunk = keys.slice(i, i + 500);
        const values = await c.mget(...chunk);
        values.forEach((v, j) => v === String(stats.acknowledged[i + j]) || missing.push(chunk[j] as string));
      }
      expect(missing).toEqual([]);
    } finally {
      c.disconnect();
    }

    // get-primary's rule agrees; the old primary replicates the new one; priorities are back
    const answers = (await views()).map((v, i) => ({
      unit: members[i]?.unit as string,
      address: members[i]?.address as string,
      primary: v.address === null ? null : `${v.address.host}:${v.address.port}`,
    }));
    expect(majorityPrimary(answers, 3)).toEqual({ primary: `${net}3:6379`, votes: 3, needed: 2 });
    const old = await info(redis[0] as RedisProcess);
    expect(old).toMatchObject({ role: 'slave', master_host: `${net}3`, master_port: '6379' });
    expect((await info(redis[1] as RedisProcess))['slave_priority']).toBe('100');
    await until('the old primary to be linked to the new one', async () =>
      (await info(redis[0] as RedisProcess))['master_link_status'] === 'up' ? true : undefined,
    );
  }, 120_000);

  it('refuses (nothing changed) a unit of another app, the primary itself, no healthy replica, and no sentinel majority', async () => {
    await settled(`${net}3`);
    const refused = async (to?: string) => (await switchover(input(to), seams)).failure;
    expect(await refused('other/1')).toBe(
      'cannot fail over to other/1: it is not a unit of redis-k8s (its units: redis-k8s/0, redis-k8s/1, redis-k8s/2)',
    );
    expect(await refused('redis-k8s/2')).toBe('cannot fail over to redis-k8s/2: it is the primary already');

    const [r0, r1] = [redis[0] as RedisProcess, redis[1] as RedisProcess];
    r0.child.kill('SIGSTOP');
    r1.child.kill('SIGSTOP');
    let noReplica: string | undefined;
    try {
      noReplica = await refused();
    } finally {
      r0.child.kill('SIGCONT');
      r1.child.kill('SIGCONT');
    }
    expect(noReplica).toMatch(
      /^cannot fail over: no healthy replica of redis-k8s\/2 \(redis-k8s\/0: unreachable \(cannot reach redis .*\); redis-k8s\/1: unreachable/,
    );

    const [s1, s2] = [sentinels[1] as SentinelProcess, sentinels[2] as SentinelProcess];
    s1.child.kill('SIGSTOP');
    s2.child.kill('SIGSTOP');
    let minority: string | undefined;
    try {
      minority = await refused('redis-k8s/1');
    } finally {
      s1.child.kill('SIGCONT');
      s2.child.kill('SIGCONT');
    }
    expect(minority).toMatch(/^cannot fail over: the sentinels lack a majority: 1 of 3 agree on a primary, 2 needed/);
    // nothing changed: the same primary, every replica still promotable
    await settled(`${net}3`);
    for (const r of [r0, r1]) expect((await info(r))['slave_priority']).toBe('100');
  }, 90_000);
});
