/**
 * A charm-sim model for charm end-to-end tests, driven through the `charm-sim` CLI (spawned, never
 * imported: the kit does not depend on the simulator's code; the CLI is the bin of the workspace package
 * `@charms/sim`, found by node resolution, and the projects whose e2e run it declare it in the nx graph).
 * Needs root for charm-sim's pods.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { packageBin } from './workspace-packages.js';

/**
 * The charm-sim CLI: `$CHARM_SIM_BIN`, else the `charm-sim` bin of the workspace package `@charms/sim`, else
 * `charm-sim` (outside the workspace, where {@link simAvailable} is false and the e2e suites skip).
 */
export const SIM_BIN: string = process.env['CHARM_SIM_BIN'] ?? simBinOfWorkspace();

function simBinOfWorkspace(): string {
  try {
    return packageBin('@charms/sim', 'charm-sim');
  } catch {
    return 'charm-sim';
  }
}

/** Whether charm-sim can run here: its pods need root. */
export const simAvailable: boolean = process.getuid?.() === 0 && existsSync(SIM_BIN);

/** Fast controller timings for tests (the defaults suit people, not test suites). */
export const FAST_SIM_FLAGS: readonly string[] = [
  '--pebble-poll-interval',
  '300ms',
  '--hook-retry-delay',
  '500ms',
  '--hook-retry-max-delay',
  '2s',
  '--update-status-interval',
  '1h',
];

/** Why a charm-sim CLI call failed: its own error, or killed by the caller's bound (then it printed nothing). */
function why(error: Error & { killed?: boolean; signal?: NodeJS.Signals | null }, timeoutMs: number): string {
  if (error.killed) return `was killed (${error.signal ?? 'signal'}) after the ${timeoutMs} ms bound: ${error.message}`;
  return `failed: ${error.message}`;
}

const SimUnit = z
  .object({
    'workload-status': z.object({ current: z.string(), message: z.string() }),
    address: z.string(),
    leader: z.boolean().optional(),
    'open-ports': z.array(z.string()).optional(),
  })
  .loose();
/** The part of `charm-sim status --format json` tests read (the full schema is charm-sim's `StatusJson`). */
export const SimStatus = z.object({
  model: z.object({ settled: z.boolean() }).loose(),
  applications: z.record(z.string(), z.object({ units: z.record(z.string(), SimUnit) }).loose()),
});
export type SimStatus = z.infer<typeof SimStatus>;

const ModelRelations = z.object({
  relations: z.record(
    z.string(),
    z
      .object({
        id: z.number(),
        endpoints: z.array(z.object({ app: z.string(), endpoint: z.string() }).loose()),
        appData: z.record(z.string(), z.record(z.string(), z.string())),
      })
      .loose(),
  ),
});

/** What `charm-sim run --format json` prints for one action. */
export const SimActionOutcome = z
  .object({ status: z.string(), message: z.string().optional(), results: z.record(z.string(), z.unknown()) })
  .loose();
export type SimActionOutcome = z.infer<typeof SimActionOutcome>;

/** One debug-log line. */
export const SimDebugLine = z
  .object({ time: z.string(), unit: z.string(), hook: z.string(), level: z.string(), message: z.string() })
  .loose();
export type SimDebugLine = z.infer<typeof SimDebugLine>;

/** A charm-sim model in a temp dir. Call {@link SimModel.destroy} in teardown. */
export class SimModel {
  private constructor(
    readonly dir: string,
    private readonly flags: readonly string[],
  ) {}

  /**
   * A new model dir under the system temp dir; the controller starts on the first command.
   * `updateStatusInterval` (a charm-sim duration) replaces the test default of 1h.
   */
  static async create(name: string, options: { updateStatusInterval?: string } = {}): Promise<SimModel> {
    const flags = options.updateStatusInterval ? ['--update-status-interval', options.updateStatusInterval] : [];
    return new SimModel(await mkdtemp(join(tmpdir(), `charm-sim-${name}-`)), flags);
  }

  /** Runs `charm-sim <args>` with {@link FAST_SIM_FLAGS}; rejects with its output on a non-zero exit. */
  cli(args: string[], timeoutMs = 180_000): Promise<string> {
    return new Promise((ok, fail) => {
      execFile(
        SIM_BIN,
        ['--model-dir', this.dir, ...FAST_SIM_FLAGS, ...this.flags, ...args],
        { timeout: timeoutMs, maxBuffer: 64 << 20 },
        (error, stdout, stderr) => {
          if (error) fail(new Error(`charm-sim ${args.join(' ')} ${why(error, timeoutMs)}\n${stderr}${stdout}`));
          else ok(stdout);
        },
      );
    });
  }

