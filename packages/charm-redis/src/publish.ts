import type { Model } from '@charms/charm-sdk';
import type { RelationWrite } from './desired.js';

/**
 * Writes the planned relation bags (only keys that change are sent). App bags that carry the
 * password secret get its id, and a non-peer relation is granted the secret when the id is new to it.
 * Returns `<endpoint>:<id>/<unit|app>` for every bag that changed.
 */
export async function publishRelations(
  model: Model,
  writes: readonly RelationWrite[],
  secretId: string | null,
): Promise<string[]> {
  const changed: string[] = [];
  for (const w of writes) {
    const rel = (await model.relations(w.endpoint)).find((r) => r.id === w.relationId);
    if (rel === undefined) continue;
    const data = w.withSecretId && secretId !== null ? { ...w.data, 'secret-id': secretId } : w.data;
    const keys = await (w.app ? rel.setAppData(data) : rel.setUnitData(data)).catch((e: unknown) => {
      // a unit added to an existing relation may run other hooks before that relation's relation-created,
      // when Juju still refuses it the relation's data: that relation's own hooks publish then
      if (!rel.isPeer && (e as { code?: string }).code === 'permission-denied') return null;
      throw e;
    });
    if (keys === null) continue;
    if (keys.length > 0) changed.push(`${rel.ref}/${w.app ? 'app' : 'unit'}`);
    if (w.app && !rel.isPeer && secretId !== null && keys.includes('secret-id'))
      await model.secrets.grant(secretId, rel.id);
  }
  return changed;
}
