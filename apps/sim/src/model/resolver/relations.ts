/** The relation part of the resolver (Juju's relation/resolver.go). */
import {
  type HookInfo,
  type Model,
  type Relation,
  type Unit,
  compareUnits,
  isPeer,
  localEndpoint,
  relationsOf,
  remoteAppOf,
  remoteMembers,
  unitRelState,
} from '@charms/juju-model';

type RelationInfo = Extract<HookInfo, { relationId: number }>;

function info(
  rel: Relation,
  unit: Unit,
  kind: RelationInfo['kind'],
  remoteUnit: string,
  extra: Partial<RelationInfo> = {},
): RelationInfo {
  return {
    kind,
    relationId: rel.id,
    endpoint: localEndpoint(rel, unit.app)?.endpoint ?? '',
    remoteApp: remoteAppOf(rel, unit.app),
    remoteUnit,
    departingUnit: '',
    version: 0,
    ...extra,
  };
}

/** relation-created for the first alive relation the installed unit has not created yet. */
export function nextRelationCreated(m: Model, unit: Unit): RelationInfo | null {
  if (!unit.installed || unit.life !== 'alive') return null;
  for (const rel of relationsOf(m, unit.app)) {
    if (rel.life !== 'alive') continue;
    if (!unitRelState(unit, rel.id).created) return info(rel, unit, 'relation-created', '');
  }
  return null;
}

/** The next joined/changed/departed/broken hook of one relation for the unit, or null. */
export function nextHookForRelation(m: Model, unit: Unit, rel: Relation): RelationInfo | null {
  const rs = unitRelState(unit, rel.id);
  if (!rs.created || rs.broken) return null;
  const dying = unit.life !== 'alive' || rel.life !== 'alive';
  const members = dying ? [] : remoteMembers(rel, unit);
  const known = Object.keys(rs.members).sort(compareUnits);
  const pending = rs.changedPending;
  if (pending !== null && !dying && members.includes(pending)) {
    return info(rel, unit, 'relation-changed', pending, { version: rel.unitVersions[pending] ?? 0 });
  }
  for (const x of known) {
    if (!members.includes(x))
      return info(rel, unit, 'relation-departed', x, { departingUnit: unit.life !== 'alive' ? unit.name : x });
  }
  if (dying) return isPeer(rel) ? null : info(rel, unit, 'relation-broken', '');
  const remoteApp = remoteAppOf(rel, unit.app);
  const appVersion = rel.appVersions[remoteApp] ?? 0;
  if (appVersion > 0 && appVersion !== (rs.appSeen[remoteApp] ?? 0)) {
    return info(rel, unit, 'relation-changed', '', { version: appVersion });
  }
  for (const x of members) {
    if (!(x in rs.members)) return info(rel, unit, 'relation-joined', x, { version: rel.unitVersions[x] ?? 0 });
  }
  for (const x of members) {
    const v = rel.unitVersions[x] ?? 0;
    if (rs.members[x] !== v) return info(rel, unit, 'relation-changed', x, { version: v });
  }
  return null;
}

/** The next relation hook across the unit's relations (by relation id), or null. */
export function nextRelationHook(m: Model, unit: Unit): RelationInfo | null {
  for (const rel of relationsOf(m, unit.app)) {
    const h = nextHookForRelation(m, unit, rel);
    if (h) return h;
  }
  return null;
}

/** True when the unit still has departs or breaks to run. */
export function relationsSettled(m: Model, unit: Unit): boolean {
  return nextRelationHook(m, unit) === null;
}
