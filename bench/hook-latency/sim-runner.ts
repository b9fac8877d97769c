/** charm-sim as the hook bench drives it: one model dir per deployment, and the timings read back from debug-log. */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const SIM = resolve(new URL('.', import.meta.url).pathname, '../../apps/sim/bin/charm-sim');

/** One timed dispatch, with the pipeline's stage marks when the charm printed them. */
export interface HookSample {
  hook: string;
  ms: number;
  rc: number;
  /** `trace <stage> <ms since process start>` marks of this dispatch, in order. */
  marks: [string, number][];
  /** fsync/fdatasync calls seen, when the dispatch ran under strace. */
  syncs: number;
}

const Entry = z.looseObject({ unit: z.string().optional(), message: z.string() });

/** A charm-sim model the bench owns. */
export class BenchModel {
  readonly dir: string;
  constructor(
    root: string,
    name: string,
    private readonly interval: string,
  ) {
    this.dir = join(root, name);
  }

  /** Runs one charm-sim command against this model. */
  cli(args: readonly string[], timeoutMs = 300_000): Promise<string> {
    const flags = [
      '--model-dir',
      this.dir,
      '--update-status-interval',
      this.interval,
      '--pebble-poll-interval',
      '1s',
      '-q',
    ];
    return new Promise((ok, fail) =>
      execFile(SIM, [...flags, ...args], { maxBuffer: 64 << 20, timeout: timeoutMs }, (err, stdout, stderr) =>
        err ? fail(new Error(`charm-sim ${args.join(' ')}: ${(stderr || stdout).trim()}`)) : ok(stdout),
      ),
    );
  }

  /** Every timed dispatch of `unit` so far, oldest first; a failed hook fails the bench. */
  async samples(unit: string): Promise<HookSample[]> {
    const text = await this.cli(['debug-log', '--format', 'json', '--unit', unit]);
    const out: HookSample[] = [];
    let marks: [string, number][] = [];
    let syncs = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const e = Entry.safeParse(JSON.parse(line));
      if (!e.success) continue;
      const msg = e.data.message;
      const t = /^trace (\S+) ([\d.]+)$/.exec(msg);
      if (t) {
        marks.push([t[1] as string, Number(t[2])]);
        continue;
      }
      const n = /^bench-syncs (\d+)$/.exec(msg);
      if (n) {
        syncs = Number(n[1]);
        continue;
      }
      const m = /^bench-timing (\S+) (\d+) (\d+) (\d+)$/.exec(msg);
      if (!m) continue;
      const sample = {
        hook: (m[1] as string).replace(/^hooks\//, ''),
        ms: Number(BigInt(m[3] as string) - BigInt(m[2] as string)) / 1e6,
        rc: Number(m[4]),
        marks,
        syncs,
      };
      if (sample.rc !== 0) throw new Error(`${unit}: hook ${sample.hook} exited ${sample.rc}`);
      out.push(sample);
      marks = [];
      syncs = 0;
    }
    return out;
  }

  /** Polls until `pick` returns a value (bounded), then returns it. */
  async until<T>(what: string, timeoutMs: number, pick: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await pick();
      if (got !== undefined) return got;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Destroys the model (best effort: a bench must not stop on its own cleanup). */
  async destroy(): Promise<void> {
    await this.cli(['destroy']).catch(() => undefined);
  }
}
