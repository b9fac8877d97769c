import { describe, expect, it } from 'vitest';
import { redisState } from './testing/states.js';
import { resolvePrimary } from './topology.js';

describe('resolvePrimary', () => {
  it('bootstraps the leader as the first primary when the peer bag names nobody', () => {
    const state = redisState({ peers: { relationId: 1, units: { 'redis-k8s/1': '127.1.0.2' }, app: {} } });
    expect(resolvePrimary(state)).toEqual({
      unit: 'redis-k8s/0',
      address: '127.1.0.1',
      epoch: 0,
      failoverSource: null,
      source: 'bootstrap',
    });
  });

  it('a non-leader waits (null) until the leader publishes a primary', () => {
    const state = redisState({
      unit: 'redis-k8s/1',
      leader: false,
      address: '127.1.0.2',
      peers: { relationId: 1, units: { 'redis-k8s/0': '127.1.0.1' }, app: {} },
    });
    expect(resolvePrimary(state)).toBeNull();
  });

  it('nobody starts while the peer relation is unreadable (no split brain from a fresh log)', () => {
    expect(resolvePrimary(redisState({ peers: null }))).toBeNull();
  });

  it('follows the peer bag, taking the primary unit current address from its unit bag', () => {
    const state = redisState({
      unit: 'redis-k8s/2',
      leader: false,
      address: '127.1.0.3',
      peers: {
        relationId: 1,
        units: { 'redis-k8s/0': '127.1.0.9', 'redis-k8s/1': '127.1.0.2' },
        app: { primary: 'redis-k8s/0', primaryAddress: '127.1.0.1' },
      },
    });
    expect(resolvePrimary(state)).toMatchObject({ unit: 'redis-k8s/0', address: '127.1.0.9', source: 'peer-data' });
  });

  it('a leader change does not move the primary', () => {
    const state = redisState({
      unit: 'redis-k8s/1',
      leader: true,
      address: '127.1.0.2',
      peers: {
        relationId: 1,
        units: { 'redis-k8s/0': '127.1.0.1' },
        app: { primary: 'redis-k8s/0', primaryAddress: '127.1.0.1' },
      },
    });
    expect(resolvePrimary(state)?.unit).toBe('redis-k8s/0');
  });

  it('a sentinel failover the peer bag has not recorded wins, mapped to the unit with that address', () => {
    const state = redisState({
      sentinels: [
        { relationId: 7, app: 'redis-sentinel-k8s', units: [], primaryAddress: '127.1.0.3', failoverEpoch: 1 },
      ],
    });
    expect(resolvePrimary(state)).toEqual({
      unit: 'redis-k8s/2',
      address: '127.1.0.3',
      epoch: 1,
      failoverSource: '7',
      source: 'sentinel',
    });
  });

  it('ignores a failover report naming an address that is no unit of this app (hostile or confused relation)', () => {
    for (const address of ['203.0.113.7', 'not-an-ip', '127.1.0.9']) {
      const state = redisState({
        sentinels: [{ relationId: 9, app: 'hostile', units: [], primaryAddress: address, failoverEpoch: 99 }],
      });
      expect(resolvePrimary(state), address).toMatchObject({ unit: 'redis-k8s/0', source: 'peer-data' });
    }
  });

  it('an already recorded (or older) sentinel epoch changes nothing', () => {
    const peers = {
      relationId: 1,
      units: { 'redis-k8s/1': '127.1.0.2', 'redis-k8s/2': '127.1.0.3' },
      app: { primary: 'redis-k8s/2', primaryAddress: '127.1.0.3', failoverEpoch: 2, failoverSource: '7' },
    };
    const state = redisState({
      peers,
      sentinels: [{ relationId: 7, app: 's', units: [], primaryAddress: '127.1.0.1', failoverEpoch: 1 }],
    });
    expect(resolvePrimary(state)).toMatchObject({ unit: 'redis-k8s/2', epoch: 2, source: 'peer-data' });
  });

  it('promotes the leader when the recorded primary departed and no sentinel is related', () => {
    const peers = {
      relationId: 1,
      units: { 'redis-k8s/2': '127.1.0.3' },
      app: { primary: 'redis-k8s/1', primaryAddress: '127.1.0.2', failoverEpoch: 0 },
    };
    expect(resolvePrimary(redisState({ peers, departed: ['redis-k8s/1'] }))).toEqual({
      unit: 'redis-k8s/0',
      address: '127.1.0.1',
      epoch: 1,
      failoverSource: 'charm',
      source: 'promotion',
    });
    const withSentinel = redisState({
      peers,
      departed: ['redis-k8s/1'],
      sentinels: [{ relationId: 7, app: 's', units: [] }],
    });
    expect(resolvePrimary(withSentinel)?.unit).toBe('redis-k8s/1');
  });
});
