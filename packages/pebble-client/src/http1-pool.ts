import { type Cancel, Http1Connection } from './http1-connection.js';
import { Http1Error } from './http1-error.js';
import { serializeRequest } from './http1-request.js';
import type { Http1Response, ParserLimits } from './http1-response-parser.js';

/** Options of {@link Http1Pool}. */
export interface Http1PoolOptions extends ParserLimits {
  socketPath: string;
  /** Most connections open at once (default 8); further requests wait in FIFO order. */
  connections?: number | undefined;
  /** Milliseconds an idle connection is kept before it is closed (default 4000). */
  idleTimeout?: number | undefined;
}

/** One request for {@link Http1Pool.request}. */
export interface Http1Call {
  method: string;
  /** Path and query, already encoded. */
  target: string;
  body?: string | undefined;
  contentType?: string | undefined;
  /** Safe to send twice: a reused connection found dead before any response byte is retried once. */
  idempotent: boolean;
  cancel?: Cancel | undefined;
}

interface Waiter {
  resolve: (conn: Http1Connection) => void;
  reject: (err: unknown) => void;
  cancel: Cancel | undefined;
  onCancel: (() => void) | undefined;
}

export const DEFAULT_CONNECTIONS = 8;
export const DEFAULT_IDLE_TIMEOUT = 4000;

const closedError = () => new Http1Error('HTTP1_CLOSED', 'the transport was closed');
const abortedError = () => new Http1Error('HTTP1_ABORTED', 'the call was aborted');

/**
 * A bounded pool of keep-alive HTTP/1.1 connections to one unix socket, for short requests whose
 * whole response is read into memory. A connection goes back to the pool only after its response
 * was read completely; idle ones are unref'd (they never keep the process alive) and closed after
 * `idleTimeout`.
 */
export class Http1Pool {
  private readonly max: number;
  private readonly idleTimeout: number;
  private readonly limits: ParserLimits;
  private readonly all = new Set<Http1Connection>();
  /** Idle connections, the most recently used last. */
  private readonly idle: Http1Connection[] = [];
  private readonly waiters: Waiter[] = [];
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly onClose = (conn: Http1Connection) => this.closedConnection(conn);

  constructor(private readonly options: Http1PoolOptions) {
    this.max = options.connections ?? DEFAULT_CONNECTIONS;
    this.idleTimeout = options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT;
    this.limits = { maxHeaderBytes: options.maxHeaderBytes, maxBodyBytes: options.maxBodyBytes };
    if (!(this.max >= 1)) throw new RangeError(`connections must be at least 1, got ${this.max}`);
  }

  /** Connections open now (busy or idle). */
  get size(): number {
    return this.all.size;
  }

  /**
   * Send one request and read its whole response.
   * @throws {Http1Error} or the socket's connect error (ENOENT, ECONNREFUSED, ...); after `cancel`
   *   aborted, some error the caller replaces with its abort reason.
   */
  async request(call: Http1Call): Promise<Http1Response> {
    const text = serializeRequest(call.method, call.target, call.body, call.contentType);
    const conn = await this.acquire(call.cancel);
    // Cancelled while the connection was handed over: nothing was written, so it stays usable.
    if (call.cancel?.aborted) {
      this.release(conn);
      throw abortedError();
    }
    let res: Http1Response;
    try {
      res = await conn.send(text, call.cancel);
    } catch (err) {
      // A kept-alive connection the server closed while we picked it: the request never arrived.
      const stale =
        call.idempotent &&
        conn.served > 0 &&
        err instanceof Http1Error &&
        err.code === 'HTTP1_SOCKET_CLOSED' &&
        !err.responseStarted &&
        !call.cancel?.aborted &&
        !this.closed;
      if (!stale) throw err;
      res = await this.retry(text, call.cancel);
    }
    this.release(conn);
    return res;
  }

  /** Destroy every connection; waiting and later requests fail with `HTTP1_CLOSED`. */
  close(): void {
    this.closed = true;
    if (this.sweeper) clearTimeout(this.sweeper);
    for (const w of this.waiters.splice(0)) this.settleWaiter(w).reject(closedError());
    for (const conn of this.all) conn.destroy();
  }

  private async retry(text: string, cancel: Cancel | undefined): Promise<Http1Response> {
    const conn = await this.acquire(cancel, true);
    if (cancel?.aborted) {
      this.release(conn);
      throw abortedError();
    }
    const res = await conn.send(text, cancel);
    this.release(conn);
    return res;
  }

  /** An idle connection (unless `fresh`), else a new one if under the bound, else wait for one. */
  private acquire(cancel: Cancel | undefined, fresh = false): Promise<Http1Connection> | Http1Connection {
    if (this.closed) throw closedError();
    if (cancel?.aborted) throw abortedError();
    if (!fresh) {
      for (let conn = this.idle.pop(); conn; conn = this.idle.pop()) if (!conn.dead) return conn;
    }
    if (this.all.size < this.max) return this.open();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, cancel, onCancel: undefined };
      if (cancel) {
        waiter.onCancel = () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          this.settleWaiter(waiter).reject(abortedError());
        };
        cancel.once('abort', waiter.onCancel);
      }
      this.waiters.push(waiter);
    });
  }

  private open(): Http1Connection {
    const conn = new Http1Connection(this.options.socketPath, this.limits, this.onClose);
    this.all.add(conn);
    return conn;
  }

  /** The response was read completely: hand the connection to the next waiter, or park it. */
  private release(conn: Http1Connection): void {
    if (conn.dead || this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) return this.settleWaiter(waiter).resolve(conn);
    conn.unref();
    conn.idleSince = performance.now();
    this.idle.push(conn);
    this.sweeper ??= setTimeout(() => this.sweep(), this.idleTimeout).unref();
  }

  private closedConnection(conn: Http1Connection): void {
    this.all.delete(conn);
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    // Its slot is free: the first waiter gets a new connection.
    const waiter = !this.closed && this.all.size < this.max ? this.waiters.shift() : undefined;
    if (waiter) this.settleWaiter(waiter).resolve(this.open());
  }

  /** Close connections idle for `idleTimeout`; come back while any stay idle. */
  private sweep(): void {
    this.sweeper = undefined;
    const cutoff = performance.now() - this.idleTimeout;
    for (const conn of this.idle.filter((c) => c.idleSince <= cutoff)) conn.destroy();
    const oldest = this.idle.find((c) => c.idleSince > cutoff);
    if (oldest && !this.closed) this.sweeper = setTimeout(() => this.sweep(), oldest.idleSince - cutoff + 1).unref();
  }

  private settleWaiter(w: Waiter): Waiter {
    if (w.onCancel) w.cancel?.removeListener('abort', w.onCancel);
    return w;
  }
}
