import { randomBytes } from 'node:crypto';
import { defineCharm, type CharmDefinition } from '@charms/charm-sdk';
import { events, type SentinelEvents } from './events.js';
import { failover } from './failover-action.js';
import { getPrimary } from './get-primary.js';
import { observe } from './observe.js';
import { DEFAULT_PATHS, type SentinelPaths } from './paths.js';
import { plan, type SentinelDesired } from './plan.js';
import { outcomeChanged, reconcile, type ReconcileSeams, type SentinelOutcome } from './reconcile.js';
import { ioredisConnector, type SentinelConnector } from './sentinel-client.js';
import { ioredisNodeConnector, type RedisNodeConnector } from './redis-node-client.js';
import { projection, type SentinelState } from './state.js';

/** Seams of {@link createSentinelCharm}; all default to the real world. */
export interface SentinelCharmOptions {
  paths?: Partial<SentinelPaths>;
  connector?: SentinelConnector;
  /** How the `failover` action reaches redis-k8s's units. */
  redisConnector?: RedisNodeConnector;
  /** A fresh sentinel id (40 lowercase hex digits). */
  newId?: () => string;
  /** How long a just-started sentinel may take to answer. */
  startTimeoutMs?: number;
  /** Bounds of the leader's reset pass. */
  converge?: ReconcileSeams['converge'];
}

/** The redis-sentinel-k8s charm with its seams bound. */
export type SentinelCharm = CharmDefinition<SentinelEvents, SentinelState, SentinelDesired, SentinelOutcome>;

/** Builds the charm: observe -> record -> fold -> plan -> reconcile -> verify (charm-sdk README, The pipeline). */
export function createSentinelCharm(options: SentinelCharmOptions = {}): SentinelCharm {
  const paths: SentinelPaths = { ...DEFAULT_PATHS, ...options.paths };
  const connector = options.connector ?? ioredisConnector;
  const newId = options.newId ?? (() => randomBytes(20).toString('hex'));
  return defineCharm({
    events,
    projection,
    observe: (world) => observe(world, { connector, newId }),
    plan: (state) => plan(state, paths),
    actions: {
      'get-primary': (action, world, state) => getPrimary(action, world, state, connector),
      failover: (action, world, state) =>
        failover(action, world, state, { sentinels: connector, redis: options.redisConnector ?? ioredisNodeConnector }),
    },
    reconcile: (desired, world, state) =>
      reconcile(desired, world, state, {
        connector,
        paths,
        ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
        ...(options.converge === undefined ? {} : { converge: options.converge }),
      }),
    async verify(desired, outcome, { logger }) {
      const myid = desired.workload?.conf.base.myid;
      if (outcome.view?.ok && myid !== undefined && outcome.view.myid !== myid) {
        logger.warn(
          { expected: myid, actual: outcome.view.myid },
          'sentinel runs with another id than the charm rendered',
        );
      }
      if (!outcomeChanged(outcome)) return {};
      // the outcome's facts are the event's fields; the status is the runner's to apply
      const { unitStatus: _status, ...payload } = outcome;
      const observation = { type: 'sentinel-reconciled' as const, payload };
      return { observation };
    },
  });
}

/** The charm as Juju runs it. */
export const sentinelCharm: SentinelCharm = createSentinelCharm();
