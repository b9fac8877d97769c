import { z } from 'zod';

/** Stable error codes: branch on these, never on message text. */
export type PebbleErrorCode =
  | 'api'
  | 'change-failed'
  | 'connection'
  | 'socket-not-found'
  | 'path'
  | 'exec-failed'
  | 'timeout'
  | 'aborted'
  | 'protocol';

/** JSON form of a `cause`: a nested Pebble error or a plain error summary. */
export type SerializedCause = PebbleErrorJSON | { name: string; message: string; code?: string };

/** JSON form of any {@link PebbleError}, as written by `toJSON()`. */
export interface PebbleErrorJSON {
  name: string;
  code: PebbleErrorCode;
  message: string;
  cause?: SerializedCause;
  [field: string]: unknown;
}

const brand: unique symbol = Symbol.for('@charms/pebble-client.error');

/** Base of every error this package throws; `code` says which subclass it is. */
export abstract class PebbleError extends Error {
  abstract readonly code: PebbleErrorCode;
  readonly [brand] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }

  /** The data fields of this error (everything but name, code, message and cause). */
  protected abstract data(): Record<string, unknown>;

  toJSON(): PebbleErrorJSON {
    const json: PebbleErrorJSON = { name: this.name, code: this.code, message: this.message, ...this.data() };
    if (this.cause !== undefined) json.cause = serializeCause(this.cause);
    return json;
  }
}

/** True for errors of this package, also across duplicate copies of it. */
export function isPebbleError(value: unknown): value is PebbleError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

function serializeCause(cause: unknown): SerializedCause {
  if (isPebbleError(cause)) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string'
      ? { name: cause.name, message: cause.message, code }
      : { name: cause.name, message: cause.message };
  }
  return { name: 'Error', message: String(cause) };
}

type Opts = { cause?: unknown };

/** Pebble answered with an error envelope (4xx/5xx). `kind` is the server's kind verbatim. */
export class APIError extends PebbleError {
  readonly code = 'api' as const;
  /** HTTP status code, e.g. 404. */
  readonly statusCode: number;
  /** HTTP reason text, e.g. "Not Found". */
  readonly status: string;
  /** Server error kind (`not-found`, `permission-denied`, `no-default-services`, ...), if any. */
  readonly kind: string | undefined;
  /** Server error `value`, if any. */
  readonly value: unknown;
  /** The response body (the parsed envelope, or its text). */
  readonly body: unknown;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(
    init: {
      message: string;
      statusCode: number;
      status: string;
      kind?: string | undefined;
      value?: unknown;
      body?: unknown;
      method?: string | undefined;
      path?: string | undefined;
    },
    options?: Opts,
  ) {
    super(init.message, options);
    this.statusCode = init.statusCode;
    this.status = init.status;
    this.kind = init.kind;
    this.value = init.value;
    this.body = init.body;
    this.method = init.method;
    this.path = init.path;
  }

  protected data() {
    return {
      statusCode: this.statusCode,
      status: this.status,
      kind: this.kind,
      value: this.value,
      body: this.body,
      method: this.method,
      path: this.path,
    };
  }
}

/** Minimal view of a change that {@link ChangeError} needs; the full shape lives in changes.ts. */
export interface ChangeLike {
  id: string;
  kind: string;
  status: string;
  err?: string | undefined;
  tasks?: { id: string; kind: string; summary: string; status: string; log?: string[] | undefined }[] | undefined;
  [key: string]: unknown;
}

/** A change finished with an error. The message carries the change error and the failed tasks' logs. */
export class ChangeError extends PebbleError {
  readonly code = 'change-failed' as const;
  /** The change's `err` text. */
  readonly err: string;
  /** The change as the server reported it. */
  readonly change: ChangeLike;

  constructor(init: { err: string; change: ChangeLike; message?: string }, options?: Opts) {
    super(init.message ?? changeErrorMessage(init.err, init.change), options);
    this.err = init.err;
    this.change = init.change;
  }

  protected data() {
    return { err: this.err, change: this.change };
  }
}

