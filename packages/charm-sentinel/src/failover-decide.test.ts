import { describe, expect, it } from 'vitest';
import {
  FailoverParams,
  chooseTarget,
  connectedReplicas,
  pauseBudgetMs,
  replicaHealth,
  sentinelsReady,
  type ReplicaHealth,
  type SentinelReport,
} from './failover-decide.js';
import { parseInfo } from './redis-node-client.js';
import { parseReplicasReply, promotable } from './sentinel-replicas.js';

const P = '127.1.0.1';
const sentinel = (n: number, primary: string | null, flags = ['master']): SentinelReport => ({
  unit: `redis-sentinel-k8s/${n}`,
  address: `127.1.0.${10 + n}`,
  primary,
  flags,
  failoverTimeoutMs: 30000,
});

const primaryInfo = parseInfo(
  [
    '# Replication',
    'role:master',
    'connected_slaves:2',
    'slave0:ip=127.1.0.2,port=6379,state=online,offset=1000,lag=0',
    'slave1:ip=127.1.0.3,port=6379,state=online,offset=990,lag=1',
    'master_repl_offset:1000',
    '',
  ].join('\r\n'),
);
const replicaInfo = (overrides: Record<string, string> = {}) => ({
  role: 'slave',
  master_host: P,
  master_port: '6379',
  master_link_status: 'up',
  master_sync_in_progress: '0',
  slave_repl_offset: '1000',
  slave_priority: '100',
  ...overrides,
});
const node = (n: number, info: Record<string, string> | null, error?: string) => ({
  unit: `redis-k8s/${n}`,
  address: `127.1.0.${n + 1}`,
  info,
  ...(error === undefined ? {} : { error }),
});
const judge = (n: number, info: Record<string, string> | null, error?: string, primary = primaryInfo) =>
  replicaHealth({ address: P, port: 6379, info: primary }, node(n, info, error));

describe('FailoverParams', () => {
  it('accepts no param or a unit name, and names the param otherwise', () => {
    expect(FailoverParams.parse({})).toEqual({});
    expect(FailoverParams.parse({ to: 'redis-k8s/2' })).toEqual({ to: 'redis-k8s/2' });
    for (const bad of ['redis-k8s', '2', 'redis-k8s/x', 'Redis/1', 'redis-k8s/1; rm', '']) {
      const r = FailoverParams.safeParse({ to: bad });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['to']);
      expect(r.error?.issues[0]?.message).toMatch(/unit name .* like redis-k8s\/2/);
    }
    expect(FailoverParams.safeParse({ to: 2 }).success).toBe(false);
    expect(FailoverParams.safeParse({ target: 'redis-k8s/1' }).success).toBe(false);
  });
});

describe('sentinelsReady', () => {
  it('needs a majority of all sentinels on one primary', () => {
    const ok = sentinelsReady([sentinel(0, `${P}:6379`), sentinel(1, `${P}:6379`), sentinel(2, null)], 3);
    expect(ok).toEqual({ ok: true, majority: { primary: `${P}:6379`, votes: 2, needed: 2 } });
    const split = sentinelsReady(
      [sentinel(0, `${P}:6379`), { ...sentinel(1, null), error: 'sentinel-unreachable: refused' }],
      3,
    );
    expect(split.ok).toBe(false);
    expect(!split.ok && split.message).toBe(
      'cannot fail over: the sentinels lack a majority: 1 of 3 agree on a primary, 2 needed (redis-sentinel-k8s/0: 127.1.0.1:6379; redis-sentinel-k8s/1: sentinel-unreachable: refused)',
    );
  });

  it('refuses while a failover runs or the primary is seen down', () => {
    const busy = sentinelsReady(
      [sentinel(0, `${P}:6379`), sentinel(1, `${P}:6379`, ['master', 'failover_in_progress'])],
      2,
    );
    expect(!busy.ok && busy.message).toMatch(
      /^cannot fail over: a failover is already in progress \(sentinel redis-sentinel-k8s\/1 runs one\)/,
    );
    const down = sentinelsReady([sentinel(0, `${P}:6379`, ['s_down', 'master']), sentinel(1, `${P}:6379`)], 2);
    expect(!down.ok && down.message).toMatch(/sees the primary 127\.1\.0\.1:6379 down/);
  });
});

describe('replicaHealth', () => {
  it('is healthy when it replicates the primary with the link up, online and not lagging', () => {
    expect(judge(1, replicaInfo())).toEqual({
      unit: 'redis-k8s/1',
      address: '127.1.0.2',
      healthy: true,
      priority: 100,
      offset: 1000,
    });
    expect([...connectedReplicas(primaryInfo).keys()]).toEqual(['127.1.0.2:6379', '127.1.0.3:6379']);
  });

  it('names what is wrong', () => {
    const problem = (h: ReplicaHealth) => (h.healthy ? 'healthy' : h.problem);
    expect(problem(judge(1, null, 'cannot reach redis 127.1.0.2:6379: ECONNREFUSED'))).toBe(
      'unreachable (cannot reach redis 127.1.0.2:6379: ECONNREFUSED)',
    );
    expect(problem(judge(1, replicaInfo({ role: 'master' })))).toBe('it is a master, not a replica');
    expect(problem(judge(1, replicaInfo({ master_host: '127.1.0.9' })))).toBe(
      'it replicates 127.1.0.9:6379, not the primary 127.1.0.1:6379',
    );
    expect(problem(judge(1, replicaInfo({ master_link_status: 'down' })))).toBe('its replication link is down');
    expect(problem(judge(1, replicaInfo({ master_sync_in_progress: '1' })))).toBe('it is still loading a full sync');
    expect(problem(judge(3, { ...replicaInfo() }))).toBe('the primary does not list it among its connected replicas');
    const lagging = { ...primaryInfo, slave0: 'ip=127.1.0.2,port=6379,state=online,offset=10,lag=9' };
    expect(problem(judge(1, replicaInfo(), undefined, lagging))).toBe(
      'it is lagging: the primary last heard from it 9 s ago (bound 5 s)',
    );
    const syncing = { ...primaryInfo, slave0: 'ip=127.1.0.2,port=6379,state=wait_bgsave,offset=0,lag=0' };
    expect(problem(judge(1, replicaInfo(), undefined, syncing))).toBe('the primary sees it in state wait_bgsave');
    expect(problem(judge(1, replicaInfo({ slave_priority: '0' })))).toBe(
      'its replica-priority is 0, so sentinel never promotes it',
    );
  });
});

