import { describe, expect, it } from 'vitest';
import { enqueueAction, parseActionArgs } from './actions.js';
import { beginHook } from './begin.js';
import { commitHook } from './commit.js';
import { deployApp } from './deploy.js';
import { nextHook } from './resolver/next-hook.js';
import { observeCheck, observeNotice, timerUpdateStatus } from './workload.js';
import { redisLike, Sim } from './testing-fixtures/sim.js';

function settled(): Sim {
  const sim = new Sim();
  sim.apply(deployApp(sim.model, { charm: redisLike() }));
  sim.settle();
  return sim;
}

describe('Pebble notices and checks', () => {
  it('delivers each custom notice occurrence with JUJU_NOTICE_* and JUJU_WORKLOAD_NAME', () => {
    const sim = settled();
    sim.apply(
      observeNotice(sim.model, 'redis/0', 'redis', { id: '12', type: 'custom', key: 'canonical.com/redis/failover' }),
    );
    sim.apply(
      observeNotice(sim.model, 'redis/0', 'redis', { id: '12', type: 'custom', key: 'canonical.com/redis/failover' }),
    );
    expect(sim.settle()).toEqual(['redis/0 redis-pebble-custom-notice', 'redis/0 redis-pebble-custom-notice']);
    expect(sim.envOf('redis/0', 'redis-pebble-custom-notice')).toMatchObject({
      JUJU_WORKLOAD_NAME: 'redis',
      JUJU_NOTICE_ID: '12',
      JUJU_NOTICE_TYPE: 'custom',
      JUJU_NOTICE_KEY: 'canonical.com/redis/failover',
      JUJU_DISPATCH_PATH: 'hooks/redis-pebble-custom-notice',
    });
    expect(() => observeNotice(sim.model, 'redis/0', 'nope', { id: '1', type: 'custom', key: 'k' })).toThrow(
      /containers: redis/,
    );
  });

  it('turns check transitions into check-failed / check-recovered, once per transition', () => {
    const sim = settled();
    sim.apply(observeCheck(sim.model, 'redis/0', 'redis', 'alive', 'up'));
    expect(sim.settle()).toEqual([]);
    sim.apply(observeCheck(sim.model, 'redis/0', 'redis', 'alive', 'down'));
    sim.apply(observeCheck(sim.model, 'redis/0', 'redis', 'alive', 'down'));
    expect(sim.settle()).toEqual(['redis/0 redis-pebble-check-failed']);
    expect(sim.envOf('redis/0', 'redis-pebble-check-failed')).toMatchObject({
      JUJU_PEBBLE_CHECK_NAME: 'alive',
      JUJU_WORKLOAD_NAME: 'redis',
    });
    sim.apply(observeCheck(sim.model, 'redis/0', 'redis', 'alive', 'up'));
    expect(sim.settle()).toEqual(['redis/0 redis-pebble-check-recovered']);
  });
});

describe('update-status', () => {
  it('runs once per timer tick, only on started units, after everything else', () => {
    const sim = new Sim();
    sim.apply(deployApp(sim.model, { charm: redisLike() }));
    sim.apply(timerUpdateStatus(sim.model));
    const ran = sim.settle();
    expect(ran.at(-1)).toBe('redis/0 update-status');
    expect(ran.filter((h) => h.endsWith('update-status'))).toHaveLength(1);
    sim.apply(timerUpdateStatus(sim.model, 'redis/0'));
    expect(sim.settle()).toEqual(['redis/0 update-status']);
  });
});

describe('actions', () => {
  it('validates params against actions.yaml, fills defaults, and exports the action env', () => {
    const sim = settled();
    expect(() => enqueueAction(sim.model, 'redis/0', 'nope', {})).toThrow(/no such action \(actions: get-password\)/);
    expect(() => enqueueAction(sim.model, 'redis/0', 'get-password', { user: 3 })).toThrow(/user must be string/);
    const q = enqueueAction(sim.model, 'redis/0', 'get-password', {});
    sim.apply(q);
    expect(sim.model.actions[q.actionId]!.params).toEqual({ user: 'admin' });
    let params = '';
    sim.behaviour = (_s, t) => {
      params = t('action-get', '--format=json').stdout;
      t('action-log', 'fetching', 'password');
      t('action-set', 'password=p', 'nested.key=v');
    };
    sim.step('redis/0');
    expect(JSON.parse(params)).toEqual({ user: 'admin' });
    const env = sim.envOf('redis/0', 'get-password');
    expect(env).toMatchObject({
      JUJU_HOOK_NAME: '',
      JUJU_DISPATCH_PATH: 'actions/get-password',
      JUJU_ACTION_NAME: 'get-password',
      JUJU_ACTION_UUID: q.actionId,
      JUJU_ACTION_TAG: `action-${q.actionId}`,
    });
    expect(env.JUJU_CONTEXT_ID).toBe('redis/0-get-password-42');
    const a = sim.model.actions[q.actionId]!;
    expect(a).toMatchObject({
      status: 'completed',
      results: { password: 'p', nested: { key: 'v' }, 'return-code': '0' },
    });
    expect(a.log.map((l) => l.message)).toEqual(['fetching password']);
  });

  it('parses juju-run style args as YAML scalars with dotted keys', () => {
    expect(parseActionArgs(['n=3', 'flag=true', 'a.b=x', 's="007"'])).toEqual({
      n: 3,
      flag: true,
      a: { b: 'x' },
      s: '007',
    });
    expect(() => parseActionArgs(['bad'])).toThrow(/expected key=value/);
  });

  it("fails an action with no handler with Juju's message; a hook with none counts as run", () => {
    const sim = settled();
    const q = enqueueAction(sim.model, 'redis/0', 'get-password', {});
    sim.apply(q);
    const spec = nextHook(sim.model, 'redis/0')!;
    const begun = beginHook(sim.model, spec, { agentSocket: '/s', toolsDir: '/t' });
    sim.apply(begun).apply(commitHook(sim.model, begun.context, { exitCode: 0, missingHandler: true }));
    expect(sim.model.actions[q.actionId]).toMatchObject({
      status: 'failed',
      message: 'action not implemented on unit "redis/0"',
    });
    sim.apply(timerUpdateStatus(sim.model));
    const hook = beginHook(sim.model, nextHook(sim.model, 'redis/0')!, { agentSocket: '/s', toolsDir: '/t' });
    sim.apply(hook).apply(commitHook(sim.model, hook.context, { exitCode: 127, missingHandler: true }));
    expect(sim.model.units['redis/0']!.failed).toBeNull();
    expect(nextHook(sim.model, 'redis/0')).toBeNull();
  });
});
