import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

/** The repository root (this file is packages/charm-sdk/src/e2e/sim-cli.ts). */
export const REPO_ROOT = resolve(new URL('../../../..', import.meta.url).pathname);
const BIN = join(REPO_ROOT, 'apps/sim/bin/charm-sim');

/** Whether charm-sim can run here: it needs root for its pods. */
export const simAvailable = process.getuid?.() === 0 && existsSync(BIN);

const UnitStatus = z.object({
  'workload-status': z.object({ current: z.string(), message: z.string() }),
  address: z.string(),
  'open-ports': z.array(z.string()),
});
/** The part of `charm-sim status --format json` these tests read. */
export const SimStatus = z.object({
  model: z.object({ settled: z.boolean() }),
  applications: z.record(z.string(), z.object({ units: z.record(z.string(), UnitStatus) })),
});
export type SimStatus = z.infer<typeof SimStatus>;

/** A charm-sim model in a temp dir, driven through its CLI. */
export class SimModel {
  private constructor(readonly dir: string) {}

  static async create(name: string): Promise<SimModel> {
    return new SimModel(await mkdtemp(join(tmpdir(), `sdk-e2e-${name}-`)));
  }

  /** Runs `charm-sim <args>` with fast timings; rejects with its output on a non-zero exit. */
  cli(args: string[], timeoutMs = 180_000): Promise<string> {
    const flags = ['--model-dir', this.dir, '--pebble-poll-interval', '300ms', '--hook-retry-delay', '500ms', '--hook-retry-max-delay', '2s', '--update-status-interval', '1h'];
    return new Promise((ok, fail) => {
      execFile(BIN, [...flags, ...args], { timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
        if (error) fail(new Error(`charm-sim ${args.join(' ')} failed: ${error.message}\n${stderr}${stdout}`));
        else ok(stdout);
      });
    });
  }

  async status(): Promise<SimStatus> {
    return SimStatus.parse(JSON.parse(await this.cli(['status', '--format', 'json'])));
  }

  /** Host path of a unit's charm directory (mounted at /var/lib/juju/agents/unit-<app>-<n>/charm). */
  charmDir(unit: string): string {
    return join(this.dir, 'pods', unit.replace('/', '-'), 'agent', 'charm');
  }

  /** Host path of a unit's workload Pebble socket. */
  pebbleSocket(unit: string, container: string): string {
    return join(this.dir, 'pods', unit.replace('/', '-'), 'c', container, 'shared', 'pebble.socket');
  }

  async destroy(): Promise<void> {
    await this.cli(['destroy']).catch(() => undefined);
  }
}

/** Polls `probe` until it returns a value other than undefined, at most `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(100);
  }
}
