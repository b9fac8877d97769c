import { defineCharm, maintenance, waiting, type HookWorld, type OutcomeBase } from '@charms/charm-sdk';
import { createActions } from './actions.js';
import type { HandoverSpec, RedisDesired } from './desired.js';
import { events, type HandoverRecord, type WorkloadObserved } from './events.js';
import { handOver } from './handover.js';
import { isRedisCharmError } from './errors.js';
import { observe } from './observe.js';
import { createPasswordSecret, readPasswords, type Passwords } from './passwords.js';
import { plan } from './plan.js';
import { relationWrites } from './publish.js';
import { ioredisConnector, type RedisConnector } from './redis-client.js';
import { projection, type RedisState } from './state.js';
import { reconcileWorkload } from './reconcile.js';
import { verifyRole, type RoleCheck } from './verify.js';
import { DEFAULT_PATHS, type WorkloadPaths } from './paths.js';

/** Seams and bounds of the charm; the defaults are the deployed charm's. */
export interface RedisCharmOptions {
  /** Container paths (tests running Pebble on the host point them at a temp dir). */
  paths?: WorkloadPaths;
  connect?: RedisConnector;
  /** How long a hook waits for redis-server to answer and reach its role after a (re)start (default 20 s). */
  verifyTimeoutMs?: number;
}

/** What reconciling reports to the pipeline; verify turns `observed` into the `workload-observed` event. */
export interface RedisOutcome extends OutcomeBase {
  observed: WorkloadObserved;
  /** The server to verify, when reconciling reached it (verify.ts). */
  check?: RoleCheck;
}

function noteworthy(o: WorkloadObserved): boolean {
  return (
    o.secretCreated !== undefined ||
    o.layerChanged ||
    o.restarted.length > 0 ||
    o.started.length > 0 ||
    o.filesPushed.length > 0 ||
    Object.keys(o.liveConfig).length > 0 ||
    o.replicaOf !== undefined ||
    o.passwordRotation !== undefined ||
    o.handover !== undefined ||
    o.heldEmpty !== undefined ||
    o.fence !== undefined
  );
}

/** A leader that handed over by itself records the successor where every unit looks for the primary. */
async function recordSuccessor(world: HookWorld, spec: HandoverSpec, rec: HandoverRecord): Promise<void> {
  if (!spec.leader || rec.via !== 'charm' || rec.outcome !== 'handed-over' || rec.successor === null) return;
  const rel = await world.model.relation('redis-peers');
  await rel?.setAppData({
    primary: rec.successor,
    'primary-address': rec.successorAddress ?? '',
    'failover-epoch': String(spec.epoch + 1),
    'failover-source': 'charm',
  });
}

/** The redis-k8s charm with the given seams. */
export function createRedisCharm(options: RedisCharmOptions = {}) {
  const paths = options.paths ?? DEFAULT_PATHS;
  const connect = options.connect ?? ioredisConnector;
  const verifyTimeoutMs = options.verifyTimeoutMs ?? 20_000;

  async function reconcile(desired: RedisDesired, world: HookWorld, _state: RedisState): Promise<RedisOutcome> {
    const observed: WorkloadObserved = {
      layerChanged: false,
      restarted: [],
      started: [],
      filesPushed: [],
      liveConfig: {},
    };
    let secretId = desired.secretId;
    let passwords: Passwords | undefined;
    const lost =
      desired.secretUnconfirmed &&
      secretId !== null &&
      (await world.model.secrets.find({ id: secretId })) === undefined;
    if (lost)
      world.logger.warn({ secretId }, 'the password secret this unit created is gone (its hook was rolled back)');
    if (desired.createSecret || lost) {
      const created = await createPasswordSecret(world.model);
      secretId = created.id;
      passwords = created.passwords;
      observed.secretCreated = created.id;
      world.logger.info({ secretId }, 'created the password secret');
    }
    if ((desired.workload === null && desired.handover === undefined) || secretId === null) return { observed };
    try {
      passwords ??= await readPasswords(world.model, secretId);
    } catch (e) {
      if (!isRedisCharmError(e, 'secret-unavailable')) throw e;
      return { observed, unitStatus: waiting(e.message) };
    }
    if (desired.handover !== undefined) {
      const spec = desired.handover;
      const ca = spec.tls ? (await world.model.resource('ca-cert-file')).bytes.toString('utf8') : undefined;
      const rec = await handOver(spec, passwords, { connect, ...(ca === undefined ? {} : { ca }) });
      observed.handover = rec;
      world.logger.info({ handover: rec }, rec.message);
      await recordSuccessor(world, spec, rec);
      return { observed, unitStatus: maintenance(`leaving: ${rec.message}`) };
    }
    if (desired.workload === null) return { observed };
    const result = await reconcileWorkload(desired.workload, passwords, world, { connect, verifyTimeoutMs });
    return {
      observed: { ...observed, ...result.observed },
      ...(result.check === undefined ? {} : { check: result.check }),
      ...(result.status === undefined ? {} : { unitStatus: result.status }),
    };
  }

  return defineCharm({
    events,
    projection,
    observe,
    plan: (state) => plan(state, paths),
    // relation data is desired state: the runner writes it after reconciling (a new secret's id included)
    async reconcile(desired, world, state) {
      const outcome = await reconcile(desired, world, state);
      const secretId = outcome.observed.secretCreated ?? desired.secretId;
      return { ...outcome, relations: relationWrites(desired.relationData, secretId) };
    },
    async verify(desired, outcome) {
      const spec = desired.workload;
      const verdict =
        spec !== null && outcome.check !== undefined
          ? await verifyRole(connect, spec, outcome.check, desired.roleText ?? 'unknown role', {
              timeoutMs: verifyTimeoutMs,
            })
          : {};
      const observed = verdict.verification
        ? { ...outcome.observed, verification: verdict.verification }
        : outcome.observed;
      return {
        ...(noteworthy(observed) ? { observation: { type: 'workload-observed' as const, payload: observed } } : {}),
        ...(verdict.status === undefined ? {} : { unitStatus: verdict.status }),
      };
    },
    actions: createActions({ connect, paths, verifyTimeoutMs }),
  });
}

/** The deployed charm. */
export const redisCharm = createRedisCharm();
