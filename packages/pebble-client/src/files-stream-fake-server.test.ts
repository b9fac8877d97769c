import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PebbleClient } from './client.js';
import { failure } from './testing-fixtures/failure.js';
import { type FakePebble, send, startFakePebble } from './testing-fixtures/fake-pebble-server.js';

// FAKE servers for failures in the middle of a transfer that a real Pebble does not produce on demand:
// a connection cut inside the file, broken chunked framing, an upload answered or dropped before its end.
const B = 'fakeboundaryfakeboundaryfakeboundary';
const fileHead = `--${B}\r\nContent-Disposition: form-data; name="files"; filename="/f"\r\n\r\n`;
const multipartHead = `HTTP/1.1 200 OK\r\nContent-Type: multipart/form-data; boundary=${B}\r\nTransfer-Encoding: chunked\r\n\r\n`;
const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;

let fake: FakePebble | undefined;
let raw: { server: Server; dir: string } | undefined;
let client: PebbleClient | undefined;

afterEach(async () => {
  await client?.close();
  await fake?.close();
  if (raw) {
    await new Promise((resolve) => raw?.server.close(resolve));
    await rm(raw.dir, { recursive: true, force: true });
  }
  fake = raw = client = undefined;
});

/** A node:net server writing `answer` on each connection once the request head is in. */
async function rawServer(answer: (write: (text: string) => void, end: () => void) => void): Promise<PebbleClient> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-pebble-raw-'));
  const server = createServer((socket) => {
    let head = '';
    socket.on('data', (d: Buffer) => {
      if (head.includes('\r\n\r\n')) return;
      head += d.toString('latin1');
      if (head.includes('\r\n\r\n'))
        answer(
          (t) => socket.write(t),
          () => socket.destroy(),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(join(dir, 'raw.socket'), resolve));
  raw = { server, dir };
  return (client = new PebbleClient({ socketPath: join(dir, 'raw.socket'), retry: false }));
}

async function drain(stream: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const c of stream) n += (c as Buffer).length;
  return n;
}

async function* blocks(count: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(64 * 1024, i);
}

describe('errors in the middle of a transfer (fake servers)', () => {
  it('fake: a connection cut inside the file errors the pulled stream with a connection error', async () => {
    const c = await rawServer((write, end) => {
      write(multipartHead + chunk(fileHead + 'x'.repeat(100_000)));
      end();
    });
    const stream = await c.pull('/f');
    const err = await failure(drain(stream));
    expect(err).toMatchObject({ code: 'connection' });
    expect((err as Error).message).toMatch(/GET \/v1\/files/);
  });

  it('fake: broken chunked framing inside the file errors the pulled stream with a protocol error', async () => {
    const c = await rawServer((write) => write(multipartHead + chunk(fileHead + 'abc') + 'zz\r\n'));
    const err = await failure(drain(await c.pull('/f')));
    expect(err).toMatchObject({ code: 'protocol' });
  });

  it('fake: a connection cut before any answer rejects the pull with a connection error', async () => {
    const c = await rawServer((_write, end) => end());
    expect(await failure(c.pull('/f'))).toMatchObject({ code: 'connection' });
  });

  it('fake: an upload answered with an error before its end rejects with that APIError, without hanging', async () => {
    fake = await startFakePebble((_req, res) =>
      send(
        res,
        400,
        JSON.stringify({ type: 'error', 'status-code': 400, status: 'Bad Request', result: { message: 'no' } }),
      ),
    );
    client = new PebbleClient({ socketPath: fake.socketPath, retry: false });
    const err = await failure(client.push('/f', blocks(4096), { timeout: 0 }));
    expect(err).toMatchObject({ code: 'api', statusCode: 400 });
  });

  it('fake: an upload whose connection is dropped mid-body rejects with a connection error', async () => {
    const c = await rawServer((_write, end) => end());
    expect(await failure(c.push('/f', blocks(4096), { timeout: 0 }))).toMatchObject({ code: 'connection' });
  });
});
