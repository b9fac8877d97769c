import type { CharmMeta } from '@charms/charm-sdk';
import { type EventSpec, type ModelState } from '@charms/charm-sdk/testing';
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
} from './testing/harness-unit.js';

const U0 = 'redis-k8s/0';
const U1 = 'redis-k8s/1';

/** AUTH with `tried` on a connection opened with `good`: "OK" or the server's error. */
async function auth(address: string, good: string, tried: string): Promise<string> {
  const c = client(address, good);
  try {
    await c.connect();
    return String(await c.call('auth', tried));
  } catch (e) {
    return (e as Error).message;
  } finally {
    c.disconnect();
  }
}

const action = (params: Record<string, unknown>) => ({ params, results: {}, logs: [] });

describe('set-password against real Pebble and redis-server (harness)', () => {
  const net = loopbackNet();
  let meta: CharmMeta;
  let u0: HarnessUnit;
  let u1: HarnessUnit;
  let s0: ModelState;
  let s1: ModelState;
  let oldPassword = '';

  const run = (unit: HarnessUnit, event: string | EventSpec, state: ModelState) => runHook(unit, meta, event, state);

  beforeAll(async () => {
    meta = await charmMeta();
    [u0, u1] = await Promise.all([startHarnessUnit(U0, `${net}.1`), startHarnessUnit(U1, `${net}.2`)]);
    const r0 = await run(
      u0,
      'redis-pebble-ready',
      unitState(u0, { leader: true, relations: [peerRelation(U0, { [U1]: u1.address })] }),
    );
    s0 = r0.state;
    oldPassword = s0.secrets[0]?.content['password'] ?? '';
    const peer = peerRelation(U1, { [U0]: u0.address }, s0.relations[0]?.localAppData);
    const r1 = await run(
      u1,
      { name: 'redis-peers-relation-changed', remoteUnit: '' },
      unitState(u1, { relations: [peer], secrets: s0.secrets }),
    );
    expect(r1.state.unitStatus).toEqual({ status: 'active', message: 'replica of redis-k8s/0' });
    s1 = r1.state;
  });
  afterAll(async () => {
    await Promise.all([u0?.stop(), u1?.stop()]);
  });

  it('invalid params and a non-leader are refused with the param named, and nothing changes', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ password: 'short' }, 'param "password" must be at least 16 characters'],
      [{ password: 'has a space in it, sadly' }, 'param "password" may hold only letters, digits'],
      [{ password: 'line\nrequirepass injected' }, 'param "password" may hold only'],
      [{ username: 'root' }, 'param "username"'],
    ];
    for (const [params, message] of cases) {
      const r = await run(u0, { name: 'set-password', action: true }, { ...s0, action: action(params) });
      expect(r.state.action?.failure).toContain(message);
      expect(r.state.action?.failure).toContain('nothing was changed');
      expect(r.state.secrets).toEqual(s0.secrets);
    }
    const r = await run(u1, { name: 'set-password', action: true }, { ...s1, action: action({}) });
    expect(r.state.action?.failure).toBe(
      'cannot set the admin password on redis-k8s/1: only the leader can; run it on the leader unit (juju status shows it with a *)',
    );
    expect(r.state.secrets).toEqual(s1.secrets);
    expect(await auth(u0.address, oldPassword, oldPassword)).toBe('OK');
  });

  it('rotates the admin password live on every unit under writes: same run_id, replication up, old password refused', async () => {
    const before = [
      (await serverInfo(u0.address, oldPassword))['run_id'],
      (await serverInfo(u1.address, oldPassword))['run_id'],
    ];
    // a writer authenticated before the rotation keeps its connection; a write counts once WAIT confirmed it
    const writer = client(u0.address, oldPassword);
    await writer.connect();
    let acked = 0;
    let stop = false;
    const writing = (async () => {
      for (let i = 1; i <= 100_000 && !stop; i++) {
        await writer.set(`k:${i}`, String(i));
        if (Number(await writer.call('wait', '1', '2000')) >= 1) acked = i;
      }
    })();
    try {
      await until('some acknowledged writes', async () => (acked >= 20 ? acked : undefined));
      const r = await run(u0, { name: 'set-password', action: true }, { ...s0, action: action({}) });
      expect(r.state.action?.failure).toBeUndefined();
      expect(r.state.action?.results).toMatchObject({ username: 'admin', generated: 'true', 'leader-unit': 'applied' });
      const next = r.state.secrets[0]?.content['password'] ?? '';
      expect(next).not.toBe(oldPassword);
      expect(r.state.secrets[0]?.content['sentinel-password']).toBe(s0.secrets[0]?.content['sentinel-password']);
      expect(r.state.relations[0]?.localAppData['secret-revision']).toBe('1');
      expect(await auth(u0.address, next, oldPassword)).toMatch(/^WRONGPASS/);
      s0 = r.state;
      const peer = peerRelation(U1, { [U0]: u0.address }, s0.relations[0]?.localAppData);
      const r1 = await run(
        u1,
        { name: 'redis-peers-relation-changed', remoteUnit: '' },
        { ...s1, relations: [peer], secrets: s0.secrets },
      );
      expect(r1.events.at(-1)?.payload).toMatchObject({ passwordRotation: 'applied', restarted: [] });
      expect(r1.state.unitStatus).toEqual({ status: 'active', message: 'replica of redis-k8s/0' });
      expect(await auth(u1.address, next, oldPassword)).toMatch(/^WRONGPASS/);
      const after = [(await serverInfo(u0.address, next))['run_id'], (await serverInfo(u1.address, next))['run_id']];
      expect(after).toEqual(before);
      expect((await serverInfo(u1.address, next))['master_link_status']).toBe('up');
      const mark = acked;
      await until('writes acknowledged after the rotation', async () => (acked > mark + 20 ? acked : undefined));
      stop = true;
      await writing;
      const replica = client(u1.address, next);
      await replica.connect();
      try {
        for (let i = 1; i <= acked; i++) expect(await replica.get(`k:${i}`)).toBe(String(i));
      } finally {
        replica.disconnect();
      }
      // a replica link made with the new password: a restart of the replica re-authenticates
      await u1.pebble().restartServices(['redis-server']);
      await until('the restarted replica in sync', async () => {
        const i = await serverInfo(u1.address, next).catch(() => undefined);
        return i?.['master_link_status'] === 'up' ? i : undefined;
      });
      s1 = r1.state;
    } finally {
      stop = true;
      await writing.catch(() => undefined);
      writer.disconnect();
    }
  });

  it('sets a given sentinel password without touching redis-server', async () => {
    const pw = s0.secrets[0]?.content['password'] ?? '';
    const runId = (await serverInfo(u0.address, pw))['run_id'];
    const given = 'Sentinel-Pass.2026_rotation!';
    const r = await run(
      u0,
      { name: 'set-password', action: true },
      { ...s0, action: action({ username: 'sentinel', password: given }) },
    );
    expect(r.state.action?.failure).toBeUndefined();
    expect(r.state.secrets[0]?.content).toEqual({ password: pw, 'sentinel-password': given });
    expect(r.state.relations[0]?.localAppData['secret-revision']).toBe('2');
    expect((await serverInfo(u0.address, pw))['run_id']).toBe(runId);
    expect(JSON.stringify(r.state.logs) + r.stderr + JSON.stringify(r.calls)).not.toContain(given);
  });
});
