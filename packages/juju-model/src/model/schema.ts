/**
 * The simulated model's state: plain JSON data, persisted by the runtime as one JSON file and
 * parsed back with {@link Model}. Everything the resolver and hook tools need lives here;
 * nothing here refers to processes, sockets or pods.
 */
import { z } from 'zod';
import { Charm } from '../meta/charm-meta.js';
import { LEGACY_UNIT_HOOKS, UNIT_HOOKS } from '../meta/hook-names.js';

const Bag = z.record(z.string(), z.string());

/** A status value with its message and when it was set (ISO time). */
export const Status = z.object({ status: z.string(), message: z.string(), since: z.string() });
export type Status = z.infer<typeof Status>;

export const Life = z.enum(['alive', 'dying', 'dead']);
export type Life = z.infer<typeof Life>;

export const ConfigValue = z.union([z.string(), z.number(), z.boolean()]);
export type ConfigValue = z.infer<typeof ConfigValue>;

/** A resource of an application: a file path on the host, or an image reference. */
export const Resource = z.object({
  type: z.enum(['file', 'oci-image']),
  /** Host path of the uploaded file (file) or the image reference (oci-image); null = not uploaded. */
  path: z.string().nullable(),
  revision: z.number().int(),
});
export type Resource = z.infer<typeof Resource>;

export const App = z.object({
  name: z.string(),
  charm: Charm,
  /** Bumped by refresh; units whose `charmRevision` lags run the upgrade sequence. */
  charmRevision: z.number().int(),
  /** Bumped by refresh and attach-resource: every pod of the app must be recreated. */
  generation: z.number().int(),
  /** Values the user set (`juju config`); defaults come from the charm. */
  config: z.record(z.string(), ConfigValue),
  configVersion: z.number().int(),
  resources: z.record(z.string(), Resource),
  leader: z.string().nullable(),
  leaderSettings: Bag,
  leaderSettingsVersion: z.number().int(),
  /** Application status set by the leader (`status-set --application`); null = never set. */
  status: Status.nullable(),
  trust: z.boolean(),
  nextUnit: z.number().int(),
  life: Life,
});
export type App = z.infer<typeof App>;

/** A hook queued by a chain (install or upgrade) and run before ordinary resolution. */
export const QueuedHook = z.object({
  hook: z.enum(['config-changed', 'start', 'upgrade-charm', 'leader-settings-changed']),
  chain: z.enum(['install', 'upgrade']),
});
export type QueuedHook = z.infer<typeof QueuedHook>;

/** A Pebble event waiting to be delivered as a workload hook. */
export const WorkloadEvent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('custom-notice'),
    container: z.string(),
    id: z.string(),
    type: z.string(),
    key: z.string(),
  }),
  z.object({ kind: z.enum(['check-failed', 'check-recovered']), container: z.string(), check: z.string() }),
]);
export type WorkloadEvent = z.infer<typeof WorkloadEvent>;

export const ContainerState = z.object({
  /** Last boot id the poller saw; null = Pebble not reachable yet. */
  bootIdSeen: z.string().nullable(),
  /** Boot id of the last pebble-ready that succeeded. */
  bootIdHandled: z.string().nullable(),
  /** Last known status of each Pebble check. */
  checks: z.record(z.string(), z.enum(['up', 'down'])),
});
export type ContainerState = z.infer<typeof ContainerState>;

/** One unit's bookkeeping for one relation (Juju's local relation state). */
export const UnitRelationState = z.object({
  /** relation-created ran; the unit is in scope. */
  created: z.boolean(),
  /** Remote units this unit has seen join, with the settings version it last saw. */
  members: z.record(z.string(), z.number().int()),
  /** Remote app bag version last seen, per app. */
  appSeen: z.record(z.string(), z.number().int()),
  /** joined ran for this unit; its changed must come next. */
  changedPending: z.string().nullable(),
  broken: z.boolean(),
});
export type UnitRelationState = z.infer<typeof UnitRelationState>;

