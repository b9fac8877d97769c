import { describe, expect, it } from 'vitest';
import { plan } from './plan.js';
import { reduce } from './state.js';
import { hookEvent, observed, redisState } from './testing/states.js';

const departed = (unit: string, departing: string) =>
  observed(
    { leader: unit === 'redis-k8s/0' },
    {
      name: 'redis-peers-relation-departed',
      kind: 'relation-departed',
      unit,
      endpoint: 'redis-peers',
      departingUnit: departing,
    },
  );

describe('plan of a leaving unit', () => {
  it('folds "leaving" only when the unit itself departs', () => {
    const s = redisState();
    const hook = (p: ReturnType<typeof departed>) => ({
      seq: 9,
      type: 'hook' as const,
      version: 1,
      at: '',
      payload: p,
    });
    expect(reduce(s, hook(departed('redis-k8s/0', 'redis-k8s/0')) as never).leaving).toBe(true);
    const other = reduce(s, hook(departed('redis-k8s/0', 'redis-k8s/2')) as never);
    expect(other.leaving).toBe(false);
    expect(other.departed).toEqual(['redis-k8s/2']);
  });

  it('keeps the peers its own departed hooks drop from relation-list: they stay, only this unit goes', () => {
    const peers = (units: Record<string, string>) => ({ relationId: 1, units, app: {} });
    const both = { 'redis-k8s/1': '127.1.0.2', 'redis-k8s/2': '127.1.0.3' };
    const s = redisState({ peers: peers(both) });
    const first = departed('redis-k8s/0', 'redis-k8s/0');
    const leaving = reduce(s, hookEvent({ ...first, peers: peers({ 'redis-k8s/2': '127.1.0.3' }) }));
    expect(leaving.peers?.units).toEqual(both);
    expect(plan(leaving).handover?.candidates.map((c) => c.unit)).toEqual(['redis-k8s/1', 'redis-k8s/2']);
    // a unit that stays forgets a departed peer as before
    const staying = reduce(s, hookEvent({ ...departed('redis-k8s/0', 'redis-k8s/1'), peers: peers({}) }));
    expect(staying.peers?.units).toEqual({});
  });

  it('the leaving primary owes a handover and touches neither the workload nor relation data', () => {
    const d = plan(redisState({ leaving: true, sentinels: [{ relationId: 4, app: 'redis-sentinel-k8s', units: [] }] }));
    expect(d.workload).toBeNull();
    expect(d.relationData).toEqual([]);
    expect(d.unitStatus).toEqual({ status: 'maintenance', message: 'leaving: handing the primary role over' });
    expect(d.handover).toEqual({
      self: { unit: 'redis-k8s/0', address: '127.1.0.1' },
      candidates: [
        { unit: 'redis-k8s/1', address: '127.1.0.2' },
        { unit: 'redis-k8s/2', address: '127.1.0.3' },
      ],
      via: 'sentinel',
      masterName: 'redis-k8s',
      leader: true,
      appLeader: null,
      peersRelationId: 1,
      epoch: 0,
      tls: false,
    });
  });

  it('a leaving replica, or a primary that handed over, owes nothing', () => {
    const replica = plan(
      redisState({
        leaving: true,
        unit: 'redis-k8s/1',
        leader: false,
        address: '127.1.0.2',
        peers: { relationId: 1, units: { 'redis-k8s/0': '127.1.0.1' }, app: { primary: 'redis-k8s/0' } },
      }),
    );
    expect(replica.handover).toBeUndefined();
    expect(replica.workload).toBeNull();
    const done = plan(
      redisState({
        leaving: true,
        handover: {
          outcome: 'handed-over',
          via: 'charm',
          successor: 'redis-k8s/1',
          successorAddress: '127.1.0.2',
          elapsedMs: 40,
          pausedMs: 30,
          message: 'handed the primary role over to redis-k8s/1',
        },
      }),
    );
    expect(done.handover).toBeUndefined();
    expect(done.unitStatus).toEqual({
      status: 'maintenance',
      message: 'leaving: handed the primary role over to redis-k8s/1',
    });
  });

  it('a replica whose primary left keeps its link; the promoting leader waits for the handover first', () => {
    const peers = {
      relationId: 1,
      units: { 'redis-k8s/0': '127.1.0.1', 'redis-k8s/2': '127.1.0.3' },
      app: { primary: 'redis-k8s/0', primaryAddress: '127.1.0.1', leader: 'redis-k8s/1', secretId: 'secret:admin' },
    };
    const replica = plan(
      redisState({ unit: 'redis-k8s/2', address: '127.1.0.3', leader: false, peers, departed: ['redis-k8s/0'] }),
    );
    expect(replica.workload?.replicaOfLive).toBe(false);
    const leader = plan(redisState({ unit: 'redis-k8s/1', address: '127.1.0.2', peers, departed: ['redis-k8s/0'] }));
    expect(leader.workload?.role).toEqual({ kind: 'primary' });
    expect(leader.workload?.awaitHandoverFrom).toBe('127.1.0.1');
    expect(leader.workload?.replicaOfLive).toBe(true);
  });

  it('the leader names itself in the peer bag (a leaving non-leader primary hands over to it)', () => {
    const bag = plan(redisState()).relationData.find((w) => w.endpoint === 'redis-peers' && w.app);
    expect(bag?.data['leader']).toBe('redis-k8s/0');
  });
});
