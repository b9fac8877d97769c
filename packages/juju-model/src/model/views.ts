/** Read-only derived views for status, goal-state and paths. */
import { appOf, getUnit, unitsOf } from './util.js';
import type { Model, Status } from './schema.js';

const severity = ['error', 'blocked', 'maintenance', 'waiting', 'active', 'unknown', 'terminated'];

/** The app status: what the leader set, else the most severe unit workload status (Juju's derivation). */
export function appStatus(model: Model, app: string): Status {
  const set = model.apps[app]?.status;
  if (set) return set;
  const units = unitsOf(model, app).map((u) => u.workloadStatus);
  const rank = (s: Status) => {
    const i = severity.indexOf(s.status);
    return i === -1 ? severity.length : i;
  };
  const worst = [...units].sort((a, b) => rank(a) - rank(b))[0];
  return worst ?? { status: 'unknown', message: '', since: new Date(0).toISOString() };
}

/** The unit's pod address. */
export function unitAddress(model: Model, unit: string): string {
  return getUnit(model, unit).address;
}

/** `<app>-<n>.<app>-endpoints.<model>.svc.cluster.local`. */
export function podFqdn(model: Model, unit: string): string {
  const app = appOf(unit);
  return `${podName(unit)}.${app}-endpoints.${model.name}.svc.cluster.local`;
}

/** `<app>-<n>`: the pod (and host) name of a unit. */
export function podName(unit: string): string {
  return unit.replace('/', '-');
}

/** `/var/lib/juju/agents/unit-<app>-<n>/charm`. */
export function charmDir(unit: string): string {
  return `/var/lib/juju/agents/unit-${podName(unit)}/charm`;
}

/** Charm-container location of a storage instance. */
export function storageLocation(name: string, index: number): string {
  return `/var/lib/juju/storage/${name}/${index}`;
}

/** Where a file resource is fetched to in the charm container. */
export function resourcePath(unit: string, resource: string, filename: string): string {
  return `/var/lib/juju/agents/unit-${podName(unit)}/resources/${resource}/${filename}`;
}
