import { z } from 'zod';
import { CharmError } from '../errors.js';
import { callJson, callVoid } from './call.js';
import type { HookToolRunner } from './runner.js';

/** A relation bag: string keys to string values. */
export const RelationData = z
  .record(z.string(), z.string())
  .nullable()
  .transform((v) => v ?? {});
export type RelationData = Record<string, string>;

/** Relation ids of an endpoint, e.g. `["db:3"]`: `relation-ids <endpoint> --format=json`. */
export function relationIds(runner: HookToolRunner, endpoint: string): Promise<string[]> {
  return callJson(
    runner,
    'relation-ids',
    [endpoint, '--format=json'],
    z
      .array(z.string())
      .nullable()
      .transform((v) => v ?? []),
  );
}

/** Remote units in the relation: `relation-list --format=json -r <ref>`. */
export function relationList(runner: HookToolRunner, ref: string): Promise<string[]> {
  return callJson(
    runner,
    'relation-list',
    ['--format=json', '-r', ref],
    z
      .array(z.string())
      .nullable()
      .transform((v) => v ?? []),
  );
}

/** The remote application's name: `relation-list --format=json -r <ref> --app`. */
export function relationListApp(runner: HookToolRunner, ref: string): Promise<string> {
  return callJson(runner, 'relation-list', ['--format=json', '-r', ref, '--app'], z.string());
}

/** Options of {@link relationGet}. */
export interface RelationGetOptions {
  /** Read the application bag of `target` (an application name). */
  app?: boolean;
}

/** A whole bag: `relation-get --format=json -r <ref> [--app] - <unit-or-app>`. */
export function relationGet(
  runner: HookToolRunner,
  ref: string,
  target: string,
  options: RelationGetOptions = {},
): Promise<RelationData> {
  const args = ['--format=json', '-r', ref, ...(options.app ? ['--app'] : []), '-', target];
  return callJson(runner, 'relation-get', args, RelationData);
}

/** One key of a bag, null when absent: `relation-get --format=json -r <ref> [--app] <key> <unit-or-app>`. */
export function relationGetKey(
  runner: HookToolRunner,
  ref: string,
  key: string,
  target: string,
  options: RelationGetOptions = {},
): Promise<string | null> {
  const args = ['--format=json', '-r', ref, ...(options.app ? ['--app'] : []), key, target];
  return callJson(runner, 'relation-get', args, z.string().nullable());
}

/**
 * Merges `data` into this unit's (or, with `app`, this application's) bag; `""` deletes a key.
 * The data goes through stdin (`relation-set -r <ref> [--app] --file -`), never argv.
 */
export async function relationSet(
  runner: HookToolRunner,
  ref: string,
  data: Record<string, string>,
  options: { app?: boolean } = {},
): Promise<void> {
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') {
      throw new CharmError(
        'invalid-argument',
        `cannot set relation data: the value of "${k}" must be a string, got ${typeof v}`,
        { key: k },
      );
    }
  }
  if (Object.keys(data).length === 0) {
    throw new CharmError('invalid-argument', 'cannot set relation data: nothing to set (pass at least one key)');
  }
  const args = ['-r', ref, ...(options.app ? ['--app'] : []), '--file', '-'];
  return callVoid(runner, 'relation-set', args, { stdin: JSON.stringify(data) });
}

/** The remote model of a cross-model relation: `relation-model-get --format=json -r <ref>`. */
export function relationModelGet(runner: HookToolRunner, ref: string): Promise<{ uuid: string }> {
  return callJson(runner, 'relation-model-get', ['--format=json', '-r', ref], z.object({ uuid: z.string() }));
}
