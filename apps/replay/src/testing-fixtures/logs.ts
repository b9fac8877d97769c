import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  events as redisEvents,
  projection as redisProjection,
  type Observed as RedisObserved,
} from '@charms/charm-redis';
import { events as sentinelEvents } from '@charms/charm-sentinel';
import {
  openEventLog,
  type EventDefinitions,
  type EventInput,
  type EventSchema,
  type Projection,
} from '@charms/event-log';

/** A temporary directory and its cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'charm-replay-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Appends `inputs` to a real event log at `dir` (created), one durable append each. */
export async function writeLog<D extends EventDefinitions, S>(
  dir: string,
  schema: EventSchema<D>,
  inputs: EventInput<D>[],
  options: { snapshotEvery?: number; projection?: Projection<D, S> } = {},
): Promise<void> {
  const log = await openEventLog<D, S>({
    dir,
    schema,
    snapshotEvery: options.snapshotEvery ?? 0,
    maxSegmentBytes: 4096,
    ...(options.projection === undefined ? {} : { projection: options.projection }),
  });
  for (const input of inputs) await log.append(input);
  await log.close();
}

/** The redis-k8s config defaults. */
export const REDIS_DEFAULTS = {
  'enable-tls': false,
  maxmemory: '0',
  'maxmemory-policy': 'noeviction',
  loglevel: 'notice',
};

type RedisInput = EventInput<typeof redisEvents.definitions>;

/** A redis-k8s/0 (leader) observation in hook `name`, overridable. */
export function redisHook(
  name: string,
  overrides: Partial<RedisObserved> = {},
  facts: Partial<RedisObserved['facts']> = {},
): RedisInput {
  const kind = name.replace(/^redis-peers-/, '').replace(/^redis-/, '');
  return {
    type: 'hook',
    payload: {
      facts: { name, kind, unit: 'redis-k8s/0', app: 'redis-k8s', jujuVersion: '3.6.8', ...facts },
      config: { ...REDIS_DEFAULTS },
      leader: true,
      address: '127.1.0.3',
      pebble: { reachable: true, bootId: 'boot-1' },
      peers: {
        relationId: 1,
        units: { 'redis-k8s/1': '127.1.0.4' },
        app: { primary: 'redis-k8s/0', primaryAddress: '127.1.0.3', failoverEpoch: 0, secretId: 'secret:admin' },
      },
      sentinels: [],
      clients: [],
      tls: null,
      ...overrides,
    },
  };
}

/**
 * The history of a redis-k8s leader: install with Pebble down, pebble-ready and a first start, a
 * peer joining, a live maxmemory change, then a loglevel change and enable-tls without resources.
 * Seqs: 1 install, 2 pebble-ready, 3 reconciled, 4 peer joined, 5 maxmemory, 6 reconciled (live),
 * 7 loglevel, 8 enable-tls, 9 a failed hook.
 */
export function redisHistory(): RedisInput[] {
  const down = { pebble: { reachable: false, bootId: null }, peers: null };
  return [
    redisHook('install', down),
    redisHook(
      'redis-pebble-ready',
      {
        peers: {
          relationId: 1,
          units: {},
          app: { primary: 'redis-k8s/0', primaryAddress: '127.1.0.3', failoverEpoch: 0, secretId: 'secret:admin' },
        },
      },
      { container: 'redis' },
    ),
    {
      type: 'workload-observed',
      payload: {
        layerChanged: true,
        restarted: [],
        started: ['redis-server'],
        filesPushed: ['/etc/redis/redis.conf'],
        liveConfig: {},
        verification: {
          ok: true,
          expected: 'master',
          role: 'master',
          masterHost: null,
          linkStatus: null,
          connectedReplicas: 0,
          runId: 'run-1',
          elapsedMs: 12,
        },
      },
    },
    redisHook('redis-peers-relation-joined', {}, { endpoint: 'redis-peers', relationId: 1, remoteUnit: 'redis-k8s/1' }),
    redisHook('config-changed', { config: { ...REDIS_DEFAULTS, maxmemory: '256mb' } }),
    {
      type: 'workload-observed',
      payload: {
        layerChanged: false,
        restarted: [],
        started: [],
        filesPushed: ['/etc/redis/redis.conf'],
        liveConfig: { maxmemory: '268435456' },
      },
    },
    redisHook('config-changed', { config: { ...REDIS_DEFAULTS, maxmemory: '256mb', loglevel: 'warning' } }),
    redisHook('config-changed', {
      config: { ...REDIS_DEFAULTS, maxmemory: '256mb', loglevel: 'warning', 'enable-tls': true },
    }),
    {
      type: 'hook-failed',
      payload: {
        hook: 'update-status',
        stage: 'reconcile',
        eventSeq: 8,
        error: { name: 'PebbleError', code: 'connection-failed', message: 'cannot connect to Pebble' },
      },
    },
  ];
}

/** Writes {@link redisHistory} to `dir`, with snapshots of the charm's projection every `snapshotEvery` records. */
export function writeRedisLog(dir: string, options: { snapshotEvery?: number } = {}): Promise<void> {
  return writeLog(dir, redisEvents, redisHistory(), { ...options, projection: redisProjection });
}

type SentinelInput = EventInput<typeof sentinelEvents.definitions>;

/** A redis-k8s application bag as redis-sentinel-k8s reads it, primary at `primaryAddress`. */
function redisBag(primaryAddress: string): Record<string, string> {
  return {
    'master-name': 'redis-k8s',
    primary: 'redis-k8s/0',
    'primary-address': primaryAddress,
    port: '6379',
    'secret-id': 'secret:cred1',
    units: JSON.stringify([1, 2].map((n) => ({ unit: `redis-k8s/${n - 1}`, address: `127.1.0.${n}` }))),
  };
}

/** A redis-sentinel-k8s/0 (leader) observation in hook `name`; `primaryAddress` null: no redis relation yet. */
function sentinelHook(name: string, primaryAddress: string | null): SentinelInput {
  return {
    type: 'hook',
    payload: {
      facts: {
        name,
        kind: name.replace(/^redis-/, ''),
        unit: 'redis-sentinel-k8s/0',
        app: 'redis-sentinel-k8s',
        jujuVersion: '3.6.8',
      },
      config: { 'down-after-milliseconds': 5000, 'failover-timeout': 30000, 'parallel-syncs': 1 },
      leader: true,
      address: '127.1.0.10',
      myid: { value: 'a'.repeat(40), stored: false },
      peers: [],
      redis:
        primaryAddress === null
          ? null
          : {
              id: 3,
              joined: true,
              app: 'redis-k8s',
              units: ['redis-k8s/0', 'redis-k8s/1'],
              appData: redisBag(primaryAddress),
              published: {},
            },
      credentials:
        primaryAddress === null
          ? null
          : {
              ok: true,
              secretId: 'secret:cred1',
              password: 'redis-password-1',
              sentinelPassword: 'sentinel-password-1',
            },
      pebble: { reachable: true, bootId: 'boot-1', service: null },
      sentinel: null,
      notice: null,
    },
  };
}

/**
 * A redis-sentinel-k8s leader: 1 install without the redis relation, 2 the relation with primary
 * 127.1.0.1, 3 redis-k8s publishing primary 127.1.0.2.
 */
export function writeSentinelLog(dir: string): Promise<void> {
  return writeLog(dir, sentinelEvents, [
    sentinelHook('install', null),
    sentinelHook('redis-relation-changed', '127.1.0.1'),
    sentinelHook('redis-relation-changed', '127.1.0.2'),
  ]);
}
