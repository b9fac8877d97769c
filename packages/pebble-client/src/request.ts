import { z } from 'zod';
import {
  AbortError,
  APIError,
  ConnectionError,
  isPebbleError,
  PebbleError,
  ProtocolError,
  SocketNotFoundError,
  TimeoutError,
} from './errors.js';

/** Options every client call accepts. */
export interface CallOptions {
  /** Aborts the call; the promise rejects with an `aborted` error. */
  signal?: AbortSignal | undefined;
  /** Milliseconds before the call fails with a `timeout` error; 0 disables it. Defaults to the client's timeout. */
  timeout?: number | undefined;
}

/** Which request this is, for error messages. */
export interface RequestContext {
  method: string;
  path: string;
  socketPath?: string | undefined;
}

/** A schema built on its first use and reused after: building a zod schema costs far more than parsing with it. */
export function lazySchema<T extends z.ZodType>(build: () => T): () => T {
  let schema: T | undefined;
  return () => (schema ??= build());
}

/** `result` of calls whose answer is not used. */
export const anyResult = lazySchema(() => z.unknown());
/** A string `result` (the YAML plan). */
export const stringResult = lazySchema(() => z.string());

/** The Pebble response envelope (reference section 0.1). */
export const envelopeSchema = z.object({
  type: z.enum(['sync', 'async', 'error']),
  'status-code': z.number().int(),
  status: z.string(),
  result: z.unknown().optional(),
  change: z.string().optional(),
  'latest-warning': z.string().optional(),
  maintenance: z.object({ kind: z.string().optional(), message: z.string().optional() }).loose().optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

const errorResultSchema = z
  .object({ message: z.string(), kind: z.string().optional(), value: z.unknown().optional() })
  .loose();

const where = (ctx: RequestContext) => `${ctx.method} ${ctx.path}`;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat || '(empty body)';
}

/** One line summary of a zod error: the first issue with its path. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${path}: ${issue.message}${error.issues.length > 1 ? ` (and ${error.issues.length - 1} more issues)` : ''}`;
}

const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

/**
 * The envelope of nearly every answer (sync or async, no maintenance block) checked by hand: the same
 * rules as {@link envelopeSchema} and the same output (known keys only), without zod's per-call cost
 * on the hot path. Anything else (errors, maintenance, bad input) returns undefined and goes through
 * zod, which gives the precise message.
 */
export function plainEnvelope(json: unknown): Envelope | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const type = o['type'];
  const code = o['status-code'];
  const status = o['status'];
  const change = o['change'];
  const warning = o['latest-warning'];
  if (
    (type !== 'sync' && type !== 'async') ||
    !Number.isSafeInteger(code) ||
    typeof status !== 'string' ||
    !optionalString(change) ||
    !optionalString(warning) ||
    o['maintenance'] !== undefined
  )
    return undefined;
  const env: Envelope = { type, 'status-code': code as number, status };
  if ('result' in o) env.result = o['result'];
  if (change !== undefined) env.change = change as string;
  if (warning !== undefined) env['latest-warning'] = warning as string;
  return env;
}

/**
 * Parse a response body as a Pebble envelope. Non-JSON or malformed bodies become ProtocolError
 * (or APIError when the HTTP status is an error, so callers still see the status).
 */
export function parseEnvelope(text: string, statusCode: number, ctx: RequestContext): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ProtocolError(
      {
        message: `cannot parse response to ${where(ctx)}: status ${statusCode}, body is not JSON: ${snippet(text)}`,
        statusCode,
      },
      { cause },
    );
  }
  const fast = plainEnvelope(json);
  if (fast) return fast;
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProtocolError({
      message: `cannot parse response to ${where(ctx)}: status ${statusCode}, not a Pebble envelope (${describeZodError(parsed.error)})`,
      statusCode,
    });
  }
  return parsed.data;
}

/** Map an error envelope to an APIError carrying the server's kind, value and message. */
export function apiErrorFromEnvelope(env: Envelope, statusCode: number, ctx: RequestContext): APIError {
  const result = errorResultSchema.safeParse(env.result);
  const serverMessage = result.success ? result.data.message : `${env['status-code']} ${env.status}`;
  const message = serverMessage.startsWith('cannot') ? serverMessage : `cannot ${where(ctx)}: ${serverMessage}`;
  return new APIError({
    message,
    statusCode: env['status-code'] || statusCode,
    status: env.status,
    kind: result.success ? result.data.kind : undefined,
    value: result.success ? result.data.value : undefined,
    body: env,
    method: ctx.method,
    path: ctx.path,
  });
}

/** What a call expects back. */
export type Expect = { type: 'sync'; okStatuses?: readonly number[] | undefined } | { type: 'async' };

/**
 * Check an envelope against what the call expects; error envelopes throw APIError,
 * anything unexpected throws ProtocolError.
 */
