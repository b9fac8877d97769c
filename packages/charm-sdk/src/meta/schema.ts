import { z } from 'zod';

/** A charm's metadata.yaml (format v2), loosely typed; {@link validateCharmMeta} applies Juju's rules. */
export interface MetadataYaml {
  name: string;
  summary?: string;
  description?: string;
  assumes?: unknown[];
  'charm-user'?: string;
  subordinate?: boolean;
  containers?: Record<
    string,
    { resource?: string; bases?: unknown[]; mounts?: { storage: string; location?: string }[] }
  >;
  resources?: Record<string, { type: string; filename?: string; description?: string; 'upstream-source'?: string }>;
  storage?: Record<
    string,
    {
      type: string;
      location?: string;
      multiple?: { range: string | number };
      'minimum-size'?: string | number;
      shared?: boolean;
      'read-only'?: boolean;
    }
  >;
  peers?: Record<string, Endpoint>;
  provides?: Record<string, Endpoint>;
  requires?: Record<string, Endpoint>;
  'extra-bindings'?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A relation endpoint declaration. */
export interface Endpoint {
  interface: string;
  limit?: number;
  optional?: boolean;
  scope?: 'global' | 'container';
}

/** One option of config.yaml. */
export const ConfigOptionMeta = z
  .object({
    type: z.enum(['string', 'int', 'float', 'boolean', 'secret']),
    default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    description: z.string().optional(),
  })
  .loose();
export type ConfigOptionMeta = z.infer<typeof ConfigOptionMeta>;

/** One action of actions.yaml. */
export const ActionMeta = z
  .object({
    description: z.string().optional(),
    params: z.record(z.string(), z.record(z.string(), z.unknown())).nullish(),
    required: z.array(z.string()).optional(),
    additionalProperties: z.boolean().optional(),
    'execution-group': z.string().optional(),
    parallel: z.boolean().optional(),
  })
  .loose();
export type ActionMeta = z.infer<typeof ActionMeta>;

/** Everything the kit knows about the charm it runs, merged from its YAML files. */
export interface CharmMeta {
  metadata: MetadataYaml;
  config: Record<string, ConfigOptionMeta>;
  actions: Record<string, ActionMeta>;
}
