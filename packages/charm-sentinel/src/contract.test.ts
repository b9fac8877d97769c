import { describe, expect, it } from 'vitest';
import { decideQuorum, majority } from './config.js';
import { isSentinelError, SentinelCharmError, sentinelErrorFromJSON } from './errors.js';
import { parsePublished, parseRedisAppBag, parseUnitsList } from './relation-data.js';
import { classifySentinelError } from './sentinel-client.js';
import { runtimeChanges } from './reconcile.js';
import { resetBlocker, staleInstances } from './converge.js';
import { baseHash, quoteArg } from './sentinel-conf.js';
import { masterHealthy, parseMasterReply } from './sentinel-view.js';
import { redisBag } from './testing/fixtures.js';

describe('redis app bag (the contract)', () => {
  it('reads the units list on its own: malformed or absent is an empty list', () => {
    expect(parseUnitsList('[{"unit":"redis-k8s/0","address":"10.1.0.5"}]')).toEqual([
      { unit: 'redis-k8s/0', address: '10.1.0.5' },
    ]);
    expect(parseUnitsList(undefined)).toEqual([]);
    expect(parseUnitsList('not json')).toEqual([]);
    expect(parseUnitsList('[{"unit":"redis-k8s/0","address":"bad address;"}]')).toEqual([]);
  });

  it('parses a complete bag, units included', () => {
    const r = parseRedisAppBag(redisBag());
    expect(r.ok && r.bag).toMatchObject({
      'master-name': 'redis-k8s',
      'primary-address': '127.1.0.1',
      port: 6379,
      'secret-id': 'secret:cred1',
    });
    expect(r.ok && r.bag.units?.map((u) => u.address)).toEqual(['127.1.0.1', '127.1.0.2', '127.1.0.3']);
  });

  it('accepts pod FQDNs as addresses', () => {
    expect(
      parseRedisAppBag(redisBag({ 'primary-address': 'redis-k8s-0.redis-k8s-endpoints.sim.svc.cluster.local' })).ok,
    ).toBe(true);
  });

  it.each([
    [{ port: '70000' }, '"port" must be between 1 and 65535'],
    [{ port: 'x' }, '"port" must be a port number'],
    [{ 'master-name': 'a b' }, '"master-name" must be 1-64 letters'],
    [{ units: '[{' }, '"units" must be a JSON list of {unit, address}'],
    [{ units: '[{"unit":"r/0","address":"bad address"}]' }, '"units.0.address" must be an IP address or a host name'],
  ])('names the key and the problem: %j', (override, problem) => {
    const r = parseRedisAppBag(redisBag(override));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason === 'invalid' && r.problems[0]).toContain(problem);
  });

  it('reports missing keys as not published yet', () => {
    expect(parseRedisAppBag({ 'master-name': 'redis-k8s', port: '' })).toEqual({
      ok: false,
      reason: 'incomplete',
      missing: ['primary-address', 'port', 'secret-id'],
    });
  });

  it('reads back what was published, treating junk as nothing', () => {
    expect(parsePublished({ 'primary-address': '127.1.0.2', 'failover-epoch': '4' })).toEqual({
      address: '127.1.0.2',
      epoch: 4,
    });
    expect(parsePublished({ 'failover-epoch': '-1' })).toEqual({ address: null, epoch: 0 });
    expect(parsePublished(null)).toEqual({ address: null, epoch: 0 });
  });
});

describe('quorum helpers', () => {
  it('majority is floor(n/2)+1', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(majority)).toEqual([1, 1, 2, 2, 3, 3, 4]);
  });
  it('an override within the unit count is kept', () => {
    expect(decideQuorum(2, 5)).toEqual({ quorum: 2 });
    expect(decideQuorum(null, 5)).toEqual({ quorum: 3 });
  });
});

describe('sentinel replies', () => {
  const reply = [
    'name',
    'redis-k8s',
    'ip',
    '127.1.0.1',
    'port',
    '6379',
    'flags',
    'master',
    'config-epoch',
    '3',
    'num-slaves',
    '2',
    'num-other-sentinels',
    '2',
    'quorum',
    '2',
    'down-after-milliseconds',
    '5000',
    'failover-timeout',
    '30000',
    'parallel-syncs',
    '1',
  ];

  it('parses SENTINEL MASTER', () => {
    expect(parseMasterReply(reply)).toEqual({
      name: 'redis-k8s',
      ip: '127.1.0.1',
      port: 6379,
      flags: ['master'],
      configEpoch: 3,
      numSlaves: 2,
      numOtherSentinels: 2,
      quorum: 2,
      downAfterMilliseconds: 5000,
      failoverTimeout: 30000,
      parallelSyncs: 1,
    });
  });

  it('names the malformed fields', () => {
    expect(() => parseMasterReply(reply.slice(0, 8))).toThrow(
      'cannot read the reply to SENTINEL MASTER: missing or malformed configEpoch, numSlaves',
    );
    expect(() => parseMasterReply('OK')).toThrow(expect.objectContaining({ code: 'sentinel-reply-invalid' }));
  });

  it('treats s_down/o_down masters as unhealthy', () => {
    const m = parseMasterReply(reply);
    expect(masterHealthy(m)).toBe(true);
    expect(masterHealthy({ ...m, flags: ['master', 's_down'] })).toBe(false);
  });
});

