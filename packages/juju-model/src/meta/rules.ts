/**
 * Juju's rules for a charm's metadata, config and actions documents, checked on the parsed YAML: the one
 * place for them. The sdk (loading and packing a charm) checks whole documents with {@link checkCharmMeta};
 * charm-sim, which parses with the zod schemas of charm-meta.ts, checks the references between them with
 * {@link checkContainerReferences}. Both report a {@link CharmMetaError} naming file, key, problem and fix.
 */
import { JujuModelError } from '../model/errors.js';
import { ActionMeta, ConfigOption as ConfigOptionMeta, type ConfigOption, type MetadataYaml } from './charm-meta.js';

/** A charm document that breaks one of Juju's rules: `cannot use <file>: <key>: <problem> (<fix>)`. */
export class CharmMetaError extends JujuModelError {
  readonly file: string;
  readonly key: string;
  readonly problem: string;
  readonly fix: string;

  constructor(file: string, key: string, problem: string, fix: string) {
    super('bad-charm', `cannot use ${file}: ${key}: ${problem} (${fix})`, { file, key, problem, fix });
    this.file = file;
    this.key = key;
    this.problem = problem;
    this.fix = fix;
  }
}

/** The checked documents: metadata.yaml as is, config options and actions by name. */
export interface CheckedCharmMeta {
  metadata: MetadataYaml;
  config: Record<string, ConfigOption>;
  actions: Record<string, ActionMeta>;
}

const CHARM_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;
const RELATION_NAME = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
const ITEM_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const ACTION_NAME = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
const JSON_TYPES = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'];

/** Where the charm's documents came from, for messages: a file and the key path inside it. */
export interface MetaFileNames {
  metadata: string;
  config: string;
  actions: string;
  /** Prefix of config keys, e.g. `config.` in a unified charmcraft.yaml. */
  configPrefix?: string;
  /** Prefix of action keys, e.g. `actions.` in a unified charmcraft.yaml. */
  actionsPrefix?: string;
}

const DEFAULT_FILES: MetaFileNames = { metadata: 'metadata.yaml', config: 'config.yaml', actions: 'actions.yaml' };

