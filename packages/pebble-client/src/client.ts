import type { Readable } from 'node:stream';
import { z } from 'zod';
import { describeZodError, type CallOptions } from './request.js';
import * as changes from './changes.js';
import * as checks from './checks.js';
import * as execModule from './exec.js';
import type { ExecProcess } from './exec-process.js';
import * as files from './files.js';
import * as filesPull from './files-pull.js';
import * as filesPush from './files-push.js';
import * as health from './health.js';
import * as identities from './identities.js';
import type { LayerInput, Plan } from './layer.js';
import * as logs from './logs.js';
import type { ByteSource } from './multipart-writer.js';
import * as notices from './notices.js';
import * as plan from './plan.js';
import * as services from './services.js';
import * as signals from './signals.js';
import * as system from './system.js';
import * as warnings from './warnings.js';
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
    connections: z.int().min(1).max(1024).optional(),
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
  /** Most kept-alive connections short calls share (default 8, up to 1024); more concurrent callers wait in turn. */
  connections?: number | undefined;
}

/**
 * The socket path Pebble's own CLI uses: `$PEBBLE_SOCKET`, else
 * `$PEBBLE/.pebble.socket` (default `/var/lib/pebble/default`).
 */
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
    if (!parsed.success)
      throw new TypeError(`cannot create PebbleClient: invalid options.${describeZodError(parsed.error)}`);
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

  /** `GET /v1/health`: false when a matching check is down (HTTP 502 is not an error here). */
  getHealth(options?: health.HealthOptions): Promise<boolean> {
    return health.getHealth(this.transport, options);
  }

  /** `GET /v1/metrics`: OpenMetrics text (Pebble 1.19+). */
  getMetrics(options?: CallOptions): Promise<string> {
    return health.getMetrics(this.transport, options);
  }

  /** Legacy `GET /v1/warnings`; Pebble >= 1.16 answers 404 APIError (use `getNotices({ types: ['warning'] })`). */
  getWarnings(options?: warnings.GetWarningsOptions): Promise<warnings.Warning[]> {
    return warnings.getWarnings(this.transport, options);
  }

  /** Legacy `POST /v1/warnings` okay; Pebble >= 1.16 answers 404 APIError. */
  ackWarnings(timestamp: string | Date, options?: CallOptions): Promise<number> {
    return warnings.ackWarnings(this.transport, timestamp, options);
  }

  // ---- changes ------------------------------------------------------------

  /** `GET /v1/changes` (default: in progress). */
  getChanges(options?: changes.GetChangesOptions): Promise<changes.Change[]> {
    return changes.getChanges(this.transport, options);
  }

  /** `GET /v1/changes/{id}`. */
  getChange(id: string, options?: CallOptions): Promise<changes.Change> {
    return changes.getChange(this.transport, id, options);
  }

  /** `POST /v1/changes/{id}` abort. */
  abortChange(id: string, options?: CallOptions): Promise<changes.Change> {
    return changes.abortChange(this.transport, id, options);
  }

  /** Wait (default 30 s; `timeout: 0` forever) until the change is ready; returns it even if it failed. */
  waitChange(id: string, options?: changes.WaitChangeOptions): Promise<changes.Change> {
    return changes.waitChange(this.transport, id, options);
  }

  // ---- plan and services --------------------------------------------------

  /** `POST /v1/layers`: add a layer (YAML text or object); with `combine`, merge into the layer of that label. */
  addLayer(label: string, layer: string | LayerInput, options?: plan.AddLayerOptions): Promise<void> {
    return plan.addLayer(this.transport, label, layer, options);
  }

  /** `GET /v1/plan`, typed. */
  getPlan(options?: CallOptions): Promise<Plan> {
    return plan.getPlan(this.transport, options);
  }

  /** `GET /v1/services`. */
  getServices(options?: services.GetServicesOptions): Promise<services.ServiceInfo[]> {
    return services.getServices(this.transport, options);
  }

  /** Start services and wait for the change (`timeout: 0`: return its id at once). Throws ChangeError if it fails. */
  startServices(names: readonly string[], options?: services.ServiceActionOptions): Promise<string> {
    return services.startServices(this.transport, names, options);
  }

  /** Stop services and wait for the change. */
  stopServices(names: readonly string[], options?: services.ServiceActionOptions): Promise<string> {
    return services.stopServices(this.transport, names, options);
  }

  /** Restart services and wait for the change. */
  restartServices(names: readonly string[], options?: services.ServiceActionOptions): Promise<string> {
    return services.restartServices(this.transport, names, options);
  }

  /** Replan (restart changed services, start enabled ones) and wait for the change. */
  replanServices(options?: services.ServiceActionOptions): Promise<string> {
    return services.replanServices(this.transport, options);
  }

  /** Start the `startup: enabled` services and wait for the change. */
  autostartServices(options?: services.ServiceActionOptions): Promise<string> {
    return services.autostartServices(this.transport, options);
  }

  /** `POST /v1/signals`: send a signal to the services' main processes. */
  sendSignal(signal: string | number, names: readonly string[], options?: CallOptions): Promise<void> {
    return signals.sendSignal(this.transport, signal, names, options);
  }

  // ---- checks -------------------------------------------------------------

  /** `GET /v1/checks`. */
  getChecks(options?: checks.GetChecksOptions): Promise<checks.CheckInfo[]> {
    return checks.getChecks(this.transport, options);
  }

  /** Start checks; returns those whose state changed. */
  startChecks(names: readonly string[], options?: CallOptions): Promise<string[]> {
    return checks.startChecks(this.transport, names, options);
  }

  /** Stop checks; returns those whose state changed. */
  stopChecks(names: readonly string[], options?: CallOptions): Promise<string[]> {
    return checks.stopChecks(this.transport, names, options);
  }

  /** Run a check now and return its result. */
  refreshCheck(name: string, options?: CallOptions): Promise<checks.RefreshCheckResult> {
    return checks.refreshCheck(this.transport, name, options);
  }

  // ---- notices ------------------------------------------------------------

  /** Record a custom notice; returns its id. */
  notify(type: 'custom', key: string, options?: notices.NotifyOptions): Promise<string> {
    return notices.notify(this.transport, type, key, options);
  }

  /** `GET /v1/notices/{id}`. */
  getNotice(id: string, options?: CallOptions): Promise<notices.Notice> {
    return notices.getNotice(this.transport, id, options);
  }

  /** `GET /v1/notices` with filters (`after` is a server time string). */
  getNotices(options?: notices.GetNoticesOptions): Promise<notices.Notice[]> {
    return notices.getNotices(this.transport, options);
  }

  /** Long-poll for matching notices; `[]` when none arrived within `timeout`. */
  waitNotices(options?: notices.WaitNoticesOptions): Promise<notices.Notice[]> {
    return notices.waitNotices(this.transport, options);
  }

  // ---- identities ---------------------------------------------------------

  /** `GET /v1/identities`. */
  getIdentities(options?: CallOptions): Promise<Record<string, identities.Identity>> {
    return identities.getIdentities(this.transport, options);
  }

  /** Add identities. */
  addIdentities(map: Record<string, identities.Identity>, options?: CallOptions): Promise<void> {
    return identities.addIdentities(this.transport, map, options);
  }

  /** Update identities. */
  updateIdentities(map: Record<string, identities.Identity>, options?: CallOptions): Promise<void> {
    return identities.updateIdentities(this.transport, map, options);
  }

  /** Add or update identities; `null` removes. */
  replaceIdentities(map: Record<string, identities.Identity | null>, options?: CallOptions): Promise<void> {
    return identities.replaceIdentities(this.transport, map, options);
  }

  /** Remove identities by name. */
  removeIdentities(names: readonly string[], options?: CallOptions): Promise<void> {
    return identities.removeIdentities(this.transport, names, options);
  }

  // ---- logs ---------------------------------------------------------------

  /** `GET /v1/logs`: buffered service output (default last 30 lines). */
  getLogs(options?: logs.LogsOptions): Promise<logs.LogEntry[]> {
    return logs.getLogs(this.transport, options);
  }

  /** Follow service output as an async iterable; abort the signal or break the loop to stop. */
  followLogs(options?: logs.LogsOptions): AsyncGenerator<logs.LogEntry, void, undefined> {
    return logs.followLogs(this.transport, options);
  }

  // ---- files and exec (owned by the files/exec modules: files*.ts, exec*.ts) ----
  // push, pull, pullText, listFiles, makeDir, removePath, exec delegate here.

  /**
   * Write a file, streaming `source` (string, bytes, Readable or
   * AsyncIterable) in constant memory. Per-file errors throw PathError.
   */
  push(path: string, source: ByteSource, options?: filesPush.PushOptions): Promise<void> {
    return filesPush.push(this.transport, path, source, options);
  }

  /** Read a file as a stream of bytes; a missing file or a directory rejects with PathError. */
  pull(path: string, options?: filesPull.PullOptions): Promise<Readable> {
    return filesPull.pull(this.transport, path, options);
  }

  /** Read a whole file as text (default utf8). */
  pullText(path: string, options?: filesPull.PullTextOptions): Promise<string> {
    return filesPull.pullText(this.transport, path, options);
  }

  /** Read a whole file into a Buffer. */
  pullBuffer(path: string, options?: filesPull.PullOptions): Promise<Buffer> {
    return filesPull.pullBuffer(this.transport, path, options);
  }

  /** List a directory (or, with `itself`, describe the path); a missing path throws PathError `not-found`. */
  listFiles(path: string, options?: files.ListFilesOptions): Promise<files.FileInfo[]> {
    return files.listFiles(this.transport, path, options);
  }

  /** Create a directory (`makeParents` for `mkdir -p`). Per-item errors throw PathError. */
  makeDir(path: string, options?: files.MakeDirOptions): Promise<void> {
    return files.makeDir(this.transport, path, options);
  }

  /** Remove a file or empty directory (`recursive` for `rm -rf`). Per-item errors throw PathError. */
  removePath(path: string, options?: files.RemovePathOptions): Promise<void> {
    return files.removePath(this.transport, path, options);
  }
  /**
   * Run a command in the workload (`POST /v1/exec` + websockets). Resolves once attached; `wait()` on
   * the process gives the exit code and output (ExecError on non-zero exit, TimeoutError on the exec
   * timeout). Nothing stays open once `wait()` settles.
   */
  exec(command: readonly string[], options?: execModule.ExecOptions): Promise<ExecProcess> {
    return execModule.exec(this.transport, command, options);
  }
  // ---- end files and exec ---------------------------------------------------
}
