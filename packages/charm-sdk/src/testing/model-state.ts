import type { ConfigValue } from '../hook-tools/config.js';

/** One relation as a unit sees it. */
export interface RelationState {
  endpoint: string;
  id: number;
  /** The remote application (the own one for peers). */
  remoteApp: string;
  remoteUnits: string[];
  localUnitData: Record<string, string>;
  localAppData: Record<string, string>;
  remoteUnitsData: Record<string, Record<string, string>>;
  remoteAppData: Record<string, string>;
  peer: boolean;
}

/** One secret the unit can see. */
export interface SecretState {
  id: string;
  label?: string;
  description?: string;
  owner: 'application' | 'unit' | 'remote';
  revision: number;
  content: Record<string, string>;
  /** Revision this unit tracks (readers). */
  tracked?: number;
  /** relation id -> granted (app) or unit names. */
  grants: Record<string, string[]>;
  rotate?: string;
  expire?: string;
}

/** A status value with its message. */
export interface StatusState {
  status: string;
  message: string;
}

/** One juju-log record. */
export interface LogState {
  level: string;
  message: string;
}

/** The in-memory model one unit sees: the input and output of the test harness. */
export interface ModelState {
  unit: string;
  leader: boolean;
  config: Record<string, ConfigValue>;
  relations: RelationState[];
  secrets: SecretState[];
  unitStatus: StatusState;
  appStatus: StatusState;
  workloadVersion: string;
  openedPorts: string[];
  storage: { id: string; kind: string; location: string }[];
  resources: Record<string, string>;
  /** binding -> ingress address. */
  addresses: Record<string, string>;
  /** Charm state (state-get/set). */
  charmState: Record<string, string>;
  leaderSettings: Record<string, string>;
  action?: { params: Record<string, unknown>; results: Record<string, string>; logs: string[]; failure?: string };
  logs: LogState[];
  statusHistory: StatusState[];
}

/** A model with sensible defaults, overridden by `partial`. */
export function modelState(partial: Partial<ModelState> = {}): ModelState {
  return {
    unit: 'app/0',
    leader: false,
    config: {},
    relations: [],
    secrets: [],
    unitStatus: { status: 'unknown', message: '' },
    appStatus: { status: 'unknown', message: '' },
    workloadVersion: '',
    openedPorts: [],
    storage: [],
    resources: {},
    addresses: {},
    charmState: {},
    leaderSettings: {},
    logs: [],
    statusHistory: [],
    ...partial,
  };
}

/** A relation with defaults: no units, empty bags, not a peer relation. */
export function relationState(
  partial: Partial<RelationState> & { endpoint: string; id: number; remoteApp: string },
): RelationState {
  return {
    remoteUnits: [],
    localUnitData: {},
    localAppData: {},
    remoteUnitsData: {},
    remoteAppData: {},
    peer: false,
    ...partial,
  };
}
