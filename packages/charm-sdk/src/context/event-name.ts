import { ContextError } from '../errors.js';
import {
  RELATION_SUFFIXES,
  SECRET_HOOKS,
  STORAGE_SUFFIXES,
  UNIT_HOOKS,
  WORKLOAD_SUFFIXES,
  type RelationHookKind,
  type SecretHookKind,
  type StorageHookKind,
  type UnitHookKind,
  type WorkloadHookKind,
} from '@charms/juju-model/meta';

export {
  RELATION_SUFFIXES,
  SECRET_HOOKS,
  STORAGE_SUFFIXES,
  UNIT_HOOKS,
  WORKLOAD_SUFFIXES,
} from '@charms/juju-model/meta';
export type {
  RelationHookKind,
  SecretHookKind,
  StorageHookKind,
  UnitHookKind,
  WorkloadHookKind,
} from '@charms/juju-model/meta';

/** The event a dispatch is for, derived from `JUJU_DISPATCH_PATH`. */
export type JujuEventName =
  | { family: 'unit'; kind: UnitHookKind; name: string }
  | { family: 'secret'; kind: SecretHookKind; name: string }
  | { family: 'relation'; kind: RelationHookKind; name: string; endpoint: string }
  | { family: 'storage'; kind: StorageHookKind; name: string; storage: string }
  | { family: 'workload'; kind: WorkloadHookKind; name: string; container: string }
  | { family: 'action'; kind: 'action'; name: string; action: string };

/** Every event kind the kit knows. */
export type EventKind = JujuEventName['kind'];

const NAME = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const RELATION_RE = new RegExp(`^(${NAME})-relation-(${RELATION_SUFFIXES.join('|')})$`);
const STORAGE_RE = new RegExp(`^(${NAME})-storage-(${STORAGE_SUFFIXES.join('|')})$`);
const WORKLOAD_RE = new RegExp(`^(${NAME})-pebble-(${WORKLOAD_SUFFIXES.join('|')})$`);

/**
 * Parses `hooks/<hook>` or `actions/<action>` into an event name.
 * @throws {ContextError} `unknown-hook` when the path names no hook Juju fires.
 */
export function parseDispatchPath(dispatchPath: string): JujuEventName {
  const slash = dispatchPath.lastIndexOf('/');
  const dir = slash < 0 ? '' : dispatchPath.slice(0, slash).replace(/^.*\//, '');
  const name = dispatchPath.slice(slash + 1);
  if (dir === 'actions') {
    if (!new RegExp(`^${NAME}$`).test(name)) throw unknown(dispatchPath, 'is not a valid action name');
    return { family: 'action', kind: 'action', name, action: name };
  }
  if (dir !== 'hooks') throw unknown(dispatchPath, 'must start with "hooks/" or "actions/"');
  if ((UNIT_HOOKS as readonly string[]).includes(name)) return { family: 'unit', kind: name as UnitHookKind, name };
  if ((SECRET_HOOKS as readonly string[]).includes(name))
    return { family: 'secret', kind: name as SecretHookKind, name };
  let m = RELATION_RE.exec(name);
  if (m) return { family: 'relation', kind: `relation-${m[2]}` as RelationHookKind, name, endpoint: m[1] as string };
  m = STORAGE_RE.exec(name);
  if (m) return { family: 'storage', kind: `storage-${m[2]}` as StorageHookKind, name, storage: m[1] as string };
  m = WORKLOAD_RE.exec(name);
  if (m) return { family: 'workload', kind: `pebble-${m[2]}` as WorkloadHookKind, name, container: m[1] as string };
  throw unknown(dispatchPath, 'names no hook Juju fires');
}

/** The ops-style identifier: `redis-pebble-ready` -> `redis_pebble_ready`, actions get `_action`. */
export function opsEventName(event: JujuEventName): string {
  const base = event.name.replaceAll('-', '_');
  return event.family === 'action' ? `${base}_action` : base;
}

function unknown(path: string, problem: string): ContextError {
  return new ContextError(
    'unknown-hook',
    `cannot dispatch: JUJU_DISPATCH_PATH "${path}" ${problem} (expected e.g. "hooks/install", "hooks/db-relation-changed" or "actions/backup")`,
    'JUJU_DISPATCH_PATH',
  );
}
