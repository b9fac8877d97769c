import { describe, expect, it } from 'vitest';
import { plan } from './plan.js';
import { initialState, reduce, type RedisState } from './state.js';
import { hookEvent, observed } from './testing/states.js';

const check = (kind: 'pebble-check-failed' | 'pebble-check-recovered', failures: number, bootId = 'boot-1') =>
  hookEvent(
    observed(
      {
        pebble: { reachable: true, bootId },
        check: { name: 'redis-ready', status: failures > 0 ? 'down' : 'up', failures },
      },
      { name: `redis-${kind}`, kind, container: 'redis', check: 'redis-ready' },
    ),
  );

function settled(): RedisState {
  const peers = {
    relationId: 1,
    units: {},
    app: { primary: 'redis-k8s/0', primaryAddress: '127.1.0.1', secretId: 's' },
  };
  return reduce(initialState, hookEvent(observed({ peers })));
}

describe('Pebble check events', () => {
  it('a failing check makes the unit wait, with Pebble’s failure count, until it recovers', () => {
    let s = settled();
    expect(plan(s).unitStatus).toEqual({ status: 'active', message: 'primary' });
    s = reduce(s, check('pebble-check-failed', 3));
    expect(s.failingChecks).toEqual({ 'redis-ready': 3 });
    const desired = plan(s);
    expect(desired.unitStatus).toEqual({ status: 'waiting', message: 'redis-ready check failing (3 times)' });
    expect(desired.workload).not.toBeNull(); // the workload is still reconciled
    // an unrelated hook keeps the failure
    s = reduce(s, hookEvent(observed({ peers: s.peers })));
    expect(plan(s).unitStatus?.status).toBe('waiting');
    s = reduce(s, check('pebble-check-recovered', 0));
    expect(s.failingChecks).toEqual({});
    expect(plan(s).unitStatus).toEqual({ status: 'active', message: 'primary' });
  });

  it('a new Pebble (boot id) starts with no failing checks', () => {
    let s = reduce(settled(), check('pebble-check-failed', 1));
    expect(plan(s).unitStatus?.message).toBe('redis-ready check failing (1 time)');
    s = reduce(s, hookEvent(observed({ peers: s.peers, pebble: { reachable: true, bootId: 'boot-2' } })));
    expect(s.failingChecks).toEqual({});
  });

  it('blocked still wins over a failing check', () => {
    let s = reduce(settled(), check('pebble-check-failed', 3));
    s = reduce(s, hookEvent(observed({ peers: s.peers, config: { ...s.config, loglevel: 'chatty' } })));
    expect(plan(s).unitStatus?.status).toBe('blocked');
  });
});
