import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CharmError } from '../errors.js';
import { validateCharmMeta } from './validate.js';
import type { CharmMeta } from './schema.js';

async function readYaml(dir: string, file: string, required: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    throw new CharmError('invalid-metadata', `cannot read ${file} in ${dir}: ${(e as Error).message}`, { file });
  }
  try {
    return parse(text) as unknown;
  } catch (e) {
    throw new CharmError(
      'invalid-metadata',
      `cannot parse ${file}: ${(e as Error).message.split('\n')[0]} (fix the YAML syntax)`,
      { file },
    );
  }
}

/**
 * Reads metadata.yaml, config.yaml and actions.yaml from a charm directory and checks them
 * against Juju's rules.
 * @throws {MetadataError} naming the file, the key and the fix.
 */
export async function loadCharmMeta(charmDir: string): Promise<CharmMeta> {
  const [metadata, config, actions] = await Promise.all([
    readYaml(charmDir, 'metadata.yaml', true),
    readYaml(charmDir, 'config.yaml', false),
    readYaml(charmDir, 'actions.yaml', false),
  ]);
  return validateCharmMeta({ metadata, config, actions });
}
