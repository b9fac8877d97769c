import {
  active,
  blocked,
  configStatusMessage,
  maintenance,
  parseConfig,
  waiting,
  type StatusValue,
} from '@charms/charm-sdk';
import type { LayerInput } from '@charms/pebble-client';
import { effectiveMinReplicas, RedisConfig } from './config.js';
import type { HandoverSpec, RedisDesired, RelationWrite, WorkloadSpec } from './desired.js';
import { TLS_RESOURCES, type TlsResourceName } from './events.js';
import { confEntries, staticDigest, TLS_FILES } from './redis-conf.js';
import type { RedisState } from './state.js';
import { knownUnits, resolvePrimary, type Primary } from './topology.js';
import { clientAppData } from './client-keys.js';
import { DEFAULT_PATHS, DIGEST_ENV, REDIS_PORT, SERVICE, type WorkloadPaths } from './paths.js';
import { validAddress } from './relation-address.js';
import { redisStartCommand } from './start-command.js';
import type { FenceSentinel } from './sentinel-fence.js';

const PEERS = 'redis-peers';
/** How long a hook waits for the sentinels to confirm a returning primary before the next hook goes on. */
const FENCE_BOUND_MS = 20_000;

/** The Pebble layer for redis-server (pure). No secret reaches it: they live in redis.conf only. */
export function redisLayer(address: string, paths: WorkloadPaths, digest: string): LayerInput {
  return {
    summary: 'redis-k8s',
    description: 'redis-server, managed by the redis-k8s charm',
    services: {
      [SERVICE]: {
        override: 'replace',
        summary: 'Redis server',
        command: redisStartCommand(paths.conf, paths.pebbleBin),
        startup: 'enabled',
        user: 'redis',
        group: 'redis',
        environment: { [DIGEST_ENV]: digest },
      },
    },
    checks: {
      'redis-ready': {
        override: 'replace',
        level: 'ready',
        period: '10s',
        threshold: 3,
        tcp: { host: address, port: REDIS_PORT },
      },
    },
  };
}

function missingTls(state: RedisState): TlsResourceName[] {
  return TLS_RESOURCES.filter((name) => state.tls?.[name]?.attached !== true);
}

function tlsBlocked(app: string, missing: TlsResourceName[]): StatusValue {
  const verb = missing.length === 1 ? 'is' : 'are';
  return blocked(
    `enable-tls is set but ${missing.join(', ')} ${verb} not attached: juju attach-resource ${app} ${missing.map((m) => `${m}=<file>`).join(' ')}`,
  );
}

function unusableTls(state: RedisState): TlsResourceName[] {
  return TLS_RESOURCES.filter((name) => state.tls?.[name]?.attached === true && state.tls[name].problem !== undefined);
}

/** Redis would exit at start on these files, so the running server keeps its old ones. */
function tlsUnusable(app: string, bad: TlsResourceName[], state: RedisState): StatusValue {
  const why = bad.map((r) => `${r} ${state.tls?.[r]?.problem ?? ''}`).join('; ');
  return blocked(
    `enable-tls is set but ${why}: juju attach-resource ${app} ${bad.map((r) => `${r}=<file>`).join(' ')}`,
  );
}

function roleText(primary: Primary, unit: string): string {
  return primary.unit === unit ? 'primary' : `replica of ${primary.unit ?? primary.address ?? 'an unknown unit'}`;
}

