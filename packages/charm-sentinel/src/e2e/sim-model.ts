import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** The repository root (this file is packages/charm-sentinel/src/e2e/sim-model.ts). */
export const REPO_ROOT = resolve(new URL('../../../..', import.meta.url).pathname);
const BIN = join(REPO_ROOT, 'apps/sim/bin/charm-sim');

/** Whether charm-sim can run here: its pods need root. */
export const simAvailable = process.getuid?.() === 0 && existsSync(BIN);

const Unit = z.object({
  'workload-status': z.object({ current: z.string(), message: z.string() }),
  address: z.string(),
  leader: z.boolean(),
});
/** The part of `charm-sim status --format json` these tests read. */
export const SimStatus = z.object({
  model: z.object({ settled: z.boolean() }),
  applications: z.record(z.string(), z.object({ units: z.record(z.string(), Unit) })),
});
export type SimStatus = z.infer<typeof SimStatus>;

/** The relation bags of `model.json` (the part these tests read). */
const ModelRelations = z.object({
  relations: z.record(z.string(), z.object({ id: z.number(), endpoints: z.array(z.object({ app: z.string(), endpoint: z.string() }).loose()), appData: z.record(z.string(), z.record(z.string(), z.string())) }).loose()),
});

/** One debug-log line. */
const DebugLine = z.object({ time: z.string(), unit: z.string(), hook: z.string(), level: z.string(), message: z.string() }).loose();

/** A charm-sim model in a temp dir, driven through its CLI with fast timings. */
export class SimModel {
  private constructor(readonly dir: string) {}

  static async create(name: string): Promise<SimModel> {
    return new SimModel(await mkdtemp(join(tmpdir(), `charm-sentinel-e2e-${name}-`)));
  }

  /** Runs `charm-sim <args>`; rejects with its output on a non-zero exit. */
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

  /** An action's results (`run <unit> <action> --format json`). */
  async action(unit: string, name: string): Promise<Record<string, unknown>> {
    const out = z.object({ status: z.string(), results: z.record(z.string(), z.unknown()) }).parse(JSON.parse(await this.cli(['run', unit, name, '--format', 'json'])));
    return out.results;
  }

  /** The application bag `app` wrote on the relation between `a` and `b` (from the model file). */
  async appBag(a: string, b: string, app: string): Promise<Record<string, string>> {
    const model = ModelRelations.parse(JSON.parse(await readFile(join(this.dir, 'model.json'), 'utf8')));
    const rel = Object.values(model.relations).find((r) => r.endpoints.some((e) => e.app === a) && r.endpoints.some((e) => e.app === b));
    return rel?.appData[app] ?? {};
  }

  /** debug-log lines, oldest first. */
  async debugLog(): Promise<z.infer<typeof DebugLine>[]> {
    const text = await readFile(join(this.dir, 'debug-log.jsonl'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => DebugLine.parse(JSON.parse(l)));
  }

  /** Host path of a unit's workload Pebble socket. */
  pebbleSocket(unit: string, container: string): string {
    return join(this.dir, 'pods', unit.replace('/', '-'), 'c', container, 'shared', 'pebble.socket');
  }

  /** Host path of a unit's charm directory. */
  charmDir(unit: string): string {
    return join(this.dir, 'pods', unit.replace('/', '-'), 'agent', 'charm');
  }

  async destroy(): Promise<void> {
    await this.cli(['destroy']).catch(() => undefined);
  }
}
