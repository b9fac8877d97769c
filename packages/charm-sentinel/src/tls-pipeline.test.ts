import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCharmDocs } from '@charms/charm-sdk/pack';
import {
  modelState,
  relationState,
  runEvent,
  startTestContainers,
  type ModelState,
  makeTestCerts,
  type TestContainers,
} from '@charms/charm-sdk/testing';
import type { CharmMeta } from '@charms/charm-sdk';
import type { PebbleClient } from '@charms/pebble-client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSentinelCharm } from './definition.js';
import { pathsUnder } from './paths.js';
import { ioredisConnector, withSentinel } from './sentinel-client.js';
import { makeCerts, type TestCerts } from './testing/certs.js';
import { loopbackPrefix, startRedis, until, waitReplicaLinked, type RedisProcess } from './testing/redis-processes.js';

const PACKAGE = resolve(new URL('..', import.meta.url).pathname);
const PEBBLE_BIN = process.env['PEBBLE_BIN'] ?? resolve(PACKAGE, '../../tools/bin/pebble');
const available = existsSync(PEBBLE_BIN) && existsSync('/usr/bin/redis-server') && existsSync('/usr/bin/openssl');
const PASSWORD = 'redis-tls-password';
const SENTINEL_PASSWORD = 'sentinel-tls-password';

