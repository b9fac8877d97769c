import { describe, expect, it } from 'vitest';
import { deployApp } from '../model/deploy.js';
import { clientCharm, redisLike, Sim } from '../model/testing-fixtures/sim.js';

function model(): Sim {
  const sim = new Sim();
  sim.apply(deployApp(sim.model, { charm: redisLike(), units: 2, config: { port: '7000' } }));
  sim.apply(deployApp(sim.model, { charm: clientCharm() }));
  sim.settle();
  return sim;
}

const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });
const err = (msg: string, exitCode = 1) => ({ stdout: '', stderr: `ERROR ${msg}\n`, exitCode });

describe('config-get', () => {
  it('returns set values and non-null defaults with their types; --all adds nulls; missing keys are null', () => {
    const { t } = model().open('redis/1');
    expect(t('config-get', '--format=json')).toEqual(ok('{"enable-tls":false,"port":7000}\n'));
    expect(t('config-get', '--format=json', '--all')).toEqual(ok('{"enable-tls":false,"name":null,"port":7000}\n'));
    expect(t('config-get', 'port', '--format=json')).toEqual(ok('7000\n'));
    expect(t('config-get', 'nope', '--format=json')).toEqual(ok('null\n'));
    expect(t('config-get', 'enable-tls')).toEqual(ok('False\n'));
    expect(t('config-get', '-a', 'port')).toEqual(err('cannot use argument --all together with key "port"', 2));
    expect(t('config-get', '--format=xml')).toEqual(
      err('invalid value "xml" for flag --format: unknown format "xml"', 2),
    );
  });
});

describe('is-leader / leader-get / leader-set', () => {
  it('answers per unit and keeps leader settings leader-only and immediate', () => {
    const sim = model();
    const leader = sim.open('redis/0');
    expect(leader.t('is-leader', '--format=json')).toEqual(ok('true\n'));
    expect(leader.t('is-leader')).toEqual(ok('True\n'));
    expect(leader.t('leader-set', 'a=1', 'b=2')).toEqual(ok(''));
    leader.commit(1);
    expect(sim.model.apps.redis!.leaderSettings).toEqual({ a: '1', b: '2' });
    const minion = sim.open('redis/1');
    expect(minion.t('is-leader', '--format=json')).toEqual(ok('false\n'));
    expect(minion.t('leader-get', '--format=json')).toEqual(ok('{"a":"1","b":"2"}\n'));
    expect(minion.t('leader-get', 'a')).toEqual(ok('1\n'));
    expect(minion.t('leader-set', 'a=2')).toEqual(
      err('cannot write leadership settings: cannot write settings: not the leader'),
    );
    minion.commit();
    expect(sim.settle()).toEqual(['redis/1 leader-settings-changed']);
  });
});

describe('status-set / status-get / application-version-set', () => {
  it("sets unit and app status immediately with ops's argv, and reads them back in Juju's shapes", () => {
    const sim = model();
    const { t, commit } = sim.open('redis/0');
    expect(t('status-set', '--application=False', 'active', '--', '')).toEqual(ok(''));
    expect(t('status-set', '--application=True', 'blocked', '--', 'need more units')).toEqual(ok(''));
    expect(t('status-get', '--include-data', '--format=json', '--application=false')).toEqual(
      ok('{"message":"","status":"active","status-data":{}}\n'),
    );
    expect(t('status-get')).toEqual(ok('active\n'));
    expect(JSON.parse(t('status-get', '--include-data', '--format=json', '--application=true').stdout)).toEqual({
      'application-status': {
        message: 'need more units',
        status: 'blocked',
        'status-data': {},
        units: {
          'redis/0': { message: '', status: 'active', 'status-data': {} },
          'redis/1': { message: '', status: 'unknown', 'status-data': {} },
        },
      },
    });
    expect(t('application-version-set', '--', '7.2.4')).toEqual(ok(''));
    commit(1);
    expect(sim.model.units['redis/0']!.workloadStatus.status).toBe('error');
    expect(sim.model.units['redis/0']!.failed?.previousStatus.status).toBe('active');
    expect(sim.model.units['redis/0']!.workloadVersion).toBe('7.2.4');
    expect(sim.model.apps.redis!.status?.message).toBe('need more units');
  });

  it('rejects bad statuses and app status from a non-leader', () => {
    const { t } = model().open('redis/1');
    expect(t('status-set', 'happy')).toEqual(
      err('invalid status "happy", expected one of [maintenance blocked waiting active]', 2),
    );
    expect(t('status-set')).toEqual(err('invalid args, require <status> [message]', 2));
    expect(t('status-set', 'active', 'a', 'b')).toEqual(err('unrecognized args: ["b"]', 2));
    expect(t('status-set', '--application=True', 'active')).toEqual(err('this unit is not the leader'));
    expect(t('status-get', '--application=true', '--format=json')).toEqual(
      err('finding application status: this unit is not the leader'),
    );
  });
});

describe('juju-log', () => {
  it('records {unit, hook, level, message} under unit.<unit>.juju-log, prefixed in relation hooks', () => {
    const sim = model();
    const { t } = sim.open('redis/0', {
      kind: 'relation-changed',
      relationId: 0,
      endpoint: 'redis-peers',
      remoteApp: 'redis',
      remoteUnit: 'redis/1',
      departingUnit: '',
      version: 1,
    });
    expect(t('juju-log', '--log-level', 'WARNING', '--', 'disk', 'low')).toEqual(ok(''));
    t('juju-log', '-l', 'bogus', 'hi');
    t('juju-log', '--debug', 'dbg');
    expect(t('juju-log')).toEqual(err('no message specified', 2));
    const lines = sim.logs.filter((l) => l.logger === 'unit.redis/0.juju-log').map((l) => [l.level, l.hook, l.message]);
    expect(lines).toEqual([
      ['WARNING', 'redis-peers-relation-changed', 'redis-peers:0: disk low'],
      ['WARNING', 'redis-peers-relation-changed', 'Specified log level of "bogus" is not valid'],
      ['INFO', 'redis-peers-relation-changed', 'redis-peers:0: hi'],
      ['DEBUG', 'redis-peers-relation-changed', 'redis-peers:0: dbg'],
    ]);
  });
});

describe('action tools outside an action', () => {
  it('fail with "not running an action"', () => {
    const { t } = model().open('redis/0');
    expect(t('action-get')).toEqual(err('not running an action'));
    expect(t('action-set', 'a=b')).toEqual(err('not running an action'));
    expect(t('action-fail', 'x')).toEqual(err('not running an action'));
    expect(t('action-log', 'x')).toEqual(err('not running an action'));
  });

  it('validate action-set keys before anything else', () => {
    const { t } = model().open('redis/0');
    expect(t('action-set', 'stdout=x')).toEqual(err('cannot set reserved action key "stdout"', 2));
    expect(t('action-set', 'Bad=x')).toEqual(
      err(
        'key "Bad" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods',
        2,
      ),
    );
    expect(t('action-set', 'novalue')).toEqual(err('argument "novalue" must be of the form key...=value', 2));
  });
});

describe('unknown tools and help', () => {
  it('answer like Juju', () => {
    const { t } = model().open('client/0');
    expect(t('frobnicate')).toEqual(err('bad request: bad command: frobnicate'));
    expect(t('config-get', '--help').exitCode).toBe(0);
  });
});
