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
  signal?: AbortSignal | undefined;
}

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
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      req.once('error', reject);
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
