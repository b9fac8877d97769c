import type { Model } from './model.js';
import type { Relation } from './relation.js';

/** One relation bag a charm wants to hold these values (part of its desired state). */
export interface RelationWrite {
  endpoint: string;
  /** The relation; absent: the endpoint's one relation (a peer relation), skipped while there is none. */
  relationId?: number;
  /** This application's bag (leader only) instead of this unit's. */
  app?: boolean;
  /** Merged into the bag; only keys that change are sent, `""` deletes. */
  data: Record<string, string>;
  /**
   * Share this secret: its id is written under `key` (default `secret-id`) and, on a non-peer
   * relation, the secret is granted to the relation when that key changes.
   */
  secret?: { id: string; key?: string };
  /**
   * Skip the write when Juju refuses it because this unit has not entered the relation's scope
   * yet (permission-denied). Default: true on non-peer relations (a unit added to an existing
   * relation may run other hooks before its relation-created; that relation's hooks write then).
   */
  skipOutOfScope?: boolean;
}

async function find(model: Model, w: RelationWrite): Promise<Relation | undefined> {
  if (w.relationId === undefined) return model.relation(w.endpoint);
  return (await model.relations(w.endpoint)).find((r) => r.id === w.relationId);
}

/**
 * Makes the relation bags hold `writes`, in order (what the pipeline runner does with a desired
 * state's `relations`). Returns `<endpoint>:<id>/<unit|app>` for every bag that changed.
 */
export async function applyRelationWrites(model: Model, writes: readonly RelationWrite[]): Promise<string[]> {
  const changed: string[] = [];
  for (const w of writes) {
    const rel = await find(model, w);
    if (rel === undefined) continue;
    const key = w.secret?.key ?? 'secret-id';
    const data = w.secret === undefined ? w.data : { ...w.data, [key]: w.secret.id };
    const keys = await (w.app ? rel.setAppData(data) : rel.setUnitData(data)).catch((e: unknown) => {
      if ((w.skipOutOfScope ?? !rel.isPeer) && (e as { code?: string }).code === 'permission-denied') return null;
      throw e;
    });
    if (keys === null) continue;
    if (keys.length > 0) changed.push(`${rel.ref}/${w.app ? 'app' : 'unit'}`);
    if (w.secret !== undefined && !rel.isPeer && keys.includes(key)) await model.secrets.grant(w.secret.id, rel.id);
  }
  return changed;
}
