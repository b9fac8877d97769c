import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { readCharmDocs } from '@charms/charm-sdk/pack';
import {
  modelState,
  relationState,
  runEvent,
  startTestContainers,
  type ModelState,
  type TestContainers,
} from '@charms/charm-sdk/testing';
import type { CharmMeta } from '@charms/charm-sdk';
import type { PebbleClient } from '@charms/pebble-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSentinelCharm } from './definition.js';
import { pathsUnder, MYID_KEY } from './paths.js';
import { FAILOVER_NOTICE_KEY, reconfigScript } from './reconfig-script.js';
import { ioredisConnector, withSentinel } from './sentinel-client.js';
import { loopbackPrefix, startRedis, until, waitReplicaLinked, type RedisProcess } from './testing/redis-processes.js';

const PACKAGE = resolve(new URL('..', import.meta.url).pathname);
const PEBBLE_BIN = process.env['PEBBLE_BIN'] ?? resolve(PACKAGE, '../../tools/bin/pebble');
const available = existsSync(PEBBLE_BIN) && existsSync('/usr/bin/redis-server');
const run = promisify(execFile);

// Quotes, backslash, space and '#' must survive sentinel.conf's quoting.
const PASSWORD = 'redis "pass\\word" #1';
const SENTINEL_PASSWORD = 'sentinel pass "2"';

