/**
 * End to end: secret-expired and secret-rotate in real pods with real Pebble, driven by the
 * controller's secret timer. The shell charm ignores the first secret-expired of a revision and
 * removes it on the second; it does not rotate on the first secret-rotate and sets a new revision
 * on later ones. `--secret-time-scale 0.002` makes hourly 7.2 s and Juju's 5-minute retry 600 ms.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModel, type Secret } from '../model/api.js';
import { isRoot, leftovers, Sim, TEST_CHARMS } from './harness.js';

const CHARM = join(TEST_CHARMS, 'shell-charm');
const SCALE = 0.002;
const HOURLY_MS = 3_600_000 * SCALE;
const RETRY_MS = 300_000 * SCALE;

describe.skipIf(!isRoot)('secret timers (secret-expired, secret-rotate) in real pods', { timeout: 120_000 }, () => {
  let sim: Sim;

  /** The secret as the controller last persisted it (model.json), or undefined once removed. */
  const secret = async (id: string): Promise<Secret | undefined> =>
    parseModel(JSON.parse(await readFile(sim.layout.state, 'utf8')), sim.layout.state).secrets[id];

  /** Adds a secret through the shell charm's action; returns its id. */
  const add = async (unit: string, params: string[]): Promise<string> => {
    const a = await sim.run(unit, 'add-timed-secret', params);
    expect(a.status, JSON.stringify(a)).toBe('completed');
    return String(a.results['id']);
  };

  /** `event <hook>` lines of `unit` for secret `id`. */
  const secretEvents = async (unit: string, hook: string, id: string) =>
    (await sim.events(unit)).filter((e) => e.name === hook && e.fields['secret'] === id);

  beforeAll(async () => {
    sim = await Sim.create('secrets', ['--secret-time-scale', String(SCALE)]);
    await sim.cli([
      'deploy',
      CHARM,
      'timers',
      '-n',
      '2',
      '--resource',
      'box-image=ubuntu:22.04',
      '--wait',
      '--timeout',
      '2m',
    ]);
  });

  afterAll(async () => {
    await sim?.cli(['destroy'], { allowFail: true });
  });

  it('a pending expiry or rotation does not keep the model busy: wait returns, status says settled', async () => {
    const id = await add('timers/0', ['label=later', 'expire=1h', 'rotate=yearly']);
    await sim.cli(['wait', '--timeout', '30s']);
    const s = await sim.status();
    expect(s.model.settled).toBe(true);
    expect(s.model.activity).toEqual([]);
    const stored = await secret(id);
    expect(stored?.rotateNext).not.toBeNull();
    expect(stored?.revisions[0]?.expire).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const info = await sim.run('timers/0', 'secret-info', [`id=${id}`]);
    expect(JSON.parse(String(info.results['info']))[id.slice('secret:'.length)]).toMatchObject({
      label: 'later',
      rotation: 'yearly',
      expiry: stored?.revisions[0]?.expire,
    });
  });

  it('secret-expired fires on the leader at the expire time, again after the retry delay, until the charm removes the revision', async () => {
    const id = await add('timers/0', ['label=short', 'expire=2s']);
    const expire = (await secret(id))?.revisions[0]?.expire;
    expect(expire).toBeDefined();
    const fired = await sim.waitFor(
      'two secret-expired on the leader',
      async () => {
        const events = await secretEvents('timers/0', 'secret-expired', id);
        return events.length >= 2 ? events : undefined;
      },
      30_000,
    );
    for (const e of fired) expect(e.fields).toMatchObject({ secret: id, label: 'short', revision: '1' });
    expect(Date.parse(fired[0]!.time)).toBeGreaterThanOrEqual(Date.parse(expire!));
    expect(Date.parse(fired[1]!.time)).toBeGreaterThanOrEqual(Date.parse(expire!) + RETRY_MS);
    // The charm removed the only revision on the second notice: the secret is gone, so nothing can fire again.
    await sim.waitFor('the expired secret to be removed', async () =>
      (await secret(id)) === undefined ? true : undefined,
    );
    expect(await secretEvents('timers/1', 'secret-expired', id)).toEqual([]);
  });

  it('a unit-owned secret expires on its owner unit, not on the leader', async () => {
    const id = await add('timers/1', ['owner=unit', 'label=mine', 'expire=1s']);
    const [first] = await sim.waitFor(
      'secret-expired on timers/1',
      async () => {
        const events = await secretEvents('timers/1', 'secret-expired', id);
        return events.length > 0 ? events : undefined;
      },
      30_000,
    );
    expect(first?.fields).toMatchObject({ secret: id, label: 'mine', revision: '1' });
    expect(await secretEvents('timers/0', 'secret-expired', id)).toEqual([]);
  });

  it('secret-rotate fires one scaled period after secret-add, retries when the charm does not rotate, then moves a full period on', async () => {
    const id = await add('timers/0', ['label=rot', 'rotate=hourly']);
    const stored = await secret(id);
    const first = Date.parse(stored!.rotateNext!);
    expect(first - Date.parse(stored!.created)).toBeGreaterThanOrEqual(HOURLY_MS - 1000);
    const rotations = await sim.waitFor(
      'two secret-rotate on the leader',
      async () => {
        const events = await secretEvents('timers/0', 'secret-rotate', id);
        return events.length >= 2 ? events : undefined;
      },
      60_000,
    );
    expect(rotations[0]?.fields).toMatchObject({ secret: id, label: 'rot', revision: 'unset' });
    expect(Date.parse(rotations[0]!.time)).toBeGreaterThanOrEqual(first);
    expect(Date.parse(rotations[1]!.time)).toBeGreaterThanOrEqual(first + RETRY_MS);
    // What the controller scheduled after each hook (logged once the hook commits, after its event line):
    // a retry, then (new revision) a full period.
    const scheduled = await sim.waitFor('the rotation schedule after both hooks', async () => {
      const lines = (await sim.log())
        .filter((e) => e.unit === 'timers/0' && e.message.startsWith(`${id} was rotated`))
        .map((e) => e.message.replace(/^.*; next rotate time is now /, ''));
      return lines.length >= 2 ? lines : undefined;
    });
    const retry = new Date(first + RETRY_MS).toISOString();
    const period = new Date(first + RETRY_MS + HOURLY_MS).toISOString();
    expect(scheduled.slice(0, 2)).toEqual([retry, period]);
    // model.json is written asynchronously after the log line: wait for the new revision there
    await sim.waitFor('the new revision in the model file', async () =>
      ((await secret(id))?.latest ?? 0) >= 2 ? true : undefined,
    );
    const third = await sim.waitFor(
      'the next secret-rotate, a period later',
      async () => (await secretEvents('timers/0', 'secret-rotate', id))[2],
      60_000,
    );
    expect(Date.parse(third.time)).toBeGreaterThanOrEqual(Date.parse(period));
    expect(await secretEvents('timers/1', 'secret-rotate', id)).toEqual([]);
    // The new revision made revision 1 obsolete: the owner got secret-remove and removed it.
    const removed = await sim.waitFor(
      'secret-remove for revision 1',
      async () => (await secretEvents('timers/0', 'secret-remove', id))[0],
    );
    expect(removed.fields).toMatchObject({ label: 'rot', revision: '1' });
  });

  it('destroy leaves no process, mount or socket behind', async () => {
    const uuid = (await sim.status()).model.uuid;
    await sim.cli(['destroy']);
    expect(await leftovers(sim.dir)).toEqual([]);
    expect(await leftovers(uuid)).toEqual([]);
  });
});