function relationWrites(state: RedisState, primary: Primary | null, tls: boolean): RelationWrite[] {
  const writes: RelationWrite[] = [];
  const address = state.address;
  if (state.peers === null || address === null) return writes;
  const port = String(REDIS_PORT);
  writes.push({
    endpoint: PEERS,
    relationId: state.peers.relationId,
    app: false,
    data: { address },
    withSecretId: false,
  });
  for (const s of state.sentinels)
    writes.push({ endpoint: 'sentinel', relationId: s.relationId, app: false, data: { address }, withSecretId: false });
  for (const c of state.clients)
    writes.push({
      endpoint: 'redis',
      relationId: c.relationId,
      app: false,
      data: { hostname: address, port },
      withSecretId: false,
    });
  if (!state.leader) return writes;
  const primaryData: Record<string, string> = {};
  if (primary?.unit) primaryData['primary'] = primary.unit;
  if (primary?.address) primaryData['primary-address'] = primary.address;
  const peerApp: Record<string, string> = {
    ...primaryData,
    'failover-epoch': String(primary?.epoch ?? 0),
    leader: state.unit as string,
  };
  if (primary?.failoverSource) peerApp['failover-source'] = primary.failoverSource;
  writes.push({ endpoint: PEERS, relationId: state.peers.relationId, app: true, data: peerApp, withSecretId: true });
  const units = [...knownUnits(state)]
    .filter(([, a]) => a !== null)
    .map(([unit, a]) => ({ unit, address: a as string }))
    .sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true }));
  for (const s of state.sentinels) {
    const data = {
      'master-name': state.app ?? 'redis-k8s',
      ...primaryData,
      port,
      units: JSON.stringify(units),
      tls: String(tls),
      // the CA sentinels verify redis (and each other) with; '' removes it when TLS is off
      'tls-ca': tls ? (state.tls?.['ca-cert-file']?.pem ?? '') : '',
    };
    writes.push({ endpoint: 'sentinel', relationId: s.relationId, app: true, data, withSecretId: true });
  }
  const clientData = clientAppData(state, primary, units, tls);
  for (const c of state.clients)
    writes.push({ endpoint: 'redis', relationId: c.relationId, app: true, data: clientData, withSecretId: true });
  return writes;
}

/**
 * The sentinel units the write fence asks (pure): every unit on every sentinel relation, with its
 * address or null while unknown; a unit whose published address is no IP or host name is left out
 * (no sentinel can be reached there). Which relations count is decided from the answers
 * (fenceElectorate in sentinel-fence.ts).
 */
export function fenceSentinels(state: RedisState): FenceSentinel[] {
  return state.sentinels.flatMap((s) =>
    s.units.flatMap((u) => {
      const raw = s.addresses?.[u] ?? null;
      const address = validAddress(raw);
      return raw !== null && address === null ? [] : [{ relationId: s.relationId, address }];
    }),
  );
}

/** The other known units with an address, in unit order. */
function otherUnits(state: RedisState): { unit: string; address: string }[] {
  return [...knownUnits(state)]
    .filter(([unit, a]) => unit !== state.unit && a !== null)
    .map(([unit, a]) => ({ unit, address: a as string }))
    .sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true }));
}

/** The handover a leaving unit still owes, or undefined when it is not the primary or has handed over (pure). */
function handoverSpec(state: RedisState, primary: Primary | null, tls: boolean): HandoverSpec | undefined {
  if (state.handover !== null || state.peers === null || state.unit === null || state.address === null) return;
  if (primary?.unit !== state.unit) return;
  const candidates = otherUnits(state);
  return {
    self: { unit: state.unit, address: state.address },
    candidates,
    via: state.sentinels.length > 0 ? 'sentinel' : 'charm',
    masterName: state.app ?? 'redis-k8s',
    leader: state.leader,
    appLeader: state.peers.app.leader ?? null,
    peersRelationId: state.peers.relationId,
    epoch: primary.epoch,
    tls,
  };
}

/** What a unit being removed does: hand the primary role over if it holds it, and touch nothing else (pure). */
function leavingPlan(state: RedisState, base: RedisDesired, primary: Primary | null, tls: boolean): RedisDesired {
  const handover = handoverSpec(state, primary, tls);
  const done = state.handover;
  const message =
    handover !== undefined
      ? 'leaving: handing the primary role over'
      : done !== null
        ? `leaving: ${done.message}`
        : 'leaving';
  return {
    ...base,
    relationData: [],
    unitStatus: maintenance(message),
    ...(handover === undefined ? {} : { handover }),
  };
}

/**
 * The desired state for a folded state (pure). `paths` are where the files live in the container (tests point
 * them at temp dirs); the same signature as redis-sentinel-k8s's planner.
 */
