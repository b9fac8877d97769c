import type { z } from 'zod';
import type { ConfigValue } from '../hook-tools/config.js';

/** One problem with one option. */
export interface ConfigProblem {
  option: string;
  message: string;
}

/** The charm's config parsed with its schema, or what is wrong with it. */
export type ConfigResult<T> = { ok: true; config: T } | { ok: false; problems: ConfigProblem[] };

/**
 * Parses raw `config-get` output with the charm's zod schema (an object keyed by option name).
 * Pure: the same input always gives the same result.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  raw: Record<string, ConfigValue>,
): ConfigResult<z.infer<S>> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const option = issue.path.length > 0 ? issue.path.map(String).join('.') : unrecognised(issue);
    return { option, message: describe(issue, raw[option]) };
  });
  return { ok: false, problems };
}

function unrecognised(issue: z.core.$ZodIssue): string {
  return issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(config)';
}

function describe(issue: z.core.$ZodIssue, value: ConfigValue | undefined): string {
  if (issue.code === 'invalid_type' && value === undefined) return 'is required but not set';
  const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  return `${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}${shown}`;
}

/** The blocked-status message for invalid config: names the first option and its problem. */
export function configStatusMessage(problems: ConfigProblem[]): string {
  const [first] = problems;
  if (first === undefined) return 'invalid config';
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  return `invalid config: option "${first.option}" ${first.message}${more}; fix it with juju config`;
}
