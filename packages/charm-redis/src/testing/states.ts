import type { LoggedEvent } from '@charms/event-log';
import type { Observed, RedisEvents } from '../events.js';
import { initialState, type RedisState } from '../state.js';

/** The charm's config defaults (as config-get prints them). */
export const DEFAULT_CONFIG = {
  'enable-tls': false,
  maxmemory: '0',
  'maxmemory-policy': 'noeviction',
  loglevel: 'notice',
  appendonly: true,
  appendfsync: 'everysec',
  save: '3600 1 300 100 60 10000',
  'min-replicas-to-write': 0,
  'min-replicas-max-lag': 10,
};

/** A folded state of a settled unit: `unit` of redis-k8s with peers, overridable. */
export function redisState(overrides: Partial<RedisState> = {}): RedisState {
  return {
    ...initialState,
    unit: 'redis-k8s/0',
    app: 'redis-k8s',
    hooks: 5,
    config: { ...DEFAULT_CONFIG },
    leader: true,
    address: '127.1.0.1',
    pebble: { reachable: true, bootId: 'boot-1' },
    peers: {
      relationId: 1,
      units: { 'redis-k8s/1': '127.1.0.2', 'redis-k8s/2': '127.1.0.3' },
      app: { primary: 'redis-k8s/0', primaryAddress: '127.1.0.1', failoverEpoch: 0, secretId: 'secret:admin' },
    },
    ...overrides,
  };
}

/** A hook's observation with defaults (leader redis-k8s/0 in config-changed, no relations but peers). */
export function observed(overrides: Partial<Observed> = {}, facts: Partial<Observed['facts']> = {}): Observed {
  return {
    facts: {
      name: 'config-changed',
      kind: 'config-changed',
      unit: 'redis-k8s/0',
      app: 'redis-k8s',
      jujuVersion: '3.6.8',
      ...facts,
    },
    config: { ...DEFAULT_CONFIG },
    leader: true,
    address: '127.1.0.1',
    pebble: { reachable: true, bootId: 'boot-1' },
    peers: { relationId: 1, units: {}, app: {} },
    sentinels: [],
    clients: [],
    tls: null,
    ...overrides,
  };
}

let seq = 0;

/** A logged `hook` event. */
export function hookEvent(payload: Observed): LoggedEvent<RedisEvents> {
  seq += 1;
  return {
    seq,
    time: new Date(0).toISOString(),
    type: 'hook',
    version: 1,
    hash: 'x',
    payload,
  } as LoggedEvent<RedisEvents>;
}
