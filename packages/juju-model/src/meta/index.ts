/**
 * The charm metadata schema alone (zod, nothing else): the files Juju reads from a charm. The
 * sdk's runtime imports this entry, so a packed charm does not bundle the hook-tool model.
 */
export {
  ActionMeta,
  ActionsYaml,
  Charm,
  CharmcraftYaml,
  ConfigOption,
  ConfigYaml,
  ContainerMeta,
  EndpointMeta,
  ManifestYaml,
  MetadataYaml,
  ResourceMeta,
  StorageMeta,
} from './charm-meta.js';
export {
  UNIT_HOOKS,
  LEGACY_UNIT_HOOKS,
  SECRET_HOOKS,
  RELATION_SUFFIXES,
  STORAGE_SUFFIXES,
  WORKLOAD_SUFFIXES,
  type UnitHookKind,
  type SecretHookKind,
  type RelationHookKind,
  type StorageHookKind,
  type WorkloadHookKind,
} from './hook-names.js';
export {
  CharmMetaError,
  checkCharmMeta,
  checkContainerReferences,
  UNIFIED_FILES,
  type CheckedCharmMeta,
  type MetaFileNames,
} from './rules.js';
