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
 * `flush()` resolves once everything handed in so far is on disk.
 */
export class ModelStore {
  private latest: Model | undefined;
  private writing: Promise<void> | undefined;

  constructor(private readonly path: string) {}

  /** Schedules a write of `model`. */
  save(model: Model): void {
    this.latest = model;
    this.writing ??= this.drain();
  }

  /** Resolves once every saved model is written. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.latest) {
        const model = this.latest;
        this.latest = undefined;
        await writeAtomic(this.path, JSON.stringify(model));
      }
    } finally {
      this.writing = undefined;
    }
  }
}