describe.skipIf(!available)('TLS: the charm against real Pebble, TLS-only redis-servers and sentinel', () => {
  const net = loopbackPrefix();
  const sentinelHost = `${net}10`;
  let dir: string;
  let charmDir: string;
  let meta: CharmMeta;
  let certs: TestCerts;
  let containers: TestContainers;
  let pebble: PebbleClient;
  let primary: RedisProcess;
  let replica: RedisProcess;
  let state: ModelState;
  const paths = () => pathsUnder(join(dir, 'sentinel'), PEBBLE_BIN);

  const step = async (event: string) => {
    const r = await runEvent(createSentinelCharm({ paths: paths() }), {
      event,
      state,
      meta,
      charmDir,
      containersRoot: containers.root,
    });
    expect(r.run.error?.message ?? null).toBeNull();
    state = r.state;
    return r;
  };
  const overTls = <T>(fn: Parameters<typeof withSentinel<T>>[3]) =>
    withSentinel(
      ioredisConnector,
      { host: sentinelHost, port: 26379, password: SENTINEL_PASSWORD, tls: { ca: certs.caPem } },
      5000,
      fn,
    );
  const plaintextPing = async (host: string, port: number): Promise<string> => {
    const c = new Redis({
      host,
      port,
      password: port === 6379 ? PASSWORD : SENTINEL_PASSWORD,
      lazyConnect: true,
      connectTimeout: 2000,
      commandTimeout: 2000,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      protocol: 2,
    });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return await c.ping();
    } finally {
      c.disconnect();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'charm-sentinel-tls-'));
    charmDir = join(dir, 'charm');
    meta = (await readCharmDocs(PACKAGE)).meta;
    certs = await makeCerts();
    const tls = { cert: certs.redisCert, key: certs.redisKey, ca: certs.ca, caPem: certs.caPem };
    primary = await startRedis(dir, `${net}1`, PASSWORD, undefined, tls);
    replica = await startRedis(dir, `${net}2`, PASSWORD, { host: primary.host, port: 6379 }, tls);
    await waitReplicaLinked(replica);
    containers = await startTestContainers(['sentinel']);
    pebble = (containers.daemons['sentinel'] as NonNullable<TestContainers['daemons'][string]>).client();
    state = modelState({
      unit: 'redis-sentinel-k8s/0',
      leader: true,
      config: { 'down-after-milliseconds': 5000, 'failover-timeout': 30000, 'parallel-syncs': 1 },
      addresses: { 'sentinel-peers': sentinelHost },
      relations: [
        relationState({ endpoint: 'sentinel-peers', id: 1, remoteApp: 'redis-sentinel-k8s', peer: true }),
        relationState({
          endpoint: 'redis',
          id: 3,
          remoteApp: 'redis-k8s',
          remoteUnits: ['redis-k8s/0', 'redis-k8s/1'],
          remoteAppData: {
            'master-name': 'redis-k8s',
            primary: 'redis-k8s/0',
            'primary-address': primary.host,
            port: '6379',
            'secret-id': 'secret:cred1000000000000000',
            units: JSON.stringify([
              { unit: 'redis-k8s/0', address: primary.host },
              { unit: 'redis-k8s/1', address: replica.host },
            ]),
            tls: 'true',
            'tls-ca': certs.caPem,
          },
        }),
      ],
      secrets: [
        {
          id: 'secret:cred1000000000000000',
          owner: 'remote',
          revision: 1,
          content: { password: PASSWORD, 'sentinel-password': SENTINEL_PASSWORD },
          grants: {},
        },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await pebble?.close();
    await containers?.stop();
    await Promise.all([primary?.stop(), replica?.stop()]);
    await certs?.remove();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('blocks, naming both resources, while its certificate is not attached; nothing runs', async () => {
    await step('redis-relation-changed');
    expect(state.unitStatus).toEqual({
      status: 'blocked',
      message:
        "redis-k8s serves TLS; attach this charm's certificate (signed by its CA): juju attach-resource redis-sentinel-k8s cert-file=<file> key-file=<file>",
    });
    expect(await pebble.getServices()).toEqual([]);
  });

  it('blocks, naming the file and why, on a stray key or a certificate another CA signed; nothing runs', async () => {
    const stray = await makeTestCerts([sentinelHost]);
    try {
      const cases: Array<[Record<string, string>, string]> = [
        [
          { 'cert-file': certs.sentinelCert, 'key-file': stray.otherKey },
          "key-file does not match the certificate's public key: juju attach-resource redis-sentinel-k8s key-file=<file>",
        ],
        [
          { 'cert-file': stray.cert, 'key-file': stray.key },
          'cert-file is not signed by the CA certificate: juju attach-resource redis-sentinel-k8s cert-file=<file>',
        ],
      ];
      for (const [resources, why] of cases) {
        state = { ...state, resources };
        await step('upgrade-charm');
        expect(state.unitStatus).toEqual({ status: 'blocked', message: `redis-k8s serves TLS but ${why}` });
        expect(await pebble.getServices()).toEqual([]);
      }
    } finally {
      await stray.remove();
    }
  });

  it('serves TLS only (plaintext refused), monitors the TLS master and its replica, files 0600, no key in the log', async () => {
    state = { ...state, resources: { 'cert-file': certs.sentinelCert, 'key-file': certs.sentinelKey } };
    await step('upgrade-charm');
    expect(state.unitStatus).toEqual({ status: 'active', message: 'monitoring redis-k8s (1 sentinel, quorum 1)' });
    const p = paths();
    const conf = await readFile(p.confFile, 'utf8');
    expect(conf).toMatch(/\nport 0\ntls-port 26379\n/);
    expect(conf).toContain('tls-replication yes');
    expect((await stat(p.tlsDir)).mode & 0o777).toBe(0o700);
    for (const f of [p.confFile, ...['sentinel.crt', 'sentinel.key', 'ca.crt'].map((n) => join(p.tlsDir, n))])
      expect((await stat(f)).mode & 0o777, f).toBe(0o600);
    expect(await readFile(join(p.tlsDir, 'sentinel.key'), 'utf8')).toBe(await readFile(certs.sentinelKey, 'utf8'));
    expect(JSON.stringify(await pebble.getPlan())).toContain('--sentinel');

    const master = await until(
      'sentinel to see the TLS master healthy with its TLS replica',
      () =>
        overTls(async (s) => s.master('redis-k8s')).then((m) =>
          m.numSlaves === 1 && m.flags.join() === 'master' ? m : undefined,
        ),
      20_000,
    );
    expect(master).toMatchObject({ ip: primary.host, port: 6379 });
    await expect(plaintextPing(sentinelHost, 26379)).rejects.toThrow();
    await expect(plaintextPing(primary.host, 6379)).rejects.toThrow();

    const log = (
      await Promise.all(
        (await readdir(join(charmDir, '.event-log')))
          .filter((f) => f.endsWith('.jsonl'))
          .map((f) => readFile(join(charmDir, '.event-log', f), 'utf8')),
      )
    ).join('');
    expect(log).not.toContain('PRIVATE KEY');
    expect(log).not.toContain(PASSWORD);
  });

  it('get-primary asks over TLS', async () => {
    const r = await runEvent(createSentinelCharm({ paths: paths() }), {
      event: { name: 'get-primary', action: true },
      state: { ...state, action: { params: {}, results: {}, logs: [] } },
      meta,
      charmDir,
      containersRoot: containers.root,
    });
    expect(r.state.action?.failure).toBeUndefined();
    expect(r.state.action?.results['primary']).toBe(`${primary.host}:6379`);
  });

  it('fails over over TLS: SENTINEL FAILOVER promotes the replica, the old primary replicates it over TLS', async () => {
    const t0 = Date.now();
    const c = new Redis({
      host: sentinelHost,
      port: 26379,
      password: SENTINEL_PASSWORD,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      protocol: 2,
      tls: { ca: certs.caPem, checkServerIdentity: () => undefined },
    });
    c.on('error', () => undefined);
    try {
      await c.connect();
      expect(await c.call('SENTINEL', 'FAILOVER', 'redis-k8s')).toBe('OK');
    } finally {
      c.disconnect();
    }
    await until(
      'sentinel to name the replica as the master',
      () => overTls((s) => s.masterAddress('redis-k8s')).then((a) => (a?.host === replica.host ? a : undefined)),
      30_000,
    );
    const switched = Date.now() - t0;
    await until(
      'the old primary to replicate the new one over TLS',
      async () => {
        const old = primary.client();
        try {
          await old.connect();
          const info = await old.info('replication');
          return info.includes(`master_host:${replica.host}`) && info.includes('master_link_status:up')
            ? true
            : undefined;
        } finally {
          old.disconnect();
        }
      },
      30_000,
    );
    console.log(
      `charm-sentinel TLS failover (SENTINEL FAILOVER, one sentinel): switched ${switched} ms, old primary replicating ${Date.now() - t0} ms`,
    );
  }, 70_000);
});
