/** The kit's face of Juju's metadata rules, which live in `@charms/juju-model/meta` (shared with charm-sim). */
import { CharmMetaError, checkCharmMeta, type MetaFileNames } from '@charms/juju-model/meta';
import { MetadataError } from '../errors.js';
import type { CharmMeta } from './schema.js';

export { UNIFIED_FILES, type MetaFileNames } from '@charms/juju-model/meta';

/**
 * Checks parsed metadata, config and actions documents against Juju's rules.
 * @throws {MetadataError} for the first violation, naming file, key, problem and fix.
 */
export function validateCharmMeta(
  docs: { metadata: unknown; config?: unknown; actions?: unknown },
  files?: MetaFileNames,
): CharmMeta {
  try {
    return checkCharmMeta(docs, files);
  } catch (e) {
    if (e instanceof CharmMetaError) throw new MetadataError(e.file, e.key, e.problem, e.fix);
    throw e;
  }
}