/** File names for a unified charmcraft.yaml. */
export const UNIFIED_FILES: MetaFileNames = {
  metadata: 'charmcraft.yaml',
  config: 'charmcraft.yaml',
  actions: 'charmcraft.yaml',
  configPrefix: 'config.',
  actionsPrefix: 'actions.',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks parsed metadata, config and actions documents against Juju's rules.
 * @throws {CharmMetaError} for the first violation, naming file, key, problem and fix.
 */
export function checkCharmMeta(
  docs: { metadata: unknown; config?: unknown; actions?: unknown },
  files: MetaFileNames = DEFAULT_FILES,
): CheckedCharmMeta {
  const metadata = validateMetadata(docs.metadata, files.metadata);
  const config = validateConfig(docs.config, files.config, files.configPrefix ?? '');
  const actions = validateActions(docs.actions, files.actions, files.actionsPrefix ?? '');
  return { metadata, config, actions };
}

type Fail = (file: string, key: string, problem: string, fix: string) => never;

function fail(file: string, key: string, problem: string, fix: string): never {
  throw new CharmMetaError(file, key, problem, fix);
}

function failPrefixed(file: string, prefix: string, key: string, problem: string, fix: string): never {
  throw new CharmMetaError(
    file,
    key === '(document)' && prefix !== '' ? prefix.slice(0, -1) : `${prefix}${key}`,
    problem,
    fix,
  );
}

function mapOf(file: string, key: string, v: unknown): Obj {
  if (v === undefined || v === null) return {};
  if (!isObj(v))
    fail(
      file,
      key,
      `must be a mapping, got ${Array.isArray(v) ? 'a list' : typeof v}`,
      `write it as "${key}:" followed by indented "name: {...}" entries`,
    );
  return v;
}

function validateMetadata(doc: unknown, file: string): MetadataYaml {
  if (!isObj(doc)) fail(file, '(document)', 'must be a YAML mapping', 'start the file with "name: <charm-name>"');
  const name = doc['name'];
  if (typeof name !== 'string' || name === '') fail(file, 'name', 'is missing', 'add "name: my-charm"');
  if (!CHARM_NAME.test(name))
    fail(
      file,
      'name',
      `"${name}" is not a valid charm name`,
      'use lowercase letters and digits in dash-separated words, each containing a letter, e.g. "redis-k8s"',
    );
  for (const k of ['summary', 'description']) {
    if (doc[k] !== undefined && typeof doc[k] !== 'string') fail(file, k, 'must be a string', `quote the ${k} text`);
  }
  if (doc['series'] !== undefined)
    fail(
      file,
      'series',
      'is not allowed in a charm format v2 (sidecar) charm',
      'remove "series"; bases live in manifest.yaml',
    );
  if (doc['charm-user'] !== undefined && !['root', 'sudoer', 'non-root'].includes(String(doc['charm-user']))) {
    fail(
      file,
      'charm-user',
      `"${String(doc['charm-user'])}" is not one of root, sudoer, non-root`,
      'pick one of the three',
    );
  }
  const resources = mapOf(file, 'resources', doc['resources']);
  for (const [rn, r] of Object.entries(resources)) {
    const key = `resources.${rn}`;
    if (!ITEM_NAME.test(rn))
      fail(file, key, 'is not a valid resource name', 'use lowercase letters, digits and dashes');
    if (!isObj(r)) fail(file, key, 'must be a mapping', 'give it at least "type: file" or "type: oci-image"');
    if (r['type'] !== 'file' && r['type'] !== 'oci-image')
      fail(file, `${key}.type`, `"${String(r['type'])}" is not a resource type`, 'use "file" or "oci-image"');
    if (r['type'] === 'file') {
      const fn = r['filename'];
      if (typeof fn !== 'string' || fn === '')
        fail(
          file,
          `${key}.filename`,
          'is missing for a file resource',
          'add "filename: <name>" (the name the charm finds it under)',
        );
      if (fn.includes('/')) fail(file, `${key}.filename`, `"${fn}" contains "/"`, 'use a bare file name');
    }
  }
  const storage = mapOf(file, 'storage', doc['storage']);
  for (const [sn, s] of Object.entries(storage)) {
    const key = `storage.${sn}`;
    if (!ITEM_NAME.test(sn)) fail(file, key, 'is not a valid storage name', 'use lowercase letters, digits and dashes');
    if (!isObj(s)) fail(file, key, 'must be a mapping', 'give it at least "type: filesystem"');
    if (s['type'] !== 'filesystem' && s['type'] !== 'block')
      fail(file, `${key}.type`, `"${String(s['type'])}" is not a storage type`, 'use "filesystem" or "block"');
    if (s['location'] !== undefined && (typeof s['location'] !== 'string' || !s['location'].startsWith('/')))
      fail(file, `${key}.location`, 'must be an absolute path', 'write it like "/var/lib/app"');
    if (s['type'] === 'block' && s['location'] !== undefined)
      fail(file, `${key}.location`, 'is not allowed for block storage', 'remove it or use "type: filesystem"');
    const m = s['multiple'];
    if (m !== undefined && !(isObj(m) && /^\d+(-\d*|\+)?$/.test(String(m['range']))))
      fail(file, `${key}.multiple.range`, 'must be "N", "N-M", "N-" or "N+"', 'e.g. "multiple: {range: 1-10}"');
    const min = s['minimum-size'];
    if (min !== undefined && !/^\d+[MGTPE]?$/.test(String(min)))
      fail(
        file,
        `${key}.minimum-size`,
        `"${String(min)}" is not a size`,
        'use a number with an optional M, G, T, P or E suffix, e.g. "1G"',
      );
  }
  const containers = mapOf(file, 'containers', doc['containers']);
  for (const [cn, c] of Object.entries(containers)) {
    const key = `containers.${cn}`;
    if (!ITEM_NAME.test(cn))
      fail(file, key, 'is not a valid container name', 'use lowercase letters, digits and dashes');
    if (!isObj(c)) fail(file, key, 'must be a mapping', 'give it "resource: <oci-image resource>"');
    const hasRes = c['resource'] !== undefined;
    const hasBases = c['bases'] !== undefined;
    if (hasRes === hasBases)
      fail(
        file,
        key,
        hasRes ? 'has both "resource" and "bases"' : 'has neither "resource" nor "bases"',
        'give exactly one: "resource: <oci-image resource>" or "bases: [...]"',
      );
    if (hasRes) checkImageResource(file, key, String(c['resource']), resources);
    if (hasBases && !Array.isArray(c['bases']))
      fail(file, `${key}.bases`, 'must be a list', 'e.g. "bases: [{name: ubuntu, channel: \'22.04\'}]"');
    const mounts = c['mounts'] ?? [];
    if (!Array.isArray(mounts))
      fail(file, `${key}.mounts`, 'must be a list', 'e.g. "mounts: [{storage: data, location: /data}]"');
    mounts.forEach((mnt: unknown, i) => {
      const mk = `${key}.mounts[${i}]`;
      if (!isObj(mnt) || typeof mnt['storage'] !== 'string')
        fail(file, mk, 'needs "storage"', 'e.g. "{storage: data, location: /data}"');
      checkMountStorage(file, mk, mnt['storage'], storage);
      if (mnt['location'] !== undefined && !String(mnt['location']).startsWith('/'))
        fail(file, `${mk}.location`, 'must be an absolute path', 'write it like "/var/lib/app"');
    });
  }
  const seen = new Map<string, string>();
  for (const role of ['provides', 'requires', 'peers'] as const) {
    for (const [rn, rel] of Object.entries(mapOf(file, role, doc[role]))) {
      const key = `${role}.${rn}`;
      if (!RELATION_NAME.test(rn))
        fail(file, key, 'is not a valid relation name', 'use lowercase letters and digits separated by "-" or "_"');
      if (rn === 'juju' || rn.startsWith('juju-'))
        fail(file, key, 'uses the reserved "juju" prefix', 'rename the endpoint');
      if (seen.has(rn))
        fail(
          file,
          key,
          `is also declared under "${seen.get(rn)}"`,
          'endpoint names must be unique across provides, requires and peers',
        );
      seen.set(rn, role);
      if (!isObj(rel) || typeof rel['interface'] !== 'string' || rel['interface'] === '')
        fail(file, `${key}.interface`, 'is missing', 'add "interface: <name>"');
      if (rel['interface'] === 'juju-info' && role !== 'requires')
        fail(
          file,
          `${key}.interface`,
          '"juju-info" can only be required',
          'remove the endpoint; every charm provides juju-info implicitly',
        );
      if (rel['scope'] !== undefined && rel['scope'] !== 'global' && rel['scope'] !== 'container')
        fail(file, `${key}.scope`, `"${String(rel['scope'])}" is not a scope`, 'use "global" or "container"');
      if (rel['limit'] !== undefined && !(Number.isInteger(rel['limit']) && (rel['limit'] as number) >= 0))
        fail(file, `${key}.limit`, 'must be a non-negative integer', 'e.g. "limit: 1"');
      if (rel['optional'] !== undefined && typeof rel['optional'] !== 'boolean')
        fail(file, `${key}.optional`, 'must be true or false', 'e.g. "optional: true"');
    }
  }
  return doc as MetadataYaml;
}

function validateConfig(doc: unknown, file: string, prefix: string): CheckedCharmMeta['config'] {
  if (doc === undefined || doc === null) return {};
  const fail: Fail = (_f, key, problem, fix) => failPrefixed(file, prefix, key, problem, fix);
  if (!isObj(doc)) fail(file, '(document)', 'must be a mapping', 'start the file with "options:"');
  const out: CheckedCharmMeta['config'] = {};
  const options = doc['options'] ?? {};
  if (!isObj(options))
    fail(
      file,
      'options',
      'must be a mapping of option names',
      'write "options: {<name>: {type: string, default: ..., description: ...}}"',
    );
  for (const [name, o] of Object.entries(options)) {
    const key = `options.${name}`;
    if (!isObj(o) || o['type'] === undefined)
      fail(file, `${key}.type`, 'is missing', 'every option needs "type: string|int|float|boolean|secret"');
    const parsed = ConfigOptionMeta.safeParse(o);
    if (!parsed.success)
      fail(
        file,
        `${key}.type`,
        `"${String(o['type'])}" is not an option type`,
        'use string, int, float, boolean or secret',
      );
    const d = parsed.data.default;
    const t = parsed.data.type;
    const ok =
      d === undefined ||
      d === null ||
      (t === 'string' || t === 'secret'
        ? typeof d === 'string'
        : t === 'int'
          ? Number.isInteger(d)
          : t === 'float'
            ? typeof d === 'number'
            : typeof d === 'boolean');
    if (!ok)
      fail(
        file,
        `${key}.default`,
        `${JSON.stringify(d)} is not a valid ${t}`,
        `make the default a ${t} or change the type`,
      );
    out[name] = parsed.data;
  }
  return out;
}

function validateActions(doc: unknown, file: string, prefix: string): CheckedCharmMeta['actions'] {
  const fail: Fail = (_f, key, problem, fix) => failPrefixed(file, prefix, key, problem, fix);
  if (doc !== undefined && doc !== null && !isObj(doc))
    fail(
      file,
      '(document)',
      'must be a mapping of action names',
      'write "<action>: {description: ..., params: {...}}"',
    );
  const out: CheckedCharmMeta['actions'] = {};
  for (const [name, a] of Object.entries(isObj(doc) ? doc : {})) {
    if (!ACTION_NAME.test(name))
      fail(
        file,
        name,
        'is not a valid action name',
        'use lowercase letters, digits and dashes, starting with a letter',
      );
    if (name.startsWith('juju-')) fail(file, name, 'uses the reserved "juju-" prefix', 'rename the action');
    const parsed = ActionMeta.safeParse(a ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(
        file,
        [name, ...(issue?.path ?? []).map(String)].join('.'),
        issue?.message ?? 'is invalid',
        'see the actions.yaml schema: {description, params: {<name>: <JSON schema>}, required: [..], additionalProperties: bool}',
      );
    }
    const params = parsed.data.params ?? {};
    for (const [pn, p] of Object.entries(params)) {
      const t = p['type'];
      const types = Array.isArray(t) ? t : t === undefined ? [] : [t];
      for (const one of types) {
        if (!JSON_TYPES.includes(String(one)))
          fail(
            file,
            `${name}.params.${pn}.type`,
            `"${String(one)}" is not a JSON schema type`,
            `use one of ${JSON_TYPES.join(', ')}`,
          );
      }
    }
    for (const req of parsed.data.required ?? []) {
      if (!(req in params))
        fail(
          file,
          `${name}.required`,
          `lists "${req}", which is not under params`,
          `declare "${req}" under ${name}.params or drop it from required`,
        );
    }
    out[name] = parsed.data;
  }
  return out;
}

/** A container's `resource` must name an oci-image resource declared under `resources`. */
function checkImageResource(file: string, key: string, rn: string, resources: Obj): void {
  const r = resources[rn];
  if (!isObj(r))
    fail(
      file,
      `${key}.resource`,
      `names "${rn}", which is not declared under "resources"`,
      `add "resources: {${rn}: {type: oci-image}}"`,
    );
  if (r['type'] !== 'oci-image')
    fail(
      file,
      `${key}.resource`,
      `names "${rn}", which is of type "${String(r['type'])}"`,
      'a container image must be an oci-image resource',
    );
}

/** A container mount's `storage` must be declared under `storage`. */
function checkMountStorage(file: string, mk: string, name: string, storage: Obj): void {
  if (!(name in storage))
    fail(
      file,
      `${mk}.storage`,
      `names "${name}", which is not declared under "storage"`,
      `add "storage: {${name}: {type: filesystem}}"`,
    );
}

/**
 * The references between parsed metadata's parts: each container's image is a declared oci-image resource
 * and each of its mounts names declared storage.
 * @throws {CharmMetaError} for the first broken reference.
 */
export function checkContainerReferences(meta: MetadataYaml, file = 'metadata.yaml'): void {
  const resources: Obj = meta.resources ?? {};
  const storage: Obj = meta.storage ?? {};
  for (const [cn, c] of Object.entries(meta.containers ?? {})) {
    const key = `containers.${cn}`;
    if (c.resource !== undefined) checkImageResource(file, key, c.resource, resources);
    (c.mounts ?? []).forEach((m, i) => checkMountStorage(file, `${key}.mounts[${i}]`, m.storage, storage));
  }
}
