import { describe, expect, it } from 'vitest';
import { deployApp } from '../model/deploy.js';
import { redisLike, redisWithClient, Sim } from '../model/testing-fixtures/sim.js';

const model = (): Sim => redisWithClient();

const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });
const err = (msg: string, exitCode = 1) => ({ stdout: '', stderr: `ERROR ${msg}\n`, exitCode });

describe('relation-ids / relation-list', () => {
  it('lists ids as "ep:N" strings and remote units in scope (json and smart)', () => {
    const { t } = model().open('redis/0');
    expect(t('relation-ids', 'redis-peers', '--format=json')).toEqual(ok('["redis-peers:0"]\n'));
    expect(t('relation-ids', '--format=json', 'redis')).toEqual(ok('["redis:2"]\n'));
    expect(t('relation-ids', 'nothing', '--format=json')).toEqual(ok('[]\n'));
    expect(t('relation-ids', 'redis')).toEqual(ok('redis:2\n'));
    expect(t('relation-ids')).toEqual(err('no endpoint name specified', 2));
    expect(t('relation-list', '--format=json', '-r', 'redis-peers:0')).toEqual(ok('["redis/1"]\n'));
    expect(t('relation-list', '--format=json', '-r', '2')).toEqual(ok('["client/0"]\n'));
    expect(t('relation-list', '--format=json', '-r', 'redis:2', '--app')).toEqual(ok('"client"\n'));
    expect(t('relation-list', '--app', '-r', 'redis-peers:0')).toEqual(ok('redis\n'));
    expect(t('relation-list')).toEqual(err('no relation id specified', 2));
  });

  it('validates -r like Juju: bad syntax, unknown id, mismatched endpoint', () => {
    const { t } = model().open('redis/0');
    expect(t('relation-list', '-r', 'redis-peers:9')).toEqual(
      err('invalid value "redis-peers:9" for flag -r: relation not found', 2),
    );
    expect(t('relation-list', '-r', 'db:2')).toEqual(err('invalid value "db:2" for flag -r: relation not found', 2));
    expect(t('relation-list', '--relation', 'x')).toEqual(
      err('invalid value "x" for flag --relation: invalid relation id', 2),
    );
  });

  it('defaults -r and the remote unit inside a relation hook; departing unit already gone from relation-list', () => {
    const sim = model();
    const rel = sim.model.relations['0']!;
    const { t } = sim.open('redis/0', {
      kind: 'relation-departed',
      relationId: rel.id,
      endpoint: 'redis-peers',
      remoteApp: 'redis',
      remoteUnit: 'redis/1',
      departingUnit: 'redis/1',
      version: 0,
    });
    expect(t('relation-list', '--format=json')).toEqual(ok('[]\n'));
    expect(t('relation-get', '--format=json', 'private-address')).toEqual(
      ok(`"${sim.model.units['redis/1']!.address}"\n`),
    );
  });
});

