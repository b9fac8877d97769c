/** One difference between two JSON values: where, and the value on each side (undefined: absent). */
export interface Change {
  /** Dotted path from the root (`workload.layer.services.redis.environment`); `[i]` for array items. */
  path: string;
  before: unknown;
  after: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(base: string, key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? (base === '' ? key : `${base}.${key}`) : `${base}[${JSON.stringify(key)}]`;
}

/**
 * The leaf-level differences between two JSON values, in key order (pure). Objects are compared
 * key by key, arrays item by item; anything else by value.
 */
export function diffJson(before: unknown, after: unknown, at = ''): Change[] {
  if (Object.is(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffJson(before[k], after[k], join(at, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: Change[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++)
      out.push(...diffJson(before[i], after[i], `${at}[${i}]`));
    return out;
  }
  return [{ path: at === '' ? '(root)' : at, before, after }];
}

/** Whether two JSON values are equal (no differences). */
export function sameJson(a: unknown, b: unknown): boolean {
  return diffJson(a, b).length === 0;
}

/** A value as one short line (JSON, cut at `max` characters). */
export function brief(value: unknown, max = 120): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
