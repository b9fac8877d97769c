/** Output formats of juju/cmd: smart (default for most tools), json and yaml, Go-style. */
import { stringify as yamlStringify } from 'yaml';
import { usage } from './tool-error.js';

export type Format = 'smart' | 'json' | 'yaml';

const structs = new WeakSet<object>();

/** Marks an object as a Go struct: its keys keep their order instead of being sorted like a map's. */
export function struct<T extends object>(o: T): T {
  structs.add(o);
  return o;
}

/** A copy with map keys sorted (Go map order) and struct keys as declared. */
function goOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(goOrder);
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (!structs.has(v)) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) out[k] = goOrder(x);
  return out;
}

/** Go's json.Marshal (HTML-safe escaping, sorted map keys) plus a newline. */
export function formatJson(v: unknown): string {
  const s = JSON.stringify(goOrder(v) ?? null)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `${s}\n`;
}

/** YAML with Go's key order. */
export function formatYaml(v: unknown): string {
  const out = yamlStringify(goOrder(v) ?? null, { lineWidth: 0 });
  return out.endsWith('\n') ? out : `${out}\n`;
}

/** juju/cmd FormatSmart: strings raw, bools True/False, nil nothing, string lists one per line, else YAML. */
export function formatSmart(v: unknown): string {
  let out: string;
  if (v === null || v === undefined) out = '';
  else if (typeof v === 'string') out = v;
  else if (typeof v === 'boolean') out = v ? 'True' : 'False';
  else if (typeof v === 'number') out = String(v);
  else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out = v.join('\n');
  else out = formatYaml(v);
  return out === '' || out.endsWith('\n') ? out : `${out}\n`;
}

/** Formats a value as the tool's --format asks. */
export function formatOutput(v: unknown, format: Format): string {
  if (format === 'json') return formatJson(v);
  if (format === 'yaml') return formatYaml(v);
  return formatSmart(v);
}

/** Validates a --format value against the formats a tool allows. */
export function parseFormat(
  raw: string | undefined,
  allowed: readonly Format[],
  fallback: Format,
  shown = '--format',
): Format {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw usage(`invalid value "${raw}" for flag ${shown}: unknown format "${raw}"`);
  return raw as Format;
}
