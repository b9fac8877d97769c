import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CharmError, MetadataError } from '../errors.js';
import type { CharmMeta } from '../meta/schema.js';
import { UNIFIED_FILES, validateCharmMeta } from '../meta/validate.js';

/** The YAML documents of a charm archive, validated. */
export interface CharmDocs {
  meta: CharmMeta;
  base: { name: string; channel: string };
  files: { 'metadata.yaml': string; 'config.yaml': string; 'actions.yaml': string; 'charmcraft.yaml': string };
}

const META_ONLY = new Set([
  'type',
  'config',
  'actions',
  'base',
  'build-base',
  'platforms',
  'parts',
  'bases',
  'charmhub',
  'links',
  'charm-libs',
]);

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function parseYaml(file: string, text: string): unknown {
  try {
    return parse(text) as unknown;
  } catch (e) {
    throw new MetadataError(
      file,
      '(document)',
      `is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
      'fix the YAML syntax',
    );
  }
}

/**
 * Reads a charm's metadata from a unified charmcraft.yaml or from metadata.yaml, config.yaml and
 * actions.yaml, validates it against Juju's rules and renders the files an archive carries.
 */
export async function readCharmDocs(charmDir: string): Promise<CharmDocs> {
  const unifiedText = await readOptional(join(charmDir, 'charmcraft.yaml'));
  const metadataText = await readOptional(join(charmDir, 'metadata.yaml'));
  if (unifiedText === undefined && metadataText === undefined) {
    throw new CharmError(
      'invalid-metadata',
      `cannot pack ${charmDir}: it has neither charmcraft.yaml nor metadata.yaml (add a charmcraft.yaml with name, summary, containers, ...)`,
    );
  }
  let unified: Record<string, unknown> = {};
  if (unifiedText !== undefined) {
    const doc = parseYaml('charmcraft.yaml', unifiedText);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
      throw new MetadataError('charmcraft.yaml', '(document)', 'must be a mapping', 'start it with "name: <charm>"');
    unified = doc as Record<string, unknown>;
    if (unified['type'] !== undefined && unified['type'] !== 'charm')
      throw new MetadataError('charmcraft.yaml', 'type', `is "${String(unified['type'])}"`, 'set "type: charm"');
  }
  let meta: CharmMeta;
  if (metadataText !== undefined) {
    const config = await readOptional(join(charmDir, 'config.yaml'));
    const actions = await readOptional(join(charmDir, 'actions.yaml'));
    meta = validateCharmMeta({
      metadata: parseYaml('metadata.yaml', metadataText),
      config: config === undefined ? unified['config'] : parseYaml('config.yaml', config),
      actions: actions === undefined ? unified['actions'] : parseYaml('actions.yaml', actions),
    });
  } else {
    const metadata = Object.fromEntries(Object.entries(unified).filter(([k]) => !META_ONLY.has(k)));
    meta = validateCharmMeta({ metadata, config: unified['config'], actions: unified['actions'] }, UNIFIED_FILES);
  }
  const base = parseBase(unified);
  const configDoc = { options: meta.config };
  const charmcraft =
    unifiedText ??
    stringify({
      type: 'charm',
      ...meta.metadata,
      config: configDoc,
      actions: meta.actions,
      base: `${base.name}@${base.channel}`,
      platforms: { amd64: null },
    });
  return {
    meta,
    base,
    files: {
      'metadata.yaml': stringify(meta.metadata),
      'config.yaml': stringify(configDoc),
      'actions.yaml': stringify(meta.actions),
      'charmcraft.yaml': charmcraft,
    },
  };
}

function parseBase(unified: Record<string, unknown>): { name: string; channel: string } {
  const base = unified['base'] ?? 'ubuntu@22.04';
  const m = typeof base === 'string' ? /^([a-z]+)@(\d+\.\d+)$/.exec(base) : null;
  if (!m)
    throw new MetadataError(
      'charmcraft.yaml',
      'base',
      `"${String(base)}" is not a base`,
      'write it like "ubuntu@22.04"',
    );
  const platforms = unified['platforms'];
  if (platforms !== undefined && (platforms === null || typeof platforms !== 'object' || !('amd64' in platforms))) {
    throw new MetadataError(
      'charmcraft.yaml',
      'platforms',
      'does not include amd64',
      'add "platforms: {amd64: }" (the packed runtime is linux-x64)',
    );
  }
  return { name: m[1] as string, channel: m[2] as string };
}
