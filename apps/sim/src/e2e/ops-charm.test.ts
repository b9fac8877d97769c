/**
 * End to end with a charm written with the real Python `ops` library (test-charms/ops-charm): real pods,
 * real Pebble, real hook tools. One model shared by the assertions, in order.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PebbleClient } from '@charms/pebble-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusJson } from '../runtime/status-schema.js';
import { isRoot, leftovers, Sim, TEST_CHARMS } from './harness.js';

const CHARM = join(TEST_CHARMS, 'ops-charm');
const opsInstalled = await readFile(join(TEST_CHARMS, 'ops-charm/lib/ops/__init__.py')).then(
  () => true,
  () => false,
);

describe.skipIf(!isRoot || !opsInstalled)('ops charm (real ops, real pods, real Pebble)', { timeout: 240_000 }, () => {
  let sim: Sim;

  beforeAll(async () => {
    sim = await Sim.create('opsm');
  });

  afterAll(async () => {
    await sim?.cli(['destroy'], { allowFail: true });
  });

  it('deploys one unit that reaches active, with its Pebble layer added on pebble-ready', async () => {
    const r = await sim.cli(['deploy', CHARM, 'ops', '--wait', '--timeout', '100ms'], { allowFail: true });
    expect(r.stdout).toContain('Deployed "ops" (ops/0)');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERROR cannot settle the model within 100 ms; still busy:\n {2}ops\/0: /m);
    await sim.cli(['wait', '--timeout', '3m']);
    const s = await sim.status();
    const unit = s.applications['ops']?.units['ops/0'];
    expect(unit?.['workload-status']).toMatchObject({ current: 'active', message: 'peers= token=t-ops/0 got=' });
    expect(unit?.leader).toBe(true);
    expect(unit?.containers['workload']?.['pebble-ready']).toBe(true);
    expect(s.applications['ops']?.['application-status']).toMatchObject({ current: 'active', message: '1 planned' });
    expect(s.applications['ops']?.['workload-version']).toBe('1.0.0');

    const pebble = new PebbleClient({
      socketPath: join(sim.layout.pods, 'ops-0', 'c', 'workload', 'shared', 'pebble.socket'),
    });
    try {
      const services = await pebble.getServices();
      expect(services.map((x) => [x.name, x.current])).toEqual([['idle', 'active']]);
      const fqdn = (await pebble.pullText('/etc/ops-charm/hostname')).trim();
      expect(fqdn).toBe('ops-0.ops-endpoints.opsm.svc.cluster.local');
    } finally {
      await pebble.close();
    }
  });

  it('scales to 3: every unit reads the others’ peer unit data and the leader’s peer app data', async () => {
    await sim.cli(['add-unit', 'ops', '-n', '2', '--wait', '--timeout', '3m']);
    const s = await sim.status();
    const units = s.applications['ops']?.units ?? {};
    expect(Object.keys(units)).toEqual(['ops/0', 'ops/1', 'ops/2']);
    expect(units['ops/0']?.['workload-status'].message).toBe('peers=ops/1,ops/2 token=t-ops/0 got=');
    expect(units['ops/1']?.['workload-status'].message).toBe('peers=ops/0,ops/2 token=t-ops/0 got=');
    expect(units['ops/2']?.['workload-status'].message).toBe('peers=ops/0,ops/1 token=t-ops/0 got=');
    expect(new Set(Object.values(units).map((u) => u.address)).size).toBe(3);
    expect(Object.values(units).filter((u) => u.leader)).toHaveLength(1);
  });

  it('`status --format json` of the settled 3-unit app matches the documented schema', async () => {
    const r = await sim.cli(['status', '--format', 'json']);
    const parsed = StatusJson.safeParse(JSON.parse(r.stdout));
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
    expect(parsed.data?.model.settled).toBe(true);
    expect(parsed.data?.applications['ops']?.scale).toBe(3);
    const table = await sim.cli(['status']);
    expect(table.stdout).toMatch(/ops\/0\*\s+active\s+idle\s+127\./);
  });

  it('relates to a second app: the requirer reads the provider’s app and unit data; config changes flow through', async () => {
    await sim.cli(['deploy', CHARM, 'sink', '--wait', '--timeout', '3m']);
    await sim.cli(['relate', 'ops:source', 'sink:sink']);
    await sim.cli(['wait', '--timeout', '3m']);
    let s = await sim.status();
    expect(s.applications['sink']?.units['sink/0']?.['workload-status'].message).toBe(
      'peers= token=t-sink/0 got=hello,ops/0,ops/1,ops/2',
    );
    expect(s.relations.map((r) => r.endpoints)).toContainEqual(['ops:source', 'sink:sink']);
    await sim.cli(['config', 'ops', 'greeting=hi']);
    await sim.cli(['wait', '--timeout', '3m']);
    s = await sim.status();
    expect(s.applications['sink']?.units['sink/0']?.['workload-status'].message).toBe(
      'peers= token=t-sink/0 got=hi,ops/0,ops/1,ops/2',
    );
    const cfg = await sim.cli(['config', 'ops', '--format', 'json']);
    expect(JSON.parse(cfg.stdout)).toMatchObject({ greeting: 'hi' });
  });

  it('runs an action with params and results, printed like juju run', async () => {
    const r = await sim.cli(['run', 'ops/1', 'greet', 'name=world', 'excited=true']);
    expect(r.stdout).toContain('message: hi world!');
    expect(r.stdout).toContain('unit: ops/1');
    expect(r.stdout).toContain('stdout says hi to world');
    expect(r.stderr).toContain('greeting world');
    const bad = await sim.cli(['run', 'ops/1', 'greet', 'nme=world'], { allowFail: true });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/^ERROR cannot/m);
  });

  it('scales back to 1: departed units vanish from the survivor’s peer data', async () => {
    await sim.cli(['remove-unit', 'ops/1', 'ops/2', '--wait', '--timeout', '3m']);
    const s = await sim.status();
    expect(Object.keys(s.applications['ops']?.units ?? {})).toEqual(['ops/0']);
    expect(s.applications['ops']?.units['ops/0']?.['workload-status'].message).toBe('peers= token=t-ops/0 got=');
    expect(s.applications['sink']?.units['sink/0']?.['workload-status'].message).toBe(
      'peers= token=t-sink/0 got=hi,ops/0',
    );
  });

  it('destroy leaves no process, mount or socket behind', async () => {
    const uuid = (await sim.status()).model.uuid;
    await sim.cli(['destroy']);
    expect(await leftovers(sim.dir)).toEqual([]);
    expect(await leftovers(uuid)).toEqual([]);
  });
});
