/**
 * End-to-end harness: drives the real `charm-sim` CLI (apps/sim/bin/charm-sim, from source) against a
 * model dir in /tmp, and reads what it leaves behind (status, debug-log, /proc).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { call } from '../cli/client.js';
import { parseLines, type DebugLogEntry } from '../cli/debug-log.js';
import { modelLayout, type ModelLayout } from '../pods/layout.js';
import { StatusJson } from '../runtime/status-schema.js';
import { REPO_ROOT } from '../runtime/paths.js';

export const BIN = resolve(REPO_ROOT, 'apps/sim/bin/charm-sim');
export const TEST_CHARMS = resolve(REPO_ROOT, 'apps/sim/test-charms');
export const isRoot = process.getuid?.() === 0;

/** Output of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** One simulated model driven through the CLI. */
export class Sim {
  readonly layout: ModelLayout;

  private constructor(
    readonly dir: string,
    private readonly flags: string[],
  ) {
    this.layout = modelLayout(dir);
  }

  /** A fresh model dir with fast timings (poll, retry, update-status) for tests. */
  static async create(name: string, flags: string[] = []): Promise<Sim> {
    const dir = await mkdtemp(join(tmpdir(), `sim-e2e-${name}-`));
    return new Sim(dir, [
      '--model-dir',
      dir,
      '--model',
      name,
      '--pebble-poll-interval',
      '200ms',
      '--hook-retry-delay',
      '300ms',
      '--hook-retry-max-delay',
      '2s',
      ...flags,
    ]);
  }

  /** Runs `charm-sim <args>`; rejects on a non-zero exit unless `allowFail`. */
  cli(args: string[], opts: { allowFail?: boolean; timeoutMs?: number } = {}): Promise<CliResult> {
    return new Promise((resolvePromise, reject) => {
      execFile(
        BIN,
        [...this.flags, ...args],
        { timeout: opts.timeoutMs ?? 240_000, env: { ...process.env, CHARM_SIM_DEBUG: '1' }, maxBuffer: 64 << 20 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          const r = { code, stdout, stderr };
          if (code !== 0 && !opts.allowFail)
            reject(new Error(`charm-sim ${args.join(' ')} exited ${code}\n${stderr}${stdout}`));
          else resolvePromise(r);
        },
      );
    });
  }

  /** Status straight from the controller socket (fast), validated by the documented schema. */
  async status(): Promise<StatusJson> {
    return StatusJson.parse(await call(this.layout, { method: 'status' }));
  }

  /** Every debug-log line so far. */
  async log(): Promise<DebugLogEntry[]> {
    try {
      return parseLines(await readFile(this.layout.debugLog, 'utf8'));
    } catch {
      return [];
    }
  }

  /** Lines the fixtures log as `event <name> k=v ...`, for one unit, in order. */
  async events(unit: string): Promise<{ name: string; fields: Record<string, string>; time: string }[]> {
    return (await this.log())
      .map((e) => ({ ...e, message: e.message.replace(/^[a-z0-9-]+:\d+: /, '') }))
      .filter((e) => e.unit === unit && e.message.startsWith('event '))
      .map((e) => {
        const [, name = '', ...rest] = e.message.split(' ');
        return {
          name,
          time: e.time,
          fields: Object.fromEntries(rest.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
        };
      });
  }

  /** Polls `probe` until it returns a value (not undefined), bounded. */
  async waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const v = await probe();
        if (v !== undefined) return v;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) {
        const status = await this.status().catch(() => undefined);
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}\nactivity: ${JSON.stringify(status?.model.activity)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Runs an action and returns the action record (`run --format json`). */
  async run(
    unit: string,
    action: string,
    params: string[] = [],
  ): Promise<{ status: string; results: Record<string, unknown>; message: string }> {
    const r = await this.cli(['run', unit, action, ...params, '--format', 'json'], { allowFail: true });
    return JSON.parse(r.stdout) as { status: string; results: Record<string, unknown>; message: string };
  }
}

/** Host links (`ip -o link`, whose alias names a model dir) and their lines. */
function hostLinks(): Promise<string> {
  return new Promise((res) => execFile('ip', ['-o', 'link', 'show'], (_e, stdout) => res(stdout)));
}

/**
 * What is left on the machine that mentions `needle`: processes (cmdline, cwd, root; network-namespace
 * holders run in a model dir), mounts, unix sockets, host links of a model network (their alias).
 */
export async function leftovers(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      const links = await Promise.all(['cwd', 'root', 'exe'].map((l) => readlink(`/proc/${pid}/${l}`).catch(() => '')));
      if (cmdline.includes(needle) || links.some((l) => l.includes(needle)))
        found.push(`process ${pid}: ${cmdline.trim()}`);
    } catch {
      // the process ended while we looked
    }
  }
  for (const line of (await readFile('/proc/self/mountinfo', 'utf8')).split('\n'))
    if (line.includes(needle)) found.push(`mount: ${line}`);
  for (const line of (await readFile('/proc/net/unix', 'utf8')).split('\n'))
    if (line.includes(needle)) found.push(`socket: ${line}`);
  for (const line of (await hostLinks()).split('\n')) if (line.includes(needle)) found.push(`link: ${line}`);
  return found;
}
