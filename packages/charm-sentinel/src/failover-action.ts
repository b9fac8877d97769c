import { setTimeout as sleep } from 'node:timers/promises';
import { CharmError, type ActionContext, type HookWorld } from '@charms/charm-sdk';
import { credentialsFor } from './credentials.js';
import { FailoverParams } from './failover-decide.js';
import type { RedisNodeConnector } from './redis-node-client.js';
import { parseRedisAppBag } from './relation-data.js';
import type { SentinelConnector } from './sentinel-client.js';
import type { SentinelState } from './state.js';
import { switchover, type Member } from './switchover.js';

/** The connectors the `failover` action uses. */
export interface FailoverConnectors {
  sentinels: SentinelConnector;
  redis: RedisNodeConnector;
}

/**
 * The `failover` action: a planned switchover of the related redis-k8s application's primary to
 * `to` (or the best healthy replica) without losing an acknowledged write (see {@link switchover}).
 */
export async function failover(
  action: ActionContext,
  world: HookWorld,
  state: SentinelState,
  connectors: FailoverConnectors,
): Promise<void> {
  let params: FailoverParams;
  try {
    params = await action.params(FailoverParams);
  } catch (e) {
    if (e instanceof CharmError && e.code === 'invalid-action-params')
      return action.fail(`${e.message}; nothing was changed`);
    throw e;
  }
  const bag = state.redis === null ? undefined : parseRedisAppBag(state.redis.appData);
  if (bag === undefined || !bag.ok || state.credentials === null || !state.credentials.ok)
    return action.fail(
      'cannot fail over: this unit does not monitor a redis-k8s application yet (relate it with `juju integrate redis-sentinel-k8s:redis redis-k8s:sentinel`; juju status says what it waits for)',
    );
  if (state.unit === null || state.address === null)
    return action.fail('cannot fail over: this unit has no address on the sentinel-peers relation yet');
  const units = bag.bag.units ?? [];
  if (units.length === 0)
    return action.fail(
      `cannot fail over: ${state.redis?.app ?? 'redis-k8s'} has not published its units' addresses (app bag key "units") yet`,
    );
  const creds = await credentialsFor(world.model, state.credentials.secretId);
  if (!creds.ok) return action.fail(`cannot fail over: ${creds.problem}`);
  const local: Member = { unit: state.unit, address: state.address };
  const sentinels: Member[] = [
    local,
    ...state.peers.flatMap((p) => (p.address === null ? [] : [{ unit: p.unit, address: p.address }])),
  ];
  const tlsCa = bag.bag.tls === 'true' ? bag.bag['tls-ca'] : undefined;
  const outcome = await switchover(
    {
      app: state.redis?.app ?? 'redis-k8s',
      masterName: bag.bag['master-name'],
      port: bag.bag.port,
      units,
      local,
      sentinels,
      total: state.peers.length + 1,
      redisPassword: creds.secrets.password,
      sentinelPassword: creds.secrets.sentinelPassword,
      ...(tlsCa === undefined ? {} : { tls: { ca: tlsCa } }),
      ...(params.to === undefined ? {} : { to: params.to }),
    },
    {
      sentinels: connectors.sentinels,
      redis: connectors.redis,
      now: () => Date.now(),
      sleep: (ms) => sleep(ms),
      progress: async (message) => {
        world.logger.info(message);
        await action.log(message);
      },
    },
  );
  await action.setResults(outcome.results);
  if (outcome.failure !== undefined) await action.fail(outcome.failure);
}
