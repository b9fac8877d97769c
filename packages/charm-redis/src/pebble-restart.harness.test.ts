import type { CharmMeta } from '@charms/charm-sdk';
import type { ModelState } from '@charms/charm-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configReply } from './live-config.js';
import { SERVICE } from './paths.js';
import { FENCE_MIN_REPLICAS } from './sentinel-fence.js';
import { STARTED_NOTICE_KEY } from './start-command.js';
import {
  charmMeta,
  client,
  loopbackNet,
  peerRelation,
  runHook,
  startHarnessUnit,
  unitState,
  until,
  type HarnessUnit,
} from './testing/harness-unit.js';

const U0 = 'redis-k8s/0';

async function minReplicasToWrite(address: string, password: string): Promise<string | undefined> {
  const c = client(address, password);
  try {
    await c.connect();
    return configReply(await c.call('CONFIG', 'GET', 'min-replicas-to-write'))['min-replicas-to-write'];
  } catch {
    return undefined;
  } finally {
    c.disconnect();
  }
}

describe('a redis-server that Pebble restarts by itself (real Pebble and redis-server)', () => {
  const net = loopbackNet();
  let meta: CharmMeta;
  let unit: HarnessUnit;
  let state: ModelState;
  let password = '';

  beforeAll(async () => {
    meta = await charmMeta();
    unit = await startHarnessUnit(U0, `${net}.1`);
    const r = await runHook(
      unit,
      meta,
      'redis-pebble-ready',
      unitState(unit, { leader: true, relations: [peerRelation(U0, {})] }),
    );
    state = r.state;
    password = state.secrets[0]?.content['password'] ?? '';
    expect(state.unitStatus).toEqual({ status: 'active', message: 'primary' });
  });
  afterAll(async () => {
    await unit?.stop();
  });

  it('the charm lifts the fence of the server it started and its start notice was recorded', async () => {
    expect(await minReplicasToWrite(unit.address, password)).toBe('0');
    const [notice] = await unit.pebble().getNotices({ users: 'all', types: ['custom'], keys: [STARTED_NOTICE_KEY] });
    expect(notice?.occurrences ?? 0).toBeGreaterThanOrEqual(1);
  });

  it('comes back write-fenced with a new notice, and the notice hook lifts the fence', async () => {
    const pebble = unit.pebble();
    const [before] = await pebble.getNotices({ users: 'all', types: ['custom'], keys: [STARTED_NOTICE_KEY] });
    const [service] = await pebble.getServices({ names: [SERVICE] });
    expect(service?.current).toBe('active');
    const writer = client(unit.address, password);
    await writer.connect();
    const runId = (await writer.info('server')).match(/run_id:(\w+)/)?.[1];
    writer.disconnect();
    await pebble.sendSignal('SIGKILL', [SERVICE]);
    const notice = await until(
      'a new start notice',
      async () => {
        const [n] = await pebble.getNotices({ users: 'all', types: ['custom'], keys: [STARTED_NOTICE_KEY] });
        return n !== undefined && n.occurrences > (before?.occurrences ?? 0) ? n : undefined;
      },
      30_000,
    );
    // the restarted server refuses writes until a hook lifts the fence
    expect(
      await until('the restarted server', async () => {
        const value = await minReplicasToWrite(unit.address, password);
        return value === undefined ? undefined : value;
      }),
    ).toBe(String(FENCE_MIN_REPLICAS));
    const fenced = client(unit.address, password);
    await fenced.connect();
    expect((await fenced.info('server')).match(/run_id:(\w+)/)?.[1]).not.toBe(runId);
    await expect(fenced.set('k', 'v')).rejects.toThrow(/NOREPLICAS/);
    fenced.disconnect();

    const r = await runHook(
      unit,
      meta,
      { name: 'redis-pebble-custom-notice', notice: { id: notice.id, type: 'custom', key: STARTED_NOTICE_KEY } },
      state,
    );
    expect(r.state.unitStatus).toEqual({ status: 'active', message: 'primary' });
    expect(r.events.find((e) => e.type === 'workload-observed')?.payload).toMatchObject({
      fence: { lifted: true },
      liveConfig: { 'min-replicas-to-write': '0' },
    });
    expect(await minReplicasToWrite(unit.address, password)).toBe('0');
    const open = client(unit.address, password);
    await open.connect();
    expect(await open.set('k', 'v')).toBe('OK');
    open.disconnect();
  });
});
