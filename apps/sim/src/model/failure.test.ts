import { describe, expect, it } from 'vitest';
import { enqueueAction } from './actions.js';
import { deployApp } from './deploy.js';
import { resolveUnit } from './resolved.js';
import { redisLike, Sim } from './testing-fixtures/sim.js';

function failingInstall(): Sim {
  const sim = new Sim();
  sim.apply(deployApp(sim.model, { charm: redisLike() }));
  sim.behaviour = (spec, t) => {
    if (spec.name !== 'install') return 0;
    t('status-set', 'blocked', 'need config');
    t('state-set', 'during=install');
    return 1;
  };
  sim.step('redis/0');
  return sim;
}

describe('a failed hook', () => {
  it('puts the unit in error, keeps immediate writes, drops buffered ones, and blocks further hooks', () => {
    const sim = failingInstall();
    const u = sim.model.units['redis/0']!;
    expect(u.workloadStatus).toMatchObject({ status: 'error', message: 'hook failed: "install"' });
    expect(u.agentStatus.status).toBe('idle');
    expect(u.state).toEqual({});
    expect(u.failed?.previousStatus).toMatchObject({ status: 'blocked', message: 'need config' });
    expect(sim.settle()).toEqual([]);
    expect(sim.logs.at(-1)).toMatchObject({
      level: 'ERROR',
      unit: 'redis/0',
      message: expect.stringContaining('hook "install"'),
    });
  });

  it('is retried by the backoff timer and clears the error when it succeeds', () => {
    const sim = failingInstall();
    sim.behaviour = () => 0;
    expect(sim.retry('redis/0')?.name).toBe('install');
    const u = sim.model.units['redis/0']!;
    expect(u.failed).toBeNull();
    expect(u.workloadStatus).toMatchObject({ status: 'blocked', message: 'need config' });
    expect(sim.settle()[0]).toBe('redis/0 redis-peers-relation-created');
  });

  it('counts attempts while it keeps failing', () => {
    const sim = failingInstall();
    sim.retry('redis/0');
    expect(sim.model.units['redis/0']!.failed?.attempts).toBe(2);
  });

  it('`resolved` retries it next; `resolved --no-retry` skips it as if it had succeeded', () => {
    const sim = failingInstall();
    sim.behaviour = () => 0;
    sim.apply(resolveUnit(sim.model, 'redis/0'));
    expect(sim.step('redis/0')?.name).toBe('install');
    const sim2 = failingInstall();
    sim2.behaviour = () => 0;
    sim2.apply(resolveUnit(sim2.model, 'redis/0', { retry: false }));
    expect(sim2.model.units['redis/0']!.installed).toBe(true);
    expect(sim2.step('redis/0')?.name).toBe('redis-peers-relation-created');
    expect(() => resolveUnit(sim2.model, 'redis/0')).toThrow(expect.objectContaining({ code: 'not-in-error' }));
  });

  it('still lets actions run on an installed unit in error, and an action failure never errors the unit', () => {
    const sim = new Sim();
    sim.apply(deployApp(sim.model, { charm: redisLike() }));
    sim.settle();
    sim.runUpdateStatus('redis/0', () => 1);
    const q = enqueueAction(sim.model, 'redis/0', 'get-password', {});
    sim.apply(q);
    sim.behaviour = (spec, t) => {
      if (spec.name !== 'get-password') return 0;
      t('action-set', 'password=s3cret');
      return 3;
    };
    expect(sim.step('redis/0')?.dispatchPath).toBe('actions/get-password');
    const a = sim.model.actions[q.actionId]!;
    expect(a).toMatchObject({
      status: 'failed',
      message: 'exit status 3',
      results: { password: 's3cret', 'return-code': '3' },
    });
    expect(sim.model.units['redis/0']!.failed?.spec.name).toBe('update-status');
    expect(sim.step('redis/0')).toBeNull();
  });
});
