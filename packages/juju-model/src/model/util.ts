/** Small helpers shared by model operations. */
import { JujuModelError } from './errors.js';
import type { App, Model, Relation, RelationEndpoint, Unit, UnitRelationState } from './schema.js';

/** A new live relation between `endpoints` with no members and empty bags (pure). */
export function newRelation(id: number, endpoints: RelationEndpoint[]): Relation {
  return { id, endpoints, life: 'alive', scope: [], unitData: {}, unitVersions: {}, appData: {}, appVersions: {} };
}

/** A deep copy; operations mutate the copy and return it. */
export function clone(model: Model): Model {
  return structuredClone(model);
}

/** The app of a unit name (`redis/0` -> `redis`). */
export function appOf(unit: string): string {
  return unit.slice(0, unit.lastIndexOf('/'));
}

/** Orders unit names by app, then by number. */
export function compareUnits(a: string, b: string): number {
  const [aa, ab] = [appOf(a), appOf(b)];
  if (aa !== ab) return aa < ab ? -1 : 1;
  return Number(a.slice(aa.length + 1)) - Number(b.slice(ab.length + 1));
}

export function getApp(model: Model, name: string): App {
  const app = model.apps[name];
  if (!app) {
    const known = Object.keys(model.apps).sort().join(', ') || 'none';
    throw new JujuModelError('unknown-app', `cannot find application "${name}" (applications: ${known})`, {
      app: name,
    });
  }
  return app;
}

export function getUnit(model: Model, name: string): Unit {
  const unit = model.units[name];
  if (!unit) {
    const known = Object.keys(model.units).sort(compareUnits).join(', ') || 'none';
    throw new JujuModelError('unknown-unit', `cannot find unit "${name}" (units: ${known})`, { unit: name });
  }
  return unit;
}

export function isPeer(rel: Relation): boolean {
  return rel.endpoints[0]?.role === 'peer';
}

/** The endpoint of `app` in the relation, if it takes part. */
export function localEndpoint(rel: Relation, app: string): RelationEndpoint | undefined {
  return rel.endpoints.find((e) => e.app === app);
}

/** The other side's app (own app for peers). */
export function remoteAppOf(rel: Relation, app: string): string {
  if (isPeer(rel)) return app;
  return rel.endpoints.find((e) => e.app !== app)?.app ?? app;
}

/** Relations `app` takes part in, by id. */
export function relationsOf(model: Model, app: string): Relation[] {
  return Object.values(model.relations)
    .filter((r) => r.endpoints.some((e) => e.app === app))
    .sort((a, b) => a.id - b.id);
}

/** The unit's bookkeeping for a relation (a fresh one if it has none yet). */
export function unitRelState(unit: Unit, relId: number): UnitRelationState {
  return (
    unit.relations[String(relId)] ?? { created: false, members: {}, appSeen: {}, changedPending: null, broken: false }
  );
}

/** The unit's bookkeeping for a relation, created in place when missing. */
export function ensureUnitRelState(unit: Unit, relId: number): UnitRelationState {
  const key = String(relId);
  unit.relations[key] ??= unitRelState(unit, relId);
  return unit.relations[key];
}

/** Remote units in scope for `unit` (same app for peers, the other app otherwise), sorted. */
export function remoteMembers(rel: Relation, unit: Unit): string[] {
  const peer = isPeer(rel);
  return rel.scope
    .filter((u) => u !== unit.name && (peer ? appOf(u) === unit.app : appOf(u) !== unit.app))
    .sort(compareUnits);
}

/** Units of an app, sorted by number. */
export function unitsOf(model: Model, app: string): Unit[] {
  return Object.values(model.units)
    .filter((u) => u.app === app)
    .sort((a, b) => a.number - b.number);
}

/** Sets `key` in a bag; "" deletes. Returns true when the bag changed. */
export function applyBagWrites(bag: Record<string, string>, writes: Record<string, string>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(writes)) {
    if (v === '') {
      if (k in bag) {
        delete bag[k];
        changed = true;
      }
    } else if (bag[k] !== v) {
      bag[k] = v;
      changed = true;
    }
  }
  return changed;
}
