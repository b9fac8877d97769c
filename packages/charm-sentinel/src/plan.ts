import type { SecretRef } from '@charms/event-log';
import { redisServerCommand } from '@charms/charm-sdk/redis';
import type { LayerInput } from '@charms/pebble-client';
import {
  active,
  ADDRESS_KEY,
  blocked,
  configStatusMessage,
  maintenance,
  parseConfig,
  waiting,
  type DesiredBase,
  type StatusValue,
} from '@charms/charm-sdk';
import { decideQuorum, SentinelOptions, type RuntimeSettings } from './config.js';
import { DEFAULT_PATHS, PEER_ENDPOINT, SENTINEL_PORT, type SentinelPaths } from './paths.js';
import type { ConvergePlan } from './converge.js';
import { reconfigScript } from './reconfig-script.js';
import { Address, parsePublished, parseRedisAppBag, type PublishedPrimary, type RedisAppBag } from './relation-data.js';
import { baseHash, CONF_FORMAT, type SentinelBase, type SentinelConfInput } from './sentinel-conf.js';
import { masterHealthy } from './sentinel-view.js';
import type { FailoverRecord, KnownView, SentinelState } from './state.js';
import {
  missingTlsResources,
  sha256,
  unusableTlsResources,
  TLS_FILES,
  type ClientTls,
  type TlsResourceName,
} from './tls.js';

/** The TLS files reconcile writes (mode 0600): the resources by name, the CA from the relation. */
export interface TlsFilesPlan {
  resources: ReadonlyArray<{ resource: TlsResourceName; path: string }>;
  ca: { path: string; content: string };
}

/** How this unit's sentinel should run. */
export interface WorkloadPlan {
  layer: LayerInput;
  script: string;
  conf: SentinelConfInput;
  /** {@link baseHash} of `conf.base`. */
  hash: string;
  /** Render sentinel.conf and (re)start: the base changed, or this Pebble boot has no rendered file. */
  render: boolean;
  runtime: RuntimeSettings;
  masterName: string;
  secretId: string;
  /** Digest of the redis password sentinel must use as auth-pass. */
  authDigest: SecretRef;
  /** The auth-pass sentinel holds differs from {@link authDigest}: `SENTINEL SET auth-pass`. */
  authChanged: boolean;
  endpoint: { host: string; port: number; tls?: ClientTls };
  /** Set while redis-k8s serves TLS (sentinel then serves TLS only too). */
  tls?: TlsFilesPlan;
  /** Leader only: reset, one at a time, the sentinels that still know departed ones. */
  converge?: ConvergePlan;
}

/** What the unit should look like (pure function of the folded state). */
export interface SentinelDesired extends DesiredBase {
  workload?: WorkloadPlan;
  /** Stop the sentinel service: there is nothing valid to monitor. */
  stop?: boolean;
  /** Leader only: the new primary to publish on the redis relation's application bag. */
  publish?: { relationId: number; data: PublishedPrimary };
  /** This unit's bag on the peer relation (written by the runner as `relations`). */
  peerData?: { address: string; myid: string };
  /** Write the sentinel id to Juju's unit state (it is not stored there yet). */
  persistMyid?: string;
}

/** The peer unit bag keys. */
export const PEER_KEYS = { address: ADDRESS_KEY, myid: 'myid' } as const;

/** A primary sentinel chose, with the config epoch of that choice. */
export interface FailedOverPrimary {
  host: string;
  port: number;
  epoch: number;
  seq: number;
}

/** Splits sentinel's `ip:port` (the last colon, so IPv6 addresses work). */
export function splitHostPort(text: string | null): { host: string; port: number } | null {
  const at = text?.lastIndexOf(':') ?? -1;
  if (text === null || at <= 0) return null;
  const host = text.slice(0, at);
  const port = Number(text.slice(at + 1));
  return Address.safeParse(host).success && Number.isInteger(port) && port > 0 && port < 65536 ? { host, port } : null;
}

