/** Relating and unrelating applications. */
import {
  isoNow,
  type Change,
  type OpOptions,
  JujuModelError,
  type Model,
  type Relation,
  type RelationEndpoint,
  clone,
  getApp,
  isPeer,
  newRelation,
  unitsOf,
} from '@charms/juju-model';
import { collectDeadRelations } from './removal.js';

function parseRef(ref: string): { app: string; endpoint: string | null } {
  const i = ref.indexOf(':');
  return i === -1 ? { app: ref, endpoint: null } : { app: ref.slice(0, i), endpoint: ref.slice(i + 1) };
}

function candidates(model: Model, ref: string): RelationEndpoint[] {
  const { app, endpoint } = parseRef(ref);
  const meta = getApp(model, app).charm.meta;
  const out: RelationEndpoint[] = [];
  for (const [role, eps] of [
    ['provider', meta.provides],
    ['requirer', meta.requires],
  ] as const) {
    for (const [name, m] of Object.entries(eps ?? {})) {
      if (endpoint === null || endpoint === name) out.push({ app, endpoint: name, interface: m.interface, role });
    }
  }
  if (endpoint !== null && out.length === 0) {
    const peer = meta.peers?.[endpoint];
    const all = [...Object.keys(meta.provides ?? {}), ...Object.keys(meta.requires ?? {})].sort().join(', ') || 'none';
    throw new JujuModelError(
      'bad-endpoint',
      peer
        ? `cannot relate ${ref}: "${endpoint}" is a peer endpoint, which Juju relates by itself`
        : `cannot relate ${ref}: ${app} has no endpoint "${endpoint}" (endpoints: ${all})`,
      { ref },
    );
  }
  return out;
}

/** The provider/requirer pair two refs (`app:endpoint` or `app`) name. Throws `bad-endpoint`. */
export function matchEndpoints(model: Model, a: string, b: string): [RelationEndpoint, RelationEndpoint] {
  const pairs: [RelationEndpoint, RelationEndpoint][] = [];
  for (const x of candidates(model, a)) {
    for (const y of candidates(model, b)) {
      if (x.interface === y.interface && x.role !== y.role) pairs.push([x, y]);
    }
  }
  const show = (p: [RelationEndpoint, RelationEndpoint]) => `${p[0].app}:${p[0].endpoint} ${p[1].app}:${p[1].endpoint}`;
  if (pairs.length === 0)
    throw new JujuModelError(
      'bad-endpoint',
      `cannot relate ${a} and ${b}: no provides/requires endpoints with a common interface`,
      { a, b },
    );
  if (pairs.length > 1) {
    throw new JujuModelError(
      'bad-endpoint',
      `cannot relate ${a} and ${b}: ambiguous, name the endpoints: ${pairs.map(show).join(' | ')}`,
      { a, b },
    );
  }
  return pairs[0]!;
}

function sameRelation(rel: Relation, x: RelationEndpoint, y: RelationEndpoint): boolean {
  const has = (e: RelationEndpoint) => rel.endpoints.some((r) => r.app === e.app && r.endpoint === e.endpoint);
  return !isPeer(rel) && has(x) && has(y);
}

/** Relates two endpoints given as `app:endpoint` or `app` (the endpoint found by interface). */
export function relate(model: Model, a: string, b: string, o?: OpOptions): Change & { relationId: number } {
  const [x, y] = matchEndpoints(model, a, b);
  if (x.app === y.app)
    throw new JujuModelError('bad-endpoint', `cannot relate ${a} and ${b}: an application cannot relate to itself`);
  const existing = Object.values(model.relations).find((r) => sameRelation(r, x, y) && r.life === 'alive');
  if (existing)
    throw new JujuModelError('relation-exists', `cannot relate ${a} and ${b}: relation ${existing.id} already exists`, {
      relationId: existing.id,
    });
  const m = clone(model);
  const id = m.counters.relation++;
  const endpoints = [x, y].sort((p, q) => (p.role === 'provider' ? -1 : q.role === 'provider' ? 1 : 0));
  m.relations[String(id)] = newRelation(id, endpoints);
  const units = [...unitsOf(m, x.app), ...unitsOf(m, y.app)].map((u) => u.name);
  return {
    model: m,
    relationId: id,
    effects: [
      {
        type: 'log',
        entry: {
          time: isoNow(o),
          unit: '',
          hook: '',
          level: 'INFO',
          logger: 'juju.model',
          message: `related ${x.app}:${x.endpoint} ${y.app}:${y.endpoint} (id ${id})`,
        },
      },
      { type: 'wake', units },
    ],
  };
}

/** Marks the relation between two endpoints dying: every unit runs departed, then broken. */
export function unrelate(model: Model, a: string, b: string, o?: OpOptions): Change {
  const [x, y] = matchEndpoints(model, a, b);
  const rel = Object.values(model.relations).find((r) => sameRelation(r, x, y) && r.life === 'alive');
  if (!rel)
    throw new JujuModelError(
      'unknown-relation',
      `cannot remove the relation between ${a} and ${b}: they are not related`,
      { a, b },
    );
  const m = clone(model);
  const r = m.relations[String(rel.id)]!;
  r.life = 'dying';
  r.scope = [];
  collectDeadRelations(m);
  const units = [...unitsOf(m, x.app), ...unitsOf(m, y.app)].map((u) => u.name);
  return {
    model: m,
    effects: [
      {
        type: 'log',
        entry: {
          time: isoNow(o),
          unit: '',
          hook: '',
          level: 'INFO',
          logger: 'juju.model',
          message: `removing relation ${rel.id}`,
        },
      },
      { type: 'wake', units },
    ],
  };
}
