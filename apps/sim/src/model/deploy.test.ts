import { describe, expect, it } from 'vitest';
import { addUnit, deployApp, removeUnit } from './deploy.js';
import { observeBootId } from './workload.js';
import { redisLike, Sim } from './testing-fixtures/sim.js';

describe('deploy: the install chain', () => {
  it('runs install -> peer relation-created -> leader-elected -> config-changed -> start -> storage-attached on the leader', () => {
    const sim = new Sim().apply(deployApp(new Sim().model, { charm: redisLike() }));
    sim.settle();
    expect(sim.hooksOf('redis/0')).toEqual([
      'install',
      'redis-peers-relation-created',
      'leader-elected',
      'config-changed',
      'start',
      'database-storage-attached',
    ]);
    const u = sim.model.units['redis/0']!;
    expect(u.workloadStatus.status).toBe('unknown');
    expect(u.agentStatus.status).toBe('idle');
    expect(sim.model.apps.redis!.leader).toBe('redis/0');
  });

  it('gives a non-leader leader-settings-changed instead, then peer joined/changed with the leader', () => {
    const sim = new Sim();
    sim.apply(deployApp(sim.model, { charm: redisLike(), units: 2 }));
    sim.settle();
    expect(sim.hooksOf('redis/1').slice(0, 6)).toEqual([
      'install',
      'redis-peers-relation-created',
      'leader-settings-changed',
      'config-changed',
      'start',
      'database-storage-attached',
    ]);
    expect(sim.hooksOf('redis/1')).toContain('redis-peers-relation-joined');
    const joined = sim.hooksOf('redis/1').indexOf('redis-peers-relation-joined');
    expect(sim.hooksOf('redis/1')[joined + 1]).toBe('redis-peers-relation-changed');
    expect(sim.envOf('redis/1', 'redis-peers-relation-joined')).toMatchObject({
      JUJU_REMOTE_UNIT: 'redis/0',
      JUJU_RELATION_ID: 'redis-peers:0',
      JUJU_REMOTE_APP: 'redis',
    });
  });

  it('sets maintenance before install and exports every env var of the hook kind', () => {
    const sim = new Sim();
    sim.apply(deployApp(sim.model, { charm: redisLike() }));
    let statusDuringInstall = '';
    sim.behaviour = (spec, t) => {
      if (spec.name === 'install') statusDuringInstall = t('status-get', '--include-data', '--format=json').stdout;
    };
    sim.step('redis/0');
    expect(JSON.parse(statusDuringInstall)).toEqual({
      message: 'installing charm software',
      status: 'maintenance',
      'status-data': {},
    });
    const env = sim.envOf('redis/0', 'install');
    expect(env).toMatchObject({
      JUJU_HOOK_NAME: 'install',
      JUJU_DISPATCH_PATH: 'hooks/install',
      JUJU_UNIT_NAME: 'redis/0',
      JUJU_MODEL_NAME: 'test',
      JUJU_CHARM_DIR: '/var/lib/juju/agents/unit-redis-0/charm',
      CHARM_DIR: '/var/lib/juju/agents/unit-redis-0/charm',
      JUJU_AGENT_SOCKET_ADDRESS: '/tmp/agent.socket',
      JUJU_AGENT_SOCKET_NETWORK: 'unix',
      JUJU_CONTEXT_ID: 'redis/0-install-42',
      JUJU_MACHINE_ID: '',
      JUJU_PRINCIPAL_UNIT: '',
      JUJU_AVAILABILITY_ZONE: '',
    });
    expect(env.PATH?.startsWith('/tools:')).toBe(true);
    expect(env.JUJU_VERSION).toMatch(/^3\.6\./);
  });

  it('fires pebble-ready once per new boot id, recording it only when the hook succeeds', () => {
    const sim = new Sim();
    sim.apply(deployApp(sim.model, { charm: redisLike() }));
    sim.settle();
    sim.apply(observeBootId(sim.model, 'redis/0', 'redis', 'boot-1'));
    sim.behaviour = (spec) => (spec.name === 'redis-pebble-ready' ? 1 : 0);
    expect(sim.step('redis/0')?.name).toBe('redis-pebble-ready');
    expect(sim.model.units['redis/0']!.containers.redis!.bootIdHandled).toBeNull();
    sim.behaviour = () => 0;
    expect(sim.retry('redis/0')?.env.JUJU_WORKLOAD_NAME).toBe('redis');
    expect(sim.model.units['redis/0']!.containers.redis!.bootIdHandled).toBe('boot-1');
    sim.apply(observeBootId(sim.model, 'redis/0', 'redis', 'boot-1'));
    expect(sim.settle()).toEqual([]);
    sim.apply(observeBootId(sim.model, 'redis/0', 'redis', 'boot-2'));
    expect(sim.settle()).toEqual(['redis/0 redis-pebble-ready']);
  });

  it('rejects unknown config, bad values, unknown resources and duplicate names with precise codes', () => {
    const m = new Sim().model;
    expect(() => deployApp(m, { charm: redisLike(), config: { nope: '1' } })).toThrow(
      /no such option \(options: enable-tls, name, port\)/,
    );
    expect(() => deployApp(m, { charm: redisLike(), config: { port: 'x' } })).toThrow(/"x" is not an int/);
    expect(() => deployApp(m, { charm: redisLike(), resources: { foo: '/x' } })).toThrow(
      expect.objectContaining({ code: 'bad-resource' }),
    );
    const once = deployApp(m, { charm: redisLike() }).model;
    expect(() => deployApp(once, { charm: redisLike() })).toThrow(expect.objectContaining({ code: 'app-exists' }));
    expect(
      deployApp(m, { charm: redisLike(), config: { port: '7000', 'enable-tls': 'true' } }).model.apps.redis!.config,
    ).toEqual({ port: 7000, 'enable-tls': true });
  });
});

