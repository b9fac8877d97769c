import { applyRelationWrites, type Model, type RelationWrite as BagWrite } from '@charms/charm-sdk';
import type { RelationWrite } from './desired.js';

/**
 * The planned relation bags as the sdk's relation writes (pure): bags that carry the password
 * secret get its id (granted on a non-peer relation when the id is new to it), once one is known.
 */
export function relationWrites(writes: readonly RelationWrite[], secretId: string | null): BagWrite[] {
  return writes.map(({ withSecretId, ...w }) =>
    withSecretId && secretId !== null ? { ...w, secret: { id: secretId } } : w,
  );
}

/**
 * Writes the planned relation bags now (only keys that change are sent; see {@link relationWrites}).
 * Returns `<endpoint>:<id>/<unit|app>` for every bag that changed.
 */
export function publishRelations(
  model: Model,
  writes: readonly RelationWrite[],
  secretId: string | null,
): Promise<string[]> {
  return applyRelationWrites(model, relationWrites(writes, secretId));
}
