import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseJujuContext } from '../context/juju-context.js';
import { CharmError } from '../errors.js';
import { secrets } from '../logging/secret-registry.js';
import type { CharmMeta } from '../meta/schema.js';
import { FakeHookToolRunner } from '../testing/fake-hook-tool-runner.js';
import { modelState, relationState, type ModelState } from '../testing/model-state.js';
import { configStatusMessage } from './config.js';
import { Model } from './model.js';

const meta: CharmMeta = {
  metadata: {
    name: 'app',
    peers: { peers: { interface: 'app-peers' } },
    provides: { db: { interface: 'redis' } },
    resources: { cert: { type: 'file', filename: 'c.pem' }, image: { type: 'oci-image' } },
    storage: { data: { type: 'filesystem' } },
  },
  config: {},
  actions: {
    backup: {
      params: { target: { type: 'string' }, count: { type: 'integer', minimum: 1 } },
      required: ['target'],
      additionalProperties: false,
    },
  },
};

function env(extra: Record<string, string> = {}) {
  return {
    JUJU_DISPATCH_PATH: 'hooks/config-changed',
    JUJU_HOOK_NAME: 'config-changed',
    JUJU_CONTEXT_ID: 'ctx',
    JUJU_CHARM_DIR: '/charm',
    JUJU_UNIT_NAME: 'app/0',
    JUJU_MODEL_NAME: 'm',
    JUJU_MODEL_UUID: 'u',
    JUJU_VERSION: '3.6.8',
    ...extra,
  };
}

function setup(state: Partial<ModelState>, extraEnv: Record<string, string> = {}) {
  const runner = new FakeHookToolRunner(modelState(state));
  const model = new Model({ context: parseJujuContext(env(extraEnv)), runner, meta });
  return { runner, model };
}

const peer = relationState({
  endpoint: 'peers',
  id: 1,
  remoteApp: 'app',
  remoteUnits: ['app/1'],
  peer: true,
  localAppData: { k: 'v' },
  remoteUnitsData: { 'app/1': { host: 'h1' } },
});
const db = relationState({
  endpoint: 'db',
  id: 4,
  remoteApp: 'client',
  remoteUnits: ['client/0'],
  remoteAppData: { want: 'x' },
  localAppData: { secret: 'no' },
});

afterEach(() => secrets.clear());

