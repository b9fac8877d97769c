import { describe, expect, it } from 'vitest';
import { setConfig } from './config.js';
import { deployApp, removeUnit } from './deploy.js';
import { attachResource, markPodRecreated, refreshCharm } from './lifecycle.js';
import { observeBootId } from './workload.js';
import { redisLike, Sim } from './testing-fixtures/sim.js';

function threeUnits(): Sim {
  const sim = new Sim();
  sim.apply(deployApp(sim.model, { charm: redisLike(), units: 3 }));
  sim.settle();
  return sim;
}

describe('leadership', () => {
  it('moves to the lowest alive unit when the leader is removed: leader-elected there, leader-settings-changed elsewhere', () => {
    const sim = threeUnits();
    const before = sim.history.length;
    sim.apply(removeUnit(sim.model, 'redis/0'));
    sim.settle();
    const after = sim.history.slice(before);
    expect(after.filter((h) => h.unit === 'redis/0').map((h) => h.hook)).toEqual([
      'redis-peers-relation-departed',
      'redis-peers-relation-departed',
      'stop',
      'database-storage-detaching',
      'remove',
    ]);
    expect(sim.model.apps.redis!.leader).toBe('redis/1');
    expect(after.filter((h) => h.unit === 'redis/1').map((h) => h.hook)).toEqual([
      'redis-peers-relation-departed',
      'leader-elected',
    ]);
    expect(after.filter((h) => h.unit === 'redis/2').map((h) => h.hook)).toEqual([
      'redis-peers-relation-departed',
      'leader-settings-changed',
    ]);
  });

  it('keeps is-leader true for the dying leader until it is gone', () => {
    const sim = threeUnits();
    sim.apply(removeUnit(sim.model, 'redis/0'));
    const seen: string[] = [];
    sim.behaviour = (spec, t) => void seen.push(`${spec.name}:${t('is-leader', '--format=json').stdout.trim()}`);
    sim.drain('redis/0');
    expect(seen).toEqual([
      'redis-peers-relation-departed:true',
      'redis-peers-relation-departed:true',
      'stop:true',
      'database-storage-detaching:true',
      'remove:true',
    ]);
  });
});

describe('config', () => {
  it('runs config-changed on every unit once per change', () => {
    const sim = threeUnits();
    sim.apply(setConfig(sim.model, 'redis', { port: '7000' }));
    expect(sim.settle()).toEqual(['redis/0 config-changed', 'redis/1 config-changed', 'redis/2 config-changed']);
    expect(setConfig(sim.model, 'redis', { port: '7000' }).effects).toEqual([]);
    sim.apply(setConfig(sim.model, 'redis', { port: null }));
    expect(sim.settle()).toHaveLength(3);
  });
});

describe('pod churn (kill-pod)', () => {
  it('runs upgrade-charm -> config-changed -> leader-settings-changed (non-leader) -> start -> pebble-ready; no install, no joined', () => {
    const sim = threeUnits();
    for (const u of ['redis/0', 'redis/1']) sim.apply(observeBootId(sim.model, u, 'redis', 'boot-a'));
    sim.settle();
    const before = sim.history.length;
    sim.apply(markPodRecreated(sim.model, 'redis/1'));
    expect(sim.drain('redis/1')).toEqual(['upgrade-charm', 'config-changed', 'leader-settings-changed', 'start']);
    sim.apply(observeBootId(sim.model, 'redis/1', 'redis', 'boot-b'));
    expect(sim.drain('redis/1')).toEqual(['redis-pebble-ready']);
    sim.apply(markPodRecreated(sim.model, 'redis/0'));
    expect(sim.drain('redis/0')).toEqual(['upgrade-charm', 'config-changed', 'start']);
    expect(sim.settle()).toEqual([]);
    expect(sim.history.slice(before).map((h) => h.hook)).not.toContain('install');
    expect(sim.model.units['redis/1']!.state).toEqual({});
  });

  it('keeps charm state (state-set) across churn', () => {
    const sim = threeUnits();
    sim.runUpdateStatus('redis/2', (_s, t) => void t('state-set', 'k=v'));
    sim.apply(markPodRecreated(sim.model, 'redis/2'));
    let got = '';
    sim.behaviour = (spec, t) => {
      if (spec.name === 'upgrade-charm') got = t('state-get', 'k').stdout;
    };
    sim.drain('redis/2');
    expect(got).toBe('v\n');
  });
});

describe('refresh and attach-resource', () => {
  it('stops the old pod, asks for a new one, then upgrades without relation hooks', () => {
    const sim = threeUnits();
    const before = sim.history.length;
    const r = refreshCharm(sim.model, 'redis', redisLike());
    expect(r.effects.filter((e) => e.type === 'recreate-pod')).toEqual([]);
    sim.apply(r);
    expect(sim.step('redis/1')?.name).toBe('stop');
    expect(sim.model.units['redis/1']!.workloadStatus.status).toBe('terminated');
    expect(sim.effects).toContainEqual({ type: 'recreate-pod', unit: 'redis/1' });
    expect(sim.step('redis/1')).toBeNull();
    sim.apply(markPodRecreated(sim.model, 'redis/1'));
    expect(sim.drain('redis/1')).toEqual(['upgrade-charm', 'config-changed', 'leader-settings-changed', 'start']);
    expect(sim.model.units['redis/1']!.charmRevision).toBe(1);
    sim.settle();
    for (const u of ['redis/0', 'redis/2']) sim.apply(markPodRecreated(sim.model, u));
    sim.settle();
    const hooks = sim.history.slice(before).map((h) => h.hook);
    expect(hooks.filter((h) => h === 'stop')).toHaveLength(3);
    expect(hooks.some((h) => h.includes('relation'))).toBe(false);
  });

  it('rolls pods on attach-resource too, and bumps the resource revision', () => {
    const sim = threeUnits();
    sim.apply(attachResource(sim.model, 'redis', 'cert-file', '/tmp/redis.crt'));
    expect(sim.model.apps.redis!.resources['cert-file']).toEqual({ type: 'file', path: '/tmp/redis.crt', revision: 1 });
    expect(sim.step('redis/0')?.name).toBe('stop');
    expect(() => attachResource(sim.model, 'redis', 'nope', '/x')).toThrow(
      expect.objectContaining({ code: 'bad-resource' }),
    );
  });

  it('refuses a charm of another name', () => {
    const sim = threeUnits();
    expect(() => refreshCharm(sim.model, 'redis', redisLike('other'))).toThrow(
      expect.objectContaining({ code: 'bad-charm' }),
    );
  });
});
