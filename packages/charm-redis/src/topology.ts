import type { RedisState } from './state.js';

/** Where the current primary came from. */
export type PrimarySource =
  /** The leader's record in the peer application bag. */
  | 'peer-data'
  /** A failover a sentinel application reported that the peer bag does not show yet. */
  | 'sentinel'
  /** No primary yet: the leader's own unit becomes the first primary. */
  | 'bootstrap'
  /** The recorded primary left the application and no sentinel is related: the leader takes over. */
  | 'promotion';

/** The unit every other unit replicates. */
export interface Primary {
  /** Unit name; null when a sentinel reported an address no known unit has. */
  unit: string | null;
  address: string | null;
  /** Failover epoch (0 until the first failover). */
  epoch: number;
  /** The sentinel relation id that reported the failover, or "charm". */
  failoverSource: string | null;
  source: PrimarySource;
}

/** Every known unit of the application (this one included) and its address. */
export function knownUnits(state: RedisState): Map<string, string | null> {
  const units = new Map<string, string | null>(Object.entries(state.peers?.units ?? {}));
  for (const gone of state.departed) units.delete(gone);
  if (state.unit !== null) units.set(state.unit, state.address);
  return units;
}

function unitAt(units: Map<string, string | null>, address: string): string | null {
  for (const [unit, addr] of units) if (addr === address) return unit;
  return null;
}

/**
 * The current primary (pure). A sentinel failover wins over the peer bag when it comes from a
 * relation the bag has not recorded yet or carries a higher epoch; the leader bootstraps itself
 * when nobody is recorded, and promotes itself only when the recorded primary departed and no
 * sentinel is related (sentinel owns failover otherwise). Null: wait for the leader.
 */
export function resolvePrimary(state: RedisState): Primary | null {
  if (state.peers === null || state.unit === null) return null;
  const units = knownUnits(state);
  const bag = state.peers.app;
  let primary: Primary | null = null;
  if (bag.primary !== undefined) {
    primary = {
      unit: bag.primary,
      address: units.get(bag.primary) ?? bag.primaryAddress ?? null,
      epoch: bag.failoverEpoch ?? 0,
      failoverSource: bag.failoverSource ?? null,
      source: 'peer-data',
    };
  }
  for (const s of state.sentinels) {
    if (s.primaryAddress === undefined || s.failoverEpoch === undefined) continue;
    const source = String(s.relationId);
    if (primary !== null && primary.failoverSource === source && s.failoverEpoch <= primary.epoch) continue;
    const unit = unitAt(units, s.primaryAddress) ?? (primary?.address === s.primaryAddress ? primary.unit : null);
    // a report naming no unit of this app is not a failover of ours (a hostile or confused relation)
    if (unit === null) continue;
    primary = { unit, address: s.primaryAddress, epoch: s.failoverEpoch, failoverSource: source, source: 'sentinel' };
  }
  if (primary === null) {
    return state.leader && state.address !== null
      ? { unit: state.unit, address: state.address, epoch: 0, failoverSource: null, source: 'bootstrap' }
      : null;
  }
  if (
    state.leader &&
    state.sentinels.length === 0 &&
    primary.unit !== null &&
    state.departed.includes(primary.unit) &&
    state.address !== null
  ) {
    return {
      unit: state.unit,
      address: state.address,
      epoch: primary.epoch + 1,
      failoverSource: 'charm',
      source: 'promotion',
    };
  }
  return primary;
}
