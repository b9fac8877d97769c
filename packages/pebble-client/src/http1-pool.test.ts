import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { CallScope } from './call-scope.js';
import { Http1Pool } from './http1-pool.js';
import { Transport } from './transport.js';
import { usePebbleDaemon } from './testing-fixtures/use-pebble-daemon.js';
import { waitFor } from './testing-fixtures/wait-for.js';

const OK = '{"type":"sync","status-code":200,"status":"OK","result":42}';
const okResponse = (extra = '') =>
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n${extra}Content-Length: ${OK.length}\r\n\r\n${OK}`;

describe('HTTP/1.1 pool on a real Pebble', () => {
  const pebble = usePebbleDaemon();
  let pool: Http1Pool | undefined;
  afterEach(() => pool?.close());

  test('64 concurrent callers share at most `connections` kept-alive connections, in order', async () => {
    pool = new Http1Pool({ socketPath: pebble.daemon.socketPath, connections: 4 });
    const p = pool;
    let most = 0;
    const answers = await Promise.all(
      Array.from({ length: 64 }, async () => {
        const res = await p.request({ method: 'GET', target: '/v1/system-info', idempotent: true });
        most = Math.max(most, p.size);
        return res;
      }),
    );
    expect(answers.every((r) => r.statusCode === 200 && r.keepAlive)).toBe(true);
    expect(JSON.parse(answers[0]?.body.toString() ?? '')).toMatchObject({ type: 'sync', result: { version: /^v1/ } });
    expect(most).toBeLessThanOrEqual(4);
    expect(pool.size).toBeGreaterThan(0);
  });

  test('idle connections are closed after the idle timeout', async () => {
    pool = new Http1Pool({ socketPath: pebble.daemon.socketPath, idleTimeout: 50 });
    const p = pool;
    await Promise.all([0, 1, 2].map(() => p.request({ method: 'GET', target: '/v1/services', idempotent: true })));
    expect(pool.size).toBeGreaterThan(0);
    await waitFor('the idle connections to close', () => p.size === 0, 5_000);
  });

  test('a POST with a JSON body, an error status and the envelope through the Transport', async () => {
    pool = new Http1Pool({ socketPath: pebble.daemon.socketPath });
    const res = await pool.request({
      method: 'POST',
      target: '/v1/services',
      body: JSON.stringify({ action: 'start', services: ['nope'] }),
      contentType: 'application/json',
      idempotent: false,
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body.toString())).toMatchObject({ type: 'error' });
    await expect(pebble.client.startServices(['nope'])).rejects.toMatchObject({ code: 'api', statusCode: 400 });
  });

  test('a timeout destroys the connection in flight; the pool carries on', async () => {
    pool = new Http1Pool({ socketPath: pebble.daemon.socketPath, connections: 1 });
    const scope = new CallScope({ method: 'GET', path: '/v1/notices' }, undefined, 50);
    // a long-poll Pebble holds for 10 s: only the timeout can end it
    const parked = pool.request({
      method: 'GET',
      target: '/v1/notices?keys=example.com/never&timeout=10s',
      idempotent: true,
      cancel: scope,
    });
    await expect(parked).rejects.toMatchObject({ code: 'HTTP1_SOCKET_CLOSED' });
    expect(scope.reason).toMatchObject({ code: 'timeout' });
    scope.dispose();
    await expect(pool.request({ method: 'GET', target: '/v1/health', idempotent: true })).resolves.toMatchObject({
      statusCode: 200,
    });
  });

  test('a target that would split the request line is refused before anything is sent', async () => {
    pool = new Http1Pool({ socketPath: pebble.daemon.socketPath });
    await expect(
      pool.request({ method: 'GET', target: '/v1/services\r\nX-Injected: 1', idempotent: true }),
    ).rejects.toMatchObject({ code: 'HTTP1_BAD_REQUEST' });
    expect(pool.size).toBe(0);
  });

  test('close() fails waiting and later requests as a closed client', async () => {
    pool = new Http1Pool({ socketPath: pebble.daemon.socketPath, connections: 1 });
    const first = pool.request({ method: 'GET', target: '/v1/system-info', idempotent: true });
    const queued = pool.request({ method: 'GET', target: '/v1/system-info', idempotent: true });
    pool.close();
    await expect(first).rejects.toMatchObject({ code: 'HTTP1_SOCKET_CLOSED' });
    await expect(queued).rejects.toMatchObject({ code: 'HTTP1_CLOSED' });
    const t = new Transport({ socketPath: pebble.daemon.socketPath });
    await t.close();
    await expect(t.sync('GET', '/v1/system-info', { schema: z.unknown() })).rejects.toMatchObject({
      code: 'connection',
      message: expect.stringContaining('the client was closed'),
    });
  });
});

/** FAKE HTTP server on node:net: only for byte-level error paths a real Pebble cannot produce. */
interface FakeHttp {
  socketPath: string;
  connections: number;
  close(): Promise<void>;
}

let fake: (FakeHttp & { server: Server; dir: string }) | undefined;
let transport: Transport | undefined;

async function startFakeHttp(onRequest: (socket: Socket, index: number) => void): Promise<FakeHttp> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-http1-'));
  const socketPath = join(dir, 'fake.socket');
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    state.connections++;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    socket.on('data', (d) => {
      head += d.toString('latin1');
      while (head.includes('\r\n\r\n')) {
        head = head.slice(head.indexOf('\r\n\r\n') + 4);
        onRequest(socket, requests++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const state = {
    socketPath,
    connections: 0,
    server,
    dir,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  fake = state;
  return state;
}

async function fakeTransport(onRequest: (socket: Socket, index: number) => void): Promise<Transport> {
  const f = await startFakeHttp(onRequest);
  transport = new Transport({ socketPath: f.socketPath, retry: { attempts: 2, minDelay: 5, maxDelay: 5 } });
  return transport;
}

afterEach(async () => {
  await transport?.close();
  await fake?.close();
  transport = undefined;
  fake = undefined;
});

const num = { schema: z.number() };

describe('HTTP/1.1 transport against a FAKE server (byte-level error paths)', () => {
  test('fake: a chunked response written one byte at a time', async () => {
    const t = await fakeTransport((socket) => {
      const text =
        'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n' +
        `14\r\n${OK.slice(0, 20)}\r\n${(OK.length - 20).toString(16)}\r\n${OK.slice(20)}\r\n0\r\n\r\n`;
      const bytes = Buffer.from(text, 'latin1');
      let i = 0;
      const next = () => {
        if (i < bytes.length) socket.write(bytes.subarray(i, ++i), next);
      };
      next();
    });
    await expect(t.sync('GET', '/v1/x', num)).resolves.toBe(42);
  });

  test('fake: a garbage status line -> ProtocolError naming it', async () => {
    const t = await fakeTransport((socket) => socket.write('ICY 200 OK\r\n\r\n'));
    await expect(t.sync('GET', '/v1/x', num)).rejects.toMatchObject({
      code: 'protocol',
      message: expect.stringContaining('cannot GET /v1/x: invalid HTTP response: bad status line "ICY 200 OK"'),
    });
  });

  test('fake: headers over 64 KiB -> ProtocolError, the connection is dropped', async () => {
    const t = await fakeTransport((socket) => socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}`));
    await expect(t.sync('GET', '/v1/x', num)).rejects.toMatchObject({
      code: 'protocol',
      message: expect.stringContaining('response headers exceed 65536 bytes'),
    });
  });

  test('fake: a connection closed mid-body -> ConnectionError (a GET is retried)', async () => {
    const t = await fakeTransport((socket) => socket.end(okResponse().slice(0, -5)));
    await expect(t.sync('GET', '/v1/x', num)).rejects.toMatchObject({
      code: 'connection',
      message: expect.stringContaining('connection failed (the other side closed the connection mid-body)'),
    });
  });

  test('fake: a kept-alive connection the server closed is retried once for a GET, never for a POST', async () => {
    // each connection answers one request, then the server drops it without saying so
    await fakeTransport((socket, i) => {
      if (i % 2 === 0) socket.write(okResponse());
      else socket.destroy();
    });
    const noRetry = new Transport({ socketPath: fake?.socketPath ?? '', retry: false });
    try {
      await expect(noRetry.sync('GET', '/v1/x', num)).resolves.toBe(42);
      // request 1 lands on the reused connection, is dropped, and goes again on a new one
      await expect(noRetry.sync('GET', '/v1/x', num)).resolves.toBe(42);
      await expect(noRetry.sync('POST', '/v1/x', { ...num, body: {} })).rejects.toMatchObject({ code: 'connection' });
    } finally {
      await noRetry.close();
    }
  });

  test('fake: Connection: close is honoured: the next call opens a new connection', async () => {
    const t = await fakeTransport((socket) => socket.write(okResponse('Connection: close\r\n')));
    await expect(t.sync('GET', '/v1/x', num)).resolves.toBe(42);
    await expect(t.sync('GET', '/v1/x', num)).resolves.toBe(42);
    expect(fake?.connections).toBe(2);
  });

  test('fake: aborting a call in flight destroys its connection -> AbortError', async () => {
    let closed = false;
    const t = await fakeTransport((socket) => {
      socket.on('close', () => (closed = true));
      queueMicrotask(() => controller.abort());
    });
    const controller = new AbortController();
    await expect(t.sync('GET', '/v1/x', { ...num, signal: controller.signal })).rejects.toMatchObject({
      code: 'aborted',
    });
    await waitFor('the server to see the connection closed', () => closed, 5_000);
  });
});
