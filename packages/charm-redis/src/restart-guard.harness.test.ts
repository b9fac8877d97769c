/**
 * The restart guard against real Pebble, redis-server and redis-sentinel: a primary whose
 * redis-server crashes and is restarted by Pebble comes back as a replica of nobody, its replica
 * keeps its data, and the charm settles it (sentinel promotes the replica; without sentinel it
 * stays read-only while a peer holds data, and is master again once none does).
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CharmMeta } from '@charms/charm-sdk';
import { relationState, type EventSpec, type ModelState } from '@charms/charm-sdk/testing';
import { startPebbleDaemon, type PebbleDaemon } from '@charms/pebble-client/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
} from './testing-fixtures/harness-unit.js';

const U0 = 'redis-k8s/0';
const U1 = 'redis-k8s/1';
const KEYS = 200;

describe('restart guard: a crashed primary never comes back as a master its replica follows', () => {
  const net = loopbackNet();
  const sentinelAddress = `${net}.9`;
  let meta: CharmMeta;
  let u0: HarnessUnit;
  let u1: HarnessUnit;
  let s0: ModelState;
  let s1: ModelState;
  let password = '';
  let sentinelPassword = '';
  let sentinel: PebbleDaemon | undefined;
  let sentinelDir = '';

  const run = (unit: HarnessUnit, event: string | EventSpec, state: ModelState) => runHook(unit, meta, event, state);

  /** SIGKILLs redis-server through Pebble and waits until Pebble has restarted it (new run_id). */
  async function crash(unit: HarnessUnit): Promise<void> {
    const before = (await serverInfo(unit.address, password))['run_id'];
    const pebble = unit.pebble();
    try {
      await pebble.sendSignal('SIGKILL', ['redis-server']);
    } finally {
      await pebble.close();
    }
    await until(
      'Pebble to restart redis-server',
      async () => {
        const i = await serverInfo(unit.address, password);
        return i['run_id'] !== before && i['loading'] === '0' ? true : undefined;
      },
      20_000,
    );
  }

  async function dbsize(address: string): Promise<number> {
    const c = client(address, password);
    try {
      await c.connect();
      return await c.dbsize();
    } finally {
      c.disconnect();
    }
  }

  beforeAll(async () => {
    meta = await charmMeta();
    [u0, u1] = await Promise.all([startHarnessUnit(U0, `${net}.1`), startHarnessUnit(U1, `${net}.2`)]);
    const peers = { [U0]: u0.address, [U1]: u1.address };
    const r0 = await run(
      u0,
      'redis-pebble-ready',
      unitState(u0, { leader: true, relations: [peerRelation(U0, peers)] }),
    );
    password = r0.state.secrets[0]?.content['password'] ?? '';
    sentinelPassword = r0.state.secrets[0]?.content['sentinel-password'] ?? '';
    // the recorded primary (peer bag) as every later hook sees it
    s0 = { ...r0.state, relations: [peerRelation(U0, peers, r0.state.relations[0]?.localAppData)] };
    const r1 = await run(
      u1,
      'redis-pebble-ready',
      unitState(u1, { relations: [peerRelation(U1, peers, r0.state.relations[0]?.localAppData)], secrets: s0.secrets }),
    );
    s1 = r1.state;
    // the next hook of the primary finds itself recorded: its redis.conf now starts it guarded
    s0 = (await run(u0, 'update-status', s0)).state;
    const c = client(u0.address, password);
    await c.connect();
    for (let i = 0; i < KEYS; i += 1) await c.set(`k${i}`, String(i));
    // every key on the replica before the primary crashes
    expect(Number(await c.call('WAIT', '1', '5000'))).toBe(1);
    c.disconnect();
  }, 60_000);

  afterAll(async () => {
    await sentinel?.stop();
    if (sentinelDir) await rm(sentinelDir, { recursive: true, force: true });
    await Promise.all([u0?.stop(), u1?.stop()]);
  });

  it('without sentinel: the restarted primary is held read-only while its replica holds data, and the replica is not wiped', async () => {
    await crash(u0);
    const info = await serverInfo(u0.address, password);
    expect({ role: info['role'], host: info['master_host'], port: info['master_port'] }).toEqual({
      role: 'slave',
      host: '127.0.0.1',
      port: '1',
    });
    const r = await run(u0, 'update-status', s0);
    expect(r.state.unitStatus).toEqual({
      status: 'waiting',
      message: `restarted primary held read-only: ${U1} holds ${KEYS} keys: a restarted primary must not resync its replicas from itself`,
    });
    expect(r.events.at(-1)?.payload).toMatchObject({ guard: { action: 'held' } });
    // the replica could not resync from it (NOMASTERLINK): every key is still there
    expect(await dbsize(u1.address)).toBe(KEYS);
    expect((await serverInfo(u1.address, password))['master_link_status']).toBe('down');
    const w = client(u0.address, password);
    await w.connect();
    await expect(w.set('x', '1')).rejects.toThrow(/READONLY/);
    w.disconnect();
  });

  it('with a sentinel: the charm asks it to promote the replica and follows it; no key is lost', async () => {
    sentinelDir = await mkdtemp(join(tmpdir(), 'charm-redis-sentinel-'));
    await chmod(sentinelDir, 0o777);
    const conf = join(sentinelDir, 'sentinel.conf');
    await writeFile(
      conf,
      [
        `bind ${sentinelAddress}`,
        'port 26379',
        `dir ${sentinelDir}`,
        `requirepass "${sentinelPassword}"`,
        // it monitors the guarded server as the master: the restart happened inside down-after
        `sentinel monitor redis-k8s ${u0.address} 6379 1`,
        `sentinel auth-pass redis-k8s "${password}"`,
        'sentinel down-after-milliseconds redis-k8s 60000',
        'sentinel failover-timeout redis-k8s 10000',
        '',
      ].join('\n'),
      { mode: 0o666 },
    );
    sentinel = await startPebbleDaemon();
    const pebble = sentinel.client();
    try {
      await pebble.addLayer('sentinel', {
        services: {
          sentinel: { override: 'replace', command: `redis-server ${conf} --sentinel`, startup: 'enabled' },
        },
      });
      await pebble.replanServices();
    } finally {
      await pebble.close();
    }
    // u0 must be a master with its replica for sentinel to learn the replica: undo the hold first
    const c0 = client(u0.address, password);
    await c0.connect();
    await c0.call('REPLICAOF', 'NO', 'ONE');
    c0.disconnect();
    await until('the replica to resync', async () =>
      (await serverInfo(u1.address, password))['master_link_status'] === 'up' ? true : undefined,
    );
    expect(await dbsize(u1.address)).toBe(KEYS);
    const sc = client(sentinelAddress, sentinelPassword, { port: 26379 });
    await sc.connect();
    await until(
      'sentinel to list the replica',
      async () => ((await sc.call('SENTINEL', 'REPLICAS', 'redis-k8s')) as unknown[]).length === 1 || undefined,
      30_000,
    );
    await crash(u0);
    const sentinels = relationState({
      endpoint: 'sentinel',
      id: 5,
      remoteApp: 'redis-sentinel-k8s',
      remoteUnits: ['redis-sentinel-k8s/0'],
      remoteUnitsData: { 'redis-sentinel-k8s/0': { 'ingress-address': sentinelAddress } },
    });
    const r = await run(u0, 'update-status', { ...s0, relations: [...s0.relations, sentinels] });
    expect(r.events.at(-1)?.payload).toMatchObject({
      guard: { action: 'sentinel-failover', primary: u1.address },
      verification: { ok: true, expected: 'slave', masterHost: u1.address, linkStatus: 'up' },
    });
    expect(((await sc.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'redis-k8s')) as string[])[0]).toBe(u1.address);
    sc.disconnect();
    expect((await serverInfo(u1.address, password))['role']).toBe('master');
    expect(await dbsize(u1.address)).toBe(KEYS);
    expect(await dbsize(u0.address)).toBe(KEYS);
    void s1;
  }, 90_000);
});
