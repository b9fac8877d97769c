import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { PebbleClient } from './client.js';
import { getLogs } from './logs.js';
import { getPlan } from './plan.js';
import { startPebbleDaemon } from './testing/pebble-daemon.js';
import { type FakeHandler, type FakePebble, send, startFakePebble } from './testing-fixtures/fake-pebble-server.js';
import { readRawError, Transport } from './transport.js';

const fast = { attempts: 3, minDelay: 10, maxDelay: 20 };
let fake: FakePebble | undefined;
let transport: Transport | undefined;

async function fakeTransport(handler: FakeHandler, options: { timeout?: number } = {}): Promise<Transport> {
  fake = await startFakePebble(handler);
  transport = new Transport({ socketPath: fake.socketPath, retry: fast, ...options });
  return transport;
}

afterEach(async () => {
  await transport?.close();
  await fake?.close();
  transport = undefined;
  fake = undefined;
});

const any = { schema: z.unknown() };

describe('transport against a FAKE Pebble (error paths real Pebble cannot produce)', () => {
  test('fake: malformed JSON with a JSON content type -> ProtocolError', async () => {
    const t = await fakeTransport((_req, res) => send(res, 200, '{"type":"sync",'));
    await expect(t.sync('GET', '/v1/x', any)).rejects.toMatchObject({
      code: 'protocol',
      message: expect.stringContaining('body is not JSON'),
    });
  });

  test('fake: wrong envelope type -> ProtocolError', async () => {
    const t = await fakeTransport((_req, res) =>
      send(res, 202, '{"type":"async","status-code":202,"status":"Accepted","change":"1"}'),
    );
    await expect(t.sync('GET', '/v1/x', any)).rejects.toMatchObject({
      code: 'protocol',
      message: expect.stringContaining('expected a sync response, got async'),
    });
  });

  test('fake: 500 with a garbage text body -> ProtocolError with status and content type', async () => {
    const t = await fakeTransport((_req, res) => send(res, 500, 'panic: oh no\ngoroutine 1', 'text/plain'));
    await expect(t.sync('POST', '/v1/x', any)).rejects.toMatchObject({
      code: 'protocol',
      statusCode: 500,
      message: expect.stringContaining('status 500 with text/plain: panic: oh no goroutine 1'),
    });
  });

  test('fake: an error envelope sent as text/plain is still an APIError', async () => {
    const t = await fakeTransport((_req, res) =>
      send(
        res,
        400,
        '{"type":"error","status-code":400,"status":"Bad Request","result":{"message":"cannot x"}}',
        'text/plain',
      ),
    );
    await expect(t.sync('GET', '/v1/x', any)).rejects.toMatchObject({ code: 'api', statusCode: 400 });
  });

  test('fake: connection reset on a GET is retried with backoff and then succeeds', async () => {
    const t = await fakeTransport((req, res, i) => {
      if (i < 2) req.socket.destroy();
      else send(res, 200, '{"type":"sync","status-code":200,"status":"OK","result":42}');
    });
    await expect(t.sync('GET', '/v1/x', { schema: z.number() })).resolves.toBe(42);
    expect(fake?.requests).toHaveLength(3);
  });

  test('fake: retries are bounded: after `attempts` resets a GET fails with a connection error', async () => {
    const t = await fakeTransport((req) => req.socket.destroy());
    await expect(t.sync('GET', '/v1/x', any)).rejects.toMatchObject({ code: 'connection' });
    expect(fake?.requests).toHaveLength(3);
  });

  test('fake: a POST is never retried on a connection reset', async () => {
    const t = await fakeTransport((req) => req.socket.destroy());
    await expect(t.sync('POST', '/v1/x', { ...any, body: { a: 1 } })).rejects.toMatchObject({ code: 'connection' });
    expect(fake?.requests).toHaveLength(1);
  });

  test('fake: a silent server hits the per-call timeout -> TimeoutError (not aborted)', async () => {
    const t = await fakeTransport(() => undefined);
    await expect(t.sync('GET', '/v1/x', { ...any, timeout: 100 })).rejects.toMatchObject({
      code: 'timeout',
      timeout: 100,
    });
  });

  test('fake: the default timeout of the transport applies when the call gives none', async () => {
    const t = await fakeTransport(() => undefined, { timeout: 80 });
    await expect(t.sync('GET', '/v1/x', any)).rejects.toMatchObject({ code: 'timeout', timeout: 80 });
  });

  test('fake: aborting the signal -> AbortError (not timeout), and an already-aborted signal fails at once', async () => {
    const t = await fakeTransport((_req, _res, i) => {
      if (i === 0) queueMicrotask(() => controller.abort(new Error('user gave up')));
    });
    const controller = new AbortController();
    await expect(t.sync('GET', '/v1/x', { ...any, signal: controller.signal, timeout: 10_000 })).rejects.toMatchObject({
      code: 'aborted',
    });
    await expect(t.sync('GET', '/v1/x', { ...any, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'aborted',
    });
  });

  test('fake: a plan the schema rejects -> ProtocolError from getPlan', async () => {
    await fakeTransport((_req, res) =>
      send(
        res,
        200,
        JSON.stringify({ type: 'sync', 'status-code': 200, status: 'OK', result: 'services:\n  a:\n    command: x\n' }),
      ),
    );
    await expect(getPlan(transport as Transport)).rejects.toMatchObject({
      code: 'protocol',
      message: expect.stringContaining('services.a.override'),
    });
  });

  test('fake: a logs body with a bad line -> ProtocolError naming it', async () => {
    await fakeTransport((_req, res) =>
      send(res, 200, '{"time":"t","service":"a","message":"ok"}\nnot json\n', 'application/x-ndjson'),
    );
    await expect(getLogs(transport as Transport)).rejects.toMatchObject({
      code: 'protocol',
      message: expect.stringContaining('not JSON: not json'),
    });
  });

  test('fake: raw hands back the response; readRawError maps its error envelope', async () => {
    const t = await fakeTransport((_req, res) =>
      send(
        res,
        404,
        '{"type":"error","status-code":404,"status":"Not Found","result":{"message":"cannot find it","kind":"not-found"}}',
      ),
    );
    const res = await t.raw('GET', '/v1/files', { query: { action: 'read', path: ['/a,b', '/c'] } });
    expect(res.statusCode).toBe(404);
    await expect(readRawError(res)).resolves.toMatchObject({ code: 'api', kind: 'not-found' });
    expect(fake?.requests[0]?.url).toBe('/v1/files?action=read&path=%2Fa%2Cb&path=%2Fc');
  });

  test('fake: raw streams a request body from an async iterable', async () => {
    let received = '';
    const t = await fakeTransport((req, res) => {
      req.setEncoding('utf8');
      req.on('data', (c: string) => (received += c));
      req.on('end', () => send(res, 200, '{"type":"sync","status-code":200,"status":"OK","result":true}'));
    });
    async function* chunks() {
      yield new TextEncoder().encode('hello ');
      yield new TextEncoder().encode('world');
    }
    const res = await t.raw('POST', '/v1/files', { body: chunks(), headers: { 'content-type': 'text/plain' } });
    await res.body.text();
    expect(received).toBe('hello world');
  });
});

describe('transport against a real Pebble', () => {
  test('a missing socket -> SocketNotFoundError naming the path, after bounded retries', async () => {
    const client = new PebbleClient({ socketPath: '/tmp/pebble-core-nonexistent/.pebble.socket', retry: fast });
    const started = Date.now();
    await expect(client.getSystemInfo()).rejects.toMatchObject({
      code: 'socket-not-found',
      message: expect.stringMatching(
        /socket at \/tmp\/pebble-core-nonexistent\/\.pebble\.socket is missing; the container may be restarting/,
      ),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    await client.close();
  });

  test('a killed daemon leaves a stale socket -> ConnectionError "connection refused"', async () => {
    const daemon = await startPebbleDaemon();
    daemon.process.kill('SIGKILL');
    await daemon.waitExit();
    const client = new PebbleClient({ socketPath: daemon.socketPath, retry: false });
    await expect(client.getSystemInfo()).rejects.toMatchObject({
      code: 'connection',
      message: expect.stringContaining('connection refused'),
    });
    await client.close();
    await daemon.stop();
  });

  test('a GET retried while the daemon starts (container restart) succeeds once the socket appears', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pebble-core-restart-'));
    const client = new PebbleClient({
      socketPath: join(dir, '.pebble.socket'),
      retry: { attempts: 60, minDelay: 50, maxDelay: 250 },
    });
    const info = client.getSystemInfo();
    const daemon = await startPebbleDaemon({ dir });
    await expect(info).resolves.toMatchObject({ version: expect.stringMatching(/^v1\./) });
    await client.close();
    await daemon.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('an unknown endpoint -> APIError 404 from the real daemon; close() is idempotent', async () => {
    const daemon = await startPebbleDaemon();
    const t = new Transport({ socketPath: daemon.socketPath });
    await expect(t.sync('GET', '/v1/no-such-thing', any)).rejects.toMatchObject({
      code: 'api',
      statusCode: 404,
      message: expect.stringContaining('invalid API endpoint requested'),
    });
    await t.close();
    await daemon.stop();
  });
});
