import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plan } from './plan.js';
import { parseRedisAppBag } from './relation-data.js';
import { baseHash, renderSentinelConf } from './sentinel-conf.js';
import { makeCerts, type TestCerts } from './testing/certs.js';
import { fold, observed, redisBag } from './testing/fixtures.js';
import { CaBundle, sha256 } from './tls.js';

const SECRETS = { password: 'redis-password-1', sentinelPassword: 'sentinel-password-1' };
const ATTACHED = { 'cert-file': { attached: true, sha256: 'c1' }, 'key-file': { attached: true, sha256: 'k1' } };

describe('TLS towards redis-k8s and for sentinel itself (pure)', () => {
  let certs: TestCerts;
  const tlsRedis = (overrides: Record<string, string> = {}) => ({
    id: 3,
    joined: true,
    app: 'redis-k8s',
    units: ['redis-k8s/0'],
    appData: redisBag({ tls: 'true', 'tls-ca': certs.caPem, ...overrides }),
    published: null,
  });

  beforeAll(async () => {
    certs = await makeCerts();
  });
  afterAll(async () => {
    await certs?.remove();
  });

  it('accepts one or more PEM certificates as tls-ca; refuses a private key, junk and broken certificates', async () => {
    expect(CaBundle.parse(certs.caPem)).toBe(certs.caPem.replace(/\r\n/g, '\n').trimEnd() + '\n');
    const two = `${certs.caPem}\n${await readFile(certs.redisCert, 'utf8')}`;
    expect(CaBundle.parse(two).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const key = await readFile(certs.redisKey, 'utf8');
    const messages = (raw: Record<string, string>) => {
      const r = parseRedisAppBag(redisBag({ tls: 'true', ...raw }));
      return r.ok ? [] : r.reason === 'invalid' ? r.problems : r.missing;
    };
    expect(messages({ 'tls-ca': `${certs.caPem}${key}` })).toEqual([
      '"tls-ca" holds a private key; it must carry CA certificates only',
    ]);
    expect(messages({ 'tls-ca': 'not a certificate' })).toEqual([
      '"tls-ca" must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)',
    ]);
    const broken = certs.caPem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    expect(messages({ 'tls-ca': broken })[0]).toMatch(/"tls-ca" certificate 1 of 1 is not a valid X.509 certificate/);
    // an empty value is a deleted key (redis-k8s clears it when TLS goes off)
    expect(parseRedisAppBag(redisBag({ tls: 'false', 'tls-ca': '' })).ok).toBe(true);
  });

  it('waits for tls-ca, then blocks naming the resources to attach; active once both are attached', () => {
    const noCa = plan(fold([observed({ redis: { ...tlsRedis(), appData: redisBag({ tls: 'true' }) } })]));
    expect(noCa.unitStatus).toEqual({
      status: 'waiting',
      message: 'waiting for redis-k8s to publish tls-ca (it serves TLS)',
    });
    const noKey = plan(
      fold([
        observed({ redis: tlsRedis(), tls: { 'cert-file': ATTACHED['cert-file'], 'key-file': { attached: false } } }),
      ]),
    );
    expect(noKey.unitStatus).toEqual({
      status: 'blocked',
      message:
        "redis-k8s serves TLS; attach this charm's certificate (signed by its CA): juju attach-resource redis-sentinel-k8s key-file=<file>",
    });
    expect(noKey.workload).toBeUndefined();
    expect(noKey.stop).toBeUndefined();
    const ok = plan(fold([observed({ redis: tlsRedis(), tls: ATTACHED })]));
    expect(ok.unitStatus?.status).toBe('active');
  });

  it('renders port 0, tls-port, tls-replication and the three files; the files and the CA feed the base hash', () => {
    const d = plan(fold([observed({ redis: tlsRedis(), tls: ATTACHED })]));
    const w = d.workload;
    expect(w?.tls).toEqual({
      resources: [
        { resource: 'cert-file', path: '/etc/redis-sentinel/tls/sentinel.crt' },
        { resource: 'key-file', path: '/etc/redis-sentinel/tls/sentinel.key' },
      ],
      ca: { path: '/etc/redis-sentinel/tls/ca.crt', content: CaBundle.parse(certs.caPem) },
    });
    expect(w?.endpoint.tls?.ca).toBe(CaBundle.parse(certs.caPem));
    const conf = renderSentinelConf(w?.conf ?? (undefined as never), SECRETS);
    expect(conf).toContain(
      [
        'port 0',
        'tls-port 26379',
        'tls-cert-file "/etc/redis-sentinel/tls/sentinel.crt"',
        'tls-key-file "/etc/redis-sentinel/tls/sentinel.key"',
        'tls-ca-cert-file "/etc/redis-sentinel/tls/ca.crt"',
        'tls-auth-clients optional',
        'tls-replication yes',
      ].join('\n'),
    );
    expect(conf).not.toMatch(/^port 26379$/m);
    expect(conf).not.toContain('BEGIN');
    expect(w?.conf.base.tls?.caSha256).toBe(sha256(CaBundle.parse(certs.caPem)));

    const rotated = plan(
      fold([observed({ redis: tlsRedis(), tls: { ...ATTACHED, 'key-file': { attached: true, sha256: 'k2' } } })]),
    );
    expect(rotated.workload?.hash).not.toBe(w?.hash);
    const plain = plan(fold([observed()]));
    expect(plain.workload?.tls).toBeUndefined();
    expect(plain.workload?.endpoint.tls).toBeUndefined();
    expect(renderSentinelConf(plain.workload?.conf ?? (undefined as never), SECRETS)).toMatch(/^port 26379$/m);
    // a base without TLS hashes as before TLS existed: no restart on upgrade for that reason
    const { tls: _none, ...withoutKey } = plain.workload?.conf.base ?? (undefined as never);
    expect(baseHash(withoutKey)).toBe(plain.workload?.hash);
  });

  it('runs sentinel as redis-server --sentinel (the image need not ship redis-sentinel)', () => {
    const d = plan(fold([observed()]));
    expect(d.workload?.layer.services?.['sentinel']).toMatchObject({
      command: "/bin/sh -c 'umask 077 && exec redis-server /etc/redis-sentinel/sentinel.conf --sentinel'",
    });
  });
});
