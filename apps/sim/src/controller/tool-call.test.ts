import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change, ToolResult } from '../model/api.js';
import { deployApp } from '../model/deploy.js';
import { redisLike, Sim } from '../model/testing-fixtures/sim.js';
import { loadModel, ModelStore } from './store.js';
import { serveToolCall, type ToolCallHost } from './tool-call.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A host like the controller's: apply saves through a real ModelStore and counts. */
async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'sim-tool-call-'));
  dirs.push(dir);
  const path = join(dir, 'model.json');
  const store = new ModelStore(path);
  const sim = new Sim();
  sim.apply(deployApp(sim.model, { charm: redisLike(), units: 2 }));
  sim.settle();
  const { ctx } = sim.open('redis/0');
  let model = sim.model;
  const applied: Change[] = [];
  const host: ToolCallHost = {
    model: () => model,
    apply: (change) => {
      applied.push(change);
      model = change.model;
      store.save(model);
    },
    fetchResource: () => Promise.resolve(),
    crashed: (tool, _unit, error) => {
      throw new Error(`${tool} crashed: ${String(error)}`);
    },
  };
  const call = (tool: string, ...args: string[]): Promise<ToolResult> =>
    serveToolCall(host, ctx, { contextId: ctx.id, tool, args, cwd: '/' });
  return { path, store, applied, call };
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('serveToolCall', () => {
  it('does not save the model for read-only tools, and does for writing ones', async () => {
    const { path, store, applied, call } = await setup();
    for (const readOnly of [
      ['is-leader'],
      ['config-get', '--format=json'],
      ['relation-ids', 'redis-peers'],
      ['status-get'],
      ['unit-get', 'private-address'],
      ['goal-state', '--format=json'],
      ['opened-ports'],
      ['no-such-tool'],
    ]) {
      const [tool = '', ...args] = readOnly;
      const r = await call(tool, ...args);
      expect([readOnly, r.exitCode === 0]).toEqual([readOnly, tool !== 'no-such-tool']);
    }
    await store.flush();
    expect(applied).toEqual([]);
    expect(await exists(path)).toBe(false);

    expect((await call('status-set', 'active', 'serving')).exitCode).toBe(0);
    expect(applied).toHaveLength(1);
    await store.flush();
    const saved = await loadModel(path);
    expect(saved?.units['redis/0']?.workloadStatus).toMatchObject({ status: 'active', message: 'serving' });
  });

  it('leaves relation-set buffered in the hook context: nothing saved until the hook commits', async () => {
    const { path, store, applied, call } = await setup();
    const ids = await call('relation-ids', 'redis-peers', '--format=json');
    const [peers = ''] = JSON.parse(ids.stdout) as string[];
    expect((await call('relation-set', '-r', peers, 'a=1')).exitCode).toBe(0);
    await store.flush();
    expect(applied).toEqual([]);
    expect(await exists(path)).toBe(false);
    // the buffered write is visible to the hook itself
    expect((await call('relation-get', '-r', peers, 'a', 'redis/0')).stdout.trim()).toBe('1');
  });
});