export function checkEnvelope(env: Envelope, statusCode: number, expect: Expect, ctx: RequestContext): Envelope {
  if (env.type === 'error') throw apiErrorFromEnvelope(env, statusCode, ctx);
  if (env.type !== expect.type) {
    throw new ProtocolError({
      message: `cannot use response to ${where(ctx)}: expected a ${expect.type} response, got ${env.type}`,
      statusCode,
    });
  }
  if (expect.type === 'async') {
    if (statusCode !== 202 || !env.change) {
      throw new ProtocolError({
        message: `cannot use response to ${where(ctx)}: async response must be 202 with a change id, got ${statusCode}${env.change ? '' : ' without a change'}`,
        statusCode,
      });
    }
  } else if (!(expect.okStatuses ?? [200]).includes(statusCode)) {
    throw new ProtocolError({
      message: `cannot use response to ${where(ctx)}: unexpected status ${statusCode} for a sync response`,
      statusCode,
    });
  }
  return env;
}

/** Parse an envelope's `result` with the call's schema. */
export function parseResult<T>(schema: z.ZodType<T>, result: unknown, ctx: RequestContext): T {
  const parsed = schema.safeParse(result);
  if (!parsed.success) {
    throw new ProtocolError({ message: `cannot parse result of ${where(ctx)}: ${describeZodError(parsed.error)}` });
  }
  return parsed.data;
}

/**
 * Map a body that arrived with an error status (or an unexpected content type) to the right error:
 * an APIError from an error envelope, otherwise a ProtocolError naming the status and content.
 */
export function errorFromBody(
  text: string,
  statusCode: number,
  contentType: string | undefined,
  ctx: RequestContext,
): PebbleError {
  try {
    const env = parseEnvelope(text, statusCode, ctx);
    if (env.type === 'error') return apiErrorFromEnvelope(env, statusCode, ctx);
    return new ProtocolError({
      message: `cannot use response to ${where(ctx)}: unexpected ${env.type} envelope with status ${statusCode}`,
      statusCode,
    });
  } catch (err) {
    if (isPebbleError(err) && statusCode >= 400 && !/json/i.test(contentType ?? '')) {
      return new ProtocolError({
        message: `cannot use response to ${where(ctx)}: status ${statusCode} with ${contentType ?? 'no content type'}: ${snippet(text)}`,
        statusCode,
      });
    }
    if (isPebbleError(err)) return err;
    throw err;
  }
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTSOCK',
  'EACCES',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'HTTP1_SOCKET_CLOSED',
]);
const CLOSED_CODES = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED', 'HTTP1_CLOSED']);

/** True when a failure is a connection error that an idempotent request may retry (not a closed client). */
export function isRetryable(mapped: unknown, original: unknown): boolean {
  const code = (original as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CLOSED_CODES.has(code)) return false;
  return isPebbleError(mapped) && (mapped.code === 'connection' || mapped.code === 'socket-not-found');
}

/**
 * Map a low-level failure (undici or socket error, abort reason) to the package's error family.
 * Pebble errors pass through unchanged.
 */
export function mapTransportError(err: unknown, ctx: RequestContext): PebbleError {
  if (isPebbleError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const socket = ctx.socketPath ?? '(unknown socket)';
  if (code === 'ENOENT') return new SocketNotFoundError({ path: socket }, { cause: err });
  if (code === 'ECONNREFUSED') {
    return new ConnectionError(
      {
        message: `cannot connect to Pebble at ${socket}: connection refused; the daemon is not running there, the container may be restarting (retry later)`,
        socketPath: ctx.socketPath,
      },
      { cause: err },
    );
  }
  if (code === 'EACCES') {
    return new ConnectionError(
      {
        message: `cannot connect to Pebble at ${socket}: permission denied; run as a user that can open the socket`,
        socketPath: ctx.socketPath,
      },
      { cause: err },
    );
  }
  if (typeof code === 'string' && CLOSED_CODES.has(code)) {
    return new ConnectionError(
      { message: `cannot ${where(ctx)}: the client was closed; create a new PebbleClient`, socketPath: ctx.socketPath },
      { cause: err },
    );
  }
  if (typeof code === 'string' && CONNECT_CODES.has(code)) {
    const detail = err instanceof Error ? err.message : String(err);
    return new ConnectionError(
      { message: `cannot ${where(ctx)} on ${socket}: connection failed (${detail})`, socketPath: ctx.socketPath },
      { cause: err },
    );
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new TimeoutError({ message: `cannot ${where(ctx)}: Pebble did not answer in time` }, { cause: err });
  }
  if (
    err instanceof Error &&
    (err.name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR' || code === 'HTTP1_ABORTED')
  ) {
    return new AbortError({ message: `cannot ${where(ctx)}: aborted` }, { cause: err });
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new ProtocolError({ message: `cannot ${where(ctx)}: ${detail}` }, { cause: err });
}
