/** The hook names Juju fires (reference section 1.4), shared by the kit's dispatch parser and charm-sim. */

/** Hooks that concern the unit as a whole. */
export const UNIT_HOOKS = [
  'install',
  'start',
  'config-changed',
  'upgrade-charm',
  'stop',
  'remove',
  'leader-elected',
  'leader-settings-changed',
  'leader-deposed',
  'update-status',
  'collect-metrics',
  'meter-status-changed',
  'pre-series-upgrade',
  'post-series-upgrade',
] as const;
/** One of {@link UNIT_HOOKS}. */
export type UnitHookKind = (typeof UNIT_HOOKS)[number];

/** Unit hooks of machine charms or long-gone features, which a Kubernetes sidecar charm never gets. */
export const LEGACY_UNIT_HOOKS = [
  'leader-deposed',
  'collect-metrics',
  'meter-status-changed',
  'pre-series-upgrade',
  'post-series-upgrade',
] as const satisfies readonly UnitHookKind[];

/** Hooks about one secret. */
export const SECRET_HOOKS = ['secret-changed', 'secret-rotate', 'secret-expired', 'secret-remove'] as const;
/** One of {@link SECRET_HOOKS}. */
export type SecretHookKind = (typeof SECRET_HOOKS)[number];

/** `<endpoint>-relation-<suffix>`. */
export const RELATION_SUFFIXES = ['created', 'joined', 'changed', 'departed', 'broken'] as const;
/** `relation-created` ... `relation-broken`. */
export type RelationHookKind = `relation-${(typeof RELATION_SUFFIXES)[number]}`;

/** `<storage>-storage-<suffix>`. */
export const STORAGE_SUFFIXES = ['attached', 'detaching'] as const;
/** `storage-attached` or `storage-detaching`. */
export type StorageHookKind = `storage-${(typeof STORAGE_SUFFIXES)[number]}`;

/** `<container>-pebble-<suffix>`. */
export const WORKLOAD_SUFFIXES = ['ready', 'custom-notice', 'check-failed', 'check-recovered'] as const;
/** `pebble-ready` ... `pebble-check-recovered`. */
export type WorkloadHookKind = `pebble-${(typeof WORKLOAD_SUFFIXES)[number]}`;
