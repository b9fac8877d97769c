import { describe, expect, it } from 'vitest';
import { fenceSentinels, plan } from './plan.js';
import { DIGEST_ENV, SERVICE } from './paths.js';
import { describeConf } from './redis-conf.js';
import { redisState } from './testing/states.js';

const digestOf = (d: ReturnType<typeof plan>) =>
  (d.workload?.layer.services?.[SERVICE] as { environment: Record<string, string> }).environment[DIGEST_ENV];

describe('plan', () => {
  it('the leader runs the primary: no replicaof, secrets only as slots, active "primary"', () => {
    const d = plan(redisState());
    expect(d.unitStatus).toEqual({ status: 'active', message: 'primary' });
    expect(d.workload?.role).toEqual({ kind: 'primary' });
    const conf = describeConf(d.workload?.conf ?? []);
    expect(conf).toContain('bind 127.1.0.1');
    expect(conf).toContain('requirepass <secret:password>');
    expect(conf).not.toContain('replicaof');
    expect(d.workload?.layer.services?.[SERVICE]).toMatchObject({
      command: expect.stringMatching(
        /^\/bin\/sh -c 'umask 077 && .*\/charm\/bin\/pebble notify canonical.com\/redis\/server-started .*; exec redis-server \/etc\/redis\/redis.conf --min-replicas-to-write 1000000'$/,
      ),
      user: 'redis',
      startup: 'enabled',
    });
    expect(d.ports).toEqual([{ protocol: 'tcp', port: 6379 }]);
  });

  it('a replica replicates the primary address and says whose replica it is', () => {
    const d = plan(
      redisState({
        unit: 'redis-k8s/1',
        leader: false,
        address: '127.1.0.2',
        peers: {
          relationId: 1,
          units: { 'redis-k8s/0': '127.1.0.1' },
          app: { primary: 'redis-k8s/0', primaryAddress: '127.1.0.1', secretId: 'secret:admin' },
        },
      }),
    );
    expect(d.unitStatus).toEqual({ status: 'active', message: 'replica of redis-k8s/0' });
    expect(describeConf(d.workload?.conf ?? [])).toContain('replicaof 127.1.0.1 6379');
    expect(d.relationData.filter((w) => w.app)).toEqual([]);
  });

  it('the leader publishes the primary on the peer bag and the sentinel contract on the sentinel bag', () => {
    const d = plan(
      redisState({
        sentinels: [
          {
            relationId: 7,
            app: 'redis-sentinel-k8s',
            units: ['redis-sentinel-k8s/0'],
            addresses: { 'redis-sentinel-k8s/0': '127.2.0.1' },
          },
        ],
        clients: [{ relationId: 9, app: 'webapp' }],
      }),
    );
    const app = Object.fromEntries(d.relationData.filter((w) => w.app).map((w) => [w.endpoint, w]));
    expect(app['redis-peers']).toMatchObject({
      data: { primary: 'redis-k8s/0', 'primary-address': '127.1.0.1', 'failover-epoch': '0' },
      withSecretId: true,
    });
    expect(app['sentinel']?.data).toEqual({
      'master-name': 'redis-k8s',
      primary: 'redis-k8s/0',
      'primary-address': '127.1.0.1',
      port: '6379',
      tls: 'false',
      'tls-ca': '',
      units: JSON.stringify([
        { unit: 'redis-k8s/0', address: '127.1.0.1' },
        { unit: 'redis-k8s/1', address: '127.1.0.2' },
        { unit: 'redis-k8s/2', address: '127.1.0.3' },
      ]),
    });
    expect(app['sentinel']?.withSecretId).toBe(true);
    expect(app['redis']?.data).toEqual({
      'leader-host': '127.1.0.1',
      port: '6379',
      tls: 'false',
      endpoints: '127.1.0.1:6379',
      'read-only-endpoints': '127.1.0.2:6379,127.1.0.3:6379',
      'sentinel-endpoints': '127.2.0.1:26379',
      'master-name': 'redis-k8s',
      'tls-ca': '',
    });
    expect(app['redis']?.withSecretId).toBe(true);
    expect(d.workload?.replicaOfLive).toBe(false);
  });

  it('a sentinel failover rewrites the config of the old primary to replicate the new one, without a restart', () => {
    const before = plan(redisState());
    const after = plan(
      redisState({
        sentinels: [{ relationId: 7, app: 's', units: [], primaryAddress: '127.1.0.2', failoverEpoch: 1 }],
      }),
    );
    expect(after.unitStatus?.message).toBe('replica of redis-k8s/1');
    expect(describeConf(after.workload?.conf ?? [])).toContain('replicaof 127.1.0.2 6379');
    expect(digestOf(after)).toBe(digestOf(before));
    const peerApp = after.relationData.find((w) => w.app && w.endpoint === 'redis-peers');
    expect(peerApp?.data).toMatchObject({ primary: 'redis-k8s/1', 'failover-epoch': '1', 'failover-source': '7' });
  });

  it('live settings do not change the layer; enable-tls does', () => {
    const base = plan(redisState());
    const live = plan(
      redisState({
        config: { 'enable-tls': false, maxmemory: '64mb', 'maxmemory-policy': 'allkeys-lru', loglevel: 'warning' },
      }),
    );
    expect(digestOf(live)).toBe(digestOf(base));
    expect(describeConf(live.workload?.conf ?? [])).toContain(`maxmemory ${64 * 1024 * 1024}`);
    const tls = {
      'cert-file': { attached: true, sha256: 'a' },
      'key-file': { attached: true, sha256: 'b' },
      'ca-cert-file': { attached: true, sha256: 'c' },
    };
    const withTls = plan(
      redisState({
        config: { 'enable-tls': true, maxmemory: '0', 'maxmemory-policy': 'noeviction', loglevel: 'notice' },
        tls,
      }),
    );
    expect(digestOf(withTls)).not.toBe(digestOf(base));
    expect(describeConf(withTls.workload?.conf ?? [])).toMatch(
      /port 0\ntls-port 6379\ntls-cert-file \/etc\/redis\/tls\/redis.crt/,
    );
    const newCert = plan(
      redisState({
        config: withTls.workload
          ? { 'enable-tls': true, maxmemory: '0', 'maxmemory-policy': 'noeviction', loglevel: 'notice' }
          : {},
        tls: { ...tls, 'cert-file': { attached: true, sha256: 'z' } },
      }),
    );
    expect(digestOf(newCert)).not.toBe(digestOf(withTls));
  });

  it('with enable-tls the sentinel bag carries the CA certificate as tls-ca (never the key)', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const d = plan(
      redisState({
        config: { 'enable-tls': true, maxmemory: '0', 'maxmemory-policy': 'noeviction', loglevel: 'notice' },
        tls: {
          'cert-file': { attached: true, sha256: 'a' },
          'key-file': { attached: true, sha256: 'b' },
          'ca-cert-file': { attached: true, sha256: 'c', pem },
        },
        sentinels: [{ relationId: 7, app: 'redis-sentinel-k8s', units: ['redis-sentinel-k8s/0'] }],
      }),
    );
    const bag = d.relationData.find((w) => w.app && w.endpoint === 'sentinel')?.data;
    expect(bag).toMatchObject({ tls: 'true', 'tls-ca': pem });
    expect(JSON.stringify(d.relationData)).not.toContain('PRIVATE KEY');
  });

  it('blocked on invalid config, naming the option; blocked on missing TLS resources, naming them', () => {
    const bad = plan(
      redisState({
        config: { 'enable-tls': false, maxmemory: '0', 'maxmemory-policy': 'sometimes', loglevel: 'notice' },
      }),
    );
    expect(bad.unitStatus?.status).toBe('blocked');
    expect(bad.unitStatus?.message).toMatch(/^invalid config: option "maxmemory-policy" must be one of/);
    expect(bad.workload).toBeNull();
    const tls = plan(
      redisState({
        config: { 'enable-tls': true, maxmemory: '0', 'maxmemory-policy': 'noeviction', loglevel: 'notice' },
        tls: {
          'cert-file': { attached: true, sha256: 'a' },
          'key-file': { attached: false },
          'ca-cert-file': { attached: false },
        },
      }),
    );
    expect(tls.unitStatus).toEqual({
      status: 'blocked',
      message:
        'enable-tls is set but key-file, ca-cert-file are not attached: juju attach-resource redis-k8s key-file=<file> ca-cert-file=<file>',
    });
  });

  it('waits for the address, the peer relation, the primary and the password, in that order', () => {
    expect(plan(redisState({ address: null })).unitStatus).toEqual({
      status: 'waiting',
      message: 'waiting for the pod address',
    });
    expect(plan(redisState({ peers: null })).unitStatus?.message).toBe('waiting for the peer relation redis-peers');
    const follower = { unit: 'redis-k8s/1', leader: false, address: '127.1.0.2' };
    expect(plan(redisState({ ...follower, peers: { relationId: 1, units: {}, app: {} } })).unitStatus?.message).toBe(
      'waiting for the leader to publish the primary',
    );
    expect(
      plan(
        redisState({
          ...follower,
          peers: { relationId: 1, units: {}, app: { primary: 'redis-k8s/0', primaryAddress: '127.1.0.1' } },
        }),
      ).unitStatus?.message,
    ).toBe('waiting for the leader to create the admin password');
  });

  it('asks the leader to create the secret only when no id is known', () => {
    const fresh = redisState({ peers: { relationId: 1, units: {}, app: {} } });
    expect(plan(fresh).createSecret).toBe(true);
    expect(plan({ ...fresh, createdSecretId: 'secret:x' }).createSecret).toBe(false);
    expect(plan(redisState()).createSecret).toBe(false);
  });

  it('asks the leader to check a secret it created until the peer bag publishes it', () => {
    const created = redisState({
      leader: true,
      peers: { relationId: 1, units: {}, app: {} },
      createdSecretId: 'secret:x',
    });
    expect(plan(created).secretUnconfirmed).toBe(true);
    expect(plan({ ...created, leader: false }).secretUnconfirmed).toBe(false);
    expect(
      plan({ ...created, peers: { relationId: 1, units: {}, app: { secretId: 'secret:x' } } }).secretUnconfirmed,
    ).toBe(false);
  });

  it('uses the paths it was created with', () => {
    const d = plan(redisState(), {
      conf: '/tmp/x/redis.conf',
      dataDir: '/tmp/x/data',
      tlsDir: '/tmp/x/tls',
      pebbleBin: '/tmp/x/pebble',
    });
    const command = d.workload?.layer.services?.[SERVICE]?.command;
    expect(command).toContain('/tmp/x/pebble notify canonical.com/redis/server-started');
    expect(command).toContain('exec redis-server /tmp/x/redis.conf --min-replicas-to-write 1000000');
    expect(describeConf(d.workload?.conf ?? [])).toContain('dir /tmp/x/data');
  });
});

describe('fenceSentinels', () => {
  it('asks every sentinel unit by relation, drops addresses that are no IP or host name, keeps unknown ones', () => {
    const state = redisState({
      sentinels: [
        {
          relationId: 7,
          app: 'redis-sentinel-k8s',
          units: ['redis-sentinel-k8s/0', 'redis-sentinel-k8s/1'],
          addresses: { 'redis-sentinel-k8s/0': '127.2.0.1', 'redis-sentinel-k8s/1': null },
        },
        {
          relationId: 9,
          app: 'redis-hostile',
          units: ['redis-hostile/0', 'redis-hostile/1'],
          addresses: { 'redis-hostile/0': 'not-an-ip\nslaveof 127.0.0.1 1', 'redis-hostile/1': '127.3.0.1' },
        },
      ],
    });
    expect(fenceSentinels(state)).toEqual([
      { relationId: 7, address: '127.2.0.1' },
      { relationId: 7, address: null },
      { relationId: 9, address: '127.3.0.1' },
    ]);
    expect(plan(state).workload?.sentinelFence?.sentinels).toEqual(fenceSentinels(state));
  });
});
