import type { CharmMeta } from '@charms/charm-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  charmMeta,
  loopbackNet,
  peerRelation,
  runHook,
  serverInfo,
  startHarnessUnit,
  unitState,
  type HarnessUnit,
} from './testing/harness-unit.js';

const U0 = 'redis-k8s/0';

/**
 * Juju commits a hook's secret-add and relation-set only when the hook exits 0. A hook that fails or is killed
 * after the event log recorded the secret it created leaves the log naming a secret that does not exist.
 */
describe('redis-k8s: a password secret rolled back with its hook (real Pebble and redis-server)', () => {
  let meta: CharmMeta;
  let u0: HarnessUnit;

  beforeAll(async () => {
    meta = await charmMeta();
    u0 = await startHarnessUnit(U0, `${loopbackNet()}.1`);
  });
  afterAll(async () => u0?.stop());

  it('the leader makes a new secret when the one its log names is gone and unpublished, and serves with it', async () => {
    const first = await runHook(
      u0,
      meta,
      'redis-pebble-ready',
      unitState(u0, { leader: true, relations: [peerRelation(U0, {})] }),
    );
    const lostId = first.state.secrets[0]?.id;
    expect(first.events.find((e) => e.type === 'workload-observed')?.payload).toMatchObject({ secretCreated: lostId });

    // what Juju holds if that hook had exited non-zero: no secret, an empty app bag; the unit's log is unchanged
    const r = await runHook(
      u0,
      meta,
      'update-status',
      unitState(u0, { leader: true, relations: [peerRelation(U0, {})] }),
    );
    const [secret] = r.state.secrets;
    expect(secret?.id).toBeDefined();
    expect(secret?.id).not.toBe(lostId);
    expect(r.state.relations[0]?.localAppData['secret-id']).toBe(secret?.id);
    expect(r.state.unitStatus).toEqual({ status: 'active', message: 'primary' });
    expect(r.events.findLast((e) => e.type === 'workload-observed')?.payload).toMatchObject({
      secretCreated: secret?.id,
    });
    expect((await serverInfo(u0.address, secret?.content['password'] ?? ''))['role']).toBe('master');

    // once published, the id is confirmed: no new secret
    const again = await runHook(u0, meta, 'update-status', r.state);
    expect(again.state.secrets.map((s) => s.id)).toEqual([secret?.id]);
    expect(JSON.stringify(again.calls)).not.toContain('secret-add');
  });
});
