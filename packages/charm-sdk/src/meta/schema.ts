/**
 * The charm metadata types the kit uses: the schema itself lives in `@charms/juju-model/meta`,
 * shared with charm-sim, so the two read a charm's files the same way.
 */
import type { ActionMeta, ConfigOption, MetadataYaml } from '@charms/juju-model/meta';

export { ActionMeta, ConfigOption as ConfigOptionMeta, type EndpointMeta as Endpoint } from '@charms/juju-model/meta';
export type { MetadataYaml } from '@charms/juju-model/meta';

/** Everything the kit knows about the charm it runs, merged from its YAML files. */
export interface CharmMeta {
  metadata: MetadataYaml;
  config: Record<string, ConfigOption>;
  actions: Record<string, ActionMeta>;
}
