import { z } from 'zod';
import { CharmError } from '../errors.js';
import { callJson, callVoid } from './call.js';
import type { HookToolRunner } from './runner.js';

/** The action's parameters (with schema defaults): `action-get --format=json`. */
export function actionGet(runner: HookToolRunner): Promise<Record<string, unknown>> {
  return callJson(runner, 'action-get', ['--format=json'], z.record(z.string(), z.unknown()).nullable().transform((v) => v ?? {}));
}

/** Nested action results; leaves become strings. */
export interface ActionResults {
  [key: string]: string | number | boolean | ActionResults;
}

const KEY = /^[a-z0-9](?:[a-z0-9-.]*[a-z0-9])?$/;
const RESERVED = new Set(['stdout', 'stdout-encoding', 'stderr', 'stderr-encoding']);

/** Flattens results to `a.b=value` pairs, checking Juju's key rules. */
export function flattenActionResults(results: ActionResults, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(results)) {
    if (!KEY.test(key)) {
      throw new CharmError('invalid-argument', `cannot set action result "${prefix}${key}": keys must be lowercase letters, digits and "-", starting and ending with a letter or digit`, { key });
    }
    if (prefix === '' && RESERVED.has(key)) {
      throw new CharmError('invalid-argument', `cannot set action result "${key}": the key is reserved by Juju; choose another name`, { key });
    }
    if (typeof value === 'object') out.push(...flattenActionResults(value, `${prefix}${key}.`));
    else out.push(`${prefix}${key}=${String(value)}`);
  }
  return out;
}

/**
 * Sets action results: `action-set k=v k2.sub=v ...`. Juju offers no file form, so a value that is
 * a registered secret is refused; return a secret id instead.
 */
export async function actionSet(runner: HookToolRunner, results: ActionResults): Promise<void> {
  const args = flattenActionResults(results);
  if (args.length === 0) return;
  return callVoid(runner, 'action-set', args);
}

/** A progress message: `action-log -- <message>`. */
export function actionLog(runner: HookToolRunner, message: string): Promise<void> {
  return callVoid(runner, 'action-log', ['--', message]);
}

/** Marks the action failed: `action-fail -- <message>` (Juju's default text without one). */
export function actionFail(runner: HookToolRunner, message?: string): Promise<void> {
  return callVoid(runner, 'action-fail', message === undefined ? [] : ['--', message]);
}
