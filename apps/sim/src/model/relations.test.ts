import { describe, expect, it } from 'vitest';
import { deployApp } from './deploy.js';
import { relate, unrelate } from './relate.js';
import { resolveUnit } from './resolved.js';
import { clientCharm, redisLike, Sim } from './testing-fixtures/sim.js';

function twoApps(): Sim {
  const sim = new Sim();
  sim.apply(deployApp(sim.model, { charm: redisLike(), units: 2 }));
  sim.apply(deployApp(sim.model, { charm: clientCharm() }));
  sim.settle();
  return sim;
}

describe('relate / unrelate', () => {
  it('infers endpoints by interface and runs created -> joined -> changed per remote unit', () => {
    const sim = twoApps();
    const before = sim.history.length;
    const r = relate(sim.model, 'client', 'redis');
    expect(r.relationId).toBe(2);
    sim.apply(r).settle();
    const client = sim.history.slice(before).filter((h) => h.unit === 'client/0');
    expect(client.map((h) => `${h.hook} ${h.env.JUJU_REMOTE_UNIT}`)).toEqual([
      'db-relation-created ',
      'db-relation-joined redis/0',
      'db-relation-changed redis/0',
      'db-relation-joined redis/1',
      'db-relation-changed redis/1',
    ]);
    const created = client[0]!.env;
    expect(created).toMatchObject({
      JUJU_RELATION: 'db',
      JUJU_RELATION_ID: 'db:2',
      JUJU_REMOTE_APP: 'redis',
      JUJU_REMOTE_UNIT: '',
    });
    expect(sim.hooksOf('redis/0').filter((h) => h.startsWith('redis-relation'))).toEqual([
      'redis-relation-created',
      'redis-relation-joined',
      'redis-relation-changed',
    ]);
  });

  it('sends app-level changed (empty JUJU_REMOTE_UNIT) when the remote leader writes its app bag, and nothing to the writer', () => {
    const sim = twoApps();
    sim.apply(relate(sim.model, 'client', 'redis')).settle();
    const before = sim.history.length;
    sim.runUpdateStatus('redis/0', (_s, t) => void t('relation-set', '-r', 'redis:2', '--app', 'host=redis-k8s'));
    const ran = sim.settle();
    expect(ran).toEqual(['client/0 db-relation-changed']);
    expect(sim.envOf('client/0', 'db-relation-changed')).toMatchObject({
      JUJU_REMOTE_UNIT: '',
      JUJU_REMOTE_APP: 'redis',
    });
    expect(sim.history.length).toBe(before + 2);
  });

  it("gives other peers an app-level changed for the leader's peer app bag write, but not the leader", () => {
    const sim = twoApps();
    sim.runUpdateStatus(
      'redis/0',
      (_s, t) => void t('relation-set', '-r', 'redis-peers:0', '--app', 'primary=redis/0'),
    );
    expect(sim.settle()).toEqual(['redis/1 redis-peers-relation-changed']);
    expect(sim.envOf('redis/1', 'redis-peers-relation-changed').JUJU_REMOTE_UNIT).toBe('');
  });

  it("never delivers changed for a unit's own writes, and delivers others' after commit only", () => {
    const sim = twoApps();
    sim.runUpdateStatus('redis/1', (_s, t) => void t('relation-set', '-r', 'redis-peers:0', 'k=v'));
    expect(sim.settle()).toEqual(['redis/0 redis-peers-relation-changed']);
    expect(sim.envOf('redis/0', 'redis-peers-relation-changed').JUJU_REMOTE_UNIT).toBe('redis/1');
  });

  it('drops the writes of a failed hook: no changed anywhere', () => {
    const sim = twoApps();
    sim.runUpdateStatus('redis/1', (_s, t) => {
      t('relation-set', '-r', 'redis-peers:0', 'k=v');
      return 1;
    });
    sim.apply(resolveUnit(sim.model, 'redis/1', { retry: false }));
    expect(sim.model.relations['0']!.unitData['redis/1']).not.toHaveProperty('k');
    expect(sim.settle()).toEqual([]);
  });

  it('unrelate runs departed per remote unit, then broken once; the relation disappears', () => {
    const sim = twoApps();
    sim.apply(relate(sim.model, 'client', 'redis')).settle();
    const before = sim.history.length;
    sim.apply(unrelate(sim.model, 'client:db', 'redis:redis')).settle();
    const client = sim.history.slice(before).filter((h) => h.unit === 'client/0');
    expect(client.map((h) => `${h.hook} ${h.env.JUJU_REMOTE_UNIT ?? '-'}`)).toEqual([
      'db-relation-departed redis/0',
      'db-relation-departed redis/1',
      'db-relation-broken ',
    ]);
    expect(sim.model.relations['2']).toBeUndefined();
    expect(() => unrelate(sim.model, 'client', 'redis')).toThrow(expect.objectContaining({ code: 'unknown-relation' }));
  });

  it('explains bad relate requests', () => {
    const sim = twoApps();
    expect(() => relate(sim.model, 'client:nope', 'redis')).toThrow(/client has no endpoint "nope"/);
    expect(() => relate(sim.model, 'redis:redis-peers', 'client')).toThrow(/peer endpoint/);
    expect(() => relate(sim.model, 'client', 'ghost')).toThrow(expect.objectContaining({ code: 'unknown-app' }));
    const once = relate(sim.model, 'client', 'redis').model;
    expect(() => relate(once, 'redis', 'client')).toThrow(expect.objectContaining({ code: 'relation-exists' }));
  });
});
