import { describe, expect, it } from 'vitest';
import { confEntries, DEFAULT_PATHS, renderConf, staticDigest } from './redis-conf.js';
import { configReply, liveDiff, replicaOfCommand } from './live-config.js';
import { parseInfo, replicationView } from './replication.js';

const config = { 'enable-tls': false, maxmemory: '1mb', 'maxmemory-policy': 'allkeys-lru' as const, loglevel: 'notice' as const };

describe('redis.conf', () => {
  it('renders the password only into requirepass and masterauth, quoting what needs it', () => {
    const entries = confEntries({ address: '127.1.0.2', config, tls: false, replicaOf: { host: '127.1.0.1', port: 6379 }, paths: DEFAULT_PATHS });
    const text = renderConf(entries, 'pa ss"word', 'redis.conf of redis-k8s/1');
    expect(text).toContain('requirepass "pa ss\\"word"\nmasterauth "pa ss\\"word"\n');
    expect(text).toContain('replicaof 127.1.0.1 6379\n');
    expect(text).toContain('logfile ""\n');
    expect(text).toContain('maxmemory 1048576\n');
    expect(text.split('\n').filter((l) => l.includes('pa ss'))).toHaveLength(2);
  });

  it('the static digest ignores live, replication and secret settings', () => {
    const a = confEntries({ address: '127.1.0.2', config, tls: false, replicaOf: null, paths: DEFAULT_PATHS });
    const b = confEntries({ address: '127.1.0.2', config: { ...config, maxmemory: '2mb' }, tls: false, replicaOf: { host: '127.1.0.1', port: 6379 }, paths: DEFAULT_PATHS });
    const c = confEntries({ address: '127.1.0.3', config, tls: false, replicaOf: null, paths: DEFAULT_PATHS });
    expect(staticDigest(a)).toBe(staticDigest(b));
    expect(staticDigest(a)).not.toBe(staticDigest(c));
    expect(staticDigest(a, ['cert:1'])).not.toBe(staticDigest(a, ['cert:2']));
  });
});

describe('live settings', () => {
  it('diffs CONFIG GET against the live entries only', () => {
    const entries = confEntries({ address: '127.1.0.2', config, tls: false, replicaOf: null, paths: DEFAULT_PATHS });
    const running = configReply(['maxmemory', '0', 'maxmemory-policy', 'allkeys-lru', 'loglevel', 'notice']);
    expect(liveDiff(entries, running)).toEqual({ maxmemory: '1048576' });
    expect(() => configReply(['odd'])).toThrow(/cannot read CONFIG GET/);
  });

  it('issues REPLICAOF only for a wrong role or master', () => {
    const info = parseInfo('# Replication\r\nrole:slave\r\nmaster_host:127.1.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\n');
    const view = replicationView(info);
    expect(replicaOfCommand(view, { kind: 'replica', primaryUnit: 'redis-k8s/0', primaryAddress: '127.1.0.1' })).toBeUndefined();
    expect(replicaOfCommand(view, { kind: 'replica', primaryUnit: 'redis-k8s/2', primaryAddress: '127.1.0.3' })).toEqual(['127.1.0.3', '6379']);
    expect(replicaOfCommand(view, { kind: 'primary' })).toEqual(['no', 'one']);
  });

  it('parses the replicas a primary lists', () => {
    const view = replicationView(parseInfo('run_id:abc\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=127.1.0.2,port=6379,state=online,offset=42,lag=0\r\nslave1:ip=127.1.0.3,port=6379,state=wait_bgsave,offset=0,lag=1\r\nmaster_repl_offset:42\r\n'));
    expect(view).toMatchObject({ role: 'master', connectedReplicas: 2, runId: 'abc', masterReplOffset: 42, masterHost: null });
    expect(view.replicas[1]).toEqual({ ip: '127.1.0.3', port: 6379, state: 'wait_bgsave', offset: 0, lag: 1 });
    expect(() => replicationView({})).toThrow(expect.objectContaining({ code: 'redis-protocol' }));
  });
});