  async status(): Promise<SimStatus> {
    return SimStatus.parse(JSON.parse(await this.cli(['status', '--format', 'json'])));
  }

  /** `add-unit <app> -n <count>`; resolves to the new units' names (it does not wait for them to settle). */
  async addUnit(app: string, count = 1): Promise<string[]> {
    const out = await this.cli(['add-unit', app, '-n', String(count)]);
    const m = /^Added (.*)$/m.exec(out);
    return m?.[1] === undefined ? [] : m[1].split(', ').filter((u) => u !== '');
  }

  /** `remove-unit <units...>` (departed, broken, stop, remove); does not wait for them to settle. */
  async removeUnit(...units: string[]): Promise<void> {
    await this.cli(['remove-unit', ...units]);
  }

  /** `wait --timeout <s>s`: until the model settles (rejects when it does not in time). */
  async wait(timeoutMs: number): Promise<void> {
    await this.cli(['wait', '--timeout', `${Math.ceil(timeoutMs / 1000)}s`], timeoutMs + 30_000);
  }

  /** An action's results (`run <unit> <action> [key=value...] --format json`); rejects unless it completed. */
  async action(unit: string, name: string, params: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const outcome = await this.runAction(unit, name, params);
    if (outcome.status !== 'completed')
      throw new Error(`action ${name} on ${unit} ${outcome.status}: ${outcome.message ?? '(no message)'}`);
    return outcome.results;
  }

  /**
   * Runs an action and returns its outcome whether it completed or failed (for refusal tests); params that the
   * action's schema refuses, as Juju does before any hook runs, give status `refused` with charm-sim's error.
   */
  async runAction(unit: string, name: string, params: Record<string, string> = {}): Promise<SimActionOutcome> {
    const timeoutMs = 180_000;
    // charm-sim's own bound comes first, so a stuck action is named instead of its CLI killed silently
    const simTimeout = `${(timeoutMs - 15_000) / 1000}s`;
    const args = [
      ...['--model-dir', this.dir, ...FAST_SIM_FLAGS, ...this.flags, 'run', unit, name],
      ...['--format', 'json', '--timeout', simTimeout],
    ];
    for (const [k, v] of Object.entries(params)) args.push(`${k}=${v}`);
    const stdout = await new Promise<string>((ok, fail) => {
      execFile(SIM_BIN, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, out, err) => {
        // a failed action exits 1 and still prints its JSON; params refused before the charm runs print an ERROR
        if (out.trim().startsWith('{')) ok(out);
        else if (err.startsWith('ERROR cannot run'))
          ok(JSON.stringify({ status: 'refused', message: err.split('\n')[0], results: {} }));
        else fail(new Error(`charm-sim run ${unit} ${name} ${error ? why(error, timeoutMs) : 'failed'}\n${err}${out}`));
      });
    });
    return SimActionOutcome.parse(JSON.parse(stdout));
  }

  /** The application bag `app` wrote on the relation between apps `a` and `b` (read from the model file). */
  async appBag(a: string, b: string, app: string): Promise<Record<string, string>> {
    const model = ModelRelations.parse(JSON.parse(await readFile(join(this.dir, 'model.json'), 'utf8')));
    const rel = Object.values(model.relations).find(
      (r) => r.endpoints.some((e) => e.app === a) && r.endpoints.some((e) => e.app === b),
    );
    return rel?.appData[app] ?? {};
  }

  /** debug-log lines, oldest first. */
  async debugLog(): Promise<SimDebugLine[]> {
    const text = await readFile(join(this.dir, 'debug-log.jsonl'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => SimDebugLine.parse(JSON.parse(l)));
  }

  /** Host path of a unit's charm directory (mounted at /var/lib/juju/agents/unit-<app>-<n>/charm). */
  charmDir(unit: string): string {
    return join(this.dir, 'pods', unit.replace('/', '-'), 'agent', 'charm');
  }

  /** Host path of a unit's workload Pebble socket. */
  pebbleSocket(unit: string, container: string): string {
    return join(this.dir, 'pods', unit.replace('/', '-'), 'c', container, 'shared', 'pebble.socket');
  }

  /** Destroys the model; never throws (teardown). */
  async destroy(): Promise<void> {
    await this.cli(['destroy']).catch(() => undefined);
  }
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined, at most `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