describe('Model', () => {
  it('parses config with the charm schema and names the bad option', async () => {
    const schema = z.object({ port: z.number().int().min(1024), mode: z.enum(['a', 'b']).default('a') });
    const good = await setup({ config: { port: 6379 } }).model.config(schema);
    expect(good).toEqual({ ok: true, config: { port: 6379, mode: 'a' } });
    const bad = await setup({ config: { port: 80 } }).model.config(schema);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems).toEqual([{ option: 'port', message: expect.stringContaining('(got 80)') }]);
      expect(configStatusMessage(bad.problems)).toMatch(
        /^invalid config: option "port" too small: expected number to be >=1024 \(got 80\)/,
      );
    }
    const missing = await setup({ config: {} }).model.config(schema);
    expect(missing.ok ? '' : configStatusMessage(missing.problems)).toContain('option "port" is required but not set');
  });

  it('lists relations with remote units and apps and reads bags', async () => {
    const { model, runner } = setup({ relations: [peer, db] });
    const [p] = await model.relations('peers');
    expect(p).toMatchObject({ endpoint: 'peers', id: 1, app: 'app', units: ['app/1'], isPeer: true, ref: 'peers:1' });
    expect(await p?.unitData('app/1')).toEqual({ host: 'h1' });
    expect(await p?.appData()).toEqual({ k: 'v' });
    const d = await model.relation('db');
    expect(d).toMatchObject({ app: 'client', units: ['client/0'], isPeer: false });
    expect(await d?.appData()).toEqual({ want: 'x' });
    const before = runner.calls.length;
    await d?.appData();
    expect(runner.calls.length).toBe(before);
  });

  it('enforces leader rules on app bags like ops', async () => {
    const { model } = setup({ relations: [peer, db], leader: false });
    const d = await model.relation('db');
    await expect(d?.appData('app')).rejects.toMatchObject({
      code: 'relation-data-access',
      message: expect.stringContaining('is not leader and cannot read its own application databag'),
    });
    await expect(d?.setAppData({ a: 'b' })).rejects.toMatchObject({ code: 'relation-data-access' });
    const p = await model.relation('peers');
    expect(await p?.appData('app')).toEqual({ k: 'v' });
  });

  it('writes only changed keys and commits them only for a successful hook', async () => {
    const { model, runner } = setup({ relations: [db], leader: true });
    const d = await model.relation('db');
    expect(await d?.setUnitData({ host: 'h', port: '1' })).toEqual(['host', 'port']);
    expect(await d?.setUnitData({ host: 'h', port: '2', gone: '' })).toEqual(['port']);
    expect(await d?.setAppData({ secret: '' })).toEqual(['secret']);
    expect(await d?.unitData()).toEqual({ host: 'h', port: '2' });
    expect(runner.calls.filter((c) => c.tool === 'relation-set')).toHaveLength(3);
    expect(runner.commit(true).relations[0]).toMatchObject({
      localUnitData: { host: 'h', port: '2' },
      localAppData: {},
    });
    expect(runner.commit(false).relations[0]).toMatchObject({ localUnitData: {}, localAppData: { secret: 'no' } });
  });

  it('refuses writes to a relation being broken', async () => {
    const { model } = setup(
      { relations: [] },
      {
        JUJU_DISPATCH_PATH: 'hooks/db-relation-broken',
        JUJU_RELATION: 'db',
        JUJU_RELATION_ID: 'db:4',
        JUJU_REMOTE_APP: 'client',
      },
    );
    const r = await model.hookRelation();
    expect(r?.id).toBe(4);
    await expect(r?.setUnitData({ a: 'b' })).rejects.toMatchObject({
      code: 'relation-data-access',
      message: expect.stringContaining('being broken'),
    });
  });

  it('sets unit and app status, app status only as leader', async () => {
    const follower = setup({});
    await follower.model.setUnitStatus({ status: 'active', message: 'ready' });
    await expect(follower.model.setAppStatus({ status: 'active', message: '' })).rejects.toMatchObject({
      code: 'not-leader',
    });
    expect(follower.runner.commit(false).unitStatus).toEqual({ status: 'active', message: 'ready' });
    const leader = setup({ leader: true });
    await leader.model.setAppStatus({ status: 'blocked', message: 'x' });
    expect((await leader.model.appStatus()).status).toBe('blocked');
  });

  it('reads a file resource once per hook: the bytes it hashed are the bytes it returns later', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-resource-'));
    try {
      const file = join(dir, 'c.pem');
      await writeFile(file, 'first');
      const { model } = setup({ resources: { cert: file } });
      const first = await model.resource('cert');
      expect(first.bytes.toString()).toBe('first');
      expect(first.sha256).toBe(createHash('sha256').update('first').digest('hex'));
      // the operator attaches a new file mid-hook: this hook keeps what it read
      await writeFile(file, 'second');
      expect(await model.resource('cert')).toBe(first);
      await expect(model.resource('image')).rejects.toMatchObject({ code: 'unknown-name' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not cache a failed resource read', async () => {
    let reads = 0;
    const runner = new FakeHookToolRunner(modelState({ resources: { cert: '/res/cert/c.pem' } }));
    const model = new Model({
      context: parseJujuContext(env({})),
      runner,
      meta,
      readFile: async () => {
        reads += 1;
        if (reads === 1) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        return Buffer.from('ok');
      },
    });
    await expect(model.resource('cert')).rejects.toThrow('EIO');
    expect((await model.resource('cert')).bytes.toString()).toBe('ok');
    expect(reads).toBe(2);
  });

  it('resolves resources, storage, address and ports', async () => {
    const { model, runner } = setup({
      resources: { cert: '/res/cert/c.pem' },
      storage: [{ id: 'data/0', kind: 'filesystem', location: '/var/lib/juju/storage/data/0' }],
      addresses: { 'juju-info': '10.0.0.7' },
      openedPorts: ['80/tcp', '6379/tcp'],
    });
    expect(await model.resourcePath('cert')).toBe('/res/cert/c.pem');
    await expect(model.resourcePath('image')).rejects.toMatchObject({ code: 'unknown-name' });
    await expect(model.resourcePath('nope')).rejects.toBeInstanceOf(CharmError);
    expect(await model.storage('data')).toEqual([
      { id: 'data/0', name: 'data', index: 0, kind: 'filesystem', location: '/var/lib/juju/storage/data/0' },
    ]);
    expect(await model.address()).toBe('10.0.0.7');
    expect(
      await model.setPorts([
        { protocol: 'tcp', port: 6379 },
        { protocol: 'tcp', port: 26379 },
      ]),
    ).toEqual({ opened: ['26379/tcp'], closed: ['80/tcp'] });
    expect(runner.commit(true).openedPorts.sort()).toEqual(['26379/tcp', '6379/tcp']);
  });

  it('validates action params against actions.yaml and records results and failure', async () => {
    const actionEnv = { JUJU_DISPATCH_PATH: 'actions/backup', JUJU_HOOK_NAME: '', JUJU_ACTION_UUID: '3' };
    const bad = setup({ action: { params: { count: 0, extra: true }, results: {}, logs: [] } }, actionEnv);
    const err = await (await bad.model.action()).params().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid-action-params' });
    expect((err as Error).message).toContain('missing required param "target"');
    expect((err as Error).message).toContain('unknown param "extra"');
    expect((err as Error).message).toContain('param "count" must be >= 1');
    const good = setup({ action: { params: { target: '/backup', count: 2 }, results: {}, logs: [] } }, actionEnv);
    const action = await good.model.action();
    expect(await action.params(z.object({ target: z.string(), count: z.number() }))).toEqual({
      target: '/backup',
      count: 2,
    });
    await action.log('working');
    await action.setResults({ file: { path: '/backup/x', size: 3 } });
    await action.fail('disk full');
    expect(good.runner.commit(false).action).toEqual({
      params: { target: '/backup', count: 2 },
      results: { 'file.path': '/backup/x', 'file.size': '3' },
      logs: ['working'],
      failure: 'disk full',
    });
    await expect(setup({}).model.action()).rejects.toMatchObject({ code: 'not-an-action' });
  });

  it('adds and reads secrets, keeping content out of argv', async () => {
    const { model, runner } = setup({ leader: true });
    const id = await model.secrets.add({ password: 'sup3r-secret-pw' }, { label: 'admin' });
    expect(await model.secrets.get({ label: 'admin' })).toEqual({ password: 'sup3r-secret-pw' });
    expect(await model.secrets.find({ id: 'secret:missing' })).toBeUndefined();
    expect(JSON.stringify(runner.calls)).not.toContain('sup3r-secret-pw');
    expect(runner.commit(true).secrets.map((s) => s.id)).toEqual([id]);
    expect(runner.commit(false).secrets).toEqual([]);
  });
});
