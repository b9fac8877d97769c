import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createModel } from '../model/api.js';
import { loadModel, ModelStore } from './store.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'sim-store-'));
  dirs.push(d);
  return d;
}

describe('ModelStore', () => {
  it('flush resolves once the newest saved model is on disk', async () => {
    const path = join(await tempDir(), 'model.json');
    const store = new ModelStore(path);
    for (let i = 0; i < 20; i++) store.save({ ...createModel({ name: 'm' }), name: `m${i}` });
    await store.flush();
    expect((await loadModel(path))?.name).toBe('m19');
  });

  it('flush waits only for what was saved before it, while saves go on', async () => {
    const path = join(await tempDir(), 'model.json');
    const store = new ModelStore(path);
    store.save({ ...createModel({ name: 'm' }), name: 'first' });
    const flushed = store.flush();
    let stop = false;
    const churn = (async () => {
      for (let i = 0; !stop; i++) {
        store.save({ ...createModel({ name: 'm' }), name: `later${i}` });
        await new Promise((r) => setImmediate(r));
      }
    })();
    await flushed;
    stop = true;
    await churn;
    expect(JSON.parse(await readFile(path, 'utf8')).name).toMatch(/^(first|later\d+)$/);
  });

  it('flush rejects with the write error, and the next save writes again', async () => {
    const dir = await tempDir();
    const store = new ModelStore(join(dir, 'missing', 'model.json'));
    store.save(createModel({ name: 'm' }));
    await expect(store.flush()).rejects.toMatchObject({ code: 'ENOENT' });
    const ok = new ModelStore(join(dir, 'model.json'));
    ok.save(createModel({ name: 'm' }));
    await ok.flush();
    expect((await loadModel(join(dir, 'model.json')))?.name).toBe('m');
  });
});