/** What a hook is, with what its commit needs to do the bookkeeping. */
export const HookInfo = z.discriminatedUnion('kind', [
  z.object({
    /** The unit hooks a sidecar charm gets. */
    kind: z.enum(UNIT_HOOKS).exclude([...LEGACY_UNIT_HOOKS]),
    fromQueue: z.boolean(),
  }),
  z.object({
    kind: z.enum(['relation-created', 'relation-broken', 'relation-joined', 'relation-changed', 'relation-departed']),
    relationId: z.number().int(),
    endpoint: z.string(),
    remoteApp: z.string(),
    /** Empty for created, broken and app-level changed. */
    remoteUnit: z.string(),
    departingUnit: z.string(),
    /** Settings version this hook shows (unit or app bag). */
    version: z.number().int(),
  }),
  z.object({ kind: z.literal('pebble-ready'), container: z.string(), bootId: z.string() }),
  z.object({
    kind: z.literal('pebble-custom-notice'),
    container: z.string(),
    noticeId: z.string(),
    noticeType: z.string(),
    noticeKey: z.string(),
  }),
  z.object({
    kind: z.enum(['pebble-check-failed', 'pebble-check-recovered']),
    container: z.string(),
    check: z.string(),
  }),
  z.object({ kind: z.enum(['storage-attached', 'storage-detaching']), storageId: z.string() }),
  z.object({
    kind: z.enum(['secret-changed', 'secret-remove', 'secret-rotate', 'secret-expired']),
    secretId: z.string(),
    revision: z.number().int(),
  }),
  z.object({ kind: z.literal('action'), actionId: z.string(), name: z.string() }),
]);
export type HookInfo = z.infer<typeof HookInfo>;

/** The next thing to run on a unit: what to exec and with which model-derived environment. */
export const HookSpecSchema = z.object({
  unit: z.string(),
  /** Hook name (`install`, `db-relation-joined`) or, for actions, the action name. */
  name: z.string(),
  /** `hooks/<name>` or `actions/<name>`: the JUJU_DISPATCH_PATH. */
  dispatchPath: z.string(),
  info: HookInfo,
  /** Every Juju env var this hook kind gets except the runtime's (see beginHook). */
  env: z.record(z.string(), z.string()),
});
export type HookSpec = z.infer<typeof HookSpecSchema>;

/** A hook that failed; it blocks the unit (except actions) until retried or resolved. */
export const FailedHook = z.object({
  spec: HookSpecSchema,
  attempts: z.number().int(),
  since: z.string(),
  /** `resolved` (retry) was asked for: nextHook returns the hook again. */
  retryNow: z.boolean(),
  /** Workload status before the failure, restored on success or skip. */
  previousStatus: Status,
});
export type FailedHook = z.infer<typeof FailedHook>;

export const Unit = z.object({
  name: z.string(),
  app: z.string(),
  number: z.number().int(),
  life: Life,
  /** Pod address (loopback, 127.0.0.0/8). */
  address: z.string(),
  /** App generation this unit's pod was created from. */
  generation: z.number().int(),
  /** Charm revision the unit has upgraded to. */
  charmRevision: z.number().int(),
  installed: z.boolean(),
  started: z.boolean(),
  /** stop ran for a refresh: the runtime must recreate the pod, then call markPodRecreated. */
  awaitingPod: z.boolean(),
  /** stop ran during removal. */
  stopped: z.boolean(),
  /** Context id of the hook or action running now, if any. */
  hookRunning: z.string().nullable(),
  leader: z.boolean(),
  leaderSettingsSeen: z.number().int(),
  configSeen: z.number().int(),
  queue: z.array(QueuedHook),
  failed: FailedHook.nullable(),
  workloadStatus: Status,
  agentStatus: Status,
  statusSetByCharm: z.boolean(),
  workloadVersion: z.string(),
  /** Opened ports, e.g. `6379/tcp`, sorted. */
  ports: z.array(z.string()),
  /** Charm state (state-set), survives pod churn. */
  state: Bag,
  containers: z.record(z.string(), ContainerState),
  workloadEvents: z.array(WorkloadEvent),
  updateStatusDue: z.boolean(),
  /** Keyed by relation id (decimal string). */
  relations: z.record(z.string(), UnitRelationState),
});
export type Unit = z.infer<typeof Unit>;

export const RelationEndpoint = z.object({
  app: z.string(),
  endpoint: z.string(),
  interface: z.string(),
  role: z.enum(['provider', 'requirer', 'peer']),
});
export type RelationEndpoint = z.infer<typeof RelationEndpoint>;

export const Relation = z.object({
  id: z.number().int(),
  /** One endpoint for peers, two otherwise. */
  endpoints: z.array(RelationEndpoint).min(1).max(2),
  life: Life,
  /** Units in scope (ran relation-created and not departing). */
  scope: z.array(z.string()),
  unitData: z.record(z.string(), Bag),
  unitVersions: z.record(z.string(), z.number().int()),
  appData: z.record(z.string(), Bag),
  /** 0 = never written. */
  appVersions: z.record(z.string(), z.number().int()),
});
export type Relation = z.infer<typeof Relation>;

