import { readdir, readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventLogReader } from '@charms/event-log';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { secrets } from '../logging/secret-registry.js';
import type { CharmMeta } from '../meta/schema.js';
import { readCharmDocs } from '../pack/charm-files.js';
import { exampleCharm } from '../testing-fixtures/example-charm/src/definition.js';
import { runEvent } from '../testing/harness.js';
import { modelState, type ModelState } from '../testing/model-state.js';
import { startTestContainers, type TestContainers } from '../testing/test-containers.js';
import type { RelationWrite } from '../model/relation-writes.js';
import { defineCharm } from './definition.js';
import { defineCharmEvents } from './standard-events.js';

const EXAMPLE = new URL('../testing-fixtures/example-charm', import.meta.url).pathname;
const port = 20000 + Math.floor(Math.random() * 20000);
let meta: CharmMeta;
let containers: TestContainers;
let charmDir: string;

beforeAll(async () => {
  meta = (await readCharmDocs(EXAMPLE)).meta;
  containers = await startTestContainers(['workload']);
  charmDir = await mkdtemp(join(tmpdir(), 'example-charm-'));
});
afterAll(async () => {
  await containers?.stop();
  await rm(charmDir, { recursive: true, force: true });
});

describe('pipeline with the example charm', () => {
  let state: ModelState = modelState({
    unit: 'example-k8s/0',
    leader: true,
    config: { port, greeting: 'hello' },
    addresses: { 'juju-info': '127.0.0.1' },
  });
  const run = async (event: string) => {
    const r = await runEvent(exampleCharm, { event, state, meta, charmDir, containersRoot: containers.root });
    state = r.state;
    return r;
  };

  it('install before Pebble answers: records the hook and waits', async () => {
    const r = await runEvent(exampleCharm, {
      event: 'install',
      state,
      meta,
      charmDir,
      containersRoot: join(charmDir, 'no-containers'),
    });
    state = r.state;
    expect(r.run).toMatchObject({ exitCode: 0, eventSeq: 1 });
    expect(r.events.map((e) => e.type)).toEqual(['hook']);
    expect(r.events[0]?.payload).toMatchObject({
      facts: { name: 'install', unit: 'example-k8s/0' },
      pebble: { reachable: false },
      config: { port, greeting: 'hello' },
    });
    expect(state.unitStatus).toEqual({ status: 'waiting', message: 'waiting for Pebble in the workload container' });
  });

  it('pebble-ready: adds the layer, starts both services, pushes the page, opens the port, verifies', async () => {
    const r = await run('workload-pebble-ready');
    expect(r.run.exitCode).toBe(0);
    expect(r.events.map((e) => e.type)).toEqual(['hook', 'hook', 'workload-verified']);
    expect(r.events[2]?.payload).toEqual({
      ok: true,
      services: { sidecar: 'active', web: 'active' },
      restarted: [],
      started: ['sidecar', 'web'],
    });
    expect(state.unitStatus).toEqual({ status: 'active', message: `serving on 127.0.0.1:${port}` });
    expect(state.openedPorts).toEqual([`${port}/tcp`]);
    const pebble = containers.daemons['workload']?.client();
    const plan = await pebble?.getPlan();
    expect(plan?.services['web']?.command).toBe(
      `python3 -m http.server ${port} --bind 127.0.0.1 --directory /srv/example`,
    );
    const [file] = (await pebble?.listFiles('/srv/example/index.html', { itself: true })) ?? [];
    expect(file?.permissions).toBe(0o644);
    expect(await pebble?.pullText('/srv/example/index.html')).toBe('<!doctype html><h1>hello</h1>\n');
  });

  it('a no-op hook changes nothing and records no verification', async () => {
    const pebble = containers.daemons['workload']?.client();
    const before = await pebble?.getServices();
    const r = await run('update-status');
    expect(r.events.map((e) => e.type).slice(-2)).toEqual(['workload-verified', 'hook']);
    expect(await pebble?.getServices()).toEqual(before);
    expect(r.calls.filter((c) => c.tool === 'open-port' || c.tool === 'close-port')).toEqual([]);
  });

  it('config-changed re-plans and restarts only the changed service', async () => {
    const pebble = containers.daemons['workload']?.client();
    const since = Object.fromEntries((await pebble?.getServices())?.map((s) => [s.name, s.currentSince]) ?? []);
    state = { ...state, config: { ...state.config, greeting: 'bonjour' } };
    const r = await run('config-changed');
    const last = r.events.at(-1);
    expect(last).toMatchObject({ type: 'workload-verified', payload: { ok: true, restarted: ['web'], started: [] } });
    const after = Object.fromEntries((await pebble?.getServices())?.map((s) => [s.name, s.currentSince]) ?? []);
    expect(after['sidecar']).toBe(since['sidecar']);
    expect(after['web']).not.toBe(since['web']);
    expect((await pebble?.getPlan())?.services['web']?.environment).toEqual({ GREETING: 'bonjour' });
  });

  it('invalid config gives a blocked status naming the option and leaves the workload alone', async () => {
    const pebble = containers.daemons['workload']?.client();
    const plan = await pebble?.getPlan();
    state = { ...state, config: { ...state.config, port: 80 } };
    await run('config-changed');
    expect(state.unitStatus.status).toBe('blocked');
    expect(state.unitStatus.message).toMatch(
      /^invalid config: option "port" too small: expected number to be >=1024 \(got 80\)/,
    );
    expect(await pebble?.getPlan()).toEqual(plan);
    state = { ...state, config: { ...state.config, port } };
  });

  it('runs an action against the folded state', async () => {
    state = { ...state, action: { params: { name: 'Ada' }, results: {}, logs: [] } };
    const r = await runEvent(exampleCharm, {
      event: { name: 'greet', action: true },
      state,
      meta,
      charmDir,
      containersRoot: containers.root,
    });
    expect(r.run.exitCode).toBe(0);
    expect(r.state.action?.results).toEqual({ greeting: 'bonjour, Ada' });
    state = { ...r.state, action: undefined } as ModelState;
  });

  it('keeps the log verifiable: every event with its hook facts, in order', async () => {
    const reader = await openEventLogReader({ dir: join(charmDir, '.event-log'), schema: exampleCharm.events });
    const verified = await reader.verify();
    const hooks: string[] = [];
    for await (const e of reader.read()) if (e.type === 'hook') hooks.push(e.payload.facts.name);
    expect(hooks).toEqual([
      'install',
      'workload-pebble-ready',
      'update-status',
      'config-changed',
      'config-changed',
      'greet',
    ]);
    expect(verified.records).toBe(hooks.length + 2);
  });
});

