/** `key=value` argument lists (juju/utils keyvalues.Parse) and YAML settings files. */
import { parse as parseYaml } from 'yaml';
import { fail, usage } from '../tool-error.js';

/** Parses `k=v` args; empty values allowed (they delete). Throws usage errors like Juju's. */
export function parseKeyValues(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const i = arg.indexOf('=');
    if (i < 1) throw usage(`expected "key=value", got "${arg}"`);
    const key = arg.slice(0, i);
    if (key in out) throw usage(`key "${key}" specified more than once`);
    out[key] = arg.slice(i + 1);
  }
  return out;
}

/** A YAML (or JSON) map of strings, like Go's yaml.Unmarshal into map[string]string. */
export function parseSettingsYaml(text: string, what: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw fail(`cannot parse ${what}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw fail(`cannot parse ${what}: expected a map of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (v === null || v === undefined) out[k] = '';
    else if (typeof v === 'object') throw fail(`cannot parse ${what}: value of "${k}" is not a string`);
    else out[k] = String(v);
  }
  return out;
}