export function plan(state: RedisState, paths: WorkloadPaths = DEFAULT_PATHS): RedisDesired {
  const config = parseConfig(RedisConfig, state.config);
  const tls = config.ok && config.config['enable-tls'];
  const primary = resolvePrimary(state);
  const secretId = state.peers?.app.secretId ?? state.createdSecretId;
  const base: RedisDesired = {
    createSecret: state.leader && secretId === null && state.peers !== null,
    secretUnconfirmed:
      state.leader && state.peers !== null && state.peers.app.secretId === undefined && state.createdSecretId !== null,
    secretId,
    relationData: relationWrites(state, primary, tls),
    workload: null,
    roleText: primary === null || state.unit === null ? null : roleText(primary, state.unit),
  };
  const wait = (why: string): RedisDesired => ({ ...base, unitStatus: waiting(why) });
  if (state.leaving) return leavingPlan(state, base, primary, tls);
  if (!config.ok) return { ...base, unitStatus: blocked(configStatusMessage(config.problems)) };
  const missing = tls ? missingTls(state) : [];
  if (missing.length > 0) return { ...base, unitStatus: tlsBlocked(state.app ?? 'redis-k8s', missing) };
  const unusable = tls ? unusableTls(state) : [];
  if (unusable.length > 0) return { ...base, unitStatus: tlsUnusable(state.app ?? 'redis-k8s', unusable, state) };
  if (state.address === null || state.unit === null) return wait('waiting for the pod address');
  if (state.peers === null) return wait(`waiting for the peer relation ${PEERS}`);
  if (primary === null) return wait('waiting for the leader to publish the primary');
  if (secretId === null && !state.leader) return wait('waiting for the leader to create the admin password');
  const isPrimary = primary.unit === state.unit;
  if (!isPrimary && primary.address === null)
    return wait(`waiting for the address of ${primary.unit ?? 'the primary'}`);
  const replicaOf = isPrimary ? null : { host: primary.address as string, port: REDIS_PORT };
  const primaryDeparted = !isPrimary && primary.unit !== null && state.departed.includes(primary.unit);
  const minReplicas = effectiveMinReplicas(config.config, knownUnits(state).size);
  const conf = confEntries({ address: state.address, config: config.config, tls, replicaOf, paths, minReplicas });
  const others = otherUnits(state);
  const tlsDigests = tls ? TLS_RESOURCES.map((r) => `${r}:${state.tls?.[r]?.sha256 ?? ''}`) : [];
  const workload: WorkloadSpec = {
    address: state.address,
    paths,
    layer: redisLayer(state.address, paths, staticDigest(conf, tlsDigests)),
    conf,
    header: `redis.conf of ${state.unit}`,
    tls: tls
      ? TLS_RESOURCES.map((r) => ({
          resource: r,
          path: `${paths.tlsDir}/${TLS_FILES[r]}`,
          mode: r === 'key-file' ? 0o600 : 0o644,
        }))
      : [],
    role: isPrimary
      ? { kind: 'primary' }
      : { kind: 'replica', primaryUnit: primary.unit, primaryAddress: primary.address as string },
    expectedRole: isPrimary ? 'master' : 'slave',
    // a replica whose primary left waits for the leader to name the successor (the handover repoints it)
    replicaOfLive: state.sentinels.length === 0 && !primaryDeparted,
    ...(isPrimary && others.length > 0
      ? {
          emptyGuard: {
            dataDir: paths.dataDir,
            peers: others,
            via: state.sentinels.length > 0 ? 'sentinel' : 'charm',
          },
        }
      : {}),
    ...(isPrimary && state.sentinels.length > 0
      ? {
          sentinelFence: {
            sentinels: fenceSentinels(state),
            masterName: state.app ?? 'redis-k8s',
            boundMs: FENCE_BOUND_MS,
          },
        }
      : {}),
    ...(primary.source === 'promotion' && state.peers.app.primaryAddress !== undefined
      ? { awaitHandoverFrom: state.peers.app.primaryAddress }
      : {}),
  };
  const failing = Object.entries(state.failingChecks).sort(([a], [b]) => a.localeCompare(b));
  const unitStatus =
    failing.length > 0
      ? waiting(failing.map(([name, n]) => `${name} check failing (${n} ${n === 1 ? 'time' : 'times'})`).join(', '))
      : active([roleText(primary, state.unit), minReplicas.relaxed].filter((x) => x !== null).join('; '));
  return { ...base, workload, unitStatus, ports: [{ protocol: 'tcp', port: REDIS_PORT }] };
}
