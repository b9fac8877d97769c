import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * FAKE Pebble: a node:http server on a temp unix socket, only for error paths a real Pebble
 * cannot produce (malformed JSON, wrong envelopes, garbage 500s, connection resets, silence).
 */
export interface FakePebble {
  socketPath: string;
  /** Requests received so far (method and url). */
  requests: { method: string; url: string }[];
  close(): Promise<void>;
}

export type FakeHandler = (req: IncomingMessage, res: ServerResponse, index: number) => void;

export async function startFakePebble(handler: FakeHandler): Promise<FakePebble> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-pebble-'));
  const socketPath = join(dir, 'fake.socket');
  const requests: { method: string; url: string }[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    handler(req, res, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Send a body with a status and content type. */
export function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}