describe('chooseTarget', () => {
  const units = ['redis-k8s/0', 'redis-k8s/1', 'redis-k8s/2'];
  const r1 = judge(1, replicaInfo({ slave_repl_offset: '990' }));
  const r2 = judge(2, replicaInfo({ slave_repl_offset: '1000' }));

  it('takes `to`, and pins every other replica', () => {
    const c = chooseTarget('redis-k8s', 'redis-k8s/0', units, [r1, r2], 'redis-k8s/1');
    expect(c.ok && c.target.unit).toBe('redis-k8s/1');
    expect(c.ok && c.pin.map((r) => r.unit)).toEqual(['redis-k8s/2']);
  });

  it('without `to`, ranks as sentinel does: lower priority, then larger offset, then unit name', () => {
    expect(chooseTarget('redis-k8s', 'redis-k8s/0', units, [r1, r2], undefined)).toMatchObject({
      ok: true,
      target: { unit: 'redis-k8s/2' },
    });
    const preferred = judge(1, replicaInfo({ slave_repl_offset: '10', slave_priority: '1' }));
    expect(chooseTarget('redis-k8s', 'redis-k8s/0', units, [preferred, r2], undefined)).toMatchObject({
      target: { unit: 'redis-k8s/1' },
    });
    const same = [judge(2, replicaInfo()), judge(1, replicaInfo())];
    expect(chooseTarget('redis-k8s', 'redis-k8s/0', units, same, undefined)).toMatchObject({
      target: { unit: 'redis-k8s/1' },
    });
  });

  it('refuses a unit of another app, the primary, an unhealthy replica, and no healthy replica at all', () => {
    const down = judge(2, replicaInfo({ master_link_status: 'down' }));
    const gone = judge(1, null, 'cannot reach redis 127.1.0.2:6379: ECONNREFUSED');
    const fail = (to: string | undefined, replicas = [r1, down]) => {
      const c = chooseTarget('redis-k8s', 'redis-k8s/0', units, replicas, to);
      return c.ok ? 'ok' : c.message;
    };
    expect(fail('other/1')).toBe(
      'cannot fail over to other/1: it is not a unit of redis-k8s (its units: redis-k8s/0, redis-k8s/1, redis-k8s/2)',
    );
    expect(fail('redis-k8s/0')).toBe('cannot fail over to redis-k8s/0: it is the primary already');
    expect(fail('redis-k8s/2')).toBe(
      'cannot fail over to redis-k8s/2: it is not a healthy replica (its replication link is down)',
    );
    expect(fail(undefined, [gone, down])).toBe(
      'cannot fail over: no healthy replica of redis-k8s/0 (redis-k8s/1: unreachable (cannot reach redis 127.1.0.2:6379: ECONNREFUSED); redis-k8s/2: its replication link is down)',
    );
    expect(fail(undefined, [])).toBe('cannot fail over: no healthy replica of redis-k8s/0 (it has none)');
    // an unhealthy but reachable replica is pinned too, an unreachable one cannot be
    const c = chooseTarget('redis-k8s', 'redis-k8s/0', units, [r1, down, gone], undefined);
    expect(c.ok && c.pin.map((r) => r.unit)).toEqual(['redis-k8s/2']);
  });
});

describe('sentinel replies and bounds', () => {
  it('parses SENTINEL REPLICAS and tells which sentinel could promote', () => {
    const entry = (ip: string, flags: string, priority: string) => [
      'name',
      `${ip}:6379`,
      'ip',
      ip,
      'port',
      '6379',
      'flags',
      flags,
      'info-refresh',
      '1234',
      'slave-priority',
      priority,
    ];
    const replicas = parseReplicasReply([entry('127.1.0.2', 'slave', '100'), entry('127.1.0.3', 'slave', '0')]);
    expect(replicas[0]).toEqual({
      ip: '127.1.0.2',
      port: 6379,
      flags: ['slave'],
      priority: 100,
      infoRefreshMs: 1234,
    });
    expect(replicas.map(promotable)).toEqual([true, false]);
    expect(parseReplicasReply([entry('127.1.0.4', 's_down,slave,disconnected', '100')]).map(promotable)[0]).toBe(false);
    expect(() => parseReplicasReply('nope')).toThrow(/SENTINEL REPLICAS: expected a list/);
    expect(() => parseReplicasReply([['ip', '1']])).toThrow(/missing or malformed port/);
  });

  it('pauses writes at most for the catch-up, sentinel failover-timeout and convergence bounds', () => {
    expect(pauseBudgetMs(30_000)).toBe(45_000);
    expect(pauseBudgetMs(6_000)).toBe(21_000);
  });
});
