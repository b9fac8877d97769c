import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PebbleClient, type PebbleClientOptions } from '../client.js';

/** Options of {@link startPebbleDaemon}. */
export interface PebbleDaemonOptions {
  /** The pebble binary (default: `$PEBBLE_BIN`, else `tools/bin/pebble` of the repo, else `pebble` on PATH). */
  pebbleBin?: string;
  /** State dir to use as `$PEBBLE` (default: a fresh temp dir, removed on stop). */
  dir?: string;
  /** Layers written to `$PEBBLE/layers/NNN-<label>.yaml` before start, in order. */
  layers?: Record<string, string>;
  /** Extra `pebble run` arguments (e.g. `['--http', '127.0.0.1:4000']`). */
  args?: string[];
  /** Extra environment for the daemon. */
  env?: Record<string, string>;
  /** Pass `--hold` so enabled services are not started (default true). */
  hold?: boolean;
  /** Bound in milliseconds for the daemon to answer system-info (default 15000). */
  startTimeout?: number;
}

const OUTPUT_LIMIT = 64 * 1024;

/** Find the pebble binary: `$PEBBLE_BIN`, the repo's `tools/bin/pebble` above this file, else `pebble`. */
export function findPebbleBin(): string {
  if (process.env['PEBBLE_BIN']) return process.env['PEBBLE_BIN'];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'tools', 'bin', 'pebble');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return 'pebble';
    dir = parent;
  }
}

/** A real `pebble run` in a temp dir, for tests. Stop it with {@link PebbleDaemon.stop}. */
export class PebbleDaemon {
  private outputText = '';
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private clients: PebbleClient[] = [];

  constructor(
    /** The `$PEBBLE` state dir. */
    readonly dir: string,
    readonly process: ChildProcess,
    private readonly ownsDir: boolean,
  ) {
    const append = (chunk: Buffer) => {
      this.outputText = (this.outputText + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    process.stdout?.on('data', append);
    process.stderr?.on('data', append);
    this.exited = once(process, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
  }

  /** Path of the daemon's unix socket. */
  get socketPath(): string {
    return join(this.dir, '.pebble.socket');
  }

  /** The daemon's stdout and stderr so far (last 64 KiB). */
  get output(): string {
    return this.outputText;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** A client on this daemon's socket; closed by `stop()`. */
  client(options: Omit<PebbleClientOptions, 'socketPath'> = {}): PebbleClient {
    const client = new PebbleClient({ ...options, socketPath: this.socketPath });
    this.clients.push(client);
    return client;
  }

  /** Wait for the process to exit (bounded). */
  async waitExit(timeout = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timer = sleep(timeout, 'timeout' as const, { ref: false });
    const result = await Promise.race([this.exited, timer]);
    if (result === 'timeout') throw new Error(`cannot stop pebble in ${this.dir}: still running after ${timeout}ms`);
    return result;
  }

  /** SIGTERM (Pebble stops its services), wait for exit, SIGKILL after the bound; then remove the temp dir. */
  async stop(timeout = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await Promise.all(this.clients.map((c) => c.close()));
    this.clients = [];
    let result: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    if (this.process.pid === undefined) {
      if (this.ownsDir) await rm(this.dir, { recursive: true, force: true });
      return result;
    }
    if (this.running) this.process.kill('SIGTERM');
    try {
      result = await this.waitExit(timeout);
    } catch {
      this.process.kill('SIGKILL');
      result = await this.waitExit(5_000);
    }
    if (this.ownsDir) await rm(this.dir, { recursive: true, force: true });
    return result;
  }
}

/**
 * Start `pebble run --create-dirs [--hold]` with `PEBBLE=<dir>` and `PEBBLE_PERSIST=never`, and wait
 * (bounded) until the socket answers system-info.
 */
export async function startPebbleDaemon(options: PebbleDaemonOptions = {}): Promise<PebbleDaemon> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'pebble-test-')));
  // services running as another user reach the socket (0666) as in a pod, e.g. to `pebble notify`
  if (ownsDir) await chmod(dir, 0o711);
  if (options.layers) {
    await mkdir(join(dir, 'layers'), { recursive: true });
    let order = 1;
    for (const [label, yaml] of Object.entries(options.layers)) {
      await writeFile(join(dir, 'layers', `${String(order++).padStart(3, '0')}-${label}.yaml`), yaml);
    }
  }
  const args = ['run', '--create-dirs', ...(options.hold === false ? [] : ['--hold']), ...(options.args ?? [])];
  const child = spawn(options.pebbleBin ?? findPebbleBin(), args, {
    env: { ...process.env, PEBBLE: dir, PEBBLE_PERSIST: 'never', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const daemon = new PebbleDaemon(dir, child, ownsDir);
  let spawnError: Error | undefined;
  child.on('error', (err) => (spawnError = err));
  const probe = new PebbleClient({ socketPath: daemon.socketPath, retry: false, timeout: 2_000 });
  const bound = options.startTimeout ?? 15_000;
  const deadline = Date.now() + bound;
  try {
    for (;;) {
      if (spawnError)
        throw new Error(
          `cannot start pebble (${args.join(' ')}): ${spawnError.message}; set PEBBLE_BIN or run npm run setup`,
        );
      if (!daemon.running) throw new Error(`cannot start pebble in ${dir}: it exited early\n${daemon.output}`);
      if (existsSync(daemon.socketPath)) {
        try {
          await probe.getSystemInfo();
          return daemon;
        } catch {
          // not answering yet
        }
      }
      if (Date.now() > deadline)
        throw new Error(
          `cannot start pebble in ${dir}: no answer on ${daemon.socketPath} within ${bound}ms\n${daemon.output}`,
        );
      await sleep(25);
    }
  } catch (err) {
    await daemon.stop().catch(() => undefined);
    throw err;
  } finally {
    await probe.close();
  }
}
