import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addUnit,
  beginHook,
  commitHook,
  createModel,
  deployApp,
  nextHook,
  observeBootId,
  readCharm,
  type HookContext,
  type Model,
} from '../model/api.js';
import { REPO_ROOT } from '../runtime/paths.js';
import { StatusJson } from '../runtime/status-schema.js';
import { renderStatus } from '../cli/status-table.js';
import { activity, type RuntimeFacts } from './settle.js';
import { buildStatus } from './status.js';

const running = (units: string[]): RuntimeFacts['pods'] =>
  new Map(units.map((u) => [u, { phase: 'running' as const }]));

describe('settle and status (pure, from a real model)', () => {
  let model: Model;

  beforeAll(async () => {
    const charm = await readCharm(resolve(REPO_ROOT, 'apps/sim/test-charms/shell-charm'));
    model = deployApp(createModel({ name: 'm' }), { charm, name: 'shell', units: 2 }).model;
  });

  it('is not settled while pods start, hooks are queued or run, or pebble-ready is pending', () => {
    expect(activity(model, { pods: new Map(), running: new Map() }).busy).toEqual([
      'shell/0: pod not created yet',
      'shell/1: pod not created yet',
    ]);
    const facts = { pods: running(['shell/0', 'shell/1']), running: new Map([['shell/1', 'install']]) };
    expect(activity(model, facts).busy).toEqual(['shell/0: install queued', 'shell/1: running install']);
  });

  it('reports a failed pod as an error, which wait turns into an immediate failure', () => {
    const a = activity(model, {
      pods: new Map([['shell/0', { phase: 'failed', error: 'cannot start pod shell-0' }]]),
      running: new Map(),
    });
    expect(a.errors).toEqual(['shell/0: pod failed: cannot start pod shell-0']);
    expect(a.settled).toBe(false);
  });

  it('waits for the Pebble boot id to be seen and its pebble-ready handled', () => {
    // Drive every queued hook as if it succeeded, without pods: only the container remains.
    let m = model;
    for (let i = 0; i < 50; i++) {
      const specs = ['shell/0', 'shell/1'].map((u) => nextHook(m, u)).filter((s) => s !== null);
      if (specs.length === 0) break;
      for (const spec of specs) {
        const begun = beginHook(m, spec, { agentSocket: '/s', toolsDir: '/t' });
        m = begun.model;
        m = commit(m, begun.context);
      }
    }
    const facts = { pods: running(['shell/0', 'shell/1']), running: new Map<string, string>() };
    expect(activity(m, facts).busy).toEqual([
      'shell/0: waiting for Pebble in container box',
      'shell/1: waiting for Pebble in container box',
    ]);
    m = observeBootId(m, 'shell/0', 'box', 'boot-a').model;
    expect(activity(m, facts).busy[0]).toBe('shell/0: box-pebble-ready queued');
  });

  it('builds a status document that matches the schema and renders like juju status', () => {
    const s = buildStatus(addUnit(model, 'shell').model, { pods: running(['shell/0']), running: new Map() }, '/tmp/m');
    expect(StatusJson.safeParse(s).success).toBe(true);
    expect(Object.keys(s.applications['shell']?.units ?? {})).toEqual(['shell/0', 'shell/1', 'shell/2']);
    expect(s.applications['shell']?.units['shell/0']).toMatchObject({
      leader: true,
      fqdn: 'shell-0.shell-endpoints.m.svc.cluster.local',
      pod: 'running',
    });
    expect(s.relations).toEqual([
      { id: 0, endpoints: ['shell:peers'], interface: 'shell-charm-peers', type: 'peer', life: 'alive' },
    ]);
    const text = renderStatus(s, new Date('2026-01-01T10:00:00Z'));
    expect(text).toMatch(/^Unit\s+Workload\s+Agent\s+Address\s+Ports\s+Message$/m);
    expect(text).toMatch(/^shell\/0\*\s+\S+\s+\S+\s+127\./m);
    expect(text).toMatch(/^shell:peers\s+shell:peers\s+shell-charm-peers\s+peer$/m);
  });
});

function commit(m: Model, ctx: HookContext): Model {
  return commitHook(m, ctx, { exitCode: 0 }).model;
}