/** Where the local sentinel's view says the master is: GET-MASTER-ADDR-BY-NAME, else SENTINEL MASTER's address. */
export function viewAddress(view: KnownView): { host: string; port: number } {
  return view.address ?? { host: view.master.ip, port: view.master.port };
}

/**
 * The newest primary a failover of this relation's master produced (pure): the local sentinel's
 * GET-MASTER-ADDR-BY-NAME after a failover (config epoch above 0; while a failover reconfigures
 * replicas it already names the promoted one) or the failover notice's `to`, whichever has the
 * higher epoch (then the later).
 */
export function failedOverPrimary(
  view: KnownView | null,
  failover: FailoverRecord | null,
  relationId: number,
): FailedOverPrimary | null {
  const candidates: FailedOverPrimary[] = [];
  if (view !== null && view.relationId === relationId && view.master.configEpoch > 0) {
    const at = viewAddress(view);
    if (at.host !== view.master.ip || masterHealthy(view.master))
      candidates.push({ ...at, epoch: view.master.configEpoch, seq: view.seq });
  }
  const to = failover !== null && failover.relationId === relationId ? splitHostPort(failover.to) : null;
  if (failover !== null && to !== null) candidates.push({ ...to, epoch: failover.epoch, seq: failover.seq });
  return candidates.sort((a, b) => b.epoch - a.epoch || b.seq - a.seq)[0] ?? null;
}

/**
 * The master sentinel should monitor when (re)rendering: the newest failover, its view, else what redis-k8s published.
 */
export function currentPrimary(
  state: Pick<SentinelState, 'view' | 'lastFailover'>,
  relationId: number,
  bag: RedisAppBag,
): { host: string; port: number } {
  const failedOver = failedOverPrimary(state.view, state.lastFailover, relationId);
  if (failedOver !== null) return { host: failedOver.host, port: failedOver.port };
  if (state.view !== null && state.view.relationId === relationId) return viewAddress(state.view);
  return { host: bag['primary-address'], port: bag.port };
}

/**
 * What the leader publishes after a failover (pure): the newest failed-over primary when it differs
 * from what was published, with an epoch that never goes back (sentinel's config epoch, or one
 * more than the published one if that is higher).
 */
export function publication(
  primary: FailedOverPrimary | null,
  published: Record<string, string> | null,
): PublishedPrimary | undefined {
  if (primary === null) return undefined;
  const current = parsePublished(published);
  if (current.address === primary.host) return undefined;
  const epoch = Math.max(primary.epoch, current.epoch + 1);
  return { 'primary-address': primary.host, 'failover-epoch': String(epoch) };
}

/**
 * Why no failover can happen now, when sentinels this one knew are down (pure): CKQUORUM said
 * NOQUORUM and fewer are usable than it knows. Sentinels not yet discovered are not counted as lost.
 */
export function lostSentinels(view: KnownView | null, relationId: number): string | undefined {
  const q = view?.relationId === relationId ? view.quorum : undefined;
  if (view === null || q === undefined || q.ok) return undefined;
  const known = view.master.numOtherSentinels + 1;
  if (q.usable >= known) return undefined;
  const majority = Math.floor(known / 2) + 1;
  return `failover impossible: ${known - q.usable} of ${known} sentinels down, ${q.usable} reachable (quorum ${view.master.quorum}, a failover needs ${Math.max(majority, view.master.quorum)}); bring the sentinel units back`;
}

/**
 * Whether the leader should make every sentinel forget departed units (pure): sentinel or redis units
 * left and no pass has confirmed them forgotten yet (a new leader inherits the lists from its own log).
 */
export function convergeDue(state: SentinelState): boolean {
  return state.leader && (state.departed.length > 0 || state.redisDeparted.length > 0);
}

function convergePlan(state: SentinelState, masterName: string): ConvergePlan {
  const self = state.unit !== null && state.address !== null ? [{ unit: state.unit, address: state.address }] : [];
  const peers = state.peers.flatMap((p) => (p.address === null ? [] : [{ unit: p.unit, address: p.address }]));
  return {
    masterName,
    members: [...self, ...peers],
    departed: [...state.departed],
    departedReplicas: [...state.redisDeparted],
  };
}

