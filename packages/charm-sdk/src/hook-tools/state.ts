import { z } from 'zod';
import { callJson, callVoid } from './call.js';
import type { HookToolRunner } from './runner.js';

/** All charm state: `state-get --format=json` (`{}` when empty). */
export function stateGet(runner: HookToolRunner): Promise<Record<string, string>>;
/** One key, null when missing: `state-get --format=json <key>`. */
export function stateGet(runner: HookToolRunner, key: string): Promise<string | null>;
export function stateGet(runner: HookToolRunner, key?: string): Promise<Record<string, string> | string | null> {
  if (key !== undefined) return callJson(runner, 'state-get', ['--format=json', key], z.string().nullable());
  return callJson(
    runner,
    'state-get',
    ['--format=json'],
    z
      .record(z.string(), z.string())
      .nullable()
      .transform((v) => v ?? {}),
  );
}

/** Sets charm state keys (buffered) through stdin: `state-set --file -`. */
export function stateSet(runner: HookToolRunner, values: Record<string, string>): Promise<void> {
  return callVoid(runner, 'state-set', ['--file', '-'], { stdin: JSON.stringify(values) });
}

/** Deletes a charm state key (buffered): `state-delete <key>`. */
export function stateDelete(runner: HookToolRunner, key: string): Promise<void> {
  return callVoid(runner, 'state-delete', [key]);
}