function changeErrorMessage(err: string, change: ChangeLike): string {
  const base = err.startsWith('cannot') ? err : `cannot complete change ${change.id} (${change.kind}): ${err}`;
  const logs = (change.tasks ?? [])
    .filter((t) => (t.log?.length ?? 0) > 0)
    .map((t) => `----- Logs from task ${t.id} (${t.summary}) -----\n${(t.log ?? []).join('\n')}`);
  return logs.length > 0 ? `${base}\n${logs.join('\n')}` : base;
}

/** The socket could not be reached or the connection broke. */
export class ConnectionError extends PebbleError {
  readonly code: 'connection' | 'socket-not-found' = 'connection';
  readonly socketPath: string | undefined;

  constructor(init: { message: string; socketPath?: string | undefined }, options?: Opts) {
    super(init.message, options);
    this.socketPath = init.socketPath;
  }

  protected data(): Record<string, unknown> {
    return { socketPath: this.socketPath };
  }
}

/** The socket file does not exist: Pebble is not running there (yet), e.g. the container is restarting. */
export class SocketNotFoundError extends ConnectionError {
  override readonly code = 'socket-not-found' as const;
  readonly path: string;

  constructor(init: { path: string; message?: string }, options?: Opts) {
    super(
      {
        message:
          init.message ??
          `cannot connect to Pebble: the socket at ${init.path} is missing; the container may be restarting (retry later, or check the socket path)`,
        socketPath: init.path,
      },
      options,
    );
    this.path = init.path;
  }

  protected override data(): Record<string, unknown> {
    return { path: this.path };
  }
}

/**
 * A per-path error from a files request (`kind` is the server's:
 * `not-found`, `permission-denied`, `generic-file-error`).
 */
export class PathError extends PebbleError {
  readonly code = 'path' as const;
  readonly kind: string;
  readonly path: string;

  constructor(init: { kind: string; path: string; message: string }, options?: Opts) {
    super(init.message, options);
    this.kind = init.kind;
    this.path = init.path;
  }

  protected data() {
    return { kind: this.kind, path: this.path };
  }
}

const OUTPUT_LIMIT = 1024;

function truncate(text: string): string {
  return text.length > OUTPUT_LIMIT ? `${text.slice(0, OUTPUT_LIMIT)} [truncated]` : text;
}

/** An executed command exited with a non-zero code. */
export class ExecError extends PebbleError {
  readonly code = 'exec-failed' as const;
  readonly command: string[];
  readonly exitCode: number;
  /** Captured stdout, or null when it was streamed elsewhere. */
  readonly stdout: string | null;
  /** Captured stderr, or null when it was streamed or combined into stdout. */
  readonly stderr: string | null;

  constructor(
    init: { command: string[]; exitCode: number; stdout: string | null; stderr: string | null; message?: string },
    options?: Opts,
  ) {
    let message = init.message;
    if (message === undefined) {
      message = `cannot run ${JSON.stringify(init.command[0] ?? '')}: exited with code ${init.exitCode}`;
      if (init.stdout) message += `\nstdout: ${truncate(init.stdout)}`;
      if (init.stderr) message += `\nstderr: ${truncate(init.stderr)}`;
    }
    super(message, options);
    this.command = init.command;
    this.exitCode = init.exitCode;
    this.stdout = init.stdout;
    this.stderr = init.stderr;
  }

  protected data() {
    return { command: this.command, exitCode: this.exitCode, stdout: this.stdout, stderr: this.stderr };
  }
}

/** A client-side deadline expired (a request timeout or a wait deadline). */
export class TimeoutError extends PebbleError {
  readonly code = 'timeout' as const;
  /** The deadline that expired, in milliseconds, if known. */
  readonly timeout: number | undefined;

  constructor(init: { message: string; timeout?: number | undefined }, options?: Opts) {
    super(init.message, options);
    this.timeout = init.timeout;
  }

  protected data() {
    return { timeout: this.timeout };
  }
}

/** The caller's AbortSignal aborted the operation. */
export class AbortError extends PebbleError {
  readonly code = 'aborted' as const;

  constructor(init: { message: string }, options?: Opts) {
    super(init.message, options);
  }

