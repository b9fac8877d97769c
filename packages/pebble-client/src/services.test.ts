import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PebbleClient } from './client.js';
import { ChangeError } from './errors.js';
import type { LayerInput } from './layer.js';
import { isServiceRunning } from './services.js';
import { usePebbleDaemon } from './testing-fixtures/use-pebble-daemon.js';
import { type PebbleDaemon, startPebbleDaemon } from './testing/pebble-daemon.js';
import { waitFor } from './testing-fixtures/wait-for.js';

const LOOP = `/bin/sh -c "trap 'echo got-hup' HUP; echo ready; while true; do sleep 0.05; done"`;

function svc(command: string, extra: Record<string, unknown> = {}): LayerInput {
  return { override: 'replace', command, ...extra } as LayerInput;
}

async function current(client: PebbleClient, name: string) {
  const [info] = await client.getServices({ names: [name] });
  return info;
}

describe('service actions on a real Pebble', () => {
  let daemon: PebbleDaemon;
  let client: PebbleClient;
  beforeAll(async () => {
    daemon = await startPebbleDaemon();
    client = daemon.client();
    await client.addLayer('svcs', {
      services: {
        sleeper: svc('sleep 1000'),
        looper: svc(LOOP),
        dies: svc('/bin/sh -c "echo dying now; exit 3"', { 'on-failure': 'ignore' }),
        slow: svc('sleep 1000'),
        aborted: svc('sleep 1000'),
      } as never,
    });
  });
  afterAll(() => daemon.stop());

  test('getServices lists plan services sorted, never-started ones inactive; names filter and unknown names', async () => {
    const all = await client.getServices();
    expect(all.map((s) => s.name)).toEqual(['aborted', 'dies', 'looper', 'sleeper', 'slow']);
    expect(all.every((s) => s.current === 'inactive' && s.startup === 'disabled')).toBe(true);
    expect(await client.getServices({ names: ['sleeper', 'nope'] })).toHaveLength(1);
  });

  test('start, restart and stop a long-running process; each returns its change id', async () => {
    const started = await client.startServices(['sleeper']);
    const info = await current(client, 'sleeper');
    expect(info && isServiceRunning(info)).toBe(true);
    expect(await client.getChange(started)).toMatchObject({ id: started, kind: 'start', status: 'Done', ready: true });

    const restarted = await client.restartServices(['sleeper']);
    expect((await client.getChange(restarted)).kind).toBe('restart');
    expect((await current(client, 'sleeper'))?.current).toBe('active');
    expect((await current(client, 'sleeper'))?.currentSince).not.toBe(info?.currentSince);

    await client.stopServices(['sleeper']);
    expect((await current(client, 'sleeper'))?.current).toBe('inactive');
    expect((await client.getChanges({ select: 'all', service: 'sleeper' })).map((c) => c.kind).sort()).toEqual([
      'restart',
      'start',
      'stop',
    ]);
  });

  test('a service that exits at once -> ChangeError carrying the change, the err and the task log', async () => {
    const err = await client.startServices(['dies']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChangeError);
    const change = (err as ChangeError).change;
    expect(change).toMatchObject({ kind: 'start', status: 'Error', ready: true });
    expect((err as ChangeError).err).toContain('exited quickly with code 3');
    expect((err as ChangeError).message).toContain('dying now');
    expect((err as ChangeError).toJSON().code).toBe('change-failed');
  });

  test('unknown services and empty lists are APIErrors (400)', async () => {
    await expect(client.startServices(['ghost'])).rejects.toMatchObject({
      code: 'api',
      statusCode: 400,
      message: expect.stringContaining('"ghost" does not exist'),
    });
    await expect(client.stopServices([])).rejects.toMatchObject({
      code: 'api',
      statusCode: 400,
      message: expect.stringContaining('must specify services'),
    });
  });

  test('timeout 0 returns the change id at once; waitChange slices under a deadline and times out or completes', async () => {
    const id = await client.startServices(['slow'], { timeout: 0 });
    const pending = await client.getChange(id);
    expect(pending.ready).toBe(false);
    await expect(client.waitChange(id, { timeout: 150 })).rejects.toMatchObject({ code: 'timeout', timeout: 150 });
    const done = await client.waitChange(id, { timeout: 10_000 });
    expect(done).toMatchObject({ id, ready: true, status: 'Done' });
    expect(done.tasks[0]).toMatchObject({ kind: 'start', status: 'Done' });
    await client.stopServices(['slow']);
  });

  test('waitChange: aborting the signal -> aborted; an unknown id -> 404 APIError', async () => {
    const id = await client.stopServices(['slow'], { timeout: 0 });
    await client.waitChange(id);
    const startId = await client.startServices(['slow'], { timeout: 0 });
    const controller = new AbortController();
    const waiting = client.waitChange(startId, { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
    await client.waitChange(startId);
    await expect(client.waitChange('999999')).rejects.toMatchObject({ code: 'api', statusCode: 404 });
    await client.stopServices(['slow']);
  });

  test('abortChange on a pending start aborts it; on a finished change -> 400 APIError', async () => {
    const id = await client.startServices(['aborted'], { timeout: 0 });
    const aborting = await client.abortChange(id);
    expect(aborting.id).toBe(id);
    const final = await client.waitChange(id);
    expect(final.ready).toBe(true);
    expect(['Undone', 'Error', 'Hold']).toContain(final.status);
    await expect(client.abortChange(id)).rejects.toMatchObject({
      code: 'api',
      statusCode: 400,
      message: expect.stringContaining('nothing pending'),
    });
    await expect(client.getChange('999999')).rejects.toMatchObject({ code: 'api', statusCode: 404 });
    await client.stopServices(['aborted']);
  });

  test('sendSignal by name and by number reaches the process; stopped services and bad names -> 500 APIError', async () => {
    await client.startServices(['looper']);
    await client.sendSignal('SIGHUP', ['looper']);
    await waitFor('got-hup in the logs', async () =>
      (await client.getLogs({ services: ['looper'] })).some((e) => e.message === 'got-hup'),
    );
    await client.sendSignal(1, ['looper']);
    await waitFor(
      'a second got-hup',
      async () => (await client.getLogs({ services: ['looper'] })).filter((e) => e.message === 'got-hup').length === 2,
    );
    await expect(client.sendSignal('SIGNOPE', ['looper'])).rejects.toMatchObject({ code: 'api', statusCode: 500 });
    await client.stopServices(['looper']);
    await expect(client.sendSignal('SIGHUP', ['looper'])).rejects.toMatchObject({
      code: 'api',
      statusCode: 500,
      message: expect.stringContaining('not running'),
    });
    await expect(client.sendSignal(12345, ['looper'])).rejects.toThrow(TypeError);
  });
});

describe('autostart and replan on a real Pebble', () => {
  const pebble = usePebbleDaemon();

  test('autostart with no enabled services -> 400 APIError kind no-default-services', async () => {
    await pebble.client.addLayer('off', { services: { idle: svc('sleep 1000') } as never });
    await expect(pebble.client.autostartServices()).rejects.toMatchObject({
      code: 'api',
      statusCode: 400,
      kind: 'no-default-services',
    });
  });

  test('autostart starts enabled services; replan restarts only what changed; a failing replan -> ChangeError', async () => {
    await pebble.client.addLayer('on', {
      services: {
        web: svc('sleep 1000', { startup: 'enabled' }),
        db: svc('sleep 999', { startup: 'enabled' }),
      } as never,
    });
    await pebble.client.autostartServices();
    const before = await pebble.client.getServices({ names: ['db', 'web'] });
    expect(before.map((s) => s.current)).toEqual(['active', 'active']);

    await pebble.client.replanServices();
    expect(await pebble.client.getServices({ names: ['db', 'web'] })).toEqual(before);

    await pebble.client.addLayer(
      'on',
      { services: { web: { override: 'merge', environment: { V: '2' } } } as never },
      { combine: true },
    );
    const replan = await pebble.client.replanServices();
    const stops = (await pebble.client.getChange(replan)).tasks.filter((t) => t.kind === 'stop').map((t) => t.summary);
    expect(stops).toEqual(['Stop service "web"']);
    const after = await pebble.client.getServices({ names: ['db', 'web'] });
    expect(after[0]?.currentSince).toBe(before[0]?.currentSince);
    expect(after[1]?.currentSince).not.toBe(before[1]?.currentSince);

    await pebble.client.addLayer('bad', {
      services: { crash: svc('/bin/sh -c "exit 1"', { startup: 'enabled', 'on-failure': 'ignore' }) } as never,
    });
    await expect(pebble.client.replanServices()).rejects.toBeInstanceOf(ChangeError);
  });
});
