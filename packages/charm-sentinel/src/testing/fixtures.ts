import type { EventInput, LoggedEvent } from '@charms/event-log';
import type { z } from 'zod';
import { events, type Observed, type Reconciled, type SentinelEvents } from '../events.js';
import { INITIAL_STATE, reduce, type SentinelState } from '../state.js';

/** Observation input as observe() returns it (secrets in plain text; the schema digests them). */
export type ObservedInput = z.input<typeof Observed>;

export const MYID_A = 'a'.repeat(40);
export const MYID_B = 'b'.repeat(40);
export const MYID_C = 'c'.repeat(40);

/** A redis-k8s app bag per the contract, primary redis-k8s/0 at 127.1.0.1. */
export function redisBag(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'master-name': 'redis-k8s',
    primary: 'redis-k8s/0',
    'primary-address': '127.1.0.1',
    port: '6379',
    'secret-id': 'secret:cred1',
    units: JSON.stringify([0, 1, 2].map((n) => ({ unit: `redis-k8s/${n}`, address: `127.1.0.${n + 1}` }))),
    ...overrides,
  };
}

/** A complete observation of a healthy leader unit with a running sentinel; override any part. */
export function observed(overrides: Partial<ObservedInput> = {}): EventInput<SentinelEvents> {
  const payload: ObservedInput = {
    facts: {
      name: 'config-changed',
      kind: 'config-changed',
      unit: 'redis-sentinel-k8s/0',
      app: 'redis-sentinel-k8s',
      jujuVersion: '3.6.8',
    },
    config: { 'down-after-milliseconds': 5000, 'failover-timeout': 30000, 'parallel-syncs': 1 },
    leader: true,
    address: '127.1.0.10',
    myid: { value: MYID_A, stored: false },
    peers: [],
    redis: {
      id: 3,
      joined: true,
      app: 'redis-k8s',
      units: ['redis-k8s/0', 'redis-k8s/1', 'redis-k8s/2'],
      appData: redisBag(),
      published: {},
    },
    credentials: {
      ok: true,
      secretId: 'secret:cred1',
      password: 'redis-password-1',
      sentinelPassword: 'sentinel-password-1',
    },
    pebble: { reachable: true, bootId: 'boot-1', service: 'active' },
    sentinel: null,
    notice: null,
    ...overrides,
  };
  return { type: 'hook', payload };
}

/** A `sentinel-reconciled` event input. */
export function reconciled(overrides: Partial<z.input<typeof Reconciled>> = {}): EventInput<SentinelEvents> {
  return {
    type: 'sentinel-reconciled',
    payload: {
      bootId: 'boot-1',
      relationId: 3,
      rendered: null,
      restarted: false,
      started: [],
      scriptPushed: false,
      set: [],
      reset: false,
      auth: null,
      published: null,
      view: null,
      ...overrides,
    },
  };
}

/** Peer facts for units 1..n-1 with addresses 127.1.0.11.. and ids b.., c... */
export function peers(count: number): ObservedInput['peers'] {
  return Array.from({ length: count }, (_, i) => ({
    unit: `redis-sentinel-k8s/${i + 1}`,
    address: `127.1.0.${11 + i}`,
    myid: String.fromCharCode(98 + i).repeat(40),
  }));
}

/** A sentinel view of the master at `ip` with `configEpoch`. */
export function view(
  ip: string,
  configEpoch: number,
  extra: Partial<{ flags: string[]; quorum: number; myid: string; address: string }> = {},
) {
  return {
    ok: true as const,
    myid: extra.myid ?? MYID_A,
    address: { host: extra.address ?? ip, port: 6379 },
    master: {
      name: 'redis-k8s',
      ip,
      port: 6379,
      flags: extra.flags ?? ['master'],
      configEpoch,
      numSlaves: 2,
      numOtherSentinels: 2,
      quorum: extra.quorum ?? 2,
      downAfterMilliseconds: 5000,
      failoverTimeout: 30000,
      parallelSyncs: 1,
    },
  };
}

/** Events as the log would return them (validated, secrets digested), numbered from `firstSeq`. */
export function logged(inputs: EventInput<SentinelEvents>[], firstSeq = 1): LoggedEvent<SentinelEvents>[] {
  return inputs.map((input, i) => ({
    ...events.union.parse(input),
    seq: firstSeq + i,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, firstSeq + i)).toISOString(),
    version: 1,
    hash: 'test',
  }));
}

/** Folds event inputs from the initial state (or `from`). */
export function fold(inputs: EventInput<SentinelEvents>[], from: SentinelState = INITIAL_STATE): SentinelState {
  return logged(inputs).reduce(reduce, from);
}
