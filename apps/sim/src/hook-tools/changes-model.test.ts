import { describe, expect, it } from 'vitest';
import { deployApp } from '../model/deploy.js';
import { redisLike, Sim } from '../model/testing-fixtures/sim.js';
import { changesModel, runHookTool } from '@charms/juju-model';

describe('changesModel', () => {
  it('is false for read-only and refused calls, true for immediate writes', () => {
    const sim = new Sim();
    sim.apply(deployApp(sim.model, { charm: redisLike(), units: 2 }));
    sim.settle();
    const { ctx } = sim.open('redis/0');
    const call = (tool: string, ...args: string[]) => {
      const before = sim.model;
      const change = runHookTool(before, ctx, { contextId: ctx.id, tool, args, cwd: '/' });
      return changesModel(before, change);
    };
    for (const readOnly of [
      ['is-leader'],
      ['config-get', '--format=json'],
      ['relation-ids', 'redis-peers'],
      ['status-get'],
      ['unit-get', 'private-address'],
      ['no-such-tool'],
      ['status-set', 'bogus', 'x'],
    ])
      expect([readOnly, call(readOnly[0]!, ...readOnly.slice(1))]).toEqual([readOnly, false]);
    // buffered until commit: they live in the hook context, not the model
    const [peers] = JSON.parse(
      runHookTool(sim.model, ctx, {
        contextId: ctx.id,
        tool: 'relation-ids',
        args: ['redis-peers', '--format=json'],
        cwd: '/',
      }).result.stdout,
    ) as string[];
    const before = sim.model;
    const set = runHookTool(before, ctx, {
      contextId: ctx.id,
      tool: 'relation-set',
      args: ['-r', peers!, 'a=1'],
      cwd: '/',
    });
    expect(set.result.exitCode).toBe(0);
    expect(changesModel(before, set)).toBe(false);
    expect(call('status-set', 'active', 'up')).toBe(true);
    expect(call('juju-log', 'hello')).toBe(true);
  });
});
