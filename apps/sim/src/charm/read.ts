/** Reading charm directories and .charm archives into a validated {@link Charm}. */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import {
  JujuModelError,
  ActionsYaml,
  CharmcraftYaml,
  CharmMetaError,
  checkContainerReferences,
  ConfigYaml,
  ManifestYaml,
  MetadataYaml,
  type Charm,
} from '@charms/juju-model';
import { readZipFiles } from './zip.js';

export { extractCharm } from './zip.js';

const files = ['metadata.yaml', 'config.yaml', 'actions.yaml', 'manifest.yaml', 'charmcraft.yaml', 'version'] as const;

function bad(path: string, message: string): JujuModelError {
  return new JujuModelError('bad-charm', `cannot read charm ${path}: ${message}`, { path });
}

function parseYamlFile<T extends z.ZodType>(path: string, name: string, text: string, schema: T): z.infer<T> {
  const doc = parseDocument(text, { prettyErrors: true });
  const err = doc.errors[0];
  if (err)
    throw bad(path, `${name}: invalid YAML at line ${err.linePos?.[0]?.line ?? '?'}: ${err.message.split('\n')[0]}`);
  const r = schema.safeParse(doc.toJS() ?? {});
  if (!r.success) {
    const issues = r.error.issues
      .map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
      .join('; ');
    throw bad(path, `${name}: ${issues}. Fix the file and deploy again.`);
  }
  return r.data;
}

async function readDirFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of files) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => null);
    if (text !== null) out.set(name, text);
  }
  return out;
}

function withoutBuildKeys(unified: Record<string, unknown>): Record<string, unknown> {
  const {
    config: _c,
    actions: _a,
    type: _t,
    parts: _p,
    base: _b,
    bases: _bs,
    platforms: _pl,
    'build-base': _bb,
    ...meta
  } = unified;
  return meta;
}

/** Juju's rules for the references between the parts of metadata (juju-model's, shared with the sdk). */
function checkReferences(path: string, charm: Charm, file: string): void {
  try {
    checkContainerReferences(charm.meta, file);
  } catch (e) {
    if (e instanceof CharmMetaError) throw bad(path, `${e.file}: ${e.key}: ${e.problem} (${e.fix})`);
    throw e;
  }
}

/**
 * Reads and validates a charm directory or `.charm` zip: metadata.yaml (or a unified
 * charmcraft.yaml), config.yaml, actions.yaml, manifest.yaml. Throws JujuModelError `bad-charm`
 * naming the file and field.
 */
export async function readCharm(path: string): Promise<Charm> {
  const abs = resolve(path);
  const st = await stat(abs).catch(() => null);
  if (!st) throw bad(path, 'no such file or directory');
  const found = st.isDirectory() ? await readDirFiles(abs) : await readZipFiles(abs, files);
  const unified = found.has('charmcraft.yaml')
    ? parseYamlFile(path, 'charmcraft.yaml', found.get('charmcraft.yaml')!, CharmcraftYaml)
    : null;
  const metaText = found.get('metadata.yaml');
  if (metaText === undefined && !unified)
    throw bad(path, 'it has no metadata.yaml (nor a charmcraft.yaml); is this a charm directory?');
  const meta =
    metaText !== undefined
      ? parseYamlFile(path, 'metadata.yaml', metaText, MetadataYaml)
      : MetadataYaml.parse(withoutBuildKeys(unified!));
  const configText = found.get('config.yaml');
  const config =
    configText !== undefined
      ? parseYamlFile(path, 'config.yaml', configText, ConfigYaml)
      : (unified?.config ?? { options: {} });
  const actionsText = found.get('actions.yaml');
  const actions =
    actionsText !== undefined
      ? parseYamlFile(path, 'actions.yaml', actionsText, ActionsYaml.or(z.null()))
      : (unified?.actions ?? {});
  const manifestText = found.get('manifest.yaml');
  const charm: Charm = {
    source: abs,
    meta,
    config: config.options ?? {},
    actions: actions ?? {},
    manifest: manifestText !== undefined ? parseYamlFile(path, 'manifest.yaml', manifestText, ManifestYaml) : null,
    version: found.get('version')?.trim() ?? null,
  };
  checkReferences(path, charm, metaText !== undefined ? 'metadata.yaml' : 'charmcraft.yaml');
  return charm;
}
