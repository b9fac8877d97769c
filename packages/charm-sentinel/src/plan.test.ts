import { describe, expect, it } from 'vitest';
import { FAILOVER_NOTICE_KEY } from './reconfig-script.js';
import { plan, publication } from './plan.js';
import { renderSentinelConf } from './sentinel-conf.js';
import { INITIAL_STATE } from './state.js';
import { fold, MYID_A, MYID_B, observed, peers, reconciled, redisBag, view } from './testing/fixtures.js';

const SECRETS = { password: 'redis-password-1', sentinelPassword: 'sentinel-password-1' };

describe('status', () => {
  it('is blocked and stops sentinel without a redis relation', () => {
    const d = plan(fold([observed({ redis: null, credentials: null })]));
    expect(d.unitStatus).toEqual({
      status: 'blocked',
      message: 'missing relation to redis-k8s: juju integrate <this app>:redis redis-k8s:sentinel',
    });
    expect(d.stop).toBe(true);
    expect(d.workload).toBeUndefined();
  });

  it('waits without stopping sentinel until the unit entered the relation scope', () => {
    const d = plan(
      fold([observed({ redis: { id: 3, joined: false, app: 'redis-k8s', units: [], appData: {}, published: null } })]),
    );
    expect(d.unitStatus).toEqual({ status: 'waiting', message: 'waiting to join the relation with redis-k8s' });
    expect(d.stop).toBeUndefined();
  });

  it('waits, naming the keys, while redis-k8s has not published its bag', () => {
    const d = plan(
      fold([
        observed({
          redis: {
            id: 3,
            joined: true,
            app: 'redis-k8s',
            units: [],
            appData: { 'master-name': 'redis-k8s' },
            published: null,
          },
          credentials: null,
        }),
      ]),
    );
    expect(d.unitStatus).toEqual({
      status: 'waiting',
      message: 'waiting for redis-k8s to publish primary-address, port, secret-id',
    });
    expect(d.stop).toBeUndefined();
  });

  it('is blocked naming the key when the bag breaks the contract (no config injection)', () => {
    const bag = redisBag({ 'primary-address': '127.1.0.1\nsentinel monitor evil 1.2.3.4 6379 1' });
    const d = plan(
      fold([observed({ redis: { id: 3, joined: true, app: 'redis-k8s', units: [], appData: bag, published: null } })]),
    );
    expect(d.unitStatus?.status).toBe('blocked');
    expect(d.unitStatus?.message).toBe(
      'redis-k8s published invalid relation data: "primary-address" must be an IP address or a host name; check its charm revision',
    );
    expect(d.workload).toBeUndefined();
  });

  it('waits for the credentials secret until it is granted', () => {
    const d = plan(
      fold([
        observed({
          credentials: {
            ok: false,
            secretId: 'secret:cred1',
            problem: 'secret secret:cred1 is not granted to this application yet',
          },
        }),
      ]),
    );
    expect(d.unitStatus).toEqual({
      status: 'waiting',
      message:
        'waiting for the credentials secret of redis-k8s: secret secret:cred1 is not granted to this application yet',
    });
  });

  it('is blocked naming the option for invalid config', () => {
    const d = plan(
      fold([observed({ config: { 'down-after-milliseconds': 10, 'failover-timeout': 30000, 'parallel-syncs': 1 } })]),
    );
    expect(d.unitStatus?.status).toBe('blocked');
    expect(d.unitStatus?.message).toContain('option "down-after-milliseconds" must be at least 100');
  });

  it('is active with the master, the sentinel count and the quorum', () => {
    const d = plan(fold([observed({ peers: peers(2) })]));
    expect(d.unitStatus).toEqual({ status: 'active', message: 'monitoring redis-k8s (3 sentinels, quorum 2)' });
    expect(d.appStatus).toEqual(d.unitStatus);
    expect(d.ports).toEqual([{ protocol: 'tcp', port: 26379 }]);
  });
});

