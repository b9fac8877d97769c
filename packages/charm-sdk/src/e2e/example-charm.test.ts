import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEventLogReader, type LoggedEvent } from '@charms/event-log';
import { PebbleClient } from '@charms/pebble-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_RUNTIME } from '../pack/node-runtime.js';
import { packCharm } from '../pack/pack.js';
import { exampleCharm } from '../testing-fixtures/example-charm/src/definition.js';
import { simAvailable, SimModel, until } from '../testing/sim-model.js';

const EXAMPLE = fileURLToPath(new URL('../testing-fixtures/example-charm', import.meta.url));
const UNIT = 'example-k8s/0';
type Events = typeof exampleCharm.events.definitions;

describe.skipIf(!simAvailable)('example charm packed and deployed in charm-sim', () => {
  let sim: SimModel;
  let pebble: PebbleClient;
  let out: string | undefined;

  const events = async (): Promise<LoggedEvent<Events>[]> => {
    const reader = await openEventLogReader({
      dir: join(sim.charmDir(UNIT), '.event-log'),
      schema: exampleCharm.events,
    });
    const out: LoggedEvent<Events>[] = [];
    for await (const e of reader.read()) out.push(e);
    return out;
  };
  const unit = async () => (await sim.status()).applications['example-k8s']?.units[UNIT];

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'sdk-e2e-pack-'));
    const packed = await packCharm({ charmDir: EXAMPLE, outDir: out });
    sim = await SimModel.create('example');
    await sim.cli(['deploy', packed.path, '--resource', 'workload-image=ubuntu:22.04', '--wait', '--timeout', '120s']);
    pebble = new PebbleClient({ socketPath: sim.pebbleSocket(UNIT, 'workload') });
  }, 240_000);
  afterAll(async () => {
    await pebble?.close();
    await sim?.destroy();
    if (out !== undefined) await rm(out, { recursive: true, force: true });
  });

  it('runs install, config-changed and pebble-ready; the layer runs against real Pebble', async () => {
    const u = await unit();
    expect(u?.['workload-status']).toEqual({ current: 'active', message: `serving on ${u?.address}:18080` });
    expect(u?.['open-ports']).toEqual(['18080/tcp']);
    const services = Object.fromEntries((await pebble.getServices()).map((s) => [s.name, s.current]));
    expect(services).toEqual({ sidecar: 'active', web: 'active' });
    const page = await until('the web service to answer', async () =>
      (await fetch(`http://${u?.address}:18080/`).catch(() => undefined))?.text(),
    );
    expect(page).toBe('<!doctype html><h1>hello</h1>\n');
    const hooks = (await events()).flatMap((e) => (e.type === 'hook' ? [e.payload.facts.name] : []));
    for (const h of ['install', 'leader-elected', 'config-changed', 'start', 'workload-pebble-ready'])
      expect(hooks).toContain(h);
    expect(hooks[0]).toBe('install');
  });

  it('runs from the unpacked .charm with the bundled Node, not the host one', async () => {
    const recorded = (await events()).flatMap((e) => (e.type === 'hook' ? [e.payload.runtime] : []));
    expect(new Set(recorded.map((r) => JSON.stringify(r)))).toEqual(
      new Set([
        JSON.stringify({
          execPath: '/var/lib/juju/agents/unit-example-k8s-0/charm/node/bin/node',
          node: `v${NODE_RUNTIME.version}`,
        }),
      ]),
    );
    expect(process.version).not.toBe(`v${NODE_RUNTIME.version}`);
    expect(await readdir(join(sim.charmDir(UNIT), 'node', 'bin'))).toEqual(['node']);
  });

  it('starts dispatches from a startup snapshot built on the unit', async () => {
    const files = await readdir(join(sim.charmDir(UNIT), '.node-snapshot'));
    expect(files.filter((f) => f.endsWith('.blob'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.failed'))).toEqual([]);
  });

  it('a config change re-plans and restarts only the changed service', async () => {
    const since = Object.fromEntries((await pebble.getServices()).map((s) => [s.name, s.currentSince]));
    const before = (await events()).length;
    await sim.cli(['config', 'example-k8s', 'greeting=bonjour']);
    await sim.cli(['wait', '--timeout', '60s']);
    const after = (await events()).slice(before);
    expect(after.map((e) => (e.type === 'hook' ? e.payload.facts.name : e.type))).toEqual([
      'config-changed',
      'workload-verified',
    ]);
    expect(after[1]?.payload).toMatchObject({ ok: true, restarted: ['web'], started: [] });
    const now = Object.fromEntries((await pebble.getServices()).map((s) => [s.name, s.currentSince]));
    expect(now['sidecar']).toEqual(since['sidecar']);
    expect(now['web']).not.toEqual(since['web']);
    const u = await unit();
    expect(
      await until('the new greeting', async () => {
        const text = await (await fetch(`http://${u?.address}:18080/`).catch(() => undefined))?.text();
        return text?.includes('bonjour') ? text : undefined;
      }),
    ).toBe('<!doctype html><h1>bonjour</h1>\n');
  });

  it('an invalid config gives a blocked status naming the option', async () => {
    const plan = await pebble.getPlan();
    await sim.cli(['config', 'example-k8s', 'port=80']);
    await sim.cli(['wait', '--timeout', '60s']);
    const u = await unit();
    expect(u?.['workload-status'].current).toBe('blocked');
    expect(u?.['workload-status'].message).toContain('option "port"');
    expect(await pebble.getPlan()).toEqual(plan);
    await sim.cli(['config', 'example-k8s', '--reset', 'port']);
    await sim.cli(['wait', '--timeout', '60s']);
    expect((await unit())?.['workload-status'].current).toBe('active');
  });

  it('runs an action with params validated against actions.yaml', async () => {
    expect(await sim.cli(['run', UNIT, 'greet', 'name=Ada'])).toContain('greeting: bonjour, Ada');
    await expect(sim.cli(['run', UNIT, 'greet'])).rejects.toThrow();
  });
});
