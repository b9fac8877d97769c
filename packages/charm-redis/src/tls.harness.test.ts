import { readFile } from 'node:fs/promises';
import type { CharmMeta } from '@charms/charm-sdk';
import { runEvent, type ModelState } from '@charms/charm-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCerts, type TestCerts } from '@charms/charm-sdk/testing';
import {
  charmMeta,
  client,
  loopbackNet,
  peerRelation,
  startHarnessUnit,
  unitState,
  until,
  type HarnessUnit,
} from './testing/harness-unit.js';

const TLS_CONFIG = { 'enable-tls': true, maxmemory: '0', 'maxmemory-policy': 'noeviction', loglevel: 'notice' };

describe('TLS from the cert-file, key-file and ca-cert-file resources (harness, real Pebble and redis-server)', () => {
  const net = loopbackNet();
  let meta: CharmMeta;
  let certs: TestCerts;
  let u0: HarnessUnit;
  let u1: HarnessUnit;
  let leader: ModelState;
  let password = '';

  const run = (unit: HarnessUnit, event: string, state: ModelState) =>
    runEvent(unit.charm, { event, state, meta, charmDir: unit.charmDir, containersRoot: unit.containers.root });
  const tlsClient = async (address: string) => {
    const c = client(address, password, {
      tls: { ca: await readFile(certs.ca, 'utf8'), checkServerIdentity: () => undefined },
    });
    await c.connect();
    return c;
  };

  beforeAll(async () => {
    meta = await charmMeta();
    [certs, u0, u1] = await Promise.all([
      makeTestCerts([`${net}.1`, `${net}.2`]),
      startHarnessUnit('redis-k8s/0', `${net}.1`),
      startHarnessUnit('redis-k8s/1', `${net}.2`),
    ]);
  });
  afterAll(async () => {
    await Promise.all([u0?.stop(), u1?.stop(), certs?.remove()]);
  });

  it('blocks, naming the resources to attach, while enable-tls is set without them; nothing starts', async () => {
    const state = unitState(u0, {
      leader: true,
      config: TLS_CONFIG,
      relations: [peerRelation('redis-k8s/0', { 'redis-k8s/1': u1.address })],
      resources: { 'cert-file': certs.cert },
    });
    const r = await run(u0, 'redis-pebble-ready', state);
    expect(r.run.exitCode).toBe(0);
    expect(r.state.unitStatus).toEqual({
      status: 'blocked',
      message:
        'enable-tls is set but key-file, ca-cert-file are not attached: juju attach-resource redis-k8s key-file=<file> ca-cert-file=<file>',
    });
    expect(await u0.pebble().getServices()).toEqual([]);
    leader = r.state;
  });

  it('serves TLS only on 6379 once the resources are attached, and replicates over TLS', async () => {
    const resources = { 'cert-file': certs.cert, 'key-file': certs.key, 'ca-cert-file': certs.ca };
    const r0 = await run(u0, 'upgrade-charm', { ...leader, resources });
    expect(r0.stderr).toBe('');
    expect(r0.state.unitStatus).toEqual({ status: 'active', message: 'primary' });
    password = r0.state.secrets[0]?.content['password'] ?? '';
    expect(await readFile(u0.paths.conf, 'utf8')).toMatch(/\nport 0\ntls-port 6379\n/);
    const tlsKey = await readFile(`${u0.paths.tlsDir}/redis.key`, 'utf8');
    expect(tlsKey).toBe(await readFile(certs.key, 'utf8'));
    expect(r0.state.relations[0]?.localAppData['primary']).toBe('redis-k8s/0');

    const peer = peerRelation('redis-k8s/1', { 'redis-k8s/0': u0.address }, r0.state.relations[0]?.localAppData);
    const r1 = await run(
      u1,
      'redis-peers-relation-changed',
      unitState(u1, { config: TLS_CONFIG, relations: [peer], secrets: r0.state.secrets, resources }),
    );
    expect(r1.stderr).toBe('');
    expect(r1.state.unitStatus).toEqual({ status: 'active', message: 'replica of redis-k8s/0' });

    const primary = await tlsClient(u0.address);
    expect((await primary.call('role')) as unknown[]).toContain('master');
    await primary.set('over-tls', 'yes');
    primary.disconnect();
    const replica = await tlsClient(u1.address);
    expect(await until('the key on the TLS replica', async () => (await replica.get('over-tls')) ?? undefined)).toBe(
      'yes',
    );
    replica.disconnect();

    const plain = client(u0.address, password);
    await expect(plain.connect()).rejects.toThrow();
    plain.disconnect();
  });
  it('keeps serving its old files, blocked and naming the file, when a garbage, expired or stray file is attached', async () => {
    const bad: TestCerts = await makeTestCerts([u0.address]);
    try {
      const good = { 'cert-file': certs.cert, 'key-file': certs.key, 'ca-cert-file': certs.ca };
      const before = await readFile(`${u0.paths.tlsDir}/redis.crt`, 'utf8');
      const c0 = await tlsClient(u0.address);
      const runId = /run_id:(\w+)/.exec(await c0.info('server'))?.[1];
      const cases: Array<[Record<string, string>, string]> = [
        [{ 'key-file': bad.otherKey }, "key-file does not match the certificate's public key"],
        [{ 'cert-file': bad.expired, 'key-file': bad.key }, 'cert-file expired on 2020-01-02T00:00:00.000Z'],
        [{ 'ca-cert-file': bad.garbage }, 'ca-cert-file is not a PEM certificate (no BEGIN CERTIFICATE block)'],
        [{ 'ca-cert-file': bad.ca }, 'cert-file is not signed by the CA certificate'],
      ];
      for (const [swap, why] of cases) {
        const r = await run(u0, 'upgrade-charm', { ...leader, resources: { ...good, ...swap } });
        const files = [why.split(' ')[0] as string].map((k) => `${k}=<file>`);
        expect(r.state.unitStatus).toEqual({
          status: 'blocked',
          message: `enable-tls is set but ${why}: juju attach-resource redis-k8s ${files.join(' ')}`,
        });
        expect(await readFile(`${u0.paths.tlsDir}/redis.crt`, 'utf8')).toBe(before);
        expect(/run_id:(\w+)/.exec(await c0.info('server'))?.[1]).toBe(runId);
      }
      const fixed = await run(u0, 'upgrade-charm', { ...leader, resources: good });
      expect(fixed.state.unitStatus).toEqual({ status: 'active', message: 'primary' });
      c0.disconnect();
    } finally {
      await bad.remove();
    }
  });
});