describe('quorum', () => {
  const quorumFor = (n: number, quorum?: number) => {
    const config = {
      'down-after-milliseconds': 5000,
      'failover-timeout': 30000,
      'parallel-syncs': 1,
      ...(quorum === undefined ? {} : { quorum }),
    };
    return plan(fold([observed({ peers: peers(n - 1), config })]));
  };

  it('is a majority of the sentinel units', () => {
    expect([1, 2, 3, 4, 5, 7].map((n) => quorumFor(n).workload?.runtime.quorum)).toEqual([1, 2, 2, 3, 3, 4]);
  });

  it('follows scaling through the runtime settings, not a new base (no restart)', () => {
    const three = quorumFor(3);
    const five = quorumFor(5);
    expect(five.workload?.runtime.quorum).toBe(3);
    expect(five.workload?.hash).toBe(three.workload?.hash);
  });

  it('takes an override, and caps one above the unit count with a blocked status', () => {
    expect(quorumFor(3, 1).workload?.runtime.quorum).toBe(1);
    const capped = quorumFor(3, 5);
    expect(capped.workload?.runtime.quorum).toBe(3);
    expect(capped.unitStatus).toEqual({
      status: 'blocked',
      message: 'quorum 5 exceeds the 3 sentinel units; using 3 (add units or lower it with juju config)',
    });
  });
});

describe('lost sentinels', () => {
  const withQuorum = (ok: boolean, usable: number) => ({
    ...view('127.1.0.1', 0),
    quorum: { ok, usable, message: `${ok ? 'OK' : 'NOQUORUM'} ${usable} usable Sentinels. (sentinel's text)` },
  });

  it('blocks, saying why, when CKQUORUM fails because known sentinels are down', () => {
    const d = plan(fold([observed({ peers: peers(2), sentinel: withQuorum(false, 1) })]));
    expect(d.unitStatus).toEqual({
      status: 'blocked',
      message:
        'failover impossible: 2 of 3 sentinels down, 1 reachable (quorum 2, a failover needs 2); bring the sentinel units back',
    });
    // it keeps monitoring: sentinel runs on
    expect(d.workload).toBeDefined();
  });

  it('is active again once CKQUORUM passes, and with one of three down', () => {
    const lost = observed({ peers: peers(2), sentinel: withQuorum(false, 1) });
    expect(plan(fold([lost, observed({ peers: peers(2), sentinel: withQuorum(true, 2) })])).unitStatus).toEqual({
      status: 'active',
      message: 'monitoring redis-k8s (3 sentinels, quorum 2)',
    });
  });

  it('does not call sentinels lost that this one has not discovered yet, nor an older log without CKQUORUM', () => {
    const lone = { ...withQuorum(false, 1), master: { ...view('127.1.0.1', 0).master, numOtherSentinels: 0 } };
    expect(plan(fold([observed({ peers: peers(2), sentinel: lone })])).unitStatus?.status).toBe('active');
    expect(plan(fold([observed({ peers: peers(2), sentinel: view('127.1.0.1', 0) })])).unitStatus?.status).toBe(
      'active',
    );
  });
});

