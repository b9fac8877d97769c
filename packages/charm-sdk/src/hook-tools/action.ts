import { z } from 'zod';
import { CharmError, HookToolError } from '../errors.js';
import { secretsIn } from '../logging/secret-registry.js';
import { callJson, callVoid } from './call.js';
import type { HookToolRunner } from './runner.js';

/** The action's parameters (with schema defaults): `action-get --format=json`. */
export function actionGet(runner: HookToolRunner): Promise<Record<string, unknown>> {
  return callJson(
    runner,
    'action-get',
    ['--format=json'],
    z
      .record(z.string(), z.unknown())
      .nullable()
      .transform((v) => v ?? {}),
  );
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
      throw new CharmError(
        'invalid-argument',
        `cannot set action result "${prefix}${key}": keys must be lowercase letters, digits and "-", starting and ending with a letter or digit`,
        { key },
      );
    }
    if (prefix === '' && RESERVED.has(key)) {
      throw new CharmError(
        'invalid-argument',
        `cannot set action result "${key}": the key is reserved by Juju; choose another name`,
        { key },
      );
    }
    if (typeof value === 'object') out.push(...flattenActionResults(value, `${prefix}${key}.`));
    else out.push(`${prefix}${key}=${String(value)}`);
  }
  return out;
}

/** Options of {@link actionSet}. */
export interface ActionSetOptions {
  /**
   * Result keys (dotted, as flattened) whose values may be secrets: the action exists to reveal them
   * (e.g. an initial admin password). Juju's action-set has no file or stdin form, so those values
   * pass through the tool's argv; any other key carrying a secret is still refused.
   */
  reveal?: readonly string[];
}

/**
 * Sets action results: `action-set k=v k2.sub=v ...`. Juju offers no file form, so a value that is
 * a registered secret is refused unless its key is listed in `options.reveal`.
 */
export async function actionSet(
  runner: HookToolRunner,
  results: ActionResults,
  options: ActionSetOptions = {},
): Promise<void> {
  const args = flattenActionResults(results);
  if (args.length === 0) return;
  const reveal = new Set(options.reveal ?? []);
  const hidden = args.filter((a) => secretsIn(a) && !reveal.has(a.slice(0, a.indexOf('='))));
  if (hidden.length > 0) {
    throw new HookToolError(
      'secret-in-argv',
      `cannot set action results ${hidden.map((a) => `"${a.slice(0, a.indexOf('='))}"`).join(', ')}: the value is a secret; return a secret id, or list the key in "reveal" if the action exists to show it`,
      {
        argv: ['action-set', ...args.map((a) => `${a.slice(0, a.indexOf('='))}=[REDACTED]`)],
        exitCode: null,
        stderr: '',
      },
    );
  }
  return callVoid(runner, 'action-set', args, { allowSecretsInArgv: reveal.size > 0 });
}

/** A progress message: `action-log -- <message>`. */
export function actionLog(runner: HookToolRunner, message: string): Promise<void> {
  return callVoid(runner, 'action-log', ['--', message]);
}

/** Marks the action failed: `action-fail -- <message>` (Juju's default text without one). */
export function actionFail(runner: HookToolRunner, message?: string): Promise<void> {
  return callVoid(runner, 'action-fail', message === undefined ? [] : ['--', message]);
}
