import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { AbortError, ConnectionError, TimeoutError, type PebbleError } from './errors.js';
import { errorFromBody, mapTransportError, type RequestContext } from './request.js';

export { WebSocket };

/** Options of {@link connectWebSocket}. */
export interface ConnectWebSocketOptions {
  /** Bound for the whole opening handshake, in milliseconds. */
  timeout: number;
  signal?: AbortSignal | undefined;
}

const BODY_LIMIT = 64 * 1024;

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Open a websocket to `path` over Pebble's unix socket, bounded by `timeout`. A refused upgrade
 * becomes the APIError Pebble sent (404 unknown task, 500 already connected, ...). Every failure
 * leaves nothing open behind. The socket is returned paused: attach listeners, then `resume()` it.
 * @throws {TimeoutError} when the handshake does not finish in time; {@link AbortError} on abort.
 */
export function connectWebSocket(
  socketPath: string,
  path: string,
  options: ConnectWebSocketOptions,
): Promise<WebSocket> {
  const ctx: RequestContext = { method: 'GET', path, socketPath };
  return new Promise<WebSocket>((resolve, reject) => {
    let settled = false;
    // Resolves when the connection's handle is really closed (its 'close' event, not `closed`).
    let socketClosed: Promise<void> = Promise.resolve();
    const ws = new WebSocket(`ws://localhost${path}`, {
      createConnection: () => {
        const socket = connect(socketPath);
        socketClosed = new Promise((done) => socket.once('close', () => done()));
        return socket;
      },
      perMessageDeflate: false,
      followRedirects: false,
    });
    const timer = setTimeout(() => {
      finish(
        new TimeoutError({
          message: `cannot connect websocket ${path}: no answer within ${options.timeout}ms`,
          timeout: options.timeout,
        }),
      );
    }, options.timeout);
    const finish = (err: PebbleError | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (err === undefined) {
        resolve(ws);
        return;
      }
      // Before the upgrade, ws's 'close' can come before the socket's own: wait for both.
      void terminate(ws)
        .then(() => socketClosed)
        .then(() => reject(err));
    };
    const onAbort = () =>
      finish(
        new AbortError(
          { message: `cannot connect websocket ${path}: aborted by the caller` },
          { cause: options.signal?.reason },
        ),
      );
    ws.on('open', () => {
      // Paused until the caller has attached its listeners, so no early message is lost.
      ws.pause();
      finish(undefined);
    });
    // Listening to 'unexpected-response' turns a refused upgrade into Pebble's own error.
    ws.on('unexpected-response', (req, res) => {
      void readBody(res)
        .then((text) => errorFromBody(text, res.statusCode ?? 0, res.headers['content-type'], ctx))
        .catch((err: unknown) => mapTransportError(err, ctx))
        .then((err) => {
          req.destroy();
          finish(err);
        });
    });
    // Kept for the socket's whole life: an unhandled 'error' would crash the process.
    ws.on('error', (err: Error) => {
      const mapped = mapTransportError(err, ctx);
      finish(
        mapped.code !== 'protocol'
          ? mapped
          : new ConnectionError(
              { message: `cannot connect websocket ${path}: ${err.message}`, socketPath },
              { cause: err },
            ),
      );
    });
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Destroy a websocket's connection at once, without the close handshake (Pebble never answers
 * a close frame on its stdio sockets), and resolve when the socket is closed.
 */
export function terminate(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise<void>((resolve) => {
    ws.once('close', () => resolve());
    ws.terminate();
  });
}

/** Send a message and resolve once it is written to the socket (this gives backpressure). */
export function send(ws: WebSocket, data: Buffer | string, binary: boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    ws.send(data, { binary }, (err) => (err ? reject(err) : resolve()));
  });
}