describe('sentinel.conf rendering', () => {
  const first = observed();

  it('renders on the first hook and not again once that base was rendered on this boot', () => {
    const d1 = plan(fold([first]));
    expect(d1.workload?.render).toBe(true);
    const d2 = plan(
      fold([first, reconciled({ rendered: { hash: d1.workload?.hash ?? '' }, auth: 'redis-password-1' }), observed()]),
    );
    expect(d2.workload?.render).toBe(false);
    expect(d2.workload?.authChanged).toBe(false);
  });

  it('renders again after a new Pebble boot (a fresh container has no file)', () => {
    const hash = plan(fold([first])).workload?.hash ?? '';
    const d = plan(
      fold([
        first,
        reconciled({ rendered: { hash } }),
        observed({ pebble: { reachable: true, bootId: 'boot-2', service: null } }),
      ]),
    );
    expect(d.workload?.render).toBe(true);
  });

  it('keeps the base for runtime changes, peer hints and failovers; changes it for base settings', () => {
    const hashOf = (o: Parameters<typeof observed>[0]) => plan(fold([observed(o)])).workload?.hash;
    const base = hashOf({});
    expect(
      hashOf({ config: { 'down-after-milliseconds': 1000, 'failover-timeout': 5000, 'parallel-syncs': 2, quorum: 1 } }),
    ).toBe(base);
    expect(hashOf({ peers: peers(4) })).toBe(base);
    expect(hashOf({ sentinel: view('127.1.0.2', 1) })).toBe(base);
    expect(
      hashOf({
        credentials: {
          ok: true,
          secretId: 'secret:cred1',
          password: 'rotated-redis-password',
          sentinelPassword: 'sentinel-password-1',
        },
      }),
    ).toBe(base);
    expect(
      hashOf({
        credentials: {
          ok: true,
          secretId: 'secret:cred1',
          password: 'redis-password-1',
          sentinelPassword: 'rotated-sentinel-pw',
        },
      }),
    ).not.toBe(base);
    expect(hashOf({ address: '127.1.0.99' })).not.toBe(base);
    expect(
      hashOf({ redis: { id: 4, joined: true, app: 'redis-k8s', units: [], appData: redisBag(), published: {} } }),
    ).not.toBe(base);
    expect(hashOf({ myid: { value: MYID_B, stored: true } })).not.toBe(base);
  });

  it('asks for SENTINEL SET auth-pass when only the redis password rotated', () => {
    const hash = plan(fold([first])).workload?.hash ?? '';
    const rotated = observed({
      credentials: {
        ok: true,
        secretId: 'secret:cred1',
        password: 'rotated-redis-password',
        sentinelPassword: 'sentinel-password-1',
      },
    });
    const d = plan(fold([first, reconciled({ rendered: { hash }, auth: 'redis-password-1' }), rotated]));
    expect(d.workload?.render).toBe(false);
    expect(d.workload?.authChanged).toBe(true);
  });

  it('renders what the plan holds: bind, myid, monitor, quorum, hints; secrets only in requirepass and auth-pass', () => {
    const d = plan(fold([observed({ peers: peers(2) })]));
    const conf = d.workload?.conf;
    if (conf === undefined) throw new Error('no workload planned');
    const text = renderSentinelConf(conf, SECRETS);
    expect(text).toContain('bind 127.1.0.10\n');
    expect(text).toContain(`sentinel myid ${MYID_A}\n`);
    expect(text).toContain('sentinel monitor redis-k8s 127.1.0.1 6379 2\n');
    expect(text).toContain('sentinel down-after-milliseconds redis-k8s 5000\n');
    expect(text).toContain('sentinel client-reconfig-script redis-k8s /etc/redis-sentinel/notify-failover.sh\n');
    expect(text).toContain(
      'sentinel known-replica redis-k8s 127.1.0.2 6379\nsentinel known-replica redis-k8s 127.1.0.3 6379\n',
    );
    expect(text).not.toContain('known-replica redis-k8s 127.1.0.1 ');
    expect(text).toContain(`sentinel known-sentinel redis-k8s 127.1.0.11 26379 ${MYID_B}\n`);
    const secretLines = text.split('\n').filter((l) => l.includes('password-1'));
    expect(secretLines).toEqual([
      'requirepass "sentinel-password-1"',
      'sentinel auth-pass redis-k8s "redis-password-1"',
    ]);
    expect(JSON.stringify(d)).not.toContain('password-1"');
  });

  it('monitors the primary sentinel last reported, not a stale relation value', () => {
    const d = plan(
      fold([
        observed({ sentinel: view('127.1.0.3', 2) }),
        observed({ pebble: { reachable: true, bootId: 'boot-2', service: null } }),
      ]),
    );
    expect(d.workload?.conf.monitor).toEqual({ host: '127.1.0.3', port: 6379 });
    expect(d.workload?.conf.knownReplicas.map((r) => r.host)).toEqual(['127.1.0.1', '127.1.0.2']);
  });

  it('forgets the view of a previous redis relation', () => {
    const d = plan(
      fold([
        observed({ sentinel: view('127.1.0.3', 2) }),
        observed({
          redis: {
            id: 9,
            joined: true,
            app: 'redis-k8s',
            units: [],
            appData: redisBag({ 'primary-address': '127.1.0.7' }),
            published: {},
          },
        }),
      ]),
    );
    expect(d.workload?.conf.monitor.host).toBe('127.1.0.7');
  });
});

