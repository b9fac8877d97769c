import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContainers, type TestContainers } from '../testing/test-containers.js';
import { Container } from './container.js';

let tc: TestContainers;
let c: Container;
beforeAll(async () => {
  tc = await startTestContainers(['app']);
  c = new Container('app', { root: tc.root });
});
afterAll(async () => {
  await c?.close();
  await tc?.stop();
});

const svc = (command: string, extra: Record<string, unknown> = {}) => ({
  override: 'replace' as const,
  command,
  startup: 'enabled' as const,
  ...extra,
});

describe('Container', () => {
  it('binds <root>/<name>/pebble.socket and reports whether Pebble answers', async () => {
    expect(c.socketPath).toBe(`${tc.root}/app/pebble.socket`);
    expect(new Container('x').socketPath).toBe('/charm/containers/x/pebble.socket');
    expect(await c.canConnect()).toBe(true);
    const missing = new Container('gone', { root: tc.root });
    expect(await missing.canConnect()).toBe(false);
    await missing.close();
  });

  it('pushes files with mode and owner, makes dirs, and tells whether paths exist', async () => {
    const dir = `${tc.daemons['app']?.dir}/files/conf`;
    expect(await c.exists(dir)).toBe(false);
    await c.makeDir(dir, { mode: 0o750, user: 'root', group: 'root' });
    await c.push(`${dir}/app.conf`, 'secret-ish: 1\n', { mode: 0o600, user: 'root' });
    expect(await c.exists(dir)).toBe(true);
    const [info] = await c.pebble.listFiles(`${dir}/app.conf`, { itself: true });
    expect(info).toMatchObject({ type: 'file', permissions: 0o600, user: 'root' });
    const [d] = await c.pebble.listFiles(dir, { itself: true });
    expect(d?.permissions).toBe(0o750);
    expect(await c.pullText(`${dir}/app.conf`)).toBe('secret-ish: 1\n');
  });

  it('pushes only changed content: a second identical push writes nothing (same mtime)', async () => {
    const path = `${tc.daemons['app']?.dir}/files/once.conf`;
    expect(await c.pushIfChanged(path, 'a: 1\n', { mode: 0o600 })).toBe(true);
    const [before] = await c.pebble.listFiles(path, { itself: true });
    expect(await c.pushIfChanged(path, Buffer.from('a: 1\n'), { mode: 0o600 })).toBe(false);
    const [same] = await c.pebble.listFiles(path, { itself: true });
    expect(same?.lastModified).toBe(before?.lastModified);
    expect(await c.pushIfChanged(path, 'a: 2\n', { mode: 0o600 })).toBe(true);
    expect(await c.pullText(path)).toBe('a: 2\n');
  });

  it('observes Pebble: reachable with a boot id, or unreachable with none', async () => {
    const seen = await c.observe();
    expect(seen.reachable).toBe(true);
    expect(seen.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await c.observe()).bootId).toBe(seen.bootId);
    const missing = new Container('gone', { root: tc.root });
    expect(await missing.observe()).toEqual({ reachable: false, bootId: null });
    await missing.close();
  });

  it('asks Pebble once per hook: canConnect after an answer reuses it until close', async () => {
    const own = await startTestContainers(['brief']);
    const w = new Container('brief', { root: own.root });
    try {
      expect((await w.observe()).reachable).toBe(true);
      await own.stop();
      // the daemon is gone, but this container (one hook) already saw it answer
      expect(await w.canConnect()).toBe(true);
      await w.close();
      expect(await w.canConnect()).toBe(false);
      expect((await w.observe()).reachable).toBe(false);
    } finally {
      await w.close();
      await own.stop();
    }
  });

  it('reconciles a layer: adds it, starts enabled services, restarts only what changed', async () => {
    const first = await c.reconcileLayer('app', {
      services: { a: svc('sleep 1000'), b: svc('sleep 1001'), off: svc('sleep 1002', { startup: 'disabled' }) },
    });
    expect(first).toEqual({
      layerChanged: true,
      added: ['a', 'b', 'off'],
      changed: [],
      restarted: [],
      started: ['a', 'b'],
      checksChanged: [],
    });
    const running = async () => Object.fromEntries((await c.pebble.getServices()).map((s) => [s.name, s.current]));
    expect(await running()).toEqual({ a: 'active', b: 'active', off: 'inactive' });

    const same = await c.reconcileLayer('app', {
      services: { a: svc('sleep 1000'), b: svc('sleep 1001'), off: svc('sleep 1002', { startup: 'disabled' }) },
    });
    expect(same).toEqual({
      layerChanged: false,
      added: [],
      changed: [],
      restarted: [],
      started: [],
      checksChanged: [],
    });

    const since = Object.fromEntries((await c.pebble.getServices()).map((s) => [s.name, s.currentSince]));
    const changed = await c.reconcileLayer('app', {
      services: { a: svc('sleep 1000', { environment: { X: '1' } }), off: svc('sleep 1003', { startup: 'disabled' }) },
    });
    expect(changed).toEqual({
      layerChanged: true,
      added: [],
      changed: ['a', 'off'],
      restarted: ['a'],
      started: [],
      checksChanged: [],
    });
    const after = Object.fromEntries((await c.pebble.getServices()).map((s) => [s.name, s.currentSince]));
    expect(after['b']).toEqual(since['b']);
    expect(after['a']).not.toEqual(since['a']);
    expect(await running()).toEqual({ a: 'active', b: 'active', off: 'inactive' });

    await c.pebble.stopServices(['b']);
    expect(await c.reconcileLayer('app', { services: { b: svc('sleep 1001') } })).toMatchObject({
      layerChanged: false,
      started: ['b'],
    });
  });
});