describe('errors', () => {
  it('round-trip through JSON with code and details', () => {
    const e = new SentinelCharmError('sentinel-auth-failed', 'cannot authenticate to sentinel x', { endpoint: 'x' });
    const back = sentinelErrorFromJSON(JSON.parse(JSON.stringify(e)));
    expect(back).toBeInstanceOf(SentinelCharmError);
    expect(back.toJSON()).toEqual(e.toJSON());
    expect(isSentinelError(back, 'sentinel-auth-failed')).toBe(true);
    expect(() => sentinelErrorFromJSON({ name: 'SentinelCharmError', code: 'nope', message: 'm' })).toThrow(
      'cannot rebuild',
    );
  });

  it('classifies client failures by code', () => {
    const ep = { host: '127.0.0.1', port: 26379 };
    expect(classifySentinelError(new Error('WRONGPASS invalid username-password pair'), ep, 'AUTH').code).toBe(
      'sentinel-auth-failed',
    );
    expect(classifySentinelError(new Error('connect ECONNREFUSED 127.0.0.1:26379'), ep, 'AUTH').code).toBe(
      'sentinel-unreachable',
    );
    expect(classifySentinelError(new Error('ERR No such master with that name'), ep, 'SENTINEL MASTER').code).toBe(
      'sentinel-command-failed',
    );
  });
});

describe('config quoting and hashing', () => {
  it('escapes quotes, backslashes and control characters', () => {
    expect(quoteArg('a"b\\c d\n')).toBe('"a\\"b\\\\c d\\x0a"');
  });
  it('hashes a base independently of key order', () => {
    const base = {
      format: 1,
      masterName: 'm',
      relationId: 1,
      bind: '127.0.0.1',
      port: 26379,
      myid: 'a'.repeat(40),
      dataDir: '/d',
      scriptPath: '/s',
      requirepassDigest: 'sha256:x',
    };
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as typeof base;
    expect(baseHash(reordered)).toBe(baseHash(base));
    expect(baseHash({ ...base, bind: '127.0.0.2' })).not.toBe(baseHash(base));
  });
});

describe('runtime reconciliation decisions', () => {
  const master = parseMasterReply([
    'name',
    'redis-k8s',
    'ip',
    '127.1.0.1',
    'port',
    '6379',
    'flags',
    'master',
    'config-epoch',
    '0',
    'num-slaves',
    '2',
    'num-other-sentinels',
    '4',
    'quorum',
    '3',
    'down-after-milliseconds',
    '5000',
    'failover-timeout',
    '30000',
    'parallel-syncs',
    '1',
  ]);

  it('sets only the settings that differ, as sentinel prints them', () => {
    expect(
      runtimeChanges(
        { quorum: 3, 'down-after-milliseconds': 5000, 'failover-timeout': 30000, 'parallel-syncs': 1 },
        master,
      ),
    ).toEqual([]);
    expect(
      runtimeChanges(
        { quorum: 2, 'down-after-milliseconds': 1000, 'failover-timeout': 30000, 'parallel-syncs': 2 },
        master,
      ),
    ).toEqual([
      ['quorum', '2'],
      ['down-after-milliseconds', '1000'],
      ['parallel-syncs', '2'],
    ]);
  });

  it('resets only once the departed sentinels are down, and never while the master is down or failing over', () => {
    const known = [
      { ip: '127.1.0.11', port: 26379, flags: ['sentinel'] },
      { ip: '127.1.0.14', port: 26379, flags: ['s_down', 'sentinel', 'disconnected'] },
    ];
    const stale = staleInstances(known, new Set(['127.1.0.14', '127.1.0.15']));
    expect(stale.map((s) => s.ip)).toEqual(['127.1.0.14']);
    // a sentinel that is not (yet) a peer is not stale: only departed units are forgotten
    expect(staleInstances(known, new Set(['127.1.0.15']))).toEqual([]);
    expect(resetBlocker(master, stale)).toBeNull();
    expect(resetBlocker(master, [{ ip: '127.1.0.14', port: 26379, flags: ['sentinel'] }])).toBe(
      'departed sentinel 127.1.0.14:26379 still answers',
    );
    expect(resetBlocker({ ...master, flags: ['master', 's_down'] }, stale)).toBe('the master is down');
    expect(resetBlocker({ ...master, flags: ['master', 'failover_in_progress'] }, stale)).toBe('a failover is running');
  });

  it('resets a sentinel that lists departed replicas once they are down (they are expected to be down)', () => {
    const replicas = [
      { ip: '127.1.0.21', port: 6379, flags: ['slave'] },
      { ip: '127.1.0.24', port: 6379, flags: ['s_down', 'slave', 'disconnected'] },
      { ip: '127.1.0.25', port: 6379, flags: ['slave', 'disconnected'] },
    ];
    const stale = staleInstances(replicas, new Set(['127.1.0.24', '127.1.0.25']));
    expect(stale.map((r) => r.ip)).toEqual(['127.1.0.24', '127.1.0.25']);
    expect(resetBlocker(master, [], stale)).toBeNull();
    // still connected: a reset would learn it again from the master's INFO
    expect(resetBlocker(master, [], [{ ip: '127.1.0.24', port: 6379, flags: ['slave'] }])).toBe(
      'departed replica 127.1.0.24:6379 is not seen down yet',
    );
    expect(resetBlocker({ ...master, flags: ['master', 'o_down'] }, [], stale)).toBe('the master is down');
  });
});