describe('sentinel id', () => {
  it('keeps the first generated id while Juju has none stored, and asks to store it', () => {
    const s = fold([
      observed({ myid: { value: MYID_A, stored: false } }),
      observed({ myid: { value: MYID_B, stored: false } }),
    ]);
    expect(s.myid).toBe(MYID_A);
    expect(plan(s).persistMyid).toBe(MYID_A);
    expect(plan(s).workload?.conf.base.myid).toBe(MYID_A);
  });

  it('stops asking once Juju stores it, and the stored id survives a lost event log', () => {
    const stored = observed({ myid: { value: MYID_A, stored: true } });
    const s = fold([observed({ myid: { value: MYID_A, stored: false } }), stored]);
    expect(plan(s).persistMyid).toBeUndefined();
    const afterLoss = fold([stored]);
    expect(afterLoss.myid).toBe(MYID_A);
    expect(plan(afterLoss).workload?.hash).toBe(plan(s).workload?.hash);
  });

  it('publishes id and address in the peer bag', () => {
    expect(plan(fold([observed()])).peerData).toEqual({ address: '127.1.0.10', myid: MYID_A });
  });
});

describe('failover publication', () => {
  it('publishes nothing without a failover (config epoch 0)', () => {
    expect(plan(fold([observed({ sentinel: view('127.1.0.1', 0) })])).publish).toBeUndefined();
  });

  it('publishes the new primary with sentinel config epoch after a failover notice', () => {
    const notice = {
      id: '7',
      key: FAILOVER_NOTICE_KEY,
      occurrences: 1,
      lastRepeated: '2026-01-01T00:00:00Z',
      data: { master: 'redis-k8s', from: '127.1.0.1:6379', to: '127.1.0.2:6379' },
    };
    const s = fold([
      observed(),
      observed({
        notice,
        sentinel: view('127.1.0.2', 1),
        facts: {
          name: 'sentinel-pebble-custom-notice',
          kind: 'pebble-custom-notice',
          unit: 'redis-sentinel-k8s/0',
          app: 'redis-sentinel-k8s',
          jujuVersion: '3.6.8',
        },
      }),
    ]);
    expect(s.failovers).toBe(1);
    expect(s.lastFailover).toMatchObject({ from: '127.1.0.1:6379', to: '127.1.0.2:6379', master: 'redis-k8s' });
    expect(plan(s).publish).toEqual({ relationId: 3, data: { 'primary-address': '127.1.0.2', 'failover-epoch': '1' } });
  });

  it('is leader-only and idempotent', () => {
    expect(plan(fold([observed({ leader: false, sentinel: view('127.1.0.2', 1) })])).publish).toBeUndefined();
    const published = {
      id: 3,
      joined: true,
      app: 'redis-k8s',
      units: [],
      appData: redisBag(),
      published: { 'primary-address': '127.1.0.2', 'failover-epoch': '1' },
    };
    expect(plan(fold([observed({ redis: published, sentinel: view('127.1.0.2', 1) })])).publish).toBeUndefined();
  });

  it('never publishes an epoch at or below the one already published', () => {
    const at = (epoch: number) => ({ host: '127.1.0.3', port: 6379, epoch, seq: 1 });
    expect(publication(at(2), { 'primary-address': '127.1.0.2', 'failover-epoch': '5' })).toEqual({
      'primary-address': '127.1.0.3',
      'failover-epoch': '6',
    });
    expect(publication(at(7), { 'primary-address': '127.1.0.2', 'failover-epoch': '5' })).toEqual({
      'primary-address': '127.1.0.3',
      'failover-epoch': '7',
    });
    expect(publication(null, {})).toBeUndefined();
  });

  it('waits while sentinel sees its master down', () => {
    expect(
      plan(fold([observed({ sentinel: view('127.1.0.2', 1, { flags: ['master', 's_down'] }) })])).publish,
    ).toBeUndefined();
  });

  it("publishes the notice's promoted replica when the leader sentinel has not switched its view yet", () => {
    // sentinel's failover leader runs the script at +promoted-slave: new epoch, old master still o_down
    const notice = {
      id: '9',
      key: FAILOVER_NOTICE_KEY,
      occurrences: 1,
      lastRepeated: '2026-01-01T00:00:00Z',
      data: { master: 'redis-k8s', role: 'leader', state: 'start', from: '127.1.0.1:6379', to: '127.1.0.3:6379' },
    };
    const s = fold([
      observed({ notice, sentinel: view('127.1.0.1', 4, { flags: ['master', 'o_down', 'failover_in_progress'] }) }),
    ]);
    expect(plan(s).publish).toEqual({ relationId: 3, data: { 'primary-address': '127.1.0.3', 'failover-epoch': '4' } });
    expect(plan(s).workload?.conf.monitor).toEqual({ host: '127.1.0.3', port: 6379 });
    const later = fold([
      observed({ notice, sentinel: view('127.1.0.1', 4, { flags: ['master', 'o_down'] }) }),
      observed({ sentinel: view('127.1.0.2', 5) }),
    ]);
    expect(plan(later).publish?.data).toEqual({ 'primary-address': '127.1.0.2', 'failover-epoch': '5' });
  });

  it('takes the promoted replica GET-MASTER-ADDR-BY-NAME names while sentinel still reconfigures replicas', () => {
    const mid = view('127.1.0.1', 6, { flags: ['master', 'o_down', 'failover_in_progress'], address: '127.1.0.2' });
    expect(plan(fold([observed({ sentinel: mid })])).publish?.data).toEqual({
      'primary-address': '127.1.0.2',
      'failover-epoch': '6',
    });
    const stale = view('127.1.0.1', 6, { flags: ['master', 'o_down', 'failover_in_progress'] });
    expect(plan(fold([observed({ sentinel: stale })])).publish).toBeUndefined();
  });

  it('ignores a notice whose address cannot be parsed', () => {
    const notice = {
      id: '9',
      key: FAILOVER_NOTICE_KEY,
      occurrences: 1,
      lastRepeated: '2026-01-01T00:00:00Z',
      data: { to: 'garbage' },
    };
    expect(plan(fold([observed({ notice })])).publish).toBeUndefined();
  });
});

