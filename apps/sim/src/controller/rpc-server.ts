import { createServer, type Server, type Socket } from 'node:net';
import { chmod } from 'node:fs/promises';
import { z } from 'zod';
import { JujuModelError } from '../model/api.js';
import { Request, type Response } from './protocol.js';

/** Handles one request; `progress` streams lines before the result. */
export type RpcHandler = (req: Request, progress: (message: string) => void) => Promise<unknown>;

function send(socket: Socket, msg: Response): void {
  if (!socket.destroyed) socket.write(JSON.stringify(msg) + '\n');
}

/** Serializes any thrown value as a JujuModelError JSON (internal errors keep their message). */
export function errorJSON(error: unknown): {
  name: string;
  code: string;
  message: string;
  details: Record<string, unknown>;
} {
  if (error instanceof JujuModelError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return {
    name: 'JujuModelError',
    code: 'bad-request',
    message: message.startsWith('cannot') ? message : `cannot complete the request: ${message}`,
    details: {},
  };
}

/** The controller's unix-socket server (mode 0600): one JSON request line per connection. */
export async function startRpcServer(path: string, handler: RpcHandler): Promise<Server> {
  const server = createServer((socket) => {
    let buffer = '';
    let started = false;
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      if (started) return;
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      started = true;
      let json: unknown;
      try {
        json = JSON.parse(buffer.slice(0, nl));
      } catch {
        send(socket, {
          type: 'error',
          error: errorJSON(new JujuModelError('bad-request', 'cannot parse the request: it is not JSON')),
        });
        socket.end();
        return;
      }
      const parsed = Request.safeParse(json);
      if (!parsed.success) {
        send(socket, {
          type: 'error',
          error: errorJSON(
            new JujuModelError('bad-request', `cannot handle the request: ${z.prettifyError(parsed.error)}`),
          ),
        });
        socket.end();
        return;
      }
      handler(parsed.data, (message) => send(socket, { type: 'progress', message }))
        .then((value) => send(socket, { type: 'result', value: value ?? null }))
        .catch((error: unknown) => send(socket, { type: 'error', error: errorJSON(error) }))
        .finally(() => socket.end());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return server;
}
