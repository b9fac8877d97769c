import { findPebbleBin } from '@charms/pebble-client/testing';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relationState, runEvent } from '@charms/charm-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCharm } from './definition.js';
import {
  charmMeta,
  loopbackNet,
  peerRelation,
  startHarnessUnit,
  unitState,
  type HarnessUnit,
} from './testing/harness-unit.js';

describe('units that cannot run redis-server yet (harness)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'charm-redis-nopebble-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('waits for Pebble but still creates the secret and publishes the primary; a bad failover-epoch is ignored with a warning', async () => {
    const paths = {
      conf: join(root, 'redis.conf'),
      dataDir: join(root, 'data'),
      tlsDir: join(root, 'tls'),
      pebbleBin: findPebbleBin(),
    };
    const unit = { name: 'redis-k8s/0', address: '127.250.0.1' } as HarnessUnit;
    const sentinel = relationState({
      endpoint: 'sentinel',
      id: 4,
      remoteApp: 'redis-sentinel-k8s',
      remoteUnits: ['redis-sentinel-k8s/0'],
      remoteAppData: { 'primary-address': '127.250.0.9', 'failover-epoch': 'soon' },
    });
    const state = unitState(unit, { leader: true, relations: [peerRelation('redis-k8s/0', {}), sentinel] });
    const r = await runEvent(createRedisCharm({ paths }), {
      event: 'start',
      state,
      meta: await charmMeta(),
      containersRoot: join(root, 'no-containers'),
    });
    expect(r.run.exitCode).toBe(0);
    expect(r.state.unitStatus).toEqual({ status: 'waiting', message: 'waiting for Pebble in the redis container' });
    expect(r.state.secrets).toHaveLength(1);
    expect(r.state.relations[0]?.localAppData).toMatchObject({
      primary: 'redis-k8s/0',
      'primary-address': '127.250.0.1',
    });
    expect(r.state.relations[1]?.localAppData).toMatchObject({ primary: 'redis-k8s/0', 'master-name': 'redis-k8s' });
    expect(
      r.state.logs.some(
        (l) => l.level === 'WARNING' && l.message.includes('failover-epoch "soon" is not a non-negative integer'),
      ),
    ).toBe(true);
    expect(r.events.map((e) => e.type)).toEqual(['hook', 'workload-observed']);
    expect(r.events[1]?.payload).toMatchObject({
      secretCreated: r.state.secrets[0]?.id,
      layerChanged: false,
      started: [],
    });
  });

  it('a redis-server that cannot start (its address:6379 is taken) blocks the unit with the reason, without failing the hook', async () => {
    const unit = await startHarnessUnit('redis-k8s/0', `${loopbackNet()}.1`);
    const squatter = createServer();
    try {
      squatter.listen(6379, unit.address);
      await once(squatter, 'listening');
      const state = unitState(unit, { leader: true, relations: [peerRelation('redis-k8s/0', {})] });
      const r = await runEvent(unit.charm, {
        event: 'redis-pebble-ready',
        state,
        meta: await charmMeta(),
        charmDir: unit.charmDir,
        containersRoot: unit.containers.root,
      });
      expect(r.run.exitCode).toBe(0);
      expect(r.state.unitStatus).toEqual({
        status: 'blocked',
        message: `redis-server cannot start: Could not create server TCP listening socket ${unit.address}:6379: bind: Address already in use; Failed listening on port 6379 (TCP), aborting.`,
      });
      expect(r.events.at(-1)?.payload).toMatchObject({ verification: { ok: false, expected: 'master', role: null } });
    } finally {
      squatter.close();
      await unit.stop();
    }
  });
});
