import { describe, expect, it } from 'vitest';
import { attachResource } from '../model/lifecycle.js';
import { removeUnit } from '../model/deploy.js';
import { redisWithClient, Sim } from '../model/testing-fixtures/sim.js';

const model = (): Sim => redisWithClient({ trust: true });

const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });
const err = (msg: string, exitCode = 1) => ({ stdout: '', stderr: `ERROR ${msg}\n`, exitCode });

describe('resource-get', () => {
  it('prints the charm-container path without a newline and asks the runtime to fetch the file', () => {
    const sim = model();
    sim.apply(attachResource(sim.model, 'redis', 'cert-file', '/host/redis.crt'));
    const { t } = sim.open('redis/0');
    expect(t('resource-get', 'cert-file')).toEqual(
      ok('/var/lib/juju/agents/unit-redis-0/resources/cert-file/redis.crt'),
    );
    expect(sim.effects.at(-1)).toEqual({
      type: 'fetch-resource',
      unit: 'redis/0',
      resource: 'cert-file',
      from: '/host/redis.crt',
      content: null,
      to: '/var/lib/juju/agents/unit-redis-0/resources/cert-file/redis.crt',
    });
    expect(t('resource-get', 'redis-image').stdout).toBe(
      '/var/lib/juju/agents/unit-redis-0/resources/redis-image/content.yaml',
    );
    expect(t('resource-get')).toEqual(err('missing required resource name', 2));
    expect(t('resource-get', 'nope')).toEqual(err('could not download resource: resource "nope" not found'));
  });

  it('fails for a file resource that was never uploaded', () => {
    const { t } = model().open('redis/0');
    expect(t('resource-get', 'cert-file').stderr).toMatch(/^ERROR could not download resource: /);
  });
});

describe('storage-list / storage-get / storage-add', () => {
  it("lists and describes the unit's storage; defaults -s inside storage hooks", () => {
    const sim = model();
    const { t } = sim.open('redis/1');
    expect(t('storage-list', '--format=json')).toEqual(ok('["database/1"]\n'));
    expect(t('storage-list', '--format=json', 'other')).toEqual(ok('[]\n'));
    expect(t('storage-get', '--format=json', '-s', 'database/1')).toEqual(
      ok('{"kind":"filesystem","location":"/var/lib/juju/storage/database/0"}\n'),
    );
    expect(t('storage-get', '-s', 'database/1', 'location')).toEqual(ok('/var/lib/juju/storage/database/0\n'));
    expect(t('storage-get', '-s', 'database/1', 'size')).toEqual(err('invalid storage attribute "size"'));
    expect(t('storage-get')).toEqual(err('no storage instance specified', 2));
    expect(t('storage-get', '-s', 'database/0')).toEqual(
      err('invalid value "database/0" for flag -s: storage instance "database/0" not found', 2),
    );
    const hook = sim.open('redis/0', { kind: 'storage-attached', storageId: 'database/0' });
    expect(hook.t('storage-get', 'kind')).toEqual(ok('filesystem\n'));
    expect(hook.ctx.env).toMatchObject({
      JUJU_STORAGE_ID: 'database/0',
      JUJU_STORAGE_LOCATION: '/var/lib/juju/storage/database/0',
      JUJU_STORAGE_KIND: 'filesystem',
    });
  });

  it('buffers storage-add and attaches the new instance after commit', () => {
    const sim = model();
    const { t, commit } = sim.open('redis/1');
    expect(t('storage-add', 'database=1')).toEqual(ok(''));
    expect(t('storage-add', 'nope')).toEqual(err('storage "nope" not found'));
    commit();
    expect(sim.settle()).toEqual(['redis/1 database-storage-attached']);
    expect(sim.model.storage['database/2']).toMatchObject({
      unit: 'redis/1',
      location: '/var/lib/juju/storage/database/1',
      attached: true,
    });
  });
});

describe('network-get / unit-get', () => {
  it("returns the pod address in Juju's shape, or single values with flags", () => {
    const sim = model();
    const addr = sim.model.units['redis/0']!.address;
    expect(addr).toMatch(/^127\./);
    const { t } = sim.open('redis/0');
    expect(t('network-get', '--format=json', 'redis')).toEqual(
      ok(
        `{"bind-addresses":[{"mac-address":"","interface-name":"eth0","addresses":[{"hostname":"","value":"${addr}","cidr":"${addr}/32"}]}],"egress-subnets":["${addr}/32"],"ingress-addresses":["${addr}"]}\n`,
      ),
    );
    expect(t('network-get', 'redis-peers', '--ingress-address')).toEqual(ok(`${addr}\n`));
    expect(t('network-get', '--format=json', 'redis', '--ingress-address', '--egress-subnets')).toEqual(
      ok(`{"egress-subnets":["${addr}/32"],"ingress-address":"${addr}"}\n`),
    );
    expect(t('network-get', 'juju-info', '--ingress-address')).toEqual(ok(`${addr}\n`));
    expect(t('network-get', 'nope')).toEqual(err('no network config found for binding "nope"'));
    expect(t('network-get')).toEqual(err('no arguments specified', 2));
    expect(t('unit-get', 'private-address')).toEqual(ok(`${addr}\n`));
  });
});