describe('reducer', () => {
  it('counts hook failures and starts from the initial state', () => {
    expect(fold([]).hooks).toBe(INITIAL_STATE.hooks);
    const s = fold([
      observed(),
      {
        type: 'hook-failed',
        payload: {
          hook: 'config-changed',
          stage: 'reconcile',
          eventSeq: 1,
          error: { name: 'Error', code: 'unknown', message: 'cannot x' },
        },
      },
    ]);
    expect(s).toMatchObject({ hooks: 1, failures: 1 });
  });

  it('stores secrets as digests only', () => {
    const text = JSON.stringify(fold([observed(), reconciled({ auth: 'redis-password-1' })]));
    expect(text).not.toContain('password-1');
    expect(text).toContain('sha256:');
  });
});

describe('peer departure', () => {
  it('remembers departed peers (all that left, even two at once) until a reset pass confirms them forgotten', () => {
    const departed = {
      name: 'sentinel-peers-relation-departed',
      kind: 'relation-departed',
      unit: 'redis-sentinel-k8s/0',
      app: 'redis-sentinel-k8s',
      jujuVersion: '3.6.8',
      departingUnit: 'redis-sentinel-k8s/3',
    };
    const before = observed({ peers: peers(4) });
    const after = observed({ facts: departed, peers: peers(2) });
    const state = fold([before, after]);
    expect(state.departed).toEqual(['127.1.0.13', '127.1.0.14']);
    expect(plan(state).workload?.converge).toEqual({
      masterName: 'redis-k8s',
      members: [
        { unit: 'redis-sentinel-k8s/0', address: '127.1.0.10' },
        { unit: 'redis-sentinel-k8s/1', address: '127.1.0.11' },
        { unit: 'redis-sentinel-k8s/2', address: '127.1.0.12' },
      ],
      departed: ['127.1.0.13', '127.1.0.14'],
      departedReplicas: [],
    });
    // a non-leader keeps the list (it may become leader) but runs no pass
    expect(plan(fold([before, observed({ peers: peers(2), leader: false })])).workload?.converge).toBeUndefined();
    // new peers joining are never "departed"
    expect(fold([observed({ peers: peers(2) }), observed({ peers: peers(4) })]).departed).toEqual([]);
    const done = fold([before, after, reconciled({ forgotten: ['127.1.0.13', '127.1.0.14'] })]);
    expect(done.departed).toEqual([]);
    expect(plan(done).workload?.converge).toBeUndefined();
  });

  it('remembers departed redis units (their address from their bag or the units list) until a pass confirms them forgotten', () => {
    const redis = (units: number[], overrides: Record<string, unknown> = {}) => ({
      id: 3,
      joined: true,
      app: 'redis-k8s',
      units: units.map((n) => `redis-k8s/${n}`),
      appData: redisBag({
        units: JSON.stringify(units.map((n) => ({ unit: `redis-k8s/${n}`, address: `127.1.0.${n + 1}` }))),
      }),
      published: {},
      ...overrides,
    });
    // redis-k8s/4 published its address in its own bag only (the leader's list did not have it yet)
    const five = observed({
      redis: {
        ...redis([0, 1, 2, 3]),
        units: ['redis-k8s/0', 'redis-k8s/1', 'redis-k8s/2', 'redis-k8s/3', 'redis-k8s/4'],
        unitAddresses: { 'redis-k8s/4': '127.1.0.5' },
      },
    });
    expect(fold([five]).redisUnits).toEqual({
      'redis-k8s/0': '127.1.0.1',
      'redis-k8s/1': '127.1.0.2',
      'redis-k8s/2': '127.1.0.3',
      'redis-k8s/3': '127.1.0.4',
      'redis-k8s/4': '127.1.0.5',
    });
    // both leave at once; the leader's list still names them: the relation's units decide
    const three = observed({ redis: { ...redis([0, 1, 2]), appData: redis([0, 1, 2, 3]).appData } });
    const state = fold([five, three]);
    expect(state.redisDeparted).toEqual(['127.1.0.4', '127.1.0.5']);
    expect(state.departed).toEqual([]);
    expect(plan(state).workload?.converge).toMatchObject({
      departed: [],
      departedReplicas: ['127.1.0.4', '127.1.0.5'],
    });
    // a relation not joined changes nothing; a unit joining is never departed
    expect(fold([five, observed({ redis: { ...redis([0]), joined: false } })]).redisDeparted).toEqual([]);
    expect(fold([observed({ redis: redis([0, 1, 2]) }), five]).redisDeparted).toEqual([]);
    // an address taken again by a new unit is not departed
    const reused = observed({
      redis: {
        ...redis([0, 1, 2]),
        units: ['redis-k8s/0', 'redis-k8s/1', 'redis-k8s/2', 'redis-k8s/5'],
        unitAddresses: { 'redis-k8s/5': '127.1.0.4' },
      },
    });
    expect(fold([five, three, reused]).redisDeparted).toEqual(['127.1.0.5']);
    // another relation starts afresh; a pass that confirms them clears them
    expect(fold([five, observed({ redis: { ...redis([0, 1, 2]), id: 4 } })]).redisDeparted).toEqual([]);
    const done = fold([five, three, reconciled({ forgottenReplicas: ['127.1.0.4', '127.1.0.5'] })]);
    expect(done.redisDeparted).toEqual([]);
    expect(plan(done).workload?.converge).toBeUndefined();
  });

  it('stops sentinel in the stop hook so the others see it down and can forget it', () => {
    const stop = {
      name: 'stop',
      kind: 'stop',
      unit: 'redis-sentinel-k8s/0',
      app: 'redis-sentinel-k8s',
      jujuVersion: '3.6.8',
    };
    const d = plan(fold([observed({ facts: stop })]));
    expect(d.stop).toBe(true);
    expect(d.unitStatus).toEqual({ status: 'maintenance', message: 'sentinel stopped: the unit is stopping' });
  });
});