describe('pipeline relation writes', () => {
  const events = defineCharmEvents({ seen: { version: 1, schema: z.object({ hook: z.string() }) } });
  const projection = { name: 'n', version: 1, initial: 0, reduce: (n: number) => n + 1 };
  const peers = {
    endpoint: 'example-peers',
    id: 7,
    remoteApp: 'example-k8s',
    remoteUnits: [],
    localUnitData: { keep: 'me' },
    localAppData: {},
    remoteUnitsData: {},
    remoteAppData: {},
    peer: true,
  };
  const observe = async () => ({ type: 'seen' as const, payload: { hook: 'start' } });

  it('the runner writes the desired bags after reconciling; the writes of an outcome replace them', async () => {
    const planned = defineCharm({
      events,
      projection,
      observe,
      plan: (): { relations: RelationWrite[] } => ({
        relations: [
          { endpoint: 'example-peers', data: { address: '10.0.0.1' } },
          { endpoint: 'example-peers', relationId: 7, app: true, data: { primary: 'example-k8s/0' } },
          { endpoint: 'example-peers', relationId: 99, data: { gone: 'relation' } },
        ],
      }),
      reconcile: async () => ({}),
    });
    const state = modelState({ unit: 'example-k8s/0', leader: true, relations: [peers] });
    const r = await runEvent(planned, { event: 'start', state, meta });
    expect(r.run.exitCode).toBe(0);
    expect(r.state.relations[0]?.localUnitData).toEqual({ keep: 'me', address: '10.0.0.1' });
    expect(r.state.relations[0]?.localAppData).toEqual({ primary: 'example-k8s/0' });
    const overridden = defineCharm({
      ...planned,
      reconcile: async () => ({ relations: [{ endpoint: 'example-peers', data: { address: '10.0.0.2' } }] }),
    });
    const again = await runEvent(overridden, { event: 'start', state, meta });
    expect(again.state.relations[0]?.localUnitData).toEqual({ keep: 'me', address: '10.0.0.2' });
    expect(again.state.relations[0]?.localAppData).toEqual({});
  });
});

