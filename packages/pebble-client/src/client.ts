import { z } from 'zod';
import { describeZodError, type CallOptions } from './request.js';
import * as system from './system.js';
import { Transport, type RetryOptions } from './transport.js';

const retrySchema = z
  .object({
    attempts: z.int().min(1).max(100),
    minDelay: z.number().nonnegative().finite(),
    maxDelay: z.number().nonnegative().finite(),
  })
  .strict();

const optionsSchema = z
  .object({
    socketPath: z.string().min(1, 'must be a non-empty path to the Pebble socket'),
    timeout: z.number().nonnegative().finite().optional(),
    retry: z.union([z.literal(false), retrySchema]).optional(),
  })
  .strict();

/** Options of {@link PebbleClient}. */
export interface PebbleClientOptions {
  /** Path of Pebble's unix socket, e.g. `/charm/containers/redis/pebble.socket`. */
  socketPath: string;
  /** Default per-request timeout in milliseconds (default 30000; 0 disables). Each call can override it. */
  timeout?: number | undefined;
  /** Backoff for retrying GETs on connection errors (default 5 tries, 100 ms..1 s); `false` disables. */
  retry?: RetryOptions | false | undefined;
}

/** The socket path Pebble's own CLI uses: `$PEBBLE_SOCKET`, else `$PEBBLE/.pebble.socket` (default `/var/lib/pebble/default`). */
export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['PEBBLE_SOCKET']) return env['PEBBLE_SOCKET'];
  return `${env['PEBBLE'] || '/var/lib/pebble/default'}/.pebble.socket`;
}

/**
 * Client for Pebble's v1 API over its unix socket. Method names are the camelCase of ops.pebble.Client's.
 * Every method takes `{ signal, timeout }` and throws only {@link PebbleError}s (branch on `code`).
 * Call `close()` when done to release the socket connections.
 */
export class PebbleClient {
  /** The request layer all methods share; area modules take it as their first argument. */
  readonly transport: Transport;

  /** @throws {TypeError} with one precise sentence when an option is invalid. */
  constructor(options: PebbleClientOptions) {
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) throw new TypeError(`cannot create PebbleClient: invalid options.${describeZodError(parsed.error)}`);
    this.transport = new Transport(parsed.data);
  }

  get socketPath(): string {
    return this.transport.socketPath;
  }

  /** Release the connections to the socket; the client must not be used afterwards. */
  close(): Promise<void> {
    return this.transport.close();
  }

  // ---- system -------------------------------------------------------------

  /** `GET /v1/system-info`: version, boot id and TCP addresses. */
  getSystemInfo(options?: CallOptions): Promise<system.SystemInfo> {
    return system.getSystemInfo(this.transport, options);
  }

  // ---- files and exec (owned by the files/exec modules: files*.ts, exec*.ts) ----
  // push, pull, pullText, listFiles, makeDir, removePath, exec delegate here.
  // ---- end files and exec ---------------------------------------------------
}
