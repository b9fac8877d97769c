import { defineProjection, type LoggedEvent, type SecretRef } from '@charms/event-log';
import type { ConfigValue } from '@charms/charm-sdk';
import {
  events,
  type CredentialFacts,
  type PeerFacts,
  type RedisRelationFacts,
  type SentinelEvents,
} from './events.js';
import { FAILOVER_NOTICE_KEY } from './reconfig-script.js';
import { parseUnitsList } from './relation-data.js';
import type { TlsFacts } from './tls.js';
import type { MasterView, QuorumView, SentinelView } from './sentinel-view.js';

/** The latest answer of the local sentinel, tagged with the relation it was about. */
export interface KnownView {
  seq: number;
  relationId: number | null;
  myid: string;
  /** GET-MASTER-ADDR-BY-NAME: the master sentinel points clients at. */
  address: { host: string; port: number } | null;
  master: MasterView;
  /** CKQUORUM as the hook saw it (absent in older logs and after reconciling). */
  quorum?: QuorumView;
}

/** A failover as a notice reported it (sentinel's reconfig script wrote `to` as ip:port). */
export interface FailoverRecord {
  seq: number;
  time: string;
  relationId: number | null;
  master: string | null;
  from: string | null;
  to: string | null;
  /** The config epoch the local sentinel reported in the same hook (0 when it could not be asked). */
  epoch: number;
}

/** The folded state of one sentinel unit. */
export interface SentinelState {
  hooks: number;
  failures: number;
  lastHook: string | null;
  unit: string | null;
  app: string | null;
  config: Record<string, ConfigValue>;
  leader: boolean;
  address: string | null;
  /** This sentinel's id: chosen once, then kept for the unit's life. */
  myid: string | null;
  /** Whether Juju's unit state holds {@link myid} (it survives a lost event log). */
  myidStored: boolean;
  peers: PeerFacts[];
  redis: RedisRelationFacts | null;
  credentials: CredentialFacts | null;
  pebble: { reachable: boolean; bootId: string | null; service: string | null };
  /** This charm's TLS resources as the last hook saw them (null when redis-k8s did not serve TLS). */
  tls: TlsFacts | null;
  view: KnownView | null;
  /** The base hash last rendered into sentinel.conf, and on which Pebble boot. */
  rendered: { hash: string; bootId: string | null; relationId: number | null } | null;
  /** Digest of the auth-pass sentinel was last given. */
  appliedAuth: SecretRef | null;
  failovers: number;
  lastFailover: FailoverRecord | null;
  /** Addresses of sentinel units that left and that no reset pass has confirmed forgotten yet. */
  departed: string[];
  /** The redis units of the `redis` relation and their last known addresses. */
  redisUnits: Record<string, string>;
  /** Addresses of redis units that left and that no reset pass has confirmed forgotten as replicas yet. */
  redisDeparted: string[];
}

/** The state before any event. */
export const INITIAL_STATE: SentinelState = {
  hooks: 0,
  failures: 0,
  lastHook: null,
  unit: null,
  app: null,
  config: {},
  leader: false,
  address: null,
  myid: null,
  myidStored: false,
  peers: [],
  redis: null,
  credentials: null,
  pebble: { reachable: false, bootId: null, service: null },
  tls: null,
  view: null,
  rendered: null,
  appliedAuth: null,
  failovers: 0,
  lastFailover: null,
  departed: [],
  redisUnits: {},
  redisDeparted: [],
};

/** Addresses of peers that were there and are gone now, added to what is pending (pure). */
function departedAfter(state: SentinelState, peers: readonly PeerFacts[], self: string | null): string[] {
  const present = new Set(peers.map((p) => p.unit));
  const addresses = new Set(peers.flatMap((p) => (p.address === null ? [] : [p.address])));
  const gone = state.peers.flatMap((p) => (present.has(p.unit) || p.address === null ? [] : [p.address]));
  return [...new Set([...state.departed, ...gone])].filter((a) => !addresses.has(a) && a !== self);
}

/**
 * The redis units now in the relation with their addresses (each unit's own `address`, else redis-k8s's
 * `units` list, else what was known), and the addresses of units that left, added to what is pending (pure).
 * A new relation starts afresh; one not joined yet changes nothing.
 */
