import { describe, expect, it } from 'vitest';
import { clientAppData } from './client-keys.js';
import { redisState } from './testing/states.js';
import type { Primary } from './topology.js';

const units = [
  { unit: 'redis-k8s/10', address: '127.1.0.9' },
  { unit: 'redis-k8s/2', address: '127.1.0.3' },
  { unit: 'redis-k8s/0', address: '127.1.0.1' },
];
const primary = (unit: string, address: string): Primary => ({
  unit,
  address,
  epoch: 0,
  failoverSource: null,
  source: 'peer-data',
});

describe('clientAppData', () => {
  it('without a sentinel: endpoints and read-only-endpoints only, sentinel keys removed', () => {
    const data = clientAppData(redisState(), primary('redis-k8s/0', '127.1.0.1'), units, false);
    expect(data).toEqual({
      port: '6379',
      tls: 'false',
      'leader-host': '127.1.0.1',
      endpoints: '127.1.0.1:6379',
      // unit order, numeric: /2 before /10
      'read-only-endpoints': '127.1.0.3:6379,127.1.0.9:6379',
      'sentinel-endpoints': '',
      'master-name': '',
      'tls-ca': '',
    });
  });

  it('after a failover the new primary is the endpoint and leaves the read-only list', () => {
    const data = clientAppData(redisState(), primary('redis-k8s/2', '127.1.0.3'), units, false);
    expect(data['endpoints']).toBe('127.1.0.3:6379');
    expect(data['leader-host']).toBe('127.1.0.3');
    expect(data['read-only-endpoints']).toBe('127.1.0.1:6379,127.1.0.9:6379');
  });

  it('with sentinels: their endpoints (units without an address yet left out) and the master name; TLS adds the CA', () => {
    const state = redisState({
      sentinels: [
        {
          relationId: 7,
          app: 'redis-sentinel-k8s',
          units: ['redis-sentinel-k8s/1', 'redis-sentinel-k8s/0', 'redis-sentinel-k8s/2'],
          addresses: {
            'redis-sentinel-k8s/1': '127.2.0.2',
            'redis-sentinel-k8s/0': '127.2.0.1',
            'redis-sentinel-k8s/2': null,
          },
        },
      ],
      tls: {
        'cert-file': { attached: true, sha256: 'a' },
        'key-file': { attached: true, sha256: 'b' },
        'ca-cert-file': {
          attached: true,
          sha256: 'c',
          pem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
        },
      },
    });
    const data = clientAppData(state, primary('redis-k8s/0', '127.1.0.1'), units, true);
    expect(data['sentinel-endpoints']).toBe('127.2.0.1:26379,127.2.0.2:26379');
    expect(data['master-name']).toBe('redis-k8s');
    expect(data['tls']).toBe('true');
    expect(data['tls-ca']).toContain('BEGIN CERTIFICATE');
  });

  it('no primary known yet: no endpoint, every unit read-only', () => {
    const data = clientAppData(redisState(), null, units, false);
    expect(data['endpoints']).toBe('');
    expect(data['leader-host']).toBeUndefined();
    expect(data['read-only-endpoints']?.split(',')).toHaveLength(3);
  });
});

describe('clientAppData with hostile sentinel unit addresses', () => {
  it('drops addresses that are no IP or host name (newlines, spaces, 1 MiB) and repeats', () => {
    const state = redisState({
      sentinels: [
        {
          relationId: 7,
          app: 'redis-sentinel-k8s',
          units: ['redis-sentinel-k8s/0'],
          addresses: { 'redis-sentinel-k8s/0': '127.2.0.1' },
        },
        {
          relationId: 9,
          app: 'redis-hostile',
          units: ['redis-hostile/0', 'redis-hostile/1', 'redis-hostile/2', 'redis-hostile/3', 'redis-hostile/4'],
          addresses: {
            'redis-hostile/0': 'not-an-ip\nslaveof 127.0.0.1 1',
            'redis-hostile/1': 'A'.repeat(1 << 20),
            'redis-hostile/2': '127.2.0.1',
            'redis-hostile/3': 'sentinel-0.example,127.0.0.9',
            'redis-hostile/4': 'redis-sentinel-k8s-1.redis-sentinel-k8s-endpoints.sim.svc.cluster.local',
          },
        },
      ],
    });
    const data = clientAppData(state, primary('redis-k8s/0', '127.1.0.1'), units, false);
    expect(data['sentinel-endpoints']).toBe(
      '127.2.0.1:26379,redis-sentinel-k8s-1.redis-sentinel-k8s-endpoints.sim.svc.cluster.local:26379',
    );
  });
});
