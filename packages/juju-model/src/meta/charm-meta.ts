/**
 * Zod schemas for the files Juju reads from a charm: metadata.yaml, config.yaml, actions.yaml,
 * manifest.yaml and the unified charmcraft.yaml. The parsed, merged result is {@link Charm}.
 */
import { z } from 'zod';

const Name = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes, starting with a letter');

/** One `provides`/`requires`/`peers` endpoint. */
export const EndpointMeta = z.looseObject({
  interface: z.string().min(1),
  limit: z.number().int().optional(),
  optional: z.boolean().optional(),
  scope: z.enum(['global', 'container']).optional(),
});
export type EndpointMeta = z.infer<typeof EndpointMeta>;

/** A `containers.<name>` entry: its image resource (or bases) and storage mounts. */
export const ContainerMeta = z.looseObject({
  resource: z.string().optional(),
  bases: z.array(z.unknown()).optional(),
  mounts: z.array(z.looseObject({ storage: z.string(), location: z.string().optional() })).optional(),
});
export type ContainerMeta = z.infer<typeof ContainerMeta>;

/** A `resources.<name>` entry. */
export const ResourceMeta = z.looseObject({
  type: z.enum(['file', 'oci-image']),
  filename: z.string().optional(),
  description: z.string().optional(),
  'upstream-source': z.string().optional(),
});
export type ResourceMeta = z.infer<typeof ResourceMeta>;

/** A `storage.<name>` entry. */
export const StorageMeta = z.looseObject({
  type: z.enum(['filesystem', 'block']),
  location: z.string().optional(),
  description: z.string().optional(),
  shared: z.boolean().optional(),
  'read-only': z.boolean().optional(),
  'minimum-size': z.union([z.string(), z.number()]).optional(),
  multiple: z.looseObject({ range: z.union([z.string(), z.number()]) }).optional(),
});
export type StorageMeta = z.infer<typeof StorageMeta>;

/** metadata.yaml (charm format v2). */
export const MetadataYaml = z.looseObject({
  name: Name,
  summary: z.string().optional(),
  description: z.string().optional(),
  assumes: z.array(z.unknown()).optional(),
  'charm-user': z.enum(['root', 'sudoer', 'non-root']).optional(),
  subordinate: z.boolean().optional(),
  containers: z.record(Name, ContainerMeta).optional(),
  resources: z.record(Name, ResourceMeta).optional(),
  storage: z.record(Name, StorageMeta).optional(),
  peers: z.record(Name, EndpointMeta).optional(),
  provides: z.record(Name, EndpointMeta).optional(),
  requires: z.record(Name, EndpointMeta).optional(),
  'extra-bindings': z.record(z.string(), z.unknown()).optional(),
  series: z.array(z.string()).optional(),
});
export type MetadataYaml = z.infer<typeof MetadataYaml>;

/** One option of config.yaml. */
export const ConfigOption = z.looseObject({
  type: z.enum(['string', 'int', 'float', 'boolean', 'secret']),
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  description: z.string().optional(),
});
export type ConfigOption = z.infer<typeof ConfigOption>;

/** config.yaml. */
export const ConfigYaml = z.looseObject({ options: z.record(z.string().min(1), ConfigOption).nullish() });
export type ConfigYaml = z.infer<typeof ConfigYaml>;

/** One action of actions.yaml: a JSON schema for its params. */
export const ActionMeta = z.looseObject({
  description: z.string().optional(),
  params: z.record(z.string(), z.record(z.string(), z.unknown())).nullish(),
  required: z.array(z.string()).optional(),
  additionalProperties: z.boolean().optional(),
  'execution-group': z.string().optional(),
  parallel: z.boolean().optional(),
});
export type ActionMeta = z.infer<typeof ActionMeta>;

/** actions.yaml. */
export const ActionsYaml = z.record(Name, ActionMeta);
export type ActionsYaml = z.infer<typeof ActionsYaml>;

/** manifest.yaml (charmcraft output). */
export const ManifestYaml = z.looseObject({
  bases: z.array(z.looseObject({ name: z.string(), channel: z.string() })).optional(),
  'charmcraft-version': z.string().optional(),
});
export type ManifestYaml = z.infer<typeof ManifestYaml>;

/** Unified charmcraft.yaml: metadata keys at top level plus `config`, `actions`, `type`. */
export const CharmcraftYaml = MetadataYaml.extend({
  name: Name,
  type: z.string().optional(),
  config: ConfigYaml.optional(),
  actions: ActionsYaml.optional(),
});
export type CharmcraftYaml = z.infer<typeof CharmcraftYaml>;

/** Everything the simulator needs to know about a charm, merged from its YAML files. */
export const Charm = z.object({
  /** Host path the charm was read from (directory or .charm file). */
  source: z.string(),
  meta: MetadataYaml,
  config: z.record(z.string(), ConfigOption),
  actions: ActionsYaml,
  manifest: ManifestYaml.nullable(),
  /** Contents of the `version` file, if any. */
  version: z.string().nullable(),
});
export type Charm = z.infer<typeof Charm>;
