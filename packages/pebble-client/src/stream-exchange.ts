import type { IncomingHttpHeaders } from 'node:http';
import type { CallScope } from './call-scope.js';
import type { PebbleError } from './errors.js';
import type { Http1Head } from './http1-response-parser.js';
import { Http1Stream } from './http1-stream.js';
import { type CallOptions, errorFromBody, type RequestContext } from './request.js';
import { type BodyReader, readBodyText } from './stream-body.js';
import type { Query } from './transport.js';

/** A streamed request (see {@link Transport.stream}). */
export interface StreamRequest extends CallOptions {
  query?: Query | undefined;
  headers?: Record<string, string> | undefined;
  /** Request body, sent in chunked coding as the source yields it and the socket takes it. */
  body?: AsyncIterable<Buffer> | undefined;
}

/** A response whose body is delivered push-style as it arrives (see {@link Transport.stream}). */
export interface StreamResponse {
  statusCode: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Start it, or destroy it if you do not read it. */
  body: BodyReader;
  context: RequestContext;
}

/** Largest error body read into memory from a streamed response. */
const STREAM_ERROR_LIMIT = 1024 * 1024;

/** Node's header record with repeated values joined, as the node:net path gives them. */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in headers) {
    const value = headers[key];
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The exchange's body, disposing of the call's scope when it is over and mapping its errors through it. */
export function scopedBody(conn: Http1Stream, scope: CallScope): BodyReader {
  return {
    start: (events) =>
      conn.start({
        data: events.data,
        end() {
          scope.dispose();
          events.end();
        },
        error(err) {
          scope.dispose();
          events.error(scope.fail(err));
        },
      }),
    pause: () => conn.pause(),
    resume: () => conn.resume(),
    destroy() {
      scope.dispose();
      conn.destroy();
    },
  };
}

/**
 * One attempt of a streamed exchange: connect, write the request (head, then the body with
 * backpressure) and wait for the response head. The head settles first when the exchange fails or is
 * cancelled while the source is stuck; once it is in, a later failure of the source is moot.
 * @throws the socket's or parser's error, or whatever `body` throws.
 */
export async function exchange(
  socketPath: string,
  scope: CallScope,
  head: string,
  body: AsyncIterable<Buffer> | undefined,
): Promise<{ conn: Http1Stream; response: Http1Head }> {
  if (scope.aborted) throw scope.reason;
  const conn = new Http1Stream(socketPath, scope);
  const sending = conn.send(head, body);
  sending.catch(() => undefined);
  try {
    await Promise.race([sending, conn.head]);
  } catch (err) {
    conn.destroy();
    throw err;
  }
  return { conn, response: await conn.head };
}

/** Read a streamed response's error body: APIError for an error envelope, else ProtocolError. */
export async function readStreamError(res: StreamResponse): Promise<PebbleError> {
  const text = await readBodyText(res.body, STREAM_ERROR_LIMIT);
  return errorFromBody(text, res.statusCode, res.headers['content-type'] ?? '', res.context);
}
