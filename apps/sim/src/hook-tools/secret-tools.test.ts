import { describe, expect, it } from 'vitest';
import { removeUnit } from '../model/deploy.js';
import { redisWithClient, Sim } from '../model/testing-fixtures/sim.js';

const model = (): Sim => redisWithClient({ units: 2 });

const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });
const err = (msg: string, exitCode = 1) => ({ stdout: '', stderr: `ERROR ${msg}\n`, exitCode });

/** The leader adds an app secret, grants it on the relation, commits; returns its id. */
function shared(sim: Sim): string {
  const { t, commit } = sim.open('redis/0');
  const id = t(
    'secret-add',
    '--label',
    'admin',
    '--description',
    'admin password',
    '--owner',
    'application',
    'password#file=/tmp/pw',
    'user=admin',
    '<<file',
    '/tmp/pw',
    's3cret',
  ).stdout.trim();
  expect(id).toMatch(/^secret:[0-9a-v]{20}$/);
  t('secret-grant', '--relation', 'redis:2', id);
  commit();
  return id;
}

describe('secrets', () => {
  it('owners add, label, grant; granted consumers read the tracked revision; ops argv forms', () => {
    const sim = model();
    const opened = sim.open('redis/0');
    const added = opened.t('secret-add', '--label', 'admin', '--owner', 'application', 'password#file=/tmp/pw');
    expect(added).toEqual(err('open /tmp/pw: no such file or directory'));
    opened.commit();
    const id = shared(sim);
    const owner = sim.open('redis/1');
    expect(JSON.parse(owner.t('secret-get', '--format=json', id).stdout)).toEqual({
      password: 's3cret',
      user: 'admin',
    });
    owner.commit();
    const consumer = sim.open('client/0');
    expect(consumer.t('secret-get', id, '--label', 'db-admin', '--format=json')).toEqual(
      ok('{"password":"s3cret","user":"admin"}\n'),
    );
    expect(consumer.t('secret-get', id)).toEqual(ok('password: s3cret\nuser: admin\n'));
    expect(consumer.t('secret-get', '--label', 'db-admin', '--format=json')).toEqual(
      ok('{"password":"s3cret","user":"admin"}\n'),
    );
    expect(consumer.t('secret-get', '--label', 'db-admin', 'user')).toEqual(err('secret URI "user" not valid', 2));
    expect(consumer.t('secret-get', id, 'user#base64')).toEqual(ok('YWRtaW4=\n'));
    expect(consumer.t('secret-get', id, 'nope')).toEqual(err('secret key "nope" not found'));
    expect(consumer.t('secret-info-get', id)).toEqual(err(`secret "${id.slice(7)}" not found`));
    consumer.commit();
    expect(sim.model.secrets[id]!.consumers['client/0']).toEqual({ label: 'db-admin', tracked: 1, notified: 1 });
  });

  it('secret-set makes a new revision: consumers get secret-changed, --peek/--refresh, then the owner gets secret-remove', () => {
    const sim = model();
    const id = shared(sim);
    for (const u of ['client/0', 'client/1']) {
      const c = sim.open(u);
      c.t('secret-get', id, '--label', 'db');
      c.commit();
    }
    const setter = sim.open('redis/0');
    expect(setter.t('secret-set', '--owner', 'application', id, 'user=root')).toEqual(ok(''));
    setter.commit();
    expect(sim.model.secrets[id]!.latest).toBe(2);
    sim.behaviour = (spec, t) => {
      if (spec.name !== 'secret-changed') return;
      expect(spec.env).toMatchObject({ JUJU_SECRET_ID: id, JUJU_SECRET_LABEL: 'db' });
      expect(spec.env).not.toHaveProperty('JUJU_SECRET_REVISION');
      expect(t('secret-get', id, 'user').stdout).toBe('admin\n');
      expect(t('secret-get', id, '--peek', 'user').stdout).toBe('root\n');
      if (spec.unit === 'client/0') expect(t('secret-get', id, '--refresh', 'user').stdout).toBe('root\n');
    };
    expect(sim.settle()).toEqual(['client/0 secret-changed', 'client/1 secret-changed']);
    const refresher = sim.open('client/1');
    refresher.t('secret-get', id, '--refresh');
    refresher.commit();
    sim.behaviour = (spec, t) => {
      if (spec.name === 'secret-remove') t('secret-remove', id, '--revision', spec.env.JUJU_SECRET_REVISION!);
    };
    expect(sim.settle()).toEqual(['redis/0 secret-remove']);
    expect(sim.envOf('redis/0', 'secret-remove')).toMatchObject({
      JUJU_SECRET_ID: id,
      JUJU_SECRET_LABEL: 'admin',
      JUJU_SECRET_REVISION: '1',
    });
    expect(sim.model.secrets[id]!.revisions.map((x) => x.revision)).toEqual([2]);
  });

  it('secret-info-get for owners, secret-ids, and leader-only management of app secrets', () => {
    const sim = model();
    const id = shared(sim);
    const leader = sim.open('redis/0');
    expect(JSON.parse(leader.t('secret-info-get', '--format=json', id).stdout)).toEqual({
      [id.slice(7)]: {
        revision: 1,
        label: 'admin',
        owner: 'application',
        description: 'admin password',
        access: [{ target: 'application-client', scope: 'relation-2', role: 'view' }],
      },
    });
    expect(JSON.parse(leader.t('secret-info-get', '--format=json', '--label', 'admin').stdout)).toHaveProperty(
      id.slice(7),
    );
    expect(leader.t('secret-ids', '--format=json')).toEqual(ok(`["${id}"]\n`));
    expect(leader.t('secret-info-get', '--label', 'admin', id)).toEqual(
      err('specify either a secret URI or label but not both', 2),
    );
    leader.commit();
    const minion = sim.open('redis/1');
    expect(minion.t('secret-set', id, 'user=x')).toEqual(err('this unit is not the leader'));
    expect(minion.t('secret-add', 'user=x')).toEqual(err('this unit is not the leader'));
    const unitSecret = minion.t('secret-add', '--owner', 'unit', 'token=abc').stdout.trim();
    expect(minion.t('secret-get', unitSecret, 'token')).toEqual(ok('abc\n'));
    minion.commit();
    expect(sim.model.secrets[unitSecret]?.owner).toEqual({ kind: 'unit', name: 'redis/1' });
  });

  it('buffers secret writes: a failed hook leaves no secret behind', () => {
    const sim = model();
    const { t, commit } = sim.open('redis/0');
    const id = t('secret-add', 'user=x').stdout.trim();
    expect(t('secret-get', id, 'user')).toEqual(ok('x\n'));
    commit(1);
    expect(sim.model.secrets[id]).toBeUndefined();
  });

  it('denies ungranted consumers and explains bad arguments', () => {
    const sim = model();
    const { t, commit } = sim.open('redis/0');
    const id = t('secret-add', 'user=x').stdout.trim();
    commit();
    const c = sim.open('client/0');
    expect(c.t('secret-get', id)).toEqual(err('permission denied'));
    expect(c.t('secret-get')).toEqual(err('require either a secret URI or label', 2));
    expect(c.t('secret-get', 'secret:nope')).toEqual(err('secret URI "secret:nope" not valid', 2));
    expect(c.t('secret-get', 'secret:aaaaaaaaaaaaaaaaaaaa')).toEqual(
      err('secret "secret:aaaaaaaaaaaaaaaaaaaa" not found'),
    );
    expect(c.t('secret-get', id, '--peek', '--refresh')).toEqual(
      err('specify one of --peek or --refresh but not both', 2),
    );
    expect(c.t('secret-get', '--label', 'nope')).toEqual(err('secret with label "nope" not found'));
    const o = sim.open('redis/0');
    expect(o.t('secret-add')).toEqual(err('missing secret value or filename', 2));
    expect(o.t('secret-add', 'x=1')).toEqual(err('key "x" not valid', 2));
    expect(o.t('secret-add', '--rotate', 'often', 'user=1')).toEqual(err('rotate policy "often" not valid', 2));
    expect(o.t('secret-add', '--expire', 'soon', 'user=1')).toEqual(err('expire time or duration "soon" not valid', 2));
    expect(o.t('secret-add', '--owner', 'model', 'user=1')).toEqual(err('secret owner "model" not valid', 2));
    expect(o.t('secret-grant', id)).toEqual(err('no relation id specified', 2));
    expect(o.t('secret-grant', id, '-r', '2', '--unit', 'redis/1')).toEqual(
      err('cannot specify unit "redis/1" in relation to application "client"', 2),
    );
    expect(o.t('secret-add', '--label', 'l', '--expire', '24h', '--rotate', 'daily', 'user=1').exitCode).toBe(0);
    expect(o.t('secret-add', '--label', 'l', 'user=1')).toEqual(err('secret with label "l" already exists'));
  });

  it('grants to one unit only with --unit, and revoke removes access', () => {
    const sim = model();
    const a = sim.open('redis/0');
    const id = a.t('secret-add', 'user=x').stdout.trim();
    a.t('secret-grant', id, '-r', 'redis:2', '--unit', 'client/1');
    a.commit();
    const c0 = sim.open('client/0');
    expect(c0.t('secret-get', id)).toEqual(err('permission denied'));
    c0.commit();
    const c1 = sim.open('client/1');
    expect(c1.t('secret-get', id, 'user')).toEqual(ok('x\n'));
    c1.commit();
    const b = sim.open('redis/0');
    b.t('secret-revoke', id, '--relation', 'redis:2', '--unit', 'client/1');
    b.commit();
    expect(sim.open('client/1').t('secret-get', id)).toEqual(err('permission denied'));
  });

  it("forgets a removed unit's tracking and its unit-owned secrets", () => {
    const sim = model();
    const id = shared(sim);
    const c = sim.open('client/1');
    c.t('secret-get', id);
    const own = c.t('secret-add', '--owner', 'unit', 'token=abc').stdout.trim();
    c.commit();
    const setter = sim.open('redis/0');
    setter.t('secret-set', id, 'user=root');
    setter.commit();
    sim.apply(removeUnit(sim.model, 'client/1'));
    sim.settle();
    expect(sim.model.secrets[id]!.consumers).toEqual({});
    expect(sim.model.secrets[own]).toBeUndefined();
    expect(sim.hooksOf('redis/0')).toContain('secret-remove');
  });
});