  protected data() {
    return {};
  }
}

/** Pebble's response could not be understood (bad JSON, wrong envelope, unexpected shape or content type). */
export class ProtocolError extends PebbleError {
  readonly code = 'protocol' as const;
  readonly statusCode: number | undefined;

  constructor(init: { message: string; statusCode?: number | undefined }, options?: Opts) {
    super(init.message, options);
    this.statusCode = init.statusCode;
  }

  protected data() {
    return { statusCode: this.statusCode };
  }
}

const opt = <T extends z.ZodType>(t: T) =>
  t
    .optional()
    .nullable()
    .transform((v) => v ?? undefined);
const base = { name: z.string().optional(), message: z.string(), cause: z.unknown().optional() };
const jsonSchema = z.discriminatedUnion('code', [
  z.object({
    ...base,
    code: z.literal('api'),
    statusCode: z.number(),
    status: z.string(),
    kind: opt(z.string()),
    value: z.unknown(),
    body: z.unknown(),
    method: opt(z.string()),
    path: opt(z.string()),
  }),
  z.object({
    ...base,
    code: z.literal('change-failed'),
    err: z.string(),
    change: z.looseObject({ id: z.string(), kind: z.string(), status: z.string() }),
  }),
  z.object({ ...base, code: z.literal('connection'), socketPath: opt(z.string()) }),
  z.object({ ...base, code: z.literal('socket-not-found'), path: z.string() }),
  z.object({ ...base, code: z.literal('path'), kind: z.string(), path: z.string() }),
  z.object({
    ...base,
    code: z.literal('exec-failed'),
    command: z.array(z.string()),
    exitCode: z.number(),
    stdout: z.string().nullable(),
    stderr: z.string().nullable(),
  }),
  z.object({ ...base, code: z.literal('timeout'), timeout: opt(z.number()) }),
  z.object({ ...base, code: z.literal('aborted') }),
  z.object({ ...base, code: z.literal('protocol'), statusCode: opt(z.number()) }),
]);

function reviveCause(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && jsonSchema.safeParse(cause).success) {
    return pebbleErrorFromJSON(cause);
  }
  const c = z
    .object({ name: z.string().optional(), message: z.string().optional(), code: z.string().optional() })
    .safeParse(cause);
  const err = new Error(c.success ? (c.data.message ?? '') : String(cause));
  if (c.success && c.data.name) err.name = c.data.name;
  if (c.success && c.data.code) Object.assign(err, { code: c.data.code });
  return err;
}

/**
 * Rebuild the right error class from the output of `toJSON()` (or the parsed JSON text of it).
 * @throws {TypeError} when `json` is not a serialized Pebble error.
 */
export function pebbleErrorFromJSON(json: unknown): PebbleError {
  const parsed = jsonSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(
      `cannot revive Pebble error: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid value'}`,
    );
  }
  const j = parsed.data;
  const o = { cause: reviveCause(j.cause) };
  switch (j.code) {
    case 'api':
      return new APIError(
        {
          message: j.message,
          statusCode: j.statusCode,
          status: j.status,
          kind: j.kind,
          value: j.value,
          body: j.body,
          method: j.method,
          path: j.path,
        },
        o,
      );
    case 'change-failed':
      return new ChangeError({ message: j.message, err: j.err, change: j.change as ChangeLike }, o);
    case 'connection':
      return new ConnectionError({ message: j.message, socketPath: j.socketPath }, o);
    case 'socket-not-found':
      return new SocketNotFoundError({ message: j.message, path: j.path }, o);
    case 'path':
      return new PathError({ message: j.message, kind: j.kind, path: j.path }, o);
    case 'exec-failed':
      return new ExecError(
        { message: j.message, command: j.command, exitCode: j.exitCode, stdout: j.stdout, stderr: j.stderr },
        o,
      );
    case 'timeout':
      return new TimeoutError({ message: j.message, timeout: j.timeout }, o);
    case 'aborted':
      return new AbortError({ message: j.message }, o);
    case 'protocol':
      return new ProtocolError({ message: j.message, statusCode: j.statusCode }, o);
  }
}