export function trackRedisUnits(
  state: Pick<SentinelState, 'redis' | 'redisUnits' | 'redisDeparted'>,
  redis: RedisRelationFacts | null,
): Pick<SentinelState, 'redisUnits' | 'redisDeparted'> {
  if (redis === null) return { redisUnits: {}, redisDeparted: [] };
  const sameRelation = state.redis?.id === redis.id;
  const previous = sameRelation ? state.redisUnits : {};
  const pending = sameRelation ? state.redisDeparted : [];
  if (!redis.joined) return { redisUnits: previous, redisDeparted: pending };
  const listed = new Map(parseUnitsList(redis.appData['units']).map((u) => [u.unit, u.address]));
  const redisUnits: Record<string, string> = {};
  for (const unit of redis.units) {
    const address = redis.unitAddresses?.[unit] ?? listed.get(unit) ?? previous[unit];
    if (address !== undefined) redisUnits[unit] = address;
  }
  const present = new Set(Object.values(redisUnits));
  const gone = Object.entries(previous).flatMap(([unit, a]) => (unit in redisUnits ? [] : [a]));
  return { redisUnits, redisDeparted: [...new Set([...pending, ...gone])].filter((a) => !present.has(a)) };
}

function knownView(
  seq: number,
  relationId: number | null,
  view: SentinelView | null,
  previous: KnownView | null,
): KnownView | null {
  if (view?.ok)
    return {
      seq,
      relationId,
      myid: view.myid,
      address: view.address,
      master: view.master,
      ...(view.quorum === undefined ? {} : { quorum: view.quorum }),
    };
  return previous !== null && previous.relationId === relationId ? previous : null;
}

/** Folds one event (pure, deterministic). */
export function reduce(state: SentinelState, event: LoggedEvent<SentinelEvents>): SentinelState {
  switch (event.type) {
    case 'hook': {
      const p = event.payload;
      const relationId = p.redis?.id ?? null;
      const myid = p.myid.stored ? p.myid.value : (state.myid ?? p.myid.value);
      const notice = p.notice !== null && p.notice.key === FAILOVER_NOTICE_KEY ? p.notice : null;
      return {
        ...state,
        hooks: state.hooks + 1,
        lastHook: p.facts.name,
        unit: p.facts.unit,
        app: p.facts.app,
        config: p.config,
        leader: p.leader,
        address: p.address ?? state.address,
        myid,
        myidStored: p.myid.stored && p.myid.value === myid,
        peers: p.peers,
        departed: departedAfter(state, p.peers, p.address ?? state.address),
        ...trackRedisUnits(state, p.redis),
        redis: p.redis,
        credentials: p.credentials,
        pebble: p.pebble,
        tls: p.tls ?? null,
        view: knownView(event.seq, relationId, p.sentinel, state.view),
        failovers: state.failovers + (notice === null ? 0 : 1),
        lastFailover:
          notice === null
            ? state.lastFailover
            : {
                seq: event.seq,
                time: event.time,
                relationId,
                master: notice.data['master'] ?? null,
                from: notice.data['from'] ?? null,
                to: notice.data['to'] ?? null,
                epoch: p.sentinel?.ok ? p.sentinel.master.configEpoch : 0,
              },
      };
    }
    case 'sentinel-reconciled': {
      const p = event.payload;
      return {
        ...state,
        rendered:
          p.rendered === null ? state.rendered : { hash: p.rendered.hash, bootId: p.bootId, relationId: p.relationId },
        appliedAuth: p.auth ?? state.appliedAuth,
        departed: state.departed.filter((a) => !(p.forgotten ?? []).includes(a)),
        redisDeparted: state.redisDeparted.filter((a) => !(p.forgottenReplicas ?? []).includes(a)),
        view: knownView(event.seq, p.relationId, p.view, state.view),
      };
    }
    case 'hook-failed':
      return { ...state, failures: state.failures + 1 };
  }
}

/** The sentinel charm's projection over its event log. */
export const projection = defineProjection(events, {
  name: 'redis-sentinel-k8s',
  // 2: redisUnits and redisDeparted
  version: 2,
  initial: INITIAL_STATE,
  reduce,
});
