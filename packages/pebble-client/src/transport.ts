import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { CallScope } from './call-scope.js';
import { Http1Pool } from './http1-pool.js';
import { serializeStreamHead } from './http1-request.js';
import { readableBody } from './stream-body.js';
import { exchange, flatHeaders, scopedBody, type StreamRequest, type StreamResponse } from './stream-exchange.js';
import type { PebbleError } from './errors.js';
import {
  type CallOptions,
  checkEnvelope,
  errorFromBody,
  isRetryable,
  parseEnvelope,
  parseResult,
  type RequestContext,
} from './request.js';

/** Backoff for retrying idempotent requests on connection errors. */
export interface RetryOptions {
  /** Total tries, including the first (1 disables retries). */
  attempts: number;
  /** First delay in milliseconds; doubles each retry. */
  minDelay: number;
  /** Upper bound of one delay in milliseconds. */
  maxDelay: number;
}

/** Default: 5 tries, 100 ms doubling up to 1 s (about 1.5 s of waiting in all). */
export const DEFAULT_RETRY: RetryOptions = { attempts: 5, minDelay: 100, maxDelay: 1000 };
/** Default per-request timeout in milliseconds. */
export const DEFAULT_TIMEOUT = 30_000;
/**
 * Connections for short calls (the default of {@link TransportOptions.connections}). Many callers
 * share a few kept-alive connections (queued FIFO) instead of one socket each: 64 callers on 8
 * connections made 2-3x the calls per second of 64 connections (bench/pebble-client/RESULTS.md).
 * Long-polls and streams get their own connections.
 */
export const SHORT_CONNECTIONS = 8;

export interface TransportOptions {
  socketPath: string;
  /** Default per-request timeout in milliseconds (0: none). */
  timeout?: number | undefined;
  retry?: RetryOptions | false | undefined;
  /** Most kept-alive connections short calls share (default {@link SHORT_CONNECTIONS}); more callers wait in turn. */
  connections?: number | undefined;
  /** Use this dispatcher instead of a new unix-socket Agent (a seam for recording); not closed by `close()`. */
  dispatcher?: Dispatcher | undefined;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;
/** Query parameters; arrays are sent as repeated parameters, undefined values are left out. */
export type Query = Record<string, QueryValue>;

interface BaseRequest extends CallOptions {
  query?: Query | undefined;
  /** Retry on connection errors; defaults to true for GET only. */
  idempotent?: boolean | undefined;
  /** Pebble holds the answer (a long-poll): send it on a connection of its own, never queued behind short calls. */
  long?: boolean | undefined;
}

export interface SyncRequest<T> extends BaseRequest {
  /** JSON request body. */
  body?: unknown;
  schema: z.ZodType<T>;
  /** HTTP statuses accepted with a sync envelope (default [200]). */
  okStatuses?: readonly number[] | undefined;
}

export interface AsyncRequest<T> extends BaseRequest {
  body?: unknown;
  /** Schema of the async `result` (most endpoints send null). */
  schema?: z.ZodType<T> | undefined;
}

export type RawBody = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface RawRequest extends BaseRequest {
  headers?: Record<string, string> | undefined;
  body?: RawBody | undefined;
}

/** A response whose body the caller reads (and whose envelope, if any, it checks). */
export interface RawResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The body stream (undici's, with `text()`/`json()`); destroy it if you stop reading early. */
  body: Dispatcher.ResponseData['body'];
  context: RequestContext;
}

function buildPath(path: string, query: Query | undefined): string {
  let params: URLSearchParams | undefined;
  for (const key in query) {
    const value = query[key];
    if (value === undefined) continue;
    params ??= new URLSearchParams();
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(key, v);
    else params.append(key, String(value));
  }
  const qs = params?.toString();
  return qs ? `${path}?${qs}` : path;
}

const JSON_TYPE = 'application/json';

function isJson(headers: IncomingHttpHeaders): boolean {
  return /\bjson\b/i.test(String(headers['content-type'] ?? ''));
}

/**
 * Every request to Pebble goes through here: one unix-socket HTTP agent, envelope checks,
 * error mapping, retries of idempotent requests, and per-call abort and timeout.
 */
export class Transport {
  readonly socketPath: string;
  /** The undici dispatcher bound to the socket; pass it to undici's `WebSocket` for exec streams. */
  readonly dispatcher: Dispatcher;
  /**
   * The agent short envelope calls share when a dispatcher was given (the given one); without one they
   * go through {@link shortPool} and {@link longPool}.
   */
  private readonly shortCalls: Dispatcher;
  /**
   * Short envelope calls: a purpose-built HTTP/1.1 client on node:net, bounded to `connections`. Undici's
   * HTTP/1.1 machinery cost ~100 us of CPU per call and capped 64 callers at ~0.66x Pebble's Go client
   * (bench/pebble-client/README.md). File pushes and pulls have node:net exchanges of their own (`stream`);
   * logs and exec stay on undici.
   */
  private readonly shortPool: Http1Pool | undefined;
  /** Long-polls: one connection each, kept alive for the next. */
  private readonly longPool: Http1Pool | undefined;
  readonly timeout: number;
  readonly retry: RetryOptions;
  private readonly ownsDispatcher: boolean;

