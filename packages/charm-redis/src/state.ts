import type { ConfigValue } from '@charms/charm-sdk';
import { defineProjection, type LoggedEvent } from '@charms/event-log';
import {
  events,
  type ClientFacts,
  type HandoverRecord,
  type Observed,
  type PeerFacts,
  type RedisEvents,
  type SentinelFacts,
  type TlsFacts,
  type Verification,
} from './events.js';

/** A failover a sentinel application reported, as first seen in this unit's log. */
export interface FailoverRecord {
  relationId: number;
  epoch: number;
  address: string;
  seq: number;
}

/** The folded state of one unit's log. */
export interface RedisState {
  unit: string | null;
  app: string | null;
  hooks: number;
  lastHook: string | null;
  config: Record<string, ConfigValue>;
  leader: boolean;
  address: string | null;
  pebble: { reachable: boolean; bootId: string | null };
  /** The last readable view of the peer relation (kept while a hook cannot read it). */
  peers: PeerFacts | null;
  sentinels: SentinelFacts[];
  clients: ClientFacts[];
  tls: TlsFacts | null;
  /** Id of the password secret this unit created as leader (until the peer bag shows it). */
  createdSecretId: string | null;
  /** Peer units seen leaving (relation-departed). */
  departed: string[];
  /** This unit is being removed (a peer relation-departed named it the departing unit). */
  leaving: boolean;
  /** What this unit did to hand the primary role over while leaving. */
  handover: HandoverRecord | null;
  /** Every failover reported by a sentinel relation, oldest first. */
  failovers: FailoverRecord[];
  lastVerification: Verification | null;
  /** Settings last applied live with CONFIG SET, with their values. */
  liveConfig: Record<string, string>;
  restarts: number;
  failures: number;
  /** Pebble checks reported failing and not yet recovered, with their failure counts. */
  failingChecks: Record<string, number>;
}

/** The state of an empty log. */
export const initialState: RedisState = {
  unit: null,
  app: null,
  hooks: 0,
  lastHook: null,
  config: {},
  leader: false,
  address: null,
  pebble: { reachable: false, bootId: null },
  peers: null,
  sentinels: [],
  clients: [],
  tls: null,
  createdSecretId: null,
  departed: [],
  leaving: false,
  handover: null,
  failovers: [],
  lastVerification: null,
  liveConfig: {},
  restarts: 0,
  failures: 0,
  failingChecks: {},
};

function foldChecks(state: RedisState, p: Observed): Record<string, number> {
  // a new Pebble starts its checks afresh
  if (p.pebble.bootId !== null && state.pebble.bootId !== null && p.pebble.bootId !== state.pebble.bootId) return {};
  if (p.check === undefined) return state.failingChecks;
  const { [p.check.name]: _, ...others } = state.failingChecks;
  // Pebble's own status wins: a check that is up again by the time the hook runs is not failing
  const failing = p.facts.kind === 'pebble-check-failed' && p.check.status !== 'up';
  return failing ? { ...others, [p.check.name]: Math.max(1, p.check.failures) } : others;
}

/** Folds one event into the state (pure). */
export function reduce(state: RedisState, event: LoggedEvent<RedisEvents>): RedisState {
  switch (event.type) {
    case 'hook': {
      const p = event.payload;
      const f = p.facts;
      const peerDeparted = f.kind === 'relation-departed' && f.endpoint === 'redis-peers';
      const departing = peerDeparted && f.departingUnit !== undefined && f.departingUnit !== f.unit;
      const leaving = state.leaving || (peerDeparted && f.departingUnit === f.unit);
      const failovers = [...state.failovers];
      for (const s of p.sentinels) {
        if (s.failoverEpoch === undefined || s.primaryAddress === undefined) continue;
        if (!failovers.some((x) => x.relationId === s.relationId && x.epoch === s.failoverEpoch)) {
          failovers.push({
            relationId: s.relationId,
            epoch: s.failoverEpoch,
            address: s.primaryAddress,
            seq: event.seq,
          });
        }
      }
      return {
        ...state,
        unit: f.unit,
        app: f.app,
        hooks: state.hooks + 1,
        lastHook: f.name,
        config: p.config,
        leader: p.leader,
        address: p.address ?? state.address,
        pebble: p.pebble,
        peers: leaving ? keepPeers(state.peers, p.peers) : (p.peers ?? state.peers),
        sentinels: p.sentinels,
        clients: p.clients,
        tls: p.tls,
        createdSecretId: p.peers?.app.secretId === undefined ? state.createdSecretId : null,
        departed:
          departing && !state.departed.includes(f.departingUnit as string)
            ? [...state.departed, f.departingUnit as string]
            : state.departed,
        leaving,
        failovers,
        failingChecks: foldChecks(state, p),
      };
    }
    case 'workload-observed': {
      const p = event.payload;
      return {
        ...state,
        createdSecretId: p.secretCreated ?? state.createdSecretId,
        lastVerification: p.verification ?? state.lastVerification,
        liveConfig: { ...state.liveConfig, ...p.liveConfig },
        restarts: state.restarts + p.restarted.length,
        handover: p.handover ?? state.handover,
      };
    }
    case 'hook-failed':
      return { ...state, failures: state.failures + 1 };
  }
}

/** The projection the pipeline folds (bump `version` whenever {@link reduce} changes meaning). */
export const projection = defineProjection(events, { name: 'redis-k8s', version: 4, initial: initialState, reduce });

/**
 * The peers of a unit that is leaving: its relation-list shrinks by one unit per departed hook, yet
 * those units stay (only this one goes), so the ones seen before are kept as handover candidates.
 */
function keepPeers(before: PeerFacts | null, now: PeerFacts | null): PeerFacts | null {
  if (now === null) return before;
  if (before === null || before.relationId !== now.relationId) return now;
  return { ...now, units: { ...before.units, ...now.units } };
}