describe('scale 1 -> 3 -> 1', () => {
  it('joins new peers both ways, then departs and removes the leavers in order', () => {
    const sim = new Sim();
    sim.apply(deployApp(sim.model, { charm: redisLike() }));
    sim.settle();
    expect(sim.hooksOf('redis/0')).not.toContain('redis-peers-relation-joined');
    sim.apply(addUnit(sim.model, 'redis', 2));
    sim.settle();
    const peerHooks = (u: string) =>
      sim.history
        .filter((h) => h.unit === u && h.hook.startsWith('redis-peers-relation-'))
        .map((h) => `${h.hook.replace('redis-peers-relation-', '')} ${h.env.JUJU_REMOTE_UNIT}`);
    expect(peerHooks('redis/0')).toEqual([
      'created ',
      'joined redis/1',
      'changed redis/1',
      'joined redis/2',
      'changed redis/2',
    ]);
    expect(peerHooks('redis/2').filter((h) => h !== 'created ')).toEqual([
      'joined redis/0',
      'changed redis/0',
      'joined redis/1',
      'changed redis/1',
    ]);

    const before = sim.history.length;
    sim.apply(removeUnit(sim.model, 'redis/1'));
    sim.apply(removeUnit(sim.model, 'redis/2'));
    sim.settle();
    const after = sim.history.slice(before);
    const leaver = after.filter((h) => h.unit === 'redis/2');
    expect(leaver.map((h) => h.hook)).toEqual([
      'redis-peers-relation-departed',
      'redis-peers-relation-departed',
      'stop',
      'database-storage-detaching',
      'remove',
    ]);
    expect(leaver.slice(0, 2).map((h) => [h.env.JUJU_REMOTE_UNIT, h.env.JUJU_DEPARTING_UNIT])).toEqual([
      ['redis/0', 'redis/2'],
      ['redis/1', 'redis/2'],
    ]);
    const stayer = after.filter((h) => h.unit === 'redis/0');
    expect(stayer.map((h) => `${h.hook} ${h.env.JUJU_REMOTE_UNIT}=${h.env.JUJU_DEPARTING_UNIT}`)).toEqual([
      'redis-peers-relation-departed redis/1=redis/1',
      'redis-peers-relation-departed redis/2=redis/2',
    ]);
    expect(Object.keys(sim.model.units)).toEqual(['redis/0']);
    expect(
      sim.effects.filter((e) => e.type === 'unit-removed').map((e) => e.type === 'unit-removed' && e.storage),
    ).toEqual([['database/1'], ['database/2']]);
    expect(sim.model.units['redis/0']!.workloadStatus.status).toBe('unknown');
  });

  it('removes a never-installed unit at once', () => {
    const sim = new Sim();
    sim.apply(deployApp(sim.model, { charm: redisLike(), units: 2 }));
    sim.apply(removeUnit(sim.model, 'redis/1'));
    expect(sim.model.units['redis/1']).toBeUndefined();
    expect(sim.effects).toContainEqual({ type: 'unit-removed', unit: 'redis/1', storage: ['database/1'] });
  });
});
