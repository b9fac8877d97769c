import {
  addLayer,
  getPlan,
  getServices,
  getSystemInfo,
  listFiles,
  pullText,
  push,
  startServices,
  Transport,
  type TransportOptions,
} from '@charms/pebble-client';
import { startPebbleDaemon, type PebbleDaemon } from '@charms/pebble-client/testing';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from './undici-agent.js';

let daemon: PebbleDaemon;
let agent: Agent;
let t: Transport;
beforeAll(async () => {
  daemon = await startPebbleDaemon();
  agent = new Agent({ connect: { socketPath: daemon.socketPath } });
  t = new Transport({ socketPath: daemon.socketPath, dispatcher: agent as unknown as TransportOptions['dispatcher'] });
});
afterAll(async () => {
  await agent?.destroy();
  await daemon?.stop();
});

describe('the node:http stand-in for undici used in packed charms', () => {
  it('serves the Pebble client: sync and async calls, layers, services', async () => {
    expect((await getSystemInfo(t)).bootId).toMatch(/^[0-9a-f-]{36}$/);
    await addLayer(t, 'base', { services: { s: { override: 'replace', command: 'sleep 1000', startup: 'enabled' } } });
    expect(Object.keys((await getPlan(t)).services)).toEqual(['s']);
    await startServices(t, ['s']);
    expect((await getServices(t)).map((s) => [s.name, s.current])).toEqual([['s', 'active']]);
  });

  it('streams files both ways (multipart push, pull) with modes', async () => {
    const path = `${daemon.dir}/shim/file.txt`;
    await push(t, path, 'héllo\n'.repeat(1000), { makeDirs: true, permissions: 0o600 });
    expect(await pullText(t, path)).toBe('héllo\n'.repeat(1000));
    expect((await listFiles(t, path, { itself: true }))[0]?.permissions).toBe(0o600);
  });

  it('maps a missing socket and API errors like undici does', async () => {
    const gone = new Agent({ connect: { socketPath: `${daemon.dir}/nope.socket` } });
    const t2 = new Transport({
      socketPath: `${daemon.dir}/nope.socket`,
      retry: false,
      dispatcher: gone as unknown as TransportOptions['dispatcher'],
    });
    await expect(getSystemInfo(t2)).rejects.toMatchObject({ code: 'socket-not-found' });
    await gone.destroy();
    await expect(startServices(t, ['missing'])).rejects.toMatchObject({ code: 'api' });
    await expect(pullText(t, `${daemon.dir}/missing`)).rejects.toMatchObject({ code: 'path', kind: 'not-found' });
  });

  it("cuts a call in flight on the timeout and on the caller's signal (pebble-client passes an EventEmitter)", async () => {
    // a socket that accepts and never answers: only the abort can end these calls
    const sockets: Socket[] = [];
    const silent = createServer((s) => void sockets.push(s));
    const path = `${daemon.dir}/silent.socket`;
    await new Promise<void>((ok) => silent.listen(path, ok));
    const mute = new Agent({ connect: { socketPath: path } });
    try {
      const t2 = new Transport({
        socketPath: path,
        retry: false,
        timeout: 200,
        dispatcher: mute as unknown as TransportOptions['dispatcher'],
      });
      await expect(getSystemInfo(t2)).rejects.toMatchObject({ code: 'timeout' });
      const controller = new AbortController();
      const call = getSystemInfo(t2, { signal: controller.signal, timeout: 0 });
      controller.abort();
      await expect(call).rejects.toMatchObject({ code: 'aborted' });
    } finally {
      await mute.destroy();
      for (const s of sockets) s.destroy();
      await new Promise((ok) => silent.close(ok));
    }
  });

  it('honours abort signals', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(getSystemInfo(t, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
  });
});
