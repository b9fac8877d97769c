/**
 * Bad-input corpus: each input is applied, and the exact refusal is checked: the CLI's error for
 * what Juju itself rejects (wrong type, unknown action parameters), else the unit's blocked status.
 * Afterwards no unit is in error, no injected directive reached redis.conf or sentinel.conf, the
 * input is reset, the cluster returns to rest and a write made before is still there.
 */
import { PebbleClient } from '@charms/pebble-client';
import { REDIS_UNITS, SENTINEL_UNITS, type Cluster } from '../cluster.js';
import { newResult, type ScenarioResult } from '../result.js';

/** One bad input and what must come back. */
export interface BadInput {
  label: string;
  app: 'redis-k8s' | 'redis-sentinel-k8s';
  /** `config` sets key=value; `action` runs an action on unit 0 with params. */
  kind: 'config' | 'action';
  key: string;
  value: string;
  /** Exact expected text: the blocked status message, or a fragment of the CLI's error. */
  expect: { status: string } | { error: string };
  /** Text that must never appear in the rendered conf file. */
  injected?: string;
}

/** The charms' blocked message for an invalid option value (configStatusMessage in the sdk). */
const invalid = (option: string, rule: string, got: unknown) =>
  `invalid config: option "${option}" ${rule} (got ${JSON.stringify(got)}); fix it with juju config`;
const SIZE = 'must be a size such as 0 (no limit), 268435456, 256mb or 2gb';
const SAVE =
  'must be pairs of "<seconds> <changes>" separated by spaces, such as "3600 1 300 100", or empty to turn RDB snapshots off';

const POLICIES =
  'noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl';

/** The corpus (messages are the charms' own, asserted exactly). */
export const CORPUS: BadInput[] = [
  {
    label: 'enable-tls of the wrong type',
    app: 'redis-k8s',
    kind: 'config',
    key: 'enable-tls',
    value: 'maybe',
    expect: { error: 'enable-tls' },
  },
  {
    label: 'maxmemory not a size',
    app: 'redis-k8s',
    kind: 'config',
    key: 'maxmemory',
    value: 'lots',
    expect: { status: invalid('maxmemory', SIZE, 'lots') },
  },
  {
    label: 'unknown maxmemory-policy',
    app: 'redis-k8s',
    kind: 'config',
    key: 'maxmemory-policy',
    value: 'allkeys-oldest',
    expect: { status: invalid('maxmemory-policy', `must be one of ${POLICIES}`, 'allkeys-oldest') },
  },
  {
    label: 'newline injecting a directive into redis.conf',
    app: 'redis-k8s',
    kind: 'config',
    key: 'maxmemory',
    value: '1mb\nslaveof 127.0.0.1 1',
    expect: { status: invalid('maxmemory', SIZE, '1mb\nslaveof 127.0.0.1 1') },
    injected: 'slaveof 127.0.0.1 1',
  },
  {
    label: 'space, quote and # injecting into redis.conf via loglevel',
    app: 'redis-k8s',
    kind: 'config',
    key: 'loglevel',
    value: 'notice" rename-command CONFIG "" #',
    expect: {
      status: invalid(
        'loglevel',
        'must be one of debug, verbose, notice, warning',
        'notice" rename-command CONFIG "" #',
      ),
    },
    injected: 'rename-command',
  },
  {
    label: 'down-after-milliseconds out of range',
    app: 'redis-sentinel-k8s',
    kind: 'config',
    key: 'down-after-milliseconds',
    value: '-5',
    expect: { status: invalid('down-after-milliseconds', 'must be at least 100 (ms)', -5) },
  },
  {
    label: 'quorum above the sentinel count',
    app: 'redis-sentinel-k8s',
    kind: 'config',
    key: 'quorum',
    value: '9',
    expect: { status: 'quorum 9 exceeds the 3 sentinel units; using 3 (add units or lower it with juju config)' },
  },
  {
    label: 'unknown appendfsync policy',
    app: 'redis-k8s',
    kind: 'config',
    key: 'appendfsync',
    value: 'sometimes',
    expect: { status: invalid('appendfsync', 'must be one of always, everysec, no', 'sometimes') },
  },
  {
    label: 'newline injecting a directive into redis.conf via save',
    app: 'redis-k8s',
    kind: 'config',
    key: 'save',
    value: '900 1\nslaveof 127.0.0.1 1',
    expect: { status: invalid('save', SAVE, '900 1\nslaveof 127.0.0.1 1') },
    injected: 'slaveof 127.0.0.1 1',
  },
  {
    label: 'min-replicas-to-write out of range',
    app: 'redis-k8s',
    kind: 'config',
    key: 'min-replicas-to-write',
    value: '-1',
    expect: { status: invalid('min-replicas-to-write', 'must be a whole number of replicas from 0 to 100', -1) },
  },
  {
    label: 'set-password too short',
    app: 'redis-k8s',
    kind: 'action',
    key: 'set-password',
    value: 'password=short',
    expect: { error: 'must be at least 16 characters' },
  },
  {
    label: 'set-password with a space and # (a conf injection)',
    app: 'redis-k8s',
    kind: 'action',
    key: 'set-password',
    value: 'password=abcdefghijklmnop rename-command #',
    expect: { error: 'may hold only letters, digits and the punctuation' },
  },
  {
    label: 'failover to a unit that does not exist',
    app: 'redis-sentinel-k8s',
    kind: 'action',
    key: 'failover',
    value: 'to=redis-k8s/9',
    expect: { error: 'cannot fail over to redis-k8s/9' },
  },
  {
    label: 'unknown action parameter',
    app: 'redis-k8s',
    kind: 'action',
    key: 'get-replication-info',
    value: 'bogus=1',
    expect: { error: 'bogus' },
  },
];

