import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInfo } from '../replication.js';
import { client, PACKAGE_DIR, until } from '../testing/harness-unit.js';
import { charmToDeploy, SimModel, simAvailable } from '@charms/charm-sdk/testing';

const UNITS = ['redis-k8s/0', 'redis-k8s/1', 'redis-k8s/2'] as const;

describe.skipIf(!simAvailable)(
  'redis-k8s packed and deployed with 3 units in charm-sim (real Pebble, real redis-server)',
  () => {
    let sim: SimModel;
    let password = '';
    const address: Record<string, string> = {};

    const info = async (unit: string): Promise<Record<string, string>> => {
      const c = client(address[unit] as string, password);
      try {
        await c.connect();
        return parseInfo(await c.info());
      } finally {
        c.disconnect();
      }
    };
    const get = async (unit: string, key: string): Promise<string | null> => {
      const c = client(address[unit] as string, password);
      try {
        await c.connect();
        return await c.get(key);
      } finally {
        c.disconnect();
      }
    };
    const set = async (unit: string, key: string, value: string): Promise<void> => {
      const c = client(address[unit] as string, password);
      try {
        await c.connect();
        await c.set(key, value);
      } finally {
        c.disconnect();
      }
    };

    beforeAll(async () => {
      sim = await SimModel.create('deploy');
      const packed = await charmToDeploy(PACKAGE_DIR, join(sim.dir, 'out'));
      await sim.cli(['deploy', packed, '-n', '3', '--wait', '--timeout', '150s']);
      const status = await sim.status();
      for (const [unit, u] of Object.entries(status.applications['redis-k8s']?.units ?? {})) address[unit] = u.address;
      const results = await sim.action('redis-k8s/1', 'get-initial-admin-password');
      password = String(results['password']);
    }, 240_000);
    afterAll(async () => {
      await sim?.destroy();
    });

    it('settles with the leader unit 0 as master and two replicas, as status and redis-server agree', async () => {
      const units = (await sim.status()).applications['redis-k8s']?.units ?? {};
      expect(units['redis-k8s/0']?.leader).toBe(true);
      expect(
        Object.fromEntries(
          Object.entries(units).map(([u, s]) => [
            u,
            `${s['workload-status'].current}: ${s['workload-status'].message}`,
          ]),
        ),
      ).toEqual({
        'redis-k8s/0': 'active: primary',
        'redis-k8s/1': 'active: replica of redis-k8s/0',
        'redis-k8s/2': 'active: replica of redis-k8s/0',
      });
      const primary = await info('redis-k8s/0');
      expect(primary['role']).toBe('master');
      expect(primary['connected_slaves']).toBe('2');
      for (const unit of UNITS.slice(1))
        expect(await info(unit)).toMatchObject({
          role: 'slave',
          master_host: address['redis-k8s/0'],
          master_link_status: 'up',
        });
    });

    it('a key written on the primary is readable on both replicas; replicas refuse writes', async () => {
      await set('redis-k8s/0', 'e2e:greeting', 'hello');
      for (const unit of UNITS.slice(1))
        expect(await until(`the key on ${unit}`, async () => (await get(unit, 'e2e:greeting')) ?? undefined)).toBe(
          'hello',
        );
      await expect(set('redis-k8s/1', 'e2e:nope', 'x')).rejects.toThrow(/READONLY/);
    });

    it('the password reaches neither the debug log nor the event logs', async () => {
      expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(await readFile(join(sim.dir, 'debug-log.jsonl'), 'utf8')).not.toContain(password);
      for (const unit of UNITS) {
        const dir = join(sim.charmDir(unit), '.event-log');
        for (const f of await readdir(dir, { recursive: true, withFileTypes: true })) {
          if (f.isFile()) expect(await readFile(join(f.parentPath, f.name), 'utf8')).not.toContain(password);
        }
      }
    });

    it('a killed replica pod comes back and re-syncs, including writes made while it was gone', async () => {
      const before = (await info('redis-k8s/2'))['run_id'];
      await sim.cli(['kill-pod', 'redis-k8s/2', '--wait', '--timeout', '90s']);
      await set('redis-k8s/0', 'e2e:after-kill', 'still here');
      const after = await until('redis-k8s/2 to re-sync', async () => {
        const i = await info('redis-k8s/2');
        return i['master_link_status'] === 'up' ? i : undefined;
      });
      expect(after['run_id']).not.toBe(before);
      expect(after).toMatchObject({ role: 'slave', master_host: address['redis-k8s/0'] });
      expect(
        await until(
          'the new key on the re-synced replica',
          async () => (await get('redis-k8s/2', 'e2e:after-kill')) ?? undefined,
        ),
      ).toBe('still here');
      expect(await get('redis-k8s/2', 'e2e:greeting')).toBe('hello');
      expect(
        await until('two connected replicas again', async () =>
          (await info('redis-k8s/0'))['connected_slaves'] === '2' ? true : undefined,
        ),
      ).toBe(true);
      expect((await sim.status()).applications['redis-k8s']?.units['redis-k8s/2']?.['workload-status']).toEqual({
        current: 'active',
        message: 'replica of redis-k8s/0',
      });
    });

    it('a maxmemory change is applied live on every unit: same run_id, new limit', async () => {
      const runIds = Object.fromEntries(
        await Promise.all(UNITS.map(async (u) => [u, (await info(u))['run_id']] as const)),
      );
      await sim.cli(['config', 'redis-k8s', 'maxmemory=64mb']);
      await sim.cli(['wait', '--timeout', '60s']);
      for (const unit of UNITS) {
        const i = await info(unit);
        expect(i['maxmemory']).toBe(String(64 * 1024 * 1024));
        expect(i['run_id']).toBe(runIds[unit]);
      }
    });

    it('removing the primary unit (no sentinel related): it hands over to the first caught-up replica, the other follows, data stays', async () => {
      await sim.cli(['remove-unit', 'redis-k8s/0', '--wait', '--timeout', '90s']);
      await sim.cli(['wait', '--timeout', '60s']);
      const units = (await sim.status()).applications['redis-k8s']?.units ?? {};
      // caught up with writes paused, both replicas hold every write: the leaving leader takes the unit order
      const successor = 'redis-k8s/1';
      const other = 'redis-k8s/2';
      expect(Object.keys(units).sort()).toEqual(['redis-k8s/1', 'redis-k8s/2']);
      expect(units[successor]?.['workload-status']).toEqual({ current: 'active', message: 'primary' });
      expect(units[other]?.['workload-status']).toEqual({ current: 'active', message: `replica of ${successor}` });
      expect(await info(successor)).toMatchObject({ role: 'master', connected_slaves: '1' });
      expect(
        await until('the replica to follow the new primary', async () => {
          const i = await info(other);
          return i['master_host'] === address[successor] && i['master_link_status'] === 'up' ? i : undefined;
        }),
      ).toMatchObject({ role: 'slave' });
      expect(await get(other, 'e2e:after-kill')).toBe('still here');
    });
  },
);
