import { z } from 'zod';
import { callJson } from './call.js';
import type { HookToolRunner } from './runner.js';

/** A config value as Juju prints it (secret options are secret ids). */
export const ConfigValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type ConfigValue = z.infer<typeof ConfigValue>;

/** All set options (and those with a default): `config-get --format=json`. */
export function configGet(runner: HookToolRunner): Promise<Record<string, ConfigValue>>;
/** One option, or null when unset: `config-get --format=json <key>`. */
export function configGet(runner: HookToolRunner, key: string): Promise<ConfigValue>;
export function configGet(runner: HookToolRunner, key?: string): Promise<Record<string, ConfigValue> | ConfigValue> {
  if (key !== undefined) return callJson(runner, 'config-get', ['--format=json', key], ConfigValue);
  return callJson(
    runner,
    'config-get',
    ['--format=json'],
    z
      .record(z.string(), ConfigValue)
      .nullable()
      .transform((v) => v ?? {}),
  );
}