  constructor(options: TransportOptions) {
    this.socketPath = options.socketPath;
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT;
    this.retry = options.retry === false ? { ...DEFAULT_RETRY, attempts: 1 } : (options.retry ?? DEFAULT_RETRY);
    this.ownsDispatcher = options.dispatcher === undefined;
    // Our own timeouts cover requests; undici's would cut long-polls and followed logs.
    this.dispatcher =
      options.dispatcher ??
      new Agent({ connect: { socketPath: options.socketPath }, headersTimeout: 0, bodyTimeout: 0 });
    this.shortCalls =
      options.dispatcher ??
      new Agent({
        connect: { socketPath: options.socketPath },
        connections: SHORT_CONNECTIONS,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
    if (this.ownsDispatcher) {
      this.shortPool = new Http1Pool({
        socketPath: options.socketPath,
        connections: options.connections ?? SHORT_CONNECTIONS,
      });
      this.longPool = new Http1Pool({ socketPath: options.socketPath, connections: Infinity });
    }
  }

  /** Send a request expecting a sync envelope; returns the `result` parsed with `schema`. */
  async sync<T>(method: string, path: string, req: SyncRequest<T>): Promise<T> {
    const env = await this.envelope(method, path, req, { type: 'sync', okStatuses: req.okStatuses });
    return parseResult(req.schema, env.result, this.context(method, path));
  }

  /** Send a request expecting an async envelope (202 + change); returns the change id. */
  async async(method: string, path: string, req: AsyncRequest<unknown> = {}): Promise<string> {
    return (await this.asyncResult(method, path, req)).change;
  }

  /** Like {@link async}, also returning the envelope `result` parsed with `req.schema` (exec's task id). */
  async asyncResult<T>(method: string, path: string, req: AsyncRequest<T>): Promise<{ change: string; result: T }> {
    const env = await this.envelope(method, path, req, { type: 'async' });
    const result = req.schema ? parseResult(req.schema, env.result, this.context(method, path)) : (env.result as T);
    return { change: env.change ?? '', result };
  }

  /**
   * Send a request and hand back the raw response without reading it. The timeout covers the wait
   * for the response headers; the signal keeps governing the body until it ends.
   */
  async raw(method: string, path: string, req: RawRequest = {}): Promise<RawResponse> {
    const ctx = this.context(method, path);
    const scope = new CallScope(ctx, req.signal, req.timeout ?? this.timeout);
    try {
      const body =
        req.body === undefined ||
        typeof req.body === 'string' ||
        req.body instanceof Uint8Array ||
        req.body instanceof Readable
          ? req.body
          : Readable.from(req.body);
      const streamed = body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array);
      const res = await this.retrying(method, streamed ? false : req.idempotent, scope, () =>
        this.dispatcher.request({
          origin: 'http://localhost',
          method: method as Dispatcher.HttpMethod,
          path: buildPath(path, req.query),
          headers: req.headers,
          body,
          signal: scope,
        }),
      );
      scope.clearTimer();
      res.body.once('close', () => scope.dispose());
      return { statusCode: res.statusCode, headers: res.headers, body: res.body, context: ctx };
    } catch (err) {
      scope.dispose();
      throw scope.fail(err);
    }
  }

  /**
   * A streamed exchange (file pushes and pulls): the request body is written with backpressure, the
   * response body is handed on as it arrives. Over a node:net connection of its own, unless a
   * dispatcher was given. The timeout covers the wait for the response head (so, for an upload, the
   * upload); the signal keeps governing the body until it ends. A GET without body is retried on
   * connection errors like other idempotent calls.
   * @throws whatever `req.body` throws, unmapped, besides the transport's errors.
   */
  async stream(method: string, path: string, req: StreamRequest = {}): Promise<StreamResponse> {
    const idempotent = req.body === undefined && method === 'GET';
    if (!this.ownsDispatcher) {
      const res = await this.raw(method, path, { ...req, idempotent });
      return { ...res, headers: flatHeaders(res.headers), body: readableBody(res.body) };
    }
    const ctx = this.context(method, path);
    const scope = new CallScope(ctx, req.signal, req.timeout ?? this.timeout);
    try {
      const head = serializeStreamHead(method, buildPath(path, req.query), req.headers ?? {}, req.body !== undefined);
      const { conn, response } = await this.retrying(method, idempotent, scope, async () => {
        if (scope.aborted) throw scope.reason;
        return exchange(this.socketPath, scope, head, req.body);
      });
      scope.clearTimer();
      const { statusCode, headers } = response;
      return { statusCode, headers, body: scopedBody(conn, scope), context: ctx };
    } catch (err) {
      scope.dispose();
      throw scope.fail(err);
    }
  }

  /** Destroy the agent and every connection it holds. */
  async close(): Promise<void> {
    if (!this.ownsDispatcher) return;
    this.shortPool?.close();
    this.longPool?.close();
    await Promise.all([this.dispatcher.destroy(), this.shortCalls.destroy()]);
  }

  private context(method: string, path: string): RequestContext {
    return { method, path, socketPath: this.socketPath };
  }

  private async envelope(
    method: string,
    path: string,
    req: BaseRequest & { body?: unknown },
    expect: Parameters<typeof checkEnvelope>[2],
  ) {
    const ctx = this.context(method, path);
    const scope = new CallScope(ctx, req.signal, req.timeout ?? this.timeout);
    const hasBody = req.body !== undefined;
    const pool = req.long ? this.longPool : this.shortPool;
    const target = buildPath(path, req.query);
    const body = hasBody ? JSON.stringify(req.body) : undefined;
    try {
      if (pool) {
        const idempotent = req.idempotent ?? method === 'GET';
        return await this.retrying(method, req.idempotent, scope, async () => {
          const res = await pool.request({ method, target, body, contentType: JSON_TYPE, idempotent, cancel: scope });
          const type = res.headers['content-type'] ?? '';
          const text = res.body.toString('utf8');
          if (!/\bjson\b/i.test(type)) throw errorFromBody(text, res.statusCode, type, ctx);
          return checkEnvelope(parseEnvelope(text, res.statusCode, ctx), res.statusCode, expect, ctx);
        });
      }
      return await this.retrying(method, req.idempotent, scope, async () => {
        const res = await (req.long ? this.dispatcher : this.shortCalls).request({
          origin: 'http://localhost',
          method: method as Dispatcher.HttpMethod,
          path: target,
          headers: hasBody ? { 'content-type': JSON_TYPE } : undefined,
          body,
          signal: scope,
        });
        const text = await res.body.text();
        if (!isJson(res.headers))
          throw errorFromBody(text, res.statusCode, String(res.headers['content-type'] ?? ''), ctx);
        return checkEnvelope(parseEnvelope(text, res.statusCode, ctx), res.statusCode, expect, ctx);
      });
    } catch (err) {
      throw scope.fail(err);
    } finally {
      scope.dispose();
    }
  }

  private async retrying<T>(
    method: string,
    idempotent: boolean | undefined,
    scope: CallScope,
    attempt: () => Promise<T>,
  ): Promise<T> {
    const tries = (idempotent ?? method === 'GET') ? Math.max(1, this.retry.attempts) : 1;
    let delay = this.retry.minDelay;
    for (let i = 1; ; i++) {
      try {
        return await attempt();
      } catch (err) {
        const mapped = scope.fail(err);
        if (i >= tries || !isRetryable(mapped, err)) throw mapped;
      }
      await scope.delay(delay);
      delay = Math.min(delay * 2, this.retry.maxDelay);
    }
  }
}

/** Read a raw response's body and map it to an error (APIError for an error envelope, else ProtocolError). */
export async function readRawError(res: RawResponse): Promise<PebbleError> {
  const text = await res.body.text();
  return errorFromBody(text, res.statusCode, String(res.headers['content-type'] ?? ''), res.context);
}