describe('relation-get', () => {
  it("reads unit bags (with Juju's network keys) and single keys, in ops's argv form", () => {
    const sim = model();
    const { t } = sim.open('client/0');
    const addr = sim.model.units['redis/0']!.address;
    expect(JSON.parse(t('relation-get', '--format=json', '-r', 'db:2', '-', 'redis/0').stdout)).toEqual({
      'egress-subnets': `${addr}/32`,
      'ingress-address': addr,
      'private-address': addr,
    });
    expect(t('relation-get', '--format=json', '-r', 'db:2', 'private-address', 'redis/0')).toEqual(ok(`"${addr}"\n`));
    expect(t('relation-get', '--format=json', '-r', 'db:2', 'missing', 'redis/0')).toEqual(ok('null\n'));
    expect(t('relation-get', '-r', 'db:2', 'missing', 'redis/0')).toEqual(ok(''));
  });

  it('enforces the app-bag rules of reference section 4', () => {
    const sim = model();
    const leader = sim.open('redis/0');
    expect(leader.t('relation-set', '-r', 'redis:2', '--app', 'host=h')).toEqual(ok(''));
    expect(leader.t('relation-set', '-r', 'redis-peers:0', '--app', 'p=1')).toEqual(ok(''));
    expect(leader.t('relation-get', '--format=json', '-r', 'redis:2', '--app', '-', 'redis')).toEqual(
      ok('{"host":"h"}\n'),
    );
    leader.commit();
    const minion = sim.open('redis/1');
    expect(minion.t('relation-set', '-r', 'redis:2', '--app', 'host=x')).toEqual(err('cannot write relation settings'));
    expect(minion.t('relation-get', '--format=json', '-r', 'redis:2', '--app', '-', 'redis')).toEqual(
      err('permission denied'),
    );
    expect(minion.t('relation-get', '--format=json', '-r', 'redis-peers:0', '--app', '-', 'redis')).toEqual(
      ok('{"p":"1"}\n'),
    );
    minion.commit();
    const client = sim.open('client/0');
    expect(client.t('relation-get', '--format=json', '-r', 'db:2', '--app', '-', 'redis')).toEqual(
      ok('{"host":"h"}\n'),
    );
    expect(client.t('relation-get', '--format=json', '-r', 'db:2', '--app', '-', 'redis/0')).toEqual(
      ok('{"host":"h"}\n'),
    );
    expect(client.t('relation-get', '--format=json', '-r', 'db:2', '-', 'redis')).toEqual(
      err('expected unit name, got application name "redis"', 2),
    );
    expect(client.t('relation-get', '--format=json', '-r', 'db:2', '-', 'Bad!')).toEqual(
      err('invalid unit name "Bad!"', 2),
    );
    expect(client.t('relation-get', '--format=json', '-r', 'db:2', '-', 'other/0')).toEqual(err('permission denied'));
    expect(client.t('relation-get', '-r', 'db:2')).toEqual(err('no unit or application specified', 2));
  });

  it('shows the hook its own pending writes; others see them only after commit', () => {
    const sim = model();
    const a = sim.open('redis/0');
    a.t('relation-set', '-r', 'redis-peers:0', 'k=v', 'gone=');
    expect(a.t('relation-get', '-r', 'redis-peers:0', 'k', 'redis/0')).toEqual(ok('v\n'));
    const b = sim.open('redis/1');
    expect(b.t('relation-get', '-r', 'redis-peers:0', 'k', 'redis/0')).toEqual(ok(''));
    a.commit();
    b.commit();
    const c = sim.open('redis/1');
    expect(c.t('relation-get', '-r', 'redis-peers:0', 'k', 'redis/0')).toEqual(ok('v\n'));
  });

  it('denies peer-bag I/O before relation-created (ops#1452)', () => {
    const sim = new Sim();
    sim.apply(deployApp(sim.model, { charm: redisLike() }));
    const { t } = sim.open('redis/0', { kind: 'install', fromQueue: false });
    expect(t('relation-ids', '--format=json', 'redis-peers')).toEqual(ok('["redis-peers:0"]\n'));
    expect(t('relation-get', '--format=json', '-r', 'redis-peers:0', '-', 'redis/0')).toEqual(err('permission denied'));
    expect(t('relation-set', '-r', 'redis-peers:0', 'a=b')).toEqual(err('permission denied'));
  });
});

describe('relation-set', () => {
  it('takes YAML/JSON from stdin with --file -, lets key=value args override, and "" deletes', () => {
    const sim = model();
    const a = sim.open('redis/0');
    expect(
      a.t('relation-set', '-r', 'redis-peers:0', '--file', '-', 'b=override', '<<<', '{"a": "1", "b": "2", "c": "3"}'),
    ).toEqual(ok(''));
    a.t('relation-set', '-r', 'redis-peers:0', 'c=');
    a.commit();
    const bag = sim.model.relations['0']!.unitData['redis/0']!;
    expect(bag).toMatchObject({ a: '1', b: 'override' });
    expect(bag).not.toHaveProperty('c');
  });

  it('rejects malformed args and missing relation', () => {
    const { t } = model().open('redis/0');
    expect(t('relation-set', '-r', '0', 'novalue')).toEqual(err('expected "key=value", got "novalue"', 2));
    expect(t('relation-set', 'a=b')).toEqual(err('no relation id specified', 2));
    expect(t('relation-set', '-r', '0', '--file', '-', '<<<', '[1, 2]')).toEqual(
      err('cannot parse relation settings: expected a map of strings'),
    );
    expect(t('relation-model-get', '--format=json', '-r', '2')).toEqual(
      ok('{"uuid":"00000000-0000-4000-8000-000000000000"}\n'),
    );
  });
});
