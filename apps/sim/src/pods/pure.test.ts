import { describe, expect, it } from 'vitest';
import { podFqdn, renderHostsFile } from './hosts-file.js';
import { renderMountScript, shellQuote } from './mount-script.js';
import { workloadPlan } from './view-plans.js';

describe('hosts file', () => {
  it('maps every pod FQDN (first, for getfqdn) and short names to its address, then the app Services to every pod', () => {
    const text = renderHostsFile('m', [
      { podName: 'redis-10', app: 'redis', address: '127.42.0.11' },
      { podName: 'redis-2', app: 'redis', address: '127.42.0.3' },
    ]);
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('127.0.0.1\tlocalhost');
    expect(lines.slice(3)).toEqual([
      '127.42.0.3\tredis-2.redis-endpoints.m.svc.cluster.local redis-2.redis-endpoints.m.svc redis-2.redis-endpoints.m redis-2.redis-endpoints redis-2',
      '127.42.0.11\tredis-10.redis-endpoints.m.svc.cluster.local redis-10.redis-endpoints.m.svc redis-10.redis-endpoints.m redis-10.redis-endpoints redis-10',
      '# charm-sim services (<app>-endpoints and <app>, one line per pod)',
      '127.42.0.3\tredis-endpoints.m.svc.cluster.local redis-endpoints.m.svc redis-endpoints.m redis-endpoints redis.m.svc.cluster.local redis.m.svc redis.m redis',
      '127.42.0.11\tredis-endpoints.m.svc.cluster.local redis-endpoints.m.svc redis-endpoints.m redis-endpoints redis.m.svc.cluster.local redis.m.svc redis.m redis',
    ]);
    expect(podFqdn('redis-2', 'redis', 'm')).toBe('redis-2.redis-endpoints.m.svc.cluster.local');
  });
});

describe('mount script', () => {
  it('quotes every path and execs PID 1 through chroot after the mounts', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    const plan = workloadPlan(
      { podName: 'a-0', hostsFile: '/m/hosts', pebbleBin: '/bin/pebble' },
      {
        upper: '/p/u',
        work: '/p/w',
        merged: '/p/root',
        log: '/p/log',
        shared: '/p/shared',
        socket: '/p/shared/pebble.socket',
      },
      { name: 'c', mounts: [{ storage: 'data', location: '/var/lib/my data' }] },
      [{ name: 'data', location: '/var/lib/juju/storage/data/0', hostDir: '/m/storage/data-3' }],
    );
    const script = renderMountScript(plan);
    const lines = script.trim().split('\n');
    expect(lines[0]).toBe('set -eu');
    expect(lines[1]).toBe("mount -t overlay overlay -o 'lowerdir=/,upperdir=/p/u,workdir=/p/w' '/p/root'");
    expect(script).toContain("mount --bind '/m/storage/data-3' '/p/root/var/lib/my data'");
    expect(script).toContain("mount --bind '/m/hosts' '/p/root/etc/hosts'");
    expect(script).toContain("hostname 'a-0'");
    expect(lines.at(-1)).toMatch(
      /^exec chroot '\/p\/root' \/bin\/sh -c .* pod-init '\/charm\/bin\/pebble' 'run' '--create-dirs' '--hold'$/,
    );
  });
});
