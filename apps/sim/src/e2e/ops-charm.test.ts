/**
 * End to end with a charm written with the real Python `ops` library (test-charms/ops-charm), once per pinned
 * ops release (ops 2.3.0 finds its storage through `storage-get --help`, ops 3.9.0 through JUJU_STORAGE_ID):
 * real pods with their own network, real Pebble in two containers, storage, real hook tools. One model per
 * release shared by the assertions, in order.
 */
import { join } from 'node:path';
import { PebbleClient } from '@charms/pebble-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusJson } from '../runtime/status-schema.js';
import { isRoot, leftovers, Sim } from './harness.js';
import { installedVersion, isInstalled, opsCharmWith, OPS_RELEASES } from './ops-releases.js';
import { firstLine, listeningIn, netHolderPid, netnsOf } from './pod-probes.js';

const PORT = 7077;
const installed = await Promise.all(OPS_RELEASES.map(async (r) => ({ ...r, present: await isInstalled(r) })));

/** The charm's status message `peers=… token=… got=… storage=… reached=…` as fields. */
function fields(message: string | undefined): Record<string, string> {
  return Object.fromEntries(
    (message ?? '').split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

for (const release of installed) {
  const title = `ops charm under ops ${release.version} (real pods, real Pebble)`;
  describe.skipIf(!isRoot || !release.present)(title, { timeout: 240_000 }, () => {
    const model = `ops${release.version.replaceAll('.', '')}`;
    let sim: Sim;
    let charm: Awaited<ReturnType<typeof opsCharmWith>>;

    beforeAll(async () => {
      expect(await installedVersion(release.lib)).toBe(release.version);
      charm = await opsCharmWith(release);
      sim = await Sim.create(model);
    });

    afterAll(async () => {
      await sim?.cli(['destroy'], { allowFail: true });
      await charm?.remove();
    });

    it('deploys one unit that reaches active, with its Pebble layers added on pebble-ready', async () => {
      const r = await sim.cli(['deploy', charm.dir, 'ops', '--wait', '--timeout', '100ms'], { allowFail: true });
      expect(r.stdout).toContain('Deployed "ops" (ops/0)');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^ERROR cannot settle the model within 100 ms; still busy:\n {2}ops\/0: /m);
      await sim.cli(['wait', '--timeout', '3m']);
      const s = await sim.status();
      const unit = s.applications['ops']?.units['ops/0'];
      expect(unit?.['workload-status'].current).toBe('active');
      expect(fields(unit?.['workload-status'].message)).toMatchObject({ peers: '', token: 't-ops/0', reached: '' });
      expect(unit?.leader).toBe(true);
      expect(unit?.containers['workload']?.['pebble-ready']).toBe(true);
      expect(unit?.containers['server']?.['pebble-ready']).toBe(true);
      expect(s.applications['ops']?.['application-status']).toMatchObject({ current: 'active', message: '1 planned' });
      // set by the charm from ops.__version__: the pinned release is the one that ran
      expect(s.applications['ops']?.['workload-version']).toBe(release.version);

      const pebble = new PebbleClient({
        socketPath: join(sim.layout.pods, 'ops-0', 'c', 'workload', 'shared', 'pebble.socket'),
      });
      try {
        const services = await pebble.getServices();
        expect(services.map((x) => [x.name, x.current])).toEqual([['idle', 'active']]);
        const fqdn = (await pebble.pullText('/etc/ops-charm/hostname')).trim();
        expect(fqdn).toBe(`ops-0.ops-endpoints.${model}.svc.cluster.local`);
      } finally {
        await pebble.close();
      }
    });

    it('scales to 3: every unit reads the others’ peer unit data and the leader’s peer app data', async () => {
      await sim.cli(['add-unit', 'ops', '-n', '2', '--wait', '--timeout', '3m']);
      const s = await sim.status();
      const units = s.applications['ops']?.units ?? {};
      expect(Object.keys(units)).toEqual(['ops/0', 'ops/1', 'ops/2']);
      for (const [name, others] of [
        ['ops/0', 'ops/1,ops/2'],
        ['ops/1', 'ops/0,ops/2'],
        ['ops/2', 'ops/0,ops/1'],
      ] as const) {
        expect(units[name]?.['workload-status'].current).toBe('active');
        expect(fields(units[name]?.['workload-status'].message)).toMatchObject({ peers: others, token: 't-ops/0' });
      }
      expect(new Set(Object.values(units).map((u) => u.address)).size).toBe(3);
      expect(Object.values(units).filter((u) => u.leader)).toHaveLength(1);
    });

    it('attaches storage in storage-attached with the id and location ops resolved, one instance per unit', async () => {
      const units = (await sim.status()).applications['ops']?.units ?? {};
      const ids = new Set<string>();
      for (const name of ['ops/0', 'ops/1', 'ops/2']) {
        const storage = fields(units[name]?.['workload-status'].message)['storage'] ?? '';
        // written by the charm's data-storage-attached handler from event.storage into the storage itself
        expect(storage).toMatch(/^data\/\d+@\/var\/lib\/juju\/storage\/data\/0$/);
        ids.add(storage.split('@')[0] ?? '');
        const logged = (await sim.log()).filter((e) => e.unit === name && e.message.includes(' attached at '));
        expect(logged.map((e) => [e.hook, e.message.replace(/^.*?storage /, 'storage ')])).toEqual([
          ['data-storage-attached', `storage ${storage.replace('@', ' attached at ')}`],
        ]);
      }
      expect(ids.size).toBe(3);
    });

    it('runs a server bound to 0.0.0.0:7077 in each pod’s own network; each unit reached every peer by its -endpoints name', async () => {
      const s = await sim.status();
      const units = s.applications['ops']?.units ?? {};
      const namespaces = new Set([await netnsOf('self')]);
      for (const [name, others] of [
        ['ops/0', 'ops/1,ops/2'],
        ['ops/1', 'ops/0,ops/2'],
        ['ops/2', 'ops/0,ops/1'],
      ] as const) {
        const podName = name.replace('/', '-');
        const net = await netHolderPid(sim, podName);
        namespaces.add(await netnsOf(net));
        expect(await listeningIn(net)).toContain(`0.0.0.0:${PORT}`);
        const unit = units[name];
        const storage = fields(unit?.['workload-status'].message)['storage'];
        // the pod's hostname and the owner line the charm wrote into its storage, read by the server container
        expect(await firstLine(unit?.address ?? '', PORT)).toBe(`${podName} ${name} ${storage}`);
        expect(fields(unit?.['workload-status'].message)['reached']).toBe(others);
      }
      expect(namespaces.size).toBe(4); // three pods and the host, each its own network namespace
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
      await sim.cli(['deploy', charm.dir, 'sink', '--wait', '--timeout', '3m']);
      await sim.cli(['relate', 'ops:source', 'sink:sink']);
      await sim.cli(['wait', '--timeout', '3m']);
      let s = await sim.status();
      const sinkMessage = () => fields(s.applications['sink']?.units['sink/0']?.['workload-status'].message);
      expect(sinkMessage()).toMatchObject({ peers: '', token: 't-sink/0', got: 'hello,ops/0,ops/1,ops/2' });
      expect(s.relations.map((r) => r.endpoints)).toContainEqual(['ops:source', 'sink:sink']);
      await sim.cli(['config', 'ops', 'greeting=hi']);
      await sim.cli(['wait', '--timeout', '3m']);
      s = await sim.status();
      expect(sinkMessage()).toMatchObject({ peers: '', token: 't-sink/0', got: 'hi,ops/0,ops/1,ops/2' });
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
      const survivor = fields(s.applications['ops']?.units['ops/0']?.['workload-status'].message);
      expect(survivor).toMatchObject({ peers: '', token: 't-ops/0', reached: '' });
      const sink = fields(s.applications['sink']?.units['sink/0']?.['workload-status'].message);
      expect(sink).toMatchObject({ peers: '', token: 't-sink/0', got: 'hi,ops/0' });
    });

    it('destroy leaves no process, mount or socket behind', async () => {
      const uuid = (await sim.status()).model.uuid;
      await sim.cli(['destroy']);
      expect(await leftovers(sim.dir)).toEqual([]);
      expect(await leftovers(uuid)).toEqual([]);
    });
  });
}