const CONF: Record<string, [string, string]> = {
  'redis-k8s': ['redis', '/etc/redis/redis.conf'],
  'redis-sentinel-k8s': ['sentinel', '/etc/redis-sentinel/sentinel.conf'],
};

async function confText(cluster: Cluster, unit: string): Promise<string> {
  const [container, path] = CONF[unit.split('/')[0] as string] as [string, string];
  const pebble = new PebbleClient({ socketPath: cluster.sim.pebbleSocket(unit, container) });
  try {
    const chunks: Buffer[] = [];
    for await (const c of await pebble.pull(path)) chunks.push(Buffer.from(c as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    return `(could not read ${path}: ${(e as Error).message})`;
  } finally {
    await pebble.close();
  }
}

export async function badInputScenario(
  cluster: Cluster,
  corpus: readonly BadInput[] = CORPUS,
): Promise<ScenarioResult> {
  const r = newResult('bad-input');
  const canary = `chaos:bad-input:${Date.now()}`;
  const primary = await cluster.atRest();
  await cluster.withRedis(primary, async (c) => {
    await c.set(canary, 'kept');
    if (Number(await c.call('WAIT', '2', '5000')) < 2) throw new Error('the canary write did not reach both replicas');
  });
  let refused = 0;
  for (const input of corpus) {
    r.faults += 1;
    let got = '';
    let pass = false;
    try {
      if (input.kind === 'action') {
        got = await cluster.sim.cli(['run', `${input.app}/0`, input.key, input.value, '--format', 'json']).then(
          (out) => `accepted: ${out.trim()}`,
          (e: Error) => e.message,
        );
        pass = 'error' in input.expect && !got.startsWith('accepted') && got.includes(input.expect.error);
      } else {
        const set = await cluster.sim.cli(['config', input.app, `${input.key}=${input.value}`]).then(
          () => null,
          (e: Error) => e.message,
        );
        if (set !== null) {
          got = `refused by the CLI: ${set.split('\n').slice(0, 3).join(' ')}`;
          pass = 'error' in input.expect && set.includes(input.expect.error);
        } else {
          await cluster.sim.cli(['wait', '--timeout', '90s'], 120_000);
          const units = (await cluster.sim.status()).applications[input.app]?.units ?? {};
          const statuses = Object.values(units).map((u) => u['workload-status']);
          got = JSON.stringify(statuses[0]);
          pass =
            'status' in input.expect &&
            statuses.length === 3 &&
            statuses.every((s) => s.current === 'blocked' && (input.expect as { status: string }).status === s.message);
          for (const unit of Object.keys(units)) {
            const conf = await confText(cluster, unit);
            if (input.injected !== undefined && conf.includes(input.injected)) {
              pass = false;
              r.notes.push(`FAIL ${input.label}: ${unit}'s conf holds the injected "${input.injected}"`);
            }
          }
          await cluster.sim.cli(['config', input.app, '--reset', input.key]);
          await cluster.sim.cli(['wait', '--timeout', '90s'], 120_000);
        }
      }
    } catch (e) {
      got = `aborted: ${(e as Error).message}`;
      pass = false;
    }
    if (pass) refused += 1;
    r.notes.push(
      `${pass ? 'refused as expected' : 'FAIL'}: ${input.label} -> ${got.replace(/\s+/g, ' ').slice(0, 300)}`,
    );
  }
  r.runs = 1;
  const errored = Object.values((await cluster.sim.status()).applications)
    .flatMap((a) => Object.entries(a.units))
    .filter(([, u]) => u['workload-status'].current === 'error')
    .map(([n]) => n);
  if (errored.length) r.notes.push(`FAIL: units in error after the corpus: ${errored.join(', ')}`);
  const at = await cluster.atRest();
  const kept = await Promise.all(REDIS_UNITS.map((u) => cluster.withRedis(u, (c) => c.get(canary))));
  r.lost = kept.filter((v) => v !== 'kept').length;
  r.primariesAtRest = await cluster.mastersNow();
  r.notes.push(
    `refused ${refused}/${corpus.length}; primary at rest ${at}; sentinels checked: ${SENTINEL_UNITS.length}`,
  );
  r.outcome =
    refused === corpus.length && errored.length === 0 && r.lost === 0 && r.primariesAtRest === 1 ? 'pass' : 'fail';
  return r;
}
