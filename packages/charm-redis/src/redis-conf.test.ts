import { describe, expect, it } from 'vitest';
import { confEntries, renderConf, staticDigest } from './redis-conf.js';
import { configReply, liveDiff, replicaOfCommand } from './live-config.js';
import { parseInfo, replicationView } from './replication.js';
import { DEFAULT_PATHS } from './paths.js';

const config = {
  'enable-tls': false,
  maxmemory: '1mb',
  'maxmemory-policy': 'allkeys-lru' as const,
  loglevel: 'notice' as const,
  appendonly: true,
  appendfsync: 'everysec' as const,
  save: '3600 1',
  'min-replicas-to-write': 0,
  'min-replicas-max-lag': 10,
};

describe('redis.conf', () => {
  it('renders the password only into requirepass and masterauth, quoting what needs it', () => {
    const entries = confEntries({
      address: '127.1.0.2',
      config,
      tls: false,
      replicaOf: { host: '127.1.0.1', port: 6379 },
      paths: DEFAULT_PATHS,
    });
    const text = renderConf(entries, 'pa ss"word', 'redis.conf of redis-k8s/1');
    expect(text).toContain('requirepass "pa ss\\"word"\nmasterauth "pa ss\\"word"\n');
    expect(text).toContain('replicaof 127.1.0.1 6379\n');
    expect(text).toContain('logfile ""\n');
    expect(text).toContain('maxmemory 1048576\n');
    expect(text.split('\n').filter((l) => l.includes('pa ss'))).toHaveLength(2);
  });

  it('the static digest ignores live, replication and secret settings', () => {
    const a = confEntries({ address: '127.1.0.2', config, tls: false, replicaOf: null, paths: DEFAULT_PATHS });
    const b = confEntries({
      address: '127.1.0.2',
      config: { ...config, maxmemory: '2mb' },
      tls: false,
      replicaOf: { host: '127.1.0.1', port: 6379 },
      paths: DEFAULT_PATHS,
    });
    const c = confEntries({ address: '127.1.0.3', config, tls: false, replicaOf: null, paths: DEFAULT_PATHS });
    expect(staticDigest(a)).toBe(staticDigest(b));
    expect(staticDigest(a)).not.toBe(staticDigest(c));
    expect(staticDigest(a, ['cert:1'])).not.toBe(staticDigest(a, ['cert:2']));
  });
});

describe('live settings', () => {
  it('diffs CONFIG GET against the live entries only', () => {
    const entries = confEntries({ address: '127.1.0.2', config, tls: false, replicaOf: null, paths: DEFAULT_PATHS });
    const running = configReply([
      ...['maxmemory', '0', 'maxmemory-policy', 'allkeys-lru', 'loglevel', 'notice'],
      ...['appendonly', 'yes', 'appendfsync', 'everysec', 'save', '3600 1'],
      ...['min-replicas-to-write', '0', 'min-replicas-max-lag', '10'],
    ]);
    expect(liveDiff(entries, running)).toEqual({ maxmemory: '1048576' });
    expect(() => configReply(['odd'])).toThrow(/cannot read CONFIG GET/);
  });

  it('issues REPLICAOF only for a wrong role or master', () => {
    const info = parseInfo(
      '# Replication\r\nrole:slave\r\nmaster_host:127.1.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n',
    );
    const view = replicationView(info);
    expect(
      replicaOfCommand(view, { kind: 'replica', primaryUnit: 'redis-k8s/0', primaryAddress: '127.1.0.1' }),
    ).toBeUndefined();
    expect(
      replicaOfCommand(view, { kind: 'replica', primaryUnit: 'redis-k8s/2', primaryAddress: '127.1.0.3' }),
    ).toEqual(['127.1.0.3', '6379']);
    expect(replicaOfCommand(view, { kind: 'primary' })).toEqual(['no', 'one']);
  });

  it('parses the replicas a primary lists', () => {
    const view = replicationView(
      parseInfo(
        'run_id:abc\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=127.1.0.2,port=6379,state=online,offset=42,lag=0\r\nslave1:ip=127.1.0.3,port=6379,state=wait_bgsave,offset=0,lag=1\r\nmaster_repl_offset:42\r\n',
      ),
    );
    expect(view).toMatchObject({
      role: 'master',
      connectedReplicas: 2,
      runId: 'abc',
      masterReplOffset: 42,
      masterHost: null,
    });
    expect(view.replicas[1]).toEqual({ ip: '127.1.0.3', port: 6379, state: 'wait_bgsave', offset: 0, lag: 1 });
    expect(() => replicationView({})).toThrow(expect.objectContaining({ code: 'redis-protocol' }));
  });
});

describe('start failures', () => {
  it('names the reason redis-server logged before exiting', async () => {
    const { startFailureReason } = await import('./reconcile.js');
    const message = [
      'cannot perform the following tasks:',
      '- Start service "redis-server" (service start attempt: exited quickly with code 1, will restart)',
      '2026-11-25T04:09:12Z INFO Most recent service output:',
      '    27:C 25 Nov 2026 04:09:12.306 # Configuration loaded',
      '    27:M 25 Nov 2026 04:09:12.306 * monotonic clock: POSIX clock_gettime',
      '    27:M 25 Nov 2026 04:09:12.306 # Warning: Could not create server TCP listening socket 127.1.0.3:6379: bind: Address already in use',
      '    27:M 25 Nov 2026 04:09:12.306 # Failed listening on port 6379 (TCP), aborting.',
    ].join('\n');
    expect(startFailureReason(message)).toBe(
      'Could not create server TCP listening socket 127.1.0.3:6379: bind: Address already in use; Failed listening on port 6379 (TCP), aborting.',
    );
    expect(startFailureReason('cannot perform the following tasks')).toMatch(/^it exited at once/);
  });
});