export const StorageInstance = z.object({
  /** `<name>/<n>`, n model-wide. */
  id: z.string(),
  name: z.string(),
  kind: z.enum(['filesystem', 'block']),
  unit: z.string(),
  /** Location in the charm container: `/var/lib/juju/storage/<name>/<idx>`. */
  location: z.string(),
  /** storage-attached ran. */
  attached: z.boolean(),
  life: Life,
  /** Host directory backing it; filled in by the runtime. */
  hostPath: z.string().nullable(),
});
export type StorageInstance = z.infer<typeof StorageInstance>;

export const SecretOwner = z.object({ kind: z.enum(['application', 'unit']), name: z.string() });
export type SecretOwner = z.infer<typeof SecretOwner>;

/** One revision of a secret, with its expiry (Juju keeps expire times per revision). */
export const SecretRevision = z.object({
  revision: z.number().int(),
  content: Bag,
  created: z.string(),
  /** When the revision expires (RFC 3339, to the second); null = never. */
  expire: z.string().nullable().default(null),
  /** When secret-expired is next queued: the expire time, then the (scaled) retry delay after each firing. */
  expireNext: z.string().nullable().default(null),
  /** secret-expired is queued for the owner and has not run yet. */
  expireDue: z.boolean().default(false),
});
export type SecretRevision = z.infer<typeof SecretRevision>;

export const Secret = z.object({
  id: z.string(),
  owner: SecretOwner,
  label: z.string().nullable(),
  description: z.string().nullable(),
  /** Rotate policy (`hourly` ... `yearly`, `never`); null = none given. */
  rotate: z.string().nullable(),
  /** When secret-rotate is next queued (ISO time); null when the secret does not rotate. */
  rotateNext: z.string().nullable().default(null),
  /** secret-rotate is queued for the owner and has not run yet. */
  rotateDue: z.boolean().default(false),
  revisions: z.array(SecretRevision),
  latest: z.number().int(),
  /** Grants: an app or unit name within a relation. */
  grants: z.array(z.object({ subject: z.string(), relationId: z.number().int() })),
  /** Per consumer unit: its label, tracked revision and the latest revision it was told about. */
  consumers: z.record(
    z.string(),
    z.object({ label: z.string().nullable(), tracked: z.number().int(), notified: z.number().int() }),
  ),
  /** Obsolete revisions the owner was already sent secret-remove for. */
  removeNotified: z.array(z.number().int()),
  created: z.string(),
});
export type Secret = z.infer<typeof Secret>;

export const ActionStatus = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']);
export type ActionStatus = z.infer<typeof ActionStatus>;

export const Action = z.object({
  /** Short numeric id (Juju 3). */
  id: z.string(),
  unit: z.string(),
  name: z.string(),
  /** Validated params with schema defaults filled in. */
  params: z.record(z.string(), z.unknown()),
  status: ActionStatus,
  message: z.string(),
  results: z.record(z.string(), z.unknown()),
  log: z.array(z.object({ timestamp: z.string(), message: z.string() })),
  enqueued: z.string(),
  started: z.string().nullable(),
  completed: z.string().nullable(),
});
export type Action = z.infer<typeof Action>;

export const Model = z.object({
  version: z.literal(1),
  name: z.string(),
  uuid: z.string(),
  jujuVersion: z.string(),
  /**
   * Second octet of the model's pod addresses (127.<subnet>.x.y), claimed host-wide so models never share addresses.
   */
  subnet: z.number().int().min(1).max(254).default(1),
  /**
   * Multiplies secret rotate periods and the secret-rotate/secret-expired
   * retry delay (1 = Juju's); the controller sets it.
   */
  secretTimeScale: z.number().positive().default(1),
  counters: z.object({
    relation: z.number().int(),
    action: z.number().int(),
    storage: z.number().int(),
    address: z.number().int(),
    secret: z.number().int(),
  }),
  apps: z.record(z.string(), App),
  units: z.record(z.string(), Unit),
  relations: z.record(z.string(), Relation),
  storage: z.record(z.string(), StorageInstance),
  secrets: z.record(z.string(), Secret),
  actions: z.record(z.string(), Action),
});
export type Model = z.infer<typeof Model>;
