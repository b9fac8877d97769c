import { describe, expect, it } from 'vitest';
import { deployApp } from './deploy.js';
import { electLeader } from './leadership.js';
import { nextHook } from './resolver/next-hook.js';
import { nextSecretTrigger, timerSecrets } from './secret-timers.js';
import { redisLike, Sim } from './testing-fixtures/sim.js';

const MIN = 60_000;

/** A settled 2-unit app; the leader adds a secret with `flags` in a hook; returns the sim and the secret id. */
function withSecret(...flags: string[]): { sim: Sim; id: string } {
  const sim = new Sim();
  sim.apply(deployApp(sim.model, { charm: redisLike(), units: 2 }));
  sim.settle();
  const { t, commit } = sim.open('redis/0');
  const id = t('secret-add', '--label', 'pw', ...flags, 'password=one').stdout.trim();
  commit();
  return { sim, id };
}

/** Fires the secret timer at the fixture's clock. */
function fire(sim: Sim): void {
  sim.apply(timerSecrets(sim.model, { now: sim.now }));
}

/** Moves the clock to the next trigger and fires it. */
function fireNext(sim: Sim): Date {
  const at = nextSecretTrigger(sim.model);
  if (!at) throw new Error('no secret trigger armed');
  sim.advance(Math.max(0, at.getTime() - sim.now.getTime()));
  fire(sim);
  return at;
}

describe('secret-expired', () => {
  it('fires on the leader when the revision’s expire time passes, with id, label and revision; not before', () => {
    const { sim, id } = withSecret('--expire', '10m');
    const created = Date.parse(sim.model.secrets[id]!.created);
    const at = nextSecretTrigger(sim.model)!;
    expect(Math.abs(at.getTime() - (created + 10 * MIN))).toBeLessThanOrEqual(2000);
    fire(sim);
    expect(sim.settle()).toEqual([]);
    fireNext(sim);
    expect(nextHook(sim.model, 'redis/1')).toBeNull();
    expect(sim.settle()).toEqual(['redis/0 secret-expired']);
    expect(sim.envOf('redis/0', 'secret-expired')).toMatchObject({
      JUJU_SECRET_ID: id,
      JUJU_SECRET_LABEL: 'pw',
      JUJU_SECRET_REVISION: '1',
    });
  });

  it('fires again every 5 minutes until the owner removes the revision', () => {
    const { sim, id } = withSecret('--expire', '1m');
    const first = fireNext(sim);
    sim.settle();
    expect(nextSecretTrigger(sim.model)!.getTime()).toBe(first.getTime() + 5 * MIN);
    fireNext(sim);
    expect(sim.logs.at(-1)?.message).toBe(`${id} revision 1 expired and was not removed; secret-expired queued`);
    sim.behaviour = (spec, t) => {
      if (spec.name === 'secret-expired')
        t('secret-remove', spec.env.JUJU_SECRET_ID!, '--revision', spec.env.JUJU_SECRET_REVISION!);
    };
    expect(sim.settle()).toEqual(['redis/0 secret-expired']);
    expect(sim.hooksOf('redis/0').filter((h) => h === 'secret-expired')).toHaveLength(2);
    expect(sim.model.secrets[id]).toBeUndefined();
    expect(nextSecretTrigger(sim.model)).toBeNull();
  });

  it('keeps an old revision’s expiry after a new revision without one (Juju expires per revision)', () => {
    const { sim, id } = withSecret('--expire', '1m');
    const { t, commit } = sim.open('redis/0');
    t('secret-set', id, 'password=two');
    expect(JSON.parse(t('secret-info-get', id, '--format=json').stdout)[id.slice(7)]).not.toHaveProperty('expiry');
    commit();
    fireNext(sim);
    sim.settle();
    expect(sim.envOf('redis/0', 'secret-expired')).toMatchObject({ JUJU_SECRET_REVISION: '1' });
  });

  it('re-timing the latest revision with --expire replaces its pending expiry', () => {
    const { sim, id } = withSecret('--expire', '1m');
    const { t, commit } = sim.open('redis/0');
    t('secret-set', id, '--expire', '2026-06-01T00:00:00Z');
    commit();
    expect(nextSecretTrigger(sim.model)?.toISOString()).toBe('2026-06-01T00:00:00.000Z');
    const info = sim.open('redis/0');
    expect(JSON.parse(info.t('secret-info-get', id, '--format=json').stdout)[id.slice(7)]).toMatchObject({
      expiry: '2026-06-01T00:00:00Z',
    });
    info.commit();
  });

  it('goes to the new leader when leadership moves while it is queued', () => {
    const { sim } = withSecret('--expire', '1m');
    fireNext(sim);
    sim.apply(electLeader(sim.model, 'redis', 'redis/1'));
    expect(sim.settle()).toContain('redis/1 secret-expired');
    expect(sim.hooksOf('redis/0')).not.toContain('secret-expired');
  });
});

