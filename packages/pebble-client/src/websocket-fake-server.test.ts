import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPebbleError } from './errors.js';
import { connectWebSocket } from './websocket.js';

// A fake server that accepts the connection and never answers the upgrade: what an old Pebble
// does after the exec change failed (pebble#422). A real current daemon answers at once.
let dir: string;
let server: Server;
const accepted: Socket[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fake-ws-'));
  server = createServer({ allowHalfOpen: false }, (socket) => {
    accepted.push(socket);
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(join(dir, 'silent.socket'), resolve));
});

afterAll(async () => {
  for (const s of accepted) s.destroy();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

function sockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'PipeWrap' || r === 'TCPSocketWrap').length;
}

/**
 * The fake's side of each connection closes only once the client closed its side, so this resolves
 * true only when the client left no socket open (false after the bound).
 */
async function clientSidesClosed(bound = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const closed = Promise.all(
    accepted.filter((s) => !s.closed).map((s) => new Promise((resolve) => s.once('close', resolve))),
  ).then(() => true);
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), bound)));
  try {
    return await Promise.race([closed, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('connectWebSocket against a silent fake server', () => {
  it('gives up after the connect timeout with a timeout error and closes its socket (fake)', async () => {
    const before = sockets();
    const started = Date.now();
    const err = await connectWebSocket(join(dir, 'silent.socket'), '/v1/tasks/1/websocket/stdio', {
      timeout: 200,
    }).catch((e: unknown) => e);
    expect(isPebbleError(err) && err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await clientSidesClosed()).toBe(true);
    expect(sockets()).toBe(before);
  });

  it('stops at once when aborted (fake)', async () => {
    const before = sockets();
    const ac = new AbortController();
    const pending = connectWebSocket(join(dir, 'silent.socket'), '/v1/tasks/1/websocket/stdio', {
      timeout: 10_000,
      signal: ac.signal,
    });
    ac.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(isPebbleError(err) && err.code).toBe('aborted');
    expect(await clientSidesClosed()).toBe(true);
    expect(sockets()).toBe(before);
  });

  it('reports a missing socket as socket-not-found', async () => {
    const err = await connectWebSocket(join(dir, 'nope.socket'), '/v1/tasks/1/websocket/stdio', {
      timeout: 1000,
    }).catch((e: unknown) => e);
    expect(isPebbleError(err) && err.code).toBe('socket-not-found');
  });
});
