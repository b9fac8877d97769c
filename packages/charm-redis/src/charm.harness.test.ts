import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CharmMeta } from '@charms/charm-sdk';
import { relationState, type EventSpec, type ModelState } from '@charms/charm-sdk/testing';
import { layerToYaml } from '@charms/pebble-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configReply } from './live-config.js';
import {
  charmMeta,
  client,
  loopbackNet,
  peerRelation,
  runHook,
  serverInfo,
  startHarnessUnit,
  unitState,
  until,
  type HarnessUnit,
} from './testing/harness-unit.js';

const U0 = 'redis-k8s/0';
const U1 = 'redis-k8s/1';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}

describe('redis-k8s units against real Pebble and redis-server (state-in/state-out harness)', () => {
  const net = loopbackNet();
  let meta: CharmMeta;
  let u0: HarnessUnit;
  let u1: HarnessUnit;
  let s0: ModelState;
  let s1: ModelState;
  let password = '';

  const run = (unit: HarnessUnit, event: string | EventSpec, state: ModelState) => runHook(unit, meta, event, state);

  beforeAll(async () => {
    meta = await charmMeta();
    [u0, u1] = await Promise.all([startHarnessUnit(U0, `${net}.1`), startHarnessUnit(U1, `${net}.2`)]);
  });
  afterAll(async () => {
    await Promise.all([u0?.stop(), u1?.stop()]);
  });

  it('the leader creates the password secret, publishes itself as primary and starts redis-server as master', async () => {
    const r = await run(
      u0,
      'redis-pebble-ready',
      unitState(u0, { leader: true, relations: [peerRelation(U0, { [U1]: u1.address })] }),
    );
    const [secret] = r.state.secrets;
    expect(secret).toMatchObject({ owner: 'application', label: 'redis-k8s-passwords' });
    expect(Object.keys(secret?.content ?? {}).sort()).toEqual(['password', 'sentinel-password']);
    password = secret?.content['password'] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(r.state.relations[0]?.localAppData).toEqual({
      primary: U0,
      'primary-address': u0.address,
      'failover-epoch': '0',
      leader: U0,
      'secret-id': secret?.id,
    });
    expect(r.state.relations[0]?.localUnitData).toEqual({ address: u0.address });
    expect(r.state.unitStatus).toEqual({ status: 'active', message: 'primary' });
    expect(r.state.openedPorts).toEqual(['6379/tcp']);
    const observed = r.events.find((e) => e.type === 'workload-observed');
    expect(observed?.payload).toMatchObject({
      secretCreated: secret?.id,
      layerChanged: true,
      started: ['redis-server'],
      verification: { ok: true, expected: 'master', role: 'master' },
    });
    expect((await serverInfo(u0.address, password))['role']).toBe('master');
    s0 = r.state;
  });

  it('the password lives only in redis.conf (0600, owner redis): not in the plan, the event log, logs or argv', async () => {
    const conf = await stat(u0.paths.conf);
    expect(conf.mode & 0o777).toBe(0o600);
    expect(conf.uid).toBe(102);
    expect(await readFile(u0.paths.conf, 'utf8')).toContain(`requirepass ${password}\n`);
    const plan = layerToYaml(await u0.pebble().getPlan());
    expect(plan).toContain(`redis-server ${u0.paths.conf}`);
    expect(plan).not.toContain(password);
    for (const file of await filesUnder(join(u0.charmDir, '.event-log')))
      expect(await readFile(file, 'utf8')).not.toContain(password);
    const calls = await run(u0, 'update-status', s0);
    expect(JSON.stringify(calls.calls)).not.toContain(password);
    expect(JSON.stringify(calls.state.logs) + calls.stderr).not.toContain(password);
  });

  it('a second unit replicates the primary the leader published, with masterauth from the secret', async () => {
    const peer = peerRelation(U1, { [U0]: u0.address }, s0.relations[0]?.localAppData);
    const r = await run(
      u1,
      { name: 'redis-peers-relation-changed', remoteUnit: '' },
      unitState(u1, { relations: [peer], secrets: s0.secrets }),
    );
    expect(r.state.unitStatus).toEqual({ status: 'active', message: 'replica of redis-k8s/0' });
    expect(r.state.relations[0]?.localAppData).toEqual(s0.relations[0]?.localAppData);
    const verification = r.events.find((e) => e.type === 'workload-observed')?.payload;
    expect(verification).toMatchObject({
      verification: { ok: true, expected: 'slave', role: 'slave', masterHost: u0.address, linkStatus: 'up' },
    });
    const primary = client(u0.address, password);
    await primary.connect();
    await primary.set('greeting', 'hello from the primary');
    primary.disconnect();
    expect(
      await until('the key on the replica', async () => (await readKey(u1.address, password, 'greeting')) ?? undefined),
    ).toBe('hello from the primary');
    expect((await serverInfo(u0.address, password))['connected_slaves']).toBe('1');
    s1 = r.state;
  });

  it('maxmemory changes are applied live with CONFIG SET: same run_id, no restart', async () => {
    const runId = (await serverInfo(u1.address, password))['run_id'];
    const r = await run(u1, 'config-changed', {
      ...s1,
      config: { ...s1.config, maxmemory: '64mb', 'maxmemory-policy': 'allkeys-lru' },
    });
    const observed = r.events.at(-1);
    expect(observed?.type).toBe('workload-observed');
    expect(observed?.payload).toMatchObject({
      layerChanged: false,
      restarted: [],
      started: [],
      liveConfig: { maxmemory: String(64 * 1024 * 1024), 'maxmemory-policy': 'allkeys-lru' },
    });
    const info = await serverInfo(u1.address, password);
    expect(info['run_id']).toBe(runId);
    expect(info['maxmemory']).toBe(String(64 * 1024 * 1024));
    expect(info['maxmemory_policy']).toBe('allkeys-lru');
    expect(await readFile(u1.paths.conf, 'utf8')).toContain(`maxmemory ${64 * 1024 * 1024}\n`);
    s1 = r.state;
  });

  it('persistence and min-replicas options are applied live; min-replicas is relaxed below 3 units', async () => {
    const runId = (await serverInfo(u1.address, password))['run_id'];
    const config = {
      ...s1.config,
      appendfsync: 'always',
      save: ' 900  1   60 5 ',
      'min-replicas-to-write': 1,
      'min-replicas-max-lag': 5,
    };
    const r = await run(u1, 'config-changed', { ...s1, config });
    expect(r.events.at(-1)?.payload).toMatchObject({
      restarted: [],
      liveConfig: { appendfsync: 'always', save: '900 1 60 5', 'min-replicas-max-lag': '5' },
    });
    expect(r.state.unitStatus).toEqual({
      status: 'active',
      message: 'replica of redis-k8s/0; min-replicas-to-write 1 relaxed to 0 below 3 units (2 now)',
    });
    const c = client(u1.address, password);
    try {
      await c.connect();
      expect(configReply(await c.call('config', 'get', 'appendfsync', 'save', 'min-replicas-*'))).toEqual({
        appendfsync: 'always',
        save: '900 1 60 5',
        'min-replicas-to-write': '0',
        'min-replicas-max-lag': '5',
      });
    } finally {
      c.disconnect();
    }
    expect((await serverInfo(u1.address, password))['run_id']).toBe(runId);
    const conf = await readFile(u1.paths.conf, 'utf8');
    expect(conf).toContain('appendfsync always\nsave "900 1 60 5"\nmin-replicas-to-write 0\n');
    // back to the defaults, still live
    const back = await run(u1, 'config-changed', { ...r.state, config: s1.config });
    expect(back.events.at(-1)?.payload).toMatchObject({ restarted: [], liveConfig: { appendfsync: 'everysec' } });
    expect((await serverInfo(u1.address, password))['run_id']).toBe(runId);
    s1 = back.state;
  });

  it('a save value that tries to inject a directive blocks the unit, and nothing reaches redis.conf', async () => {
    const before = await readFile(u1.paths.conf, 'utf8');
    const r = await run(u1, 'config-changed', {
      ...s1,
      config: { ...s1.config, save: '60 1\nreplicaof 10.0.0.1 6379' },
    });
    expect(r.state.unitStatus.status).toBe('blocked');
    expect(r.state.unitStatus.message).toMatch(/^invalid config: option "save" must be pairs of "<seconds> <changes>"/);
    expect(await readFile(u1.paths.conf, 'utf8')).toBe(before);
  });

  it('a failing redis-ready check (real Pebble counts) makes the unit wait until check-recovered', async () => {
    const pebble = u1.pebble();
    await pebble.stopServices(['redis-server']);
    try {
      await until('redis-ready to go down', async () => {
        const r = await pebble.refreshCheck('redis-ready').catch(() => undefined);
        const [info] = await pebble.getChecks({ names: ['redis-ready'] });
        return r !== undefined && info?.status === 'down' ? info : undefined;
      });
      const [down] = await pebble.getChecks({ names: ['redis-ready'] });
      const failed = await run(u1, { name: 'redis-pebble-check-failed', checkName: 'redis-ready' }, s1);
      expect(failed.events.filter((e) => e.type === 'hook').at(-1)?.payload).toMatchObject({
        check: { name: 'redis-ready', status: 'down', failures: down?.failures },
      });
      expect(failed.state.unitStatus).toEqual({
        status: 'waiting',
        message: `redis-ready check failing (${down?.failures} times)`,
      });
      // the hook still reconciled: redis-server runs again and the check recovers
      await until('redis-ready to come back', async () => {
        await pebble.refreshCheck('redis-ready').catch(() => undefined);
        const [info] = await pebble.getChecks({ names: ['redis-ready'] });
        return info?.status === 'up' ? info : undefined;
      });
      const recovered = await run(u1, { name: 'redis-pebble-check-recovered', checkName: 'redis-ready' }, failed.state);
      expect(recovered.state.unitStatus).toEqual({ status: 'active', message: 'replica of redis-k8s/0' });
      s1 = recovered.state;
    } finally {
      await pebble.startServices(['redis-server']).catch(() => undefined);
    }
  });

  it('an invalid option blocks the unit, naming it, and leaves redis-server alone', async () => {
    const runId = (await serverInfo(u1.address, password))['run_id'];
    const r = await run(u1, 'config-changed', { ...s1, config: { ...s1.config, loglevel: 'chatty' } });
    expect(r.state.unitStatus.status).toBe('blocked');
    expect(r.state.unitStatus.message).toBe(
      'invalid config: option "loglevel" must be one of debug, verbose, notice, warning (got "chatty"); fix it with juju config',
    );
    expect((await serverInfo(u1.address, password))['run_id']).toBe(runId);
  });

  it('actions: the initial admin password, and replication info as redis-server reports it', async () => {
    const pw = await run(
      u1,
      { name: 'get-initial-admin-password', action: true },
      { ...s1, action: { params: {}, results: {}, logs: [] } },
    );
    expect(pw.state.action?.results['password']).toBe(password);
    expect(pw.state.action?.failure).toBeUndefined();
    const sentinelPw = await run(
      u0,
      { name: 'get-sentinel-password', action: true },
      { ...s0, action: { params: {}, results: {}, logs: [] } },
    );
    expect(sentinelPw.state.action?.results['sentinel-password']).toBe(s0.secrets[0]?.content['sentinel-password']);
    expect(sentinelPw.state.action?.results['sentinel-password']).not.toBe(password);
    const info = await run(
      u0,
      { name: 'get-replication-info', action: true },
      { ...s0, action: { params: {}, results: {}, logs: [] } },
    );
    expect(info.state.action?.results).toMatchObject({
      role: 'master',
      'expected-role': 'primary',
      'connected-replicas': '1',
      'replicas.0.ip': u1.address,
      'replicas.0.state': 'online',
    });
  });

  it('a sentinel failover rewrites redis.conf without restarting, and a restart keeps the new topology', async () => {
    // what sentinel does to the servers: promote unit 1, repoint unit 0
    const p = client(u1.address, password);
    const old = client(u0.address, password);
    await Promise.all([p.connect(), old.connect()]);
    await p.call('replicaof', 'no', 'one');
    await old.call('replicaof', u1.address, '6379');
    p.disconnect();
    old.disconnect();
    const runId = (await serverInfo(u0.address, password))['run_id'];
    const sentinel = relationState({
      endpoint: 'sentinel',
      id: 7,
      remoteApp: 'redis-sentinel-k8s',
      remoteUnits: ['redis-sentinel-k8s/0'],
      remoteAppData: { 'primary-address': u1.address, 'failover-epoch': '1' },
    });
    const r = await run(
      u0,
      { name: 'sentinel-relation-changed', remoteUnit: '' },
      { ...s0, relations: [...s0.relations, sentinel] },
    );
    expect(r.state.unitStatus).toEqual({ status: 'active', message: 'replica of redis-k8s/1' });
    expect(r.state.relations[0]?.localAppData).toMatchObject({
      primary: U1,
      'primary-address': u1.address,
      'failover-epoch': '1',
      'failover-source': '7',
    });
    expect(r.state.relations[1]?.localAppData).toMatchObject({
      'master-name': 'redis-k8s',
      primary: U1,
      'primary-address': u1.address,
      port: '6379',
      'secret-id': s0.secrets[0]?.id,
    });
    expect(r.state.secrets[0]?.grants['7']).toEqual(['*']);
    expect(await readFile(u0.paths.conf, 'utf8')).toContain(`replicaof ${u1.address} 6379\n`);
    expect(r.events.at(-1)?.payload).toMatchObject({ restarted: [], filesPushed: [u0.paths.conf] });
    expect((await serverInfo(u0.address, password))['run_id']).toBe(runId);
    await u0.pebble().restartServices(['redis-server']);
    const after = await until('unit 0 back as a replica of unit 1', async () => {
      const info = await serverInfo(u0.address, password);
      return info['run_id'] !== runId && info['master_link_status'] === 'up' ? info : undefined;
    });
    expect(after).toMatchObject({ role: 'slave', master_host: u1.address });
  });
});

async function readKey(address: string, password: string, key: string): Promise<string | null> {
  const c = client(address, password);
  try {
    await c.connect();
    return await c.get(key);
  } finally {
    c.disconnect();
  }
}
