import { createServer, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PebbleClient } from './client.js';
import { isPebbleError } from './errors.js';

// A fake Pebble for answers a real daemon cannot be made to give: an error reported after the
// content, a body cut mid-file, a wrong content type.
const B = 'fakeboundaryfakeboundaryfakeboundary';
let dir: string;
let server: Server;
let client: PebbleClient;
let answer: (res: ServerResponse) => void = () => undefined;

function part(headers: string, body: string): string {
  return `--${B}\r\n${headers}\r\n\r\n${body}\r\n`;
}

const response = (result: unknown) =>
  part(
    'Content-Disposition: form-data; name="response"\r\nContent-Type: application/json',
    JSON.stringify({ type: 'sync', 'status-code': 200, status: 'OK', result }),
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fake-pebble-'));
  server = createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server.listen(join(dir, 'fake.socket'), resolve));
  client = new PebbleClient({ socketPath: join(dir, 'fake.socket'), retry: false });
});

afterAll(async () => {
  await client?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function drain(stream: AsyncIterable<unknown>): Promise<string> {
  let text = '';
  for await (const c of stream) text += String(c);
  return text;
}

describe('pull against a fake server', () => {
  it('errors the stream with PathError when the trailing response part reports an error (fake)', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': `multipart/form-data; boundary=${B}` });
      res.end(
        part('Content-Disposition: form-data; name="files"; filename="/f"', 'partial content') +
          response([{ path: '/f', error: { message: 'read /f: input/output error', kind: 'generic-file-error' } }]) +
          `--${B}--\r\n`,
      );
    };
    const stream = await client.pull('/f');
    const err = await drain(stream).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'path', kind: 'generic-file-error', path: '/f' });
    expect((err as Error).message).toBe('cannot pull /f: read /f: input/output error (generic-file-error)');
  });

  it('errors the stream with a protocol error when the body stops inside the file (fake)', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': `multipart/form-data; boundary=${B}` });
      res.end(`--${B}\r\nContent-Disposition: form-data; name="files"; filename="/f"\r\n\r\nonly part of it`);
    };
    const err = await drain(await client.pull('/f')).catch((e: unknown) => e);
    expect(isPebbleError(err) && err.code).toBe('protocol');
  });

  it('rejects a response that is not multipart with a protocol error naming the content (fake)', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello');
    };
    const err = await client.pull('/f').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'protocol' });
  });

  it('maps an error envelope to APIError (fake)', async () => {
    answer = (res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'error',
          'status-code': 400,
          status: 'Bad Request',
          result: { message: 'must accept multipart/form-data' },
        }),
      );
    };
    expect(await client.pull('/f').catch((e: unknown) => e)).toMatchObject({ code: 'api', statusCode: 400 });
  });
});
