import type { RelationWrite as BagWrite } from '@charms/charm-sdk';
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
