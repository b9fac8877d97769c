import { describe, expect, it } from 'vitest';
import { initialState, reduce } from './state.js';
import { hookEvent, observed } from './testing/states.js';

describe('reduce', () => {
  it('keeps the last readable peer view when a hook cannot read the relation (install)', () => {
    const peers = { relationId: 1, units: { 'redis-k8s/1': '127.1.0.2' }, app: { primary: 'redis-k8s/0' } };
    let s = reduce(initialState, hookEvent(observed({ peers })));
    s = reduce(s, hookEvent(observed({ peers: null }, { name: 'install', kind: 'install' })));
    expect(s.peers).toEqual(peers);
    expect(s.hooks).toBe(2);
    expect(s.lastHook).toBe('install');
  });

  it('remembers departed peers and every sentinel failover once', () => {
    let s = reduce(
      initialState,
      hookEvent(
        observed(
          {},
          {
            name: 'redis-peers-relation-departed',
            kind: 'relation-departed',
            endpoint: 'redis-peers',
            departingUnit: 'redis-k8s/2',
          },
        ),
      ),
    );
    expect(s.departed).toEqual(['redis-k8s/2']);
    const sentinels = [
      { relationId: 7, app: 'redis-sentinel-k8s', units: [], primaryAddress: '127.1.0.2', failoverEpoch: 1 },
    ];
    s = reduce(s, hookEvent(observed({ sentinels })));
    s = reduce(s, hookEvent(observed({ sentinels })));
    expect(s.failovers.map((f) => [f.relationId, f.epoch, f.address])).toEqual([[7, 1, '127.1.0.2']]);
  });

  it('a departing unit seeing itself leave is not recorded as departed', () => {
    const s = reduce(
      initialState,
      hookEvent(
        observed(
          {},
          {
            name: 'redis-peers-relation-departed',
            kind: 'relation-departed',
            endpoint: 'redis-peers',
            departingUnit: 'redis-k8s/0',
          },
        ),
      ),
    );
    expect(s.departed).toEqual([]);
  });

  it('a created secret id is remembered until the peer bag shows one', () => {
    let s = reduce(initialState, {
      seq: 1,
      time: '',
      hash: '',
      version: 1,
      type: 'workload-observed',
      payload: {
        secretCreated: 'secret:new',
        layerChanged: true,
        restarted: [],
        started: ['redis-server'],
        filesPushed: [],
        liveConfig: {},
      },
    });
    expect(s.createdSecretId).toBe('secret:new');
    s = reduce(s, hookEvent(observed({ peers: { relationId: 1, units: {}, app: {} } })));
    expect(s.createdSecretId).toBe('secret:new');
    s = reduce(s, hookEvent(observed({ peers: { relationId: 1, units: {}, app: { secretId: 'secret:new' } } })));
    expect(s.createdSecretId).toBeNull();
  });
});