describe('pipeline failures', () => {
  const events = defineCharmEvents({ seen: { version: 1, schema: z.object({ hook: z.string(), note: z.string() }) } });
  const projection = { name: 'n', version: 1, initial: 0, reduce: (n: number) => n + 1 };
  const base = { events, projection, plan: () => ({}), reconcile: async () => ({}) };

  it('a hook that throws records a failure event, logs the cause, exits 1 and drops buffered changes', async () => {
    const charm = defineCharm({
      ...base,
      observe: async ({ context }) => ({ type: 'seen' as const, payload: { hook: context.event.name, note: 'x' } }),
      reconcile: async (_d, { model }) => {
        const leader = await model.isLeader();
        await model.setPorts([{ protocol: 'tcp', port: 1234 }]);
        throw new Error(`boom (leader: ${leader})`);
      },
    });
    const r = await runEvent(charm, { event: 'start', state: modelState() });
    expect(r.run).toMatchObject({ exitCode: 1, stage: 'reconcile', eventSeq: 1 });
    expect(r.events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'seen'],
      [2, 'hook-failed'],
    ]);
    expect(r.events[1]?.payload).toEqual({
      hook: 'start',
      stage: 'reconcile',
      eventSeq: 1,
      error: { name: 'Error', code: 'unknown', message: 'boom (leader: false)' },
    });
    expect(r.stderr).toContain('cannot complete start (reconcile): boom (leader: false)');
    expect(r.state.logs.some((l) => l.level === 'ERROR' && l.message.includes('boom (leader: false)'))).toBe(true);
    expect(r.state.openedPorts).toEqual([]);
  });

  it('refuses to record a secret value and records the failure instead', async () => {
    const charm = defineCharm({
      ...base,
      observe: async ({ model, context }) => {
        const content = await model.secrets.get({ label: 'admin' });
        return { type: 'seen' as const, payload: { hook: context.event.name, note: content['password'] ?? '' } };
      },
    });
    const state = modelState({
      secrets: [
        {
          id: 'secret:abc',
          label: 'admin',
          owner: 'application',
          revision: 1,
          content: { password: 'never-in-the-log' },
          grants: {},
        },
      ],
    });
    const charmDir = await mkdtemp(join(tmpdir(), 'secret-charm-'));
    const r = await runEvent(charm, { event: 'start', state, charmDir });
    const logFiles = await readdir(join(charmDir, '.event-log'));
    const contents = await Promise.all(
      logFiles.filter((x) => x.endsWith('.jsonl')).map((f) => readFile(join(charmDir, '.event-log', f), 'utf8')),
    );
    await rm(charmDir, { recursive: true, force: true });
    secrets.clear();
    expect(r.run).toMatchObject({ exitCode: 1, stage: 'record', eventSeq: null });
    expect(r.events.map((e) => e.type)).toEqual(['hook-failed']);
    expect(contents.length).toBeGreaterThan(0);
    for (const text of contents) expect(text).not.toContain('never-in-the-log');
    expect(r.stderr).not.toContain('never-in-the-log');
  });

  it('an unknown hook exits 1 with a clear message before touching the log', async () => {
    const charm = defineCharm({
      ...base,
      observe: async () => ({ type: 'seen' as const, payload: { hook: '', note: '' } }),
    });
    const r = await runEvent(charm, { event: 'frobnicate', state: modelState() });
    expect(r.run).toMatchObject({ exitCode: 1, stage: 'context' });
    expect(r.stderr).toMatch(/^ERROR cannot dispatch: JUJU_DISPATCH_PATH "hooks\/frobnicate" names no hook Juju fires/);
    expect(r.events).toEqual([]);
  });
});
