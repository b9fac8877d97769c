import { describe, expect, it } from 'vitest';
import { liveReplicaOf } from './live-config.js';
import { plan } from './plan.js';
import { describeConf } from './redis-conf.js';
import type { ReplicationView } from './replication.js';
import { isGuarded, majorityMaster, sentinelCaughtUp, sentinelReplicas } from './restart-guard.js';
import { redisState } from './testing-fixtures/states.js';

const view = (over: Partial<ReplicationView>): ReplicationView => ({
  role: 'master',
  masterHost: null,
  masterPort: null,
  linkStatus: null,
  connectedReplicas: 0,
  replicas: [],
  masterReplOffset: 0,
  runId: 'r',
  ...over,
});
const guarded = view({ role: 'slave', masterHost: '127.0.0.1', masterPort: 1, linkStatus: 'down' });

describe('restart guard (pure)', () => {
  it('the bootstrapping leader starts as a plain master: nothing to protect yet', () => {
    const d = plan(redisState({ peers: { relationId: 1, units: { 'redis-k8s/1': '127.1.0.2' }, app: {} } }));
    expect(d.workload?.role).toEqual({ kind: 'primary' });
    expect(d.workload?.guard).toBeNull();
    expect(describeConf(d.workload?.conf ?? [])).not.toContain('replicaof');
  });

  it('a primary alone in its application is not guarded', () => {
    const d = plan(
      redisState({
        peers: { relationId: 1, units: {}, app: { primary: 'redis-k8s/0', secretId: 'secret:admin' } },
      }),
    );
    expect(d.workload?.guard).toBeNull();
    expect(describeConf(d.workload?.conf ?? [])).not.toContain('replicaof');
  });

  it('a recorded primary with peers is guarded, with the sentinels that published an address', () => {
    const d = plan(
      redisState({
        sentinels: [
          {
            relationId: 7,
            app: 'redis-sentinel-k8s',
            units: ['redis-sentinel-k8s/0', 'redis-sentinel-k8s/1'],
            addresses: { 'redis-sentinel-k8s/1': '127.1.1.2', 'redis-sentinel-k8s/0': '127.1.1.1' },
          },
        ],
      }),
    );
    expect(d.workload?.guard?.sentinels).toEqual([
      { unit: 'redis-sentinel-k8s/0', host: '127.1.1.1', port: 26379 },
      { unit: 'redis-sentinel-k8s/1', host: '127.1.1.2', port: 26379 },
    ]);
    expect(describeConf(d.workload?.conf ?? [])).toContain('replicaof 127.0.0.1 1');
  });

  it('a replica is never guarded: it replicates the primary', () => {
    const d = plan(
      redisState({
        unit: 'redis-k8s/1',
        leader: false,
        address: '127.1.0.2',
        peers: {
          relationId: 1,
          units: { 'redis-k8s/0': '127.1.0.1' },
          app: { primary: 'redis-k8s/0', primaryAddress: '127.1.0.1', secretId: 'secret:admin' },
        },
      }),
    );
    expect(d.workload?.guard).toBeNull();
  });

  it('a guarded server is never promoted live; it is repointed to a primary even when sentinel owns failover', () => {
    expect(isGuarded(guarded)).toBe(true);
    expect(isGuarded(view({ role: 'slave', masterHost: '127.1.0.2', masterPort: 6379 }))).toBe(false);
    expect(liveReplicaOf(guarded, { kind: 'primary' }, true)).toBeUndefined();
    expect(liveReplicaOf(guarded, { kind: 'primary' }, false)).toBeUndefined();
    const replica = { kind: 'replica', primaryUnit: 'redis-k8s/1', primaryAddress: '127.1.0.2' } as const;
    expect(liveReplicaOf(guarded, replica, false)).toEqual(['127.1.0.2', '6379']);
    // not guarded: REPLICAOF only while the charm owns failover
    const follower = view({ role: 'slave', masterHost: '127.1.0.3', masterPort: 6379 });
    expect(liveReplicaOf(follower, replica, false)).toBeUndefined();
    expect(liveReplicaOf(follower, replica, true)).toEqual(['127.1.0.2', '6379']);
  });

  it('a sentinel majority counts unreachable sentinels against every answer', () => {
    expect(majorityMaster(['a', 'a', null], 3)).toBe('a');
    expect(majorityMaster(['a', null, null], 3)).toBeNull();
    expect(majorityMaster(['a', 'b', null], 3)).toBeNull();
    expect(majorityMaster(['a', 'a'], 3)).toBe('a');
  });

  it("sentinel's replica offsets must match the replicas' own before it is asked to fail over", () => {
    const reply = [
      ['name', 'x:6379', 'ip', '127.1.0.2', 'port', '6379', 'slave-repl-offset', '100'],
      ['ip', '127.1.0.3', 'slave-repl-offset', '90'],
      'garbage',
    ];
    const seen = sentinelReplicas(reply);
    expect(seen).toEqual([
      { ip: '127.1.0.2', offset: 100 },
      { ip: '127.1.0.3', offset: 90 },
    ]);
    const actual = new Map([
      ['127.1.0.2', 100],
      ['127.1.0.3', 120],
    ]);
    expect(sentinelCaughtUp(seen, actual)).toBe(false);
    actual.set('127.1.0.3', 90);
    expect(sentinelCaughtUp(seen, actual)).toBe(true);
  });
});