/** The Pebble layer running sentinel on `confFile`. */
export function sentinelLayer(confFile: string): LayerInput {
  return {
    summary: 'redis-sentinel-k8s',
    description: 'Redis Sentinel, managed by the redis-sentinel-k8s charm.',
    services: {
      sentinel: {
        override: 'replace',
        summary: 'Redis Sentinel',
        // the ubuntu/redis image has redis-server but not always the redis-sentinel link: this works with both
        command: redisServerCommand(confFile, '--sentinel'),
        startup: 'enabled',
      },
    },
  };
}

function sameSecret(a: SecretRef | null, b: SecretRef): boolean {
  return a !== null && a.$secret === b.$secret;
}

/** The desired state for a folded state (pure). */
export function plan(state: SentinelState, paths: SentinelPaths = DEFAULT_PATHS): SentinelDesired {
  const base: SentinelDesired = {};
  if (state.myid !== null && !state.myidStored) base.persistMyid = state.myid;
  if (state.myid !== null && state.address !== null) {
    base.peerData = { address: state.address, myid: state.myid };
    // the runner writes it; Juju refuses the bag until this unit entered the peer relation's scope
    const data = { [PEER_KEYS.address]: state.address, [PEER_KEYS.myid]: state.myid };
    base.relations = [{ endpoint: PEER_ENDPOINT, data, skipOutOfScope: true }];
  }
  const status = (s: StatusValue, extra: Partial<SentinelDesired> = {}): SentinelDesired => ({
    ...base,
    unitStatus: s,
    appStatus: s,
    ...extra,
  });

  // the pod is going away: stop sentinel now so the others see it down and can forget it
  if (state.lastHook === 'stop') return status(maintenance('sentinel stopped: the unit is stopping'), { stop: true });
  const options = parseConfig(SentinelOptions, state.config);
  if (!options.ok) return status(blocked(configStatusMessage(options.problems)));
  const redis = state.redis;
  if (redis === null)
    return status(blocked('missing relation to redis-k8s: juju integrate <this app>:redis redis-k8s:sentinel'), {
      stop: true,
    });
  const remote = redis.app ?? 'the redis application';
  if (!redis.joined) return status(waiting(`waiting to join the relation with ${remote}`));
  const parsed = parseRedisAppBag(redis.appData);
  if (!parsed.ok) {
    if (parsed.reason === 'incomplete')
      return status(waiting(`waiting for ${remote} to publish ${parsed.missing.join(', ')}`));
    return status(
      blocked(`${remote} published invalid relation data: ${parsed.problems[0]}; check its charm revision`),
    );
  }
  const bag = parsed.bag;
  const tlsCa = bag.tls === 'true' ? bag['tls-ca'] : undefined;
  if (bag.tls === 'true') {
    if (tlsCa === undefined) return status(waiting(`waiting for ${remote} to publish tls-ca (it serves TLS)`));
    const missing = missingTlsResources(state.tls);
    if (missing.length > 0)
      return status(
        blocked(
          `${remote} serves TLS; attach this charm's certificate (signed by its CA): juju attach-resource ${state.app ?? 'redis-sentinel-k8s'} ${missing.map((m) => `${m}=<file>`).join(' ')}`,
        ),
      );
    const unusable = unusableTlsResources(state.tls);
    if (unusable.length > 0)
      return status(
        blocked(
          `${remote} serves TLS but ${unusable.map(([r, why]) => `${r} ${why}`).join('; ')}: juju attach-resource ${state.app ?? 'redis-sentinel-k8s'} ${unusable.map(([r]) => `${r}=<file>`).join(' ')}`,
        ),
      );
  }
  const creds = state.credentials;
  if (creds === null || creds.secretId !== bag['secret-id'])
    return status(waiting(`waiting for the credentials secret of ${remote}`));
  if (!creds.ok) return status(waiting(`waiting for the credentials secret of ${remote}: ${creds.problem}`));
  if (state.address === null || !Address.safeParse(state.address).success)
    return status(waiting('waiting for the pod address'));
  if (state.myid === null) return status(waiting('waiting for a sentinel id'));

  const sentinels = state.peers.length + 1;
  const quorum = decideQuorum(options.config.quorum, sentinels);
  const runtime: RuntimeSettings = {
    quorum: quorum.quorum,
    'down-after-milliseconds': options.config['down-after-milliseconds'],
    'failover-timeout': options.config['failover-timeout'],
    'parallel-syncs': options.config['parallel-syncs'],
  };
  const monitor = currentPrimary(state, redis.id, bag);
  const sentinelBase: SentinelBase = {
    format: CONF_FORMAT,
    masterName: bag['master-name'],
    relationId: redis.id,
    bind: state.address,
    port: SENTINEL_PORT,
    myid: state.myid,
    dataDir: paths.dataDir,
    scriptPath: paths.scriptPath,
    requirepassDigest: creds.sentinelPassword.$secret,
  };
  let tls: TlsFilesPlan | undefined;
  if (tlsCa !== undefined) {
    const file = (name: string) => `${paths.tlsDir}/${name}`;
    tls = {
      resources: [
        { resource: 'cert-file', path: file(TLS_FILES.cert) },
        { resource: 'key-file', path: file(TLS_FILES.key) },
      ],
      ca: { path: file(TLS_FILES.ca), content: tlsCa },
    };
    sentinelBase.tls = {
      certFile: file(TLS_FILES.cert),
      keyFile: file(TLS_FILES.key),
      caFile: file(TLS_FILES.ca),
      certSha256: state.tls?.['cert-file'].sha256 ?? '',
      keySha256: state.tls?.['key-file'].sha256 ?? '',
      caSha256: sha256(tlsCa),
    };
  }
  const hash = baseHash(sentinelBase);
  const conf: SentinelConfInput = {
    base: sentinelBase,
    monitor,
    runtime,
    knownReplicas: (bag.units ?? [])
      .filter((u) => u.address !== monitor.host)
      .map((u) => ({ host: u.address, port: bag.port })),
    knownSentinels: state.peers.flatMap((p) =>
      p.address !== null && p.myid !== null && /^[0-9a-f]{40}$/.test(p.myid) && Address.safeParse(p.address).success
        ? [{ host: p.address, port: SENTINEL_PORT, myid: p.myid }]
        : [],
    ),
  };
  const rendered = state.rendered;
  const workload: WorkloadPlan = {
    layer: sentinelLayer(paths.confFile),
    script: reconfigScript(paths.pebbleBin),
    conf,
    hash,
    render: rendered === null || rendered.hash !== hash || rendered.bootId !== state.pebble.bootId,
    runtime,
    masterName: bag['master-name'],
    secretId: creds.secretId,
    authDigest: creds.password,
    authChanged: !sameSecret(state.appliedAuth, creds.password),
    endpoint: { host: state.address, port: SENTINEL_PORT, ...(tlsCa === undefined ? {} : { tls: { ca: tlsCa } }) },
    ...(tls === undefined ? {} : { tls }),
    ...(convergeDue(state) ? { converge: convergePlan(state, bag['master-name']) } : {}),
  };
  const data = state.leader
    ? publication(failedOverPrimary(state.view, state.lastFailover, redis.id), redis.published)
    : undefined;
  const problem = quorum.problem ?? lostSentinels(state.view, redis.id);
  const message =
    problem ??
    `monitoring ${bag['master-name']} (${sentinels} sentinel${sentinels === 1 ? '' : 's'}, quorum ${quorum.quorum})`;
  return status(problem === undefined ? active(message) : blocked(message), {
    workload,
    ports: [{ protocol: 'tcp', port: SENTINEL_PORT }],
    ...(data === undefined ? {} : { publish: { relationId: redis.id, data } }),
  });
}
