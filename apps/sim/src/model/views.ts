/** Read-only derived views for status, goal-state and paths. */
import type { Model, Status } from './schema.js';

/** The app status: the leader-set status, else derived from the units (highest severity). */
export function appStatus(_model: Model, _app: string): Status {
  throw new Error('not implemented');
}

/** The unit's pod address. */
export function unitAddress(_model: Model, _unit: string): string {
  throw new Error('not implemented');
}

/** `<app>-<n>.<app>-endpoints.<model>.svc.cluster.local`. */
export function podFqdn(_model: Model, _unit: string): string {
  throw new Error('not implemented');
}

/** `/var/lib/juju/agents/unit-<app>-<n>/charm`. */
export function charmDir(_unit: string): string {
  throw new Error('not implemented');
}

/** Charm-container location of a storage instance. */
export function storageLocation(_name: string, _index: number): string {
  throw new Error('not implemented');
}
