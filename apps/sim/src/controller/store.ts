import { open, readFile, rename } from 'node:fs/promises';
import { parseModel, type Model } from '../model/api.js';

/** Writes `text` to `path` atomically: a temp file, fsync, then rename over the old file. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/** Loads the model file, or undefined when there is none yet. Throws `bad-model-file` when it does not parse. */
export async function loadModel(path: string): Promise<Model | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return parseModel({ invalid: String(error) }, path);
  }
  return parseModel(json, path);
}

/**
 * Persists the latest model: calls coalesce (at most one write in flight, the newest model wins) and
 * `flush()` resolves once everything handed in before the call is on disk, even while saves go on.
 */
export class ModelStore {
  private latest: Model | undefined;
  private draining = false;
  private saved = 0;
  private written = 0;
  private waiters: { target: number; resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(private readonly path: string) {}

  /** Schedules a write of `model`. */
  save(model: Model): void {
    this.latest = model;
    this.saved += 1;
    if (!this.draining) void this.drain();
  }

  /** Resolves once every model saved before this call is written; rejects if that write failed. */
  flush(): Promise<void> {
    const target = this.saved;
    if (this.written >= target) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.latest) {
      const model = this.latest;
      const generation = this.saved;
      this.latest = undefined;
      let failure: Error | undefined;
      try {
        await writeAtomic(this.path, JSON.stringify(model));
      } catch (error) {
        failure = error as Error; // the next save retries with the newest model
      }
      this.written = generation;
      const due = this.waiters.filter((w) => w.target <= generation);
      this.waiters = this.waiters.filter((w) => w.target > generation);
      for (const w of due) {
        if (failure) w.reject(failure);
        else w.resolve();
      }
    }
    this.draining = false;
  }
}