describe('open-port / close-port / opened-ports', () => {
  it('buffers port changes until commit and reports committed ports only', () => {
    const sim = model();
    const { t, commit } = sim.open('redis/0');
    expect(t('open-port', '6379/tcp')).toEqual(ok(''));
    t('open-port', '26379');
    t('open-port', '1000-1002/udp');
    expect(t('opened-ports', '--format=json')).toEqual(ok('[]\n'));
    expect(t('open-port', '70000')).toEqual(
      err('expected <port>[/<protocol>] or <from>-<to>[/<protocol>] or icmp; got "70000"', 2),
    );
    commit();
    const again = sim.open('redis/0');
    expect(again.t('opened-ports', '--format=json')).toEqual(ok('["6379/tcp","26379/tcp","1000-1002/udp"]\n'));
    again.t('close-port', '26379/tcp');
    again.commit(1);
    expect(sim.model.units['redis/0']!.ports).toEqual(['6379/tcp', '26379/tcp', '1000-1002/udp']);
    const third = sim.open('redis/0');
    expect(third.t('opened-ports', '--endpoints')).toEqual(ok('6379/tcp (*)\n26379/tcp (*)\n1000-1002/udp (*)\n'));
  });
});

describe('state-get / state-set / state-delete', () => {
  it("buffers state, shows pending values to the hook, and keeps Juju's empty forms", () => {
    const sim = model();
    const a = sim.open('redis/0');
    expect(a.t('state-get', '--format=json')).toEqual(ok('{}\n'));
    expect(a.t('state-set', '--file', '-', '<<<', 'seq: "1"\nname: x\n')).toEqual(ok(''));
    a.t('state-set', 'other=y');
    expect(a.t('state-get', 'seq')).toEqual(ok('1\n'));
    expect(a.t('state-get', 'missing')).toEqual(ok(''));
    expect(a.t('state-get', 'missing', '--strict')).toEqual(err('state key "missing" not found'));
    a.commit();
    const b = sim.open('redis/0');
    b.t('state-delete', 'name');
    expect(b.t('state-get', '--format=json')).toEqual(ok('{"other":"y","seq":"1"}\n'));
    b.commit(1);
    expect(sim.model.units['redis/0']!.state).toEqual({ seq: '1', name: 'x', other: 'y' });
  });
});

describe('goal-state', () => {
  it('lists units and related units with statuses; dying units show as dying', () => {
    const sim = model();
    sim.apply(removeUnit(sim.model, 'redis/1'));
    const { t } = sim.open('client/0');
    const g = JSON.parse(t('goal-state', '--format=json').stdout);
    expect(Object.keys(g)).toEqual(['units', 'relations']);
    expect(g.units['client/0'].status).toBe('active');
    expect(Object.keys(g.relations.db)).toEqual(['redis', 'redis/0', 'redis/1']);
    expect(g.relations.db['redis/1'].status).toBe('dying');
    expect(t('goal-state', '--format=smart')).toEqual(
      err('invalid value "smart" for flag --format: unknown format "smart"', 2),
    );
  });
});

describe('tools a sidecar charm cannot use here', () => {
  it('fail with exit 1 and an explanation', () => {
    const sim = model();
    const redis = sim.open('redis/0');
    expect(redis.t('credential-get', '--format=json').stderr).toMatch(
      /^ERROR cannot access cloud credentials: application "redis" is not trusted/,
    );
    expect(sim.open('client/0').t('credential-get').stderr).toMatch(/^ERROR cannot access cloud credentials/);
    expect(redis.t('pod-spec-set', '--file', 'x').exitCode).toBe(1);
    expect(redis.t('juju-reboot').exitCode).toBe(1);
  });

  it('every refused tool gives its reason on stderr and exit 1, whatever its arguments', () => {
    const { t } = model().open('client/0');
    expect(t('credential-get', '--format=json')).toEqual(
      err('cannot access cloud credentials: charm-sim has no Kubernetes API to describe'),
    );
    const podspec = 'podspec charm commands are not supported for sidecar charms';
    const refused: Record<string, string> = {
      'pod-spec-set': podspec,
      'pod-spec-get': podspec,
      'k8s-spec-set': podspec,
      'k8s-spec-get': podspec,
      'k8s-raw-set': podspec,
      'k8s-raw-get': podspec,
      'add-metric': 'cannot record metric: metrics disabled',
      'juju-reboot': 'juju-reboot is not supported on Kubernetes models',
      'payload-register': 'payloads are not supported on Kubernetes models',
      'payload-unregister': 'payloads are not supported on Kubernetes models',
      'payload-status-set': 'payloads are not supported on Kubernetes models',
    };
    for (const [tool, message] of Object.entries(refused)) {
      expect([tool, t(tool, '--file', 'spec.yaml', 'key=1', '--now')]).toEqual([tool, err(message)]);
    }
  });
});