describe('secret-rotate', () => {
  it('fires on the owner one (scaled) period after secret-add; a rotation moves on a period, none retries in 5 min', () => {
    const { sim, id } = withSecret('--rotate', 'hourly');
    const created = Date.parse(sim.model.secrets[id]!.created);
    expect(nextSecretTrigger(sim.model)!.getTime()).toBe(created + 60 * MIN);
    const first = fireNext(sim);
    expect(sim.settle()).toEqual(['redis/0 secret-rotate']);
    const env = sim.envOf('redis/0', 'secret-rotate');
    expect(env).toMatchObject({ JUJU_SECRET_ID: id, JUJU_SECRET_LABEL: 'pw' });
    expect(env).not.toHaveProperty('JUJU_SECRET_REVISION');
    // The charm did not make a new revision: Juju retries 5 minutes after the rotate time that fired.
    expect(nextSecretTrigger(sim.model)!.getTime()).toBe(first.getTime() + 5 * MIN);
    const retry = fireNext(sim);
    sim.behaviour = (spec, t) => {
      if (spec.name === 'secret-rotate') t('secret-set', spec.env.JUJU_SECRET_ID!, 'password=two');
    };
    // Revision 1 is now obsolete (nobody tracks it): the owner also gets secret-remove.
    expect(sim.settle()).toEqual(['redis/0 secret-rotate', 'redis/0 secret-remove']);
    expect(nextSecretTrigger(sim.model)!.getTime()).toBe(retry.getTime() + 60 * MIN);
    const info = sim.open('redis/0');
    expect(JSON.parse(info.t('secret-info-get', id, '--format=json').stdout)[id.slice(7)]).toMatchObject({
      revision: 2,
      rotation: 'hourly',
      rotates: new Date(retry.getTime() + 60 * MIN).toISOString().replace('.000Z', 'Z'),
    });
    info.commit();
  });

  it('uses the model’s secret time scale for periods and retries', () => {
    const { sim, id } = withSecret();
    sim.model = { ...sim.model, secretTimeScale: 0.001 };
    const { t, commit } = sim.open('redis/0');
    t('secret-set', id, '--rotate', 'hourly');
    commit();
    const started = nextSecretTrigger(sim.model)!.getTime() - 3600;
    expect(Math.abs(started - sim.now.getTime())).toBeLessThanOrEqual(1000);
    const first = fireNext(sim);
    sim.settle();
    expect(nextSecretTrigger(sim.model)!.getTime()).toBe(first.getTime() + 300);
  });

  it('stops with --rotate never, and a unit-owned secret rotates on its owner unit', () => {
    const { sim, id } = withSecret('--rotate', 'daily');
    const a = sim.open('redis/0');
    a.t('secret-set', id, '--rotate', 'never');
    a.commit();
    expect(nextSecretTrigger(sim.model)).toBeNull();
    const b = sim.open('redis/1');
    const own = b.t('secret-add', '--owner', 'unit', '--rotate', 'weekly', 'token=abc').stdout.trim();
    b.commit();
    fireNext(sim);
    expect(nextHook(sim.model, 'redis/0')).toBeNull();
    expect(sim.settle()).toEqual(['redis/1 secret-rotate']);
    expect(sim.envOf('redis/1', 'secret-rotate')).toMatchObject({ JUJU_SECRET_ID: own, JUJU_SECRET_LABEL: '' });
  });

  it('a pending rotation is not a queued hook: units stay idle until it is due', () => {
    const { sim } = withSecret('--rotate', 'hourly', '--expire', '2h');
    expect(nextSecretTrigger(sim.model)).not.toBeNull();
    for (const u of ['redis/0', 'redis/1']) expect(nextHook(sim.model, u)).toBeNull();
  });

  it('runs secret-expired before secret-rotate when both are due', () => {
    const { sim } = withSecret('--rotate', 'hourly', '--expire', '1h');
    sim.advance(2 * 60 * MIN);
    fire(sim);
    expect(sim.settle()).toEqual(['redis/0 secret-expired', 'redis/0 secret-rotate']);
  });
});