describe.skipIf(!available)('the charm pipeline against real Pebble, redis-server and redis-sentinel', () => {
  const net = loopbackPrefix();
  const sentinelHost = `${net}10`;
  let dir: string;
  let charmDir: string;
  let meta: CharmMeta;
  let containers: TestContainers;
  let pebble: PebbleClient;
  let primary: RedisProcess;
  let replica: RedisProcess;
  const paths = () => pathsUnder(join(dir, 'sentinel'), PEBBLE_BIN);
  const charm = () => createSentinelCharm({ paths: paths() });
  let state: ModelState;

  const redisRelation = (units: string[]) =>
    relationState({
      endpoint: 'redis',
      id: 3,
      remoteApp: 'redis-k8s',
      remoteUnits: units,
      remoteAppData: {
        'master-name': 'redis-k8s',
        primary: 'redis-k8s/0',
        'primary-address': `${net}1`,
        port: '6379',
        'secret-id': 'secret:cred1000000000000000',
        units: JSON.stringify([
          { unit: 'redis-k8s/0', address: `${net}1` },
          { unit: 'redis-k8s/1', address: `${net}2` },
        ]),
      },
    });
  const peerRelation = (units: string[]) =>
    relationState({
      endpoint: 'sentinel-peers',
      id: 1,
      remoteApp: 'redis-sentinel-k8s',
      peer: true,
      remoteUnits: units,
      remoteUnitsData: Object.fromEntries(
        units.map((u, i) => [u, { address: `${net}${20 + i}`, myid: String(i + 1).repeat(40) }]),
      ),
    });
  const step = async (event: Parameters<typeof runEvent>[1]['event'], logDir?: string) => {
    const r = await runEvent(charm(), {
      event,
      state,
      meta,
      charmDir,
      containersRoot: containers.root,
      ...(logDir === undefined ? {} : { logDir }),
    });
    expect(r.run.error?.message ?? null).toBeNull();
    state = r.state;
    return r;
  };
  const sentinel = <T>(fn: Parameters<typeof withSentinel<T>>[3]) =>
    withSentinel(ioredisConnector, { host: sentinelHost, port: 26379, password: SENTINEL_PASSWORD }, 5000, fn);
  const service = async () => (await pebble.getServices({ names: ['sentinel'] }))[0];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'charm-sentinel-it-'));
    charmDir = join(dir, 'charm');
    meta = (await readCharmDocs(PACKAGE)).meta;
    primary = await startRedis(dir, `${net}1`, PASSWORD);
    replica = await startRedis(dir, `${net}2`, PASSWORD, { host: primary.host, port: 6379 });
    await waitReplicaLinked(replica);
    containers = await startTestContainers(['sentinel']);
    pebble = (containers.daemons['sentinel'] as NonNullable<TestContainers['daemons'][string]>).client();
    state = modelState({
      unit: 'redis-sentinel-k8s/0',
      leader: true,
      config: { 'down-after-milliseconds': 5000, 'failover-timeout': 30000, 'parallel-syncs': 1 },
      addresses: { 'sentinel-peers': sentinelHost },
      relations: [peerRelation([])],
      secrets: [
        {
          id: 'secret:cred1000000000000000',
          owner: 'remote',
          revision: 1,
          content: { password: PASSWORD, 'sentinel-password': SENTINEL_PASSWORD },
          grants: {},
        },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await pebble?.close();
    await containers?.stop();
    await Promise.all([primary?.stop(), replica?.stop()]);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('is blocked without the redis relation and runs nothing', async () => {
    await step('install');
    expect(state.unitStatus).toEqual({
      status: 'blocked',
      message: 'missing relation to redis-k8s: juju integrate <this app>:redis redis-k8s:sentinel',
    });
    expect(await service()).toBeUndefined();
  });

  it('renders sentinel.conf (0600) and the script (0755), starts sentinel, stores its id', async () => {
    state = { ...state, relations: [...state.relations, redisRelation(['redis-k8s/0', 'redis-k8s/1'])] };
    const r = await step('redis-relation-changed');
    expect(state.unitStatus).toEqual({ status: 'active', message: 'monitoring redis-k8s (1 sentinel, quorum 1)' });
    expect((await service())?.current).toBe('active');
    const p = paths();
    expect((await stat(p.confFile)).mode & 0o777).toBe(0o600);
    expect((await stat(p.scriptPath)).mode & 0o777).toBe(0o755);
    expect(await readFile(p.scriptPath, 'utf8')).toBe(reconfigScript(PEBBLE_BIN));
    const myid = state.charmState[MYID_KEY];
    expect(myid).toMatch(/^[0-9a-f]{40}$/);
    expect(await readFile(p.confFile, 'utf8')).toContain(`sentinel myid ${myid}`);
    const live = await sentinel(async (s) => ({ myid: await s.myid(), master: await s.master('redis-k8s') }));
    expect(live.myid).toBe(myid);
    expect(live.master).toMatchObject({ ip: primary.host, port: 6379, quorum: 1, downAfterMilliseconds: 5000 });
    expect(state.relations.find((x) => x.endpoint === 'sentinel-peers')?.localUnitData).toEqual({
      address: sentinelHost,
      myid,
    });
    expect(r.events.at(-1)).toMatchObject({
      type: 'sentinel-reconciled',
      payload: { rendered: { hash: expect.any(String) }, restarted: false, started: ['sentinel'], scriptPushed: true },
    });
  });

  it('get-primary: the primary this sentinel (a majority of one) reports, with its view', async () => {
    const r = await runEvent(charm(), {
      event: { name: 'get-primary', action: true },
      state: { ...state, action: { params: {}, results: {}, logs: [] } },
      meta,
      charmDir,
      containersRoot: containers.root,
    });
    expect(r.state.action?.failure).toBeUndefined();
    expect(r.state.action?.results).toEqual({
      primary: `${primary.host}:6379`,
      'primary-unit': 'redis-k8s/0',
      votes: '1 of 1 (majority 1)',
      'sentinels.0.unit': 'redis-sentinel-k8s/0',
      'sentinels.0.address': sentinelHost,
      'sentinels.0.primary': `${primary.host}:6379`,
    });
  });

  it('keeps secrets out of the Pebble plan, the event log and the process arguments', async () => {
    const plan = JSON.stringify(await pebble.getPlan());
    const log = (
      await Promise.all(
        (await readdir(join(charmDir, '.event-log')))
          .filter((f) => f.endsWith('.jsonl'))
          .map((f) => readFile(join(charmDir, '.event-log', f), 'utf8')),
      )
    ).join('');
    const { stdout: ps } = await run('ps', ['-eo', 'args']);
    for (const text of [plan, log, ps]) {
      expect(text).not.toContain('pass\\word');
      expect(text).not.toContain('sentinel pass');
    }
    expect(log).toContain('sha256:');
  });

  it('applies scale and timing changes with SENTINEL SET, without restarting sentinel', async () => {
    const before = await service();
    state = {
      ...state,
      relations: state.relations.map((x) =>
        x.endpoint === 'sentinel-peers' ? peerRelation(['redis-sentinel-k8s/1', 'redis-sentinel-k8s/2']) : x,
      ),
    };
    const joined = await step({ name: 'sentinel-peers-relation-joined', remoteUnit: 'redis-sentinel-k8s/2' });
    expect(state.unitStatus).toEqual({ status: 'active', message: 'monitoring redis-k8s (3 sentinels, quorum 2)' });
    expect(joined.events.at(-1)?.payload).toMatchObject({ set: ['quorum'], rendered: null, restarted: false });
    state = { ...state, config: { ...state.config, 'down-after-milliseconds': 1000, 'failover-timeout': 3000 } };
    const changed = await step('config-changed');
    expect(changed.events.at(-1)?.payload).toMatchObject({
      set: ['down-after-milliseconds', 'failover-timeout'],
      rendered: null,
      restarted: false,
    });
    expect(await sentinel((s) => s.master('redis-k8s'))).toMatchObject({
      quorum: 2,
      downAfterMilliseconds: 1000,
      failoverTimeout: 3000,
    });
    expect((await service())?.currentSince).toBe(before?.currentSince);
    const quiet = await step('update-status');
    expect(quiet.events.at(-1)?.type).toBe('hook');
    // the real sentinel's NOQUORUM reply (its two peers were never discovered: not counted as lost)
    expect(quiet.events.at(-1)?.payload).toMatchObject({ sentinel: { quorum: { ok: false, usable: 1 } } });
    expect(state.unitStatus?.status).toBe('active');
  });

  it('get-primary fails without a majority and still shows each view (two peers do not answer)', async () => {
    const r = await runEvent(charm(), {
      event: { name: 'get-primary', action: true },
      state: { ...state, action: { params: {}, results: {}, logs: [] } },
      meta,
      charmDir,
      containersRoot: containers.root,
    });
    expect(r.state.action?.failure).toBe(
      "no primary has a majority: 1 of 3 sentinels agree, 2 needed (each sentinel's view is in the results)",
    );
    const results = r.state.action?.results ?? {};
    expect(results).toMatchObject({
      votes: '1 of 3 (majority 2)',
      'sentinels.0.primary': `${primary.host}:6379`,
      'sentinels.1.unit': 'redis-sentinel-k8s/1',
      'sentinels.1.primary': 'none',
      'sentinels.2.address': `${net}21`,
    });
    expect(results['sentinels.1.error']).toMatch(/^sentinel-unreachable: cannot reach sentinel/);
    expect(results['primary']).toBeUndefined();
  });

  it('rotating the redis password sets auth-pass at runtime; a lost log re-renders with the same id', async () => {
    const myid = state.charmState[MYID_KEY];
    for (const r of [primary, replica]) {
      const c = r.client();
      await c.connect();
      await c.call('CONFIG', 'SET', 'masterauth', `${PASSWORD}-2`, 'requirepass', `${PASSWORD}-2`);
      c.disconnect();
    }
    state = {
      ...state,
      secrets: state.secrets.map((s) => ({ ...s, revision: 2, content: { ...s.content, password: `${PASSWORD}-2` } })),
    };
    const since = (await service())?.currentSince;
    const rotated = await step({ name: 'secret-changed', secret: { id: 'secret:cred1000000000000000', revision: 2 } });
    expect(rotated.events.at(-1)?.payload).toMatchObject({ set: ['auth-pass'], rendered: null, restarted: false });
    expect((await service())?.currentSince).toBe(since);
    const fresh = await step('update-status', join(dir, 'lost-log'));
    expect(fresh.events.map((e) => e.type)).toEqual(['hook', 'sentinel-reconciled']);
    expect(fresh.events[1]?.payload).toMatchObject({ restarted: true, rendered: { hash: expect.any(String) } });
    expect(await sentinel((s) => s.myid())).toBe(myid);
  });

  it('turns a failover into a custom notice and publishes the new primary on the redis relation', async () => {
    state = {
      ...state,
      relations: state.relations.map((x) => (x.endpoint === 'sentinel-peers' ? peerRelation([]) : x)),
    };
    const departed = await step({
      name: 'sentinel-peers-relation-departed',
      remoteUnit: 'redis-sentinel-k8s/1',
      departingUnit: 'redis-sentinel-k8s/1',
    });
    expect(departed.events.at(-1)?.payload).toMatchObject({ set: ['quorum'], reset: true });
    await until(
      'sentinel to forget the departed sentinels and re-learn the replica',
      async () => {
        const m = await sentinel((s) => s.master('redis-k8s'));
        return m.quorum === 1 && m.numOtherSentinels === 0 && m.numSlaves === 1 ? m : undefined;
      },
      15_000,
    );
    primary.child.kill('SIGSTOP');
    const notice = await until(
      'the failover notice',
      async () => (await pebble.getNotices({ types: ['custom'], keys: [FAILOVER_NOTICE_KEY] }))[0],
      30_000,
    ).catch(async (e: Error) => {
      const logs = await pebble.getLogs({ services: ['sentinel'], n: 40 });
      throw new Error(`${e.message}\nsentinel log:\n${logs.map((l) => l.message).join('\n')}`);
    });
    expect(notice.lastData).toMatchObject({
      master: 'redis-k8s',
      from: `${primary.host}:6379`,
      to: `${replica.host}:6379`,
    });
    const r = await step({
      name: 'sentinel-pebble-custom-notice',
      notice: { id: notice.id, type: 'custom', key: FAILOVER_NOTICE_KEY },
    });
    const hook = r.events.filter((e) => e.type === 'hook').at(-1);
    expect(hook?.type === 'hook' && hook.payload.notice?.data).toMatchObject({ to: `${replica.host}:6379` });
    expect(state.relations.find((x) => x.endpoint === 'redis')?.localAppData).toEqual({
      'primary-address': replica.host,
      'failover-epoch': '1',
    });
    expect(r.events.at(-1)?.payload).toMatchObject({
      published: { 'primary-address': replica.host, 'failover-epoch': '1' },
    });
    const again = await step('update-status');
    expect(again.calls.filter((c) => c.tool === 'relation-set' && c.args.includes('--app'))).toEqual([]);
  }, 60_000);

  it('stops sentinel and blocks when the redis relation goes away', async () => {
    state = { ...state, relations: state.relations.filter((x) => x.endpoint !== 'redis') };
    await step('config-changed');
    expect(state.unitStatus.status).toBe('blocked');
    expect((await service())?.current).toBe('inactive');
  });
});
