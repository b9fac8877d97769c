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
