import { existsSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

type Http = typeof import('node:http');
let http: Http | undefined;
// required on first use, not imported: an ESM import of node:http reads its lazy getters (which load
// Node's own undici), and a startup snapshot cannot hold its parser handles
const loadHttp = (): Http =>
  (http ??= (typeof require === 'function' ? require : createRequire(import.meta.url))('node:http') as Http);

/** What the Pebble transport reads from a response body: a stream with undici's `text()` and `json()`. */
export type BodyReadable = IncomingMessage & { text(): Promise<string>; json(): Promise<unknown> };

/** The subset of undici's request options the Pebble transport passes. */
export interface LiteRequestOptions {
  origin?: string;
  method: string;
  path: string;
  headers?: Record<string, string> | undefined;
  body?: string | Uint8Array | Readable | undefined;
  signal?: AbortSignal | AbortEmitter | undefined;
}

/** undici's other kind of `signal`: an EventEmitter with `aborted` and an `abort` event (pebble-client's). */
export interface AbortEmitter {
  aborted: boolean;
  once(event: 'abort', listener: () => void): unknown;
  removeListener(event: 'abort', listener: () => void): unknown;
}

/** Calls `onAbort` when `signal` aborts (either kind); returns the unsubscribe. */
function onAbortOf(signal: AbortSignal | AbortEmitter, onAbort: () => void): () => void {
  if ('addEventListener' in signal) {
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }
  signal.once('abort', onAbort);
  return () => signal.removeListener('abort', onAbort);
}

const abortError = () =>
  Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });

/**
 * A stand-in for undici's `Agent` in packed charms, for `@charms/pebble-client` only: the same
 * `request()`/`close()`/`destroy()` surface, over node:http with `socketPath`. Loading undici costs a
 * hook tens of milliseconds that a charm talking to one local socket never needs.
 */
export class Agent {
  readonly #socketPath: string | undefined;
  #agent: InstanceType<Http['Agent']> | undefined;

  constructor(options: { connect?: { socketPath?: string } } = {}) {
    this.#socketPath = options.connect?.socketPath;
  }

  request(
    options: LiteRequestOptions,
  ): Promise<{ statusCode: number; headers: IncomingHttpHeaders; body: BodyReadable }> {
    return new Promise((resolve, reject) => {
      if (this.#socketPath !== undefined && !existsSync(this.#socketPath)) {
        // what connect() would say, without loading node:http for a socket that is not there
        reject(
          Object.assign(new Error(`connect ENOENT ${this.#socketPath}`), {
            code: 'ENOENT',
            errno: -2,
            syscall: 'connect',
            address: this.#socketPath,
          }),
        );
        return;
      }
      this.#agent ??= new (loadHttp().Agent)({ keepAlive: true });
      const body = options.body;
      const headers: Record<string, string> = { host: 'localhost', ...options.headers };
      if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));
      else if (body instanceof Uint8Array) headers['content-length'] = String(body.byteLength);
      const req = loadHttp().request({
        ...(this.#socketPath === undefined ? { host: 'localhost' } : { socketPath: this.#socketPath }),
        method: options.method,
        path: options.path,
        headers,
        agent: this.#agent,
      });
      // node:http takes only an AbortSignal: both kinds undici takes are handled here
      const signal = options.signal;
      let unsubscribe = (): void => undefined;
      if (signal?.aborted) req.destroy(abortError());
      else if (signal !== undefined) {
        unsubscribe = onAbortOf(signal, () => req.destroy(abortError()));
        req.once('close', unsubscribe);
      }
      req.once('error', (e) => {
        unsubscribe();
        reject(e);
      });
      req.once('response', (res) => {
        const withText = res as BodyReadable;
        withText.text = () => readAll(res);
        withText.json = async () => JSON.parse(await readAll(res)) as unknown;
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: withText });
      });
      if (body instanceof Readable) {
        body.once('error', (e) => req.destroy(e));
        body.pipe(req);
      } else req.end(body);
    });
  }

  async close(): Promise<void> {
    this.#agent?.destroy();
  }

  async destroy(): Promise<void> {
    this.#agent?.destroy();
  }
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
