import { canonicalDuration } from './duration.js';
import type { Check, Layer, LogTarget, Plan, Service, Workload } from './layer.js';

/**
 * Pebble's layer combination (internals/plan CombineLayers), as a pure function: `replace` swaps the
 * whole entry, `merge` overlays set fields (scalars replaced, maps merged by key, lists appended,
 * check http/tcp/exec merged recursively; `override` itself is kept). Durations are printed in Go's
 * canonical form and the defaults Pebble prints are filled in, so the result equals `getPlan()`.
 */

type Entry = { override: 'merge' | 'replace' };
type Fields = Record<string, unknown>;

const DURATION_KEYS = new Set(['backoff-delay', 'backoff-limit', 'kill-delay', 'period', 'timeout']);
const LIST_KEYS = new Set(['after', 'before', 'requires', 'services']);
const MAP_KEYS = new Set(['environment', 'on-check-failure', 'headers', 'labels']);
const SUB_KEYS = new Set(['http', 'tcp', 'exec']);

/** Go's "is set": empty strings, zero ints (threshold, port) and empty lists/maps count as unset. */
function isSet(key: string, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if ((key === 'threshold' || key === 'port') && value === 0) return false;
  return true;
}

function copyValue(key: string, value: unknown): unknown {
  if (Array.isArray(value)) return [...(value as unknown[])];
  if (typeof value === 'string' && DURATION_KEYS.has(key)) return canonicalDuration(value);
  if (typeof value === 'object' && value !== null) return copyEntry(value as Fields);
  return value;
}

function copyEntry<T extends Fields>(entry: T): T {
  const out: Fields = {};
  for (const [key, value] of Object.entries(entry)) {
    if (value === undefined) continue;
    out[key] = copyValue(key, value);
  }
  return out as T;
}

function mergeInto(base: Fields, other: Fields): void {
  for (const [key, value] of Object.entries(other)) {
    if (key === 'override' || !isSet(key, value)) continue;
    if (LIST_KEYS.has(key)) {
      base[key] = [...((base[key] as unknown[] | undefined) ?? []), ...(value as unknown[])];
    } else if (MAP_KEYS.has(key)) {
      if (Object.keys(value as Fields).length > 0)
        base[key] = { ...((base[key] as Fields | undefined) ?? {}), ...(value as Fields) };
    } else if (SUB_KEYS.has(key)) {
      const sub = (base[key] as Fields | undefined) ?? {};
      mergeInto(sub, value as Fields);
      base[key] = sub;
    } else {
      base[key] = copyValue(key, value);
    }
  }
}

function combineSection<T extends Entry>(into: Record<string, T>, section: Record<string, T> | undefined): void {
  for (const [name, entry] of Object.entries(section ?? {})) {
    const old = into[name];
    if (entry.override === 'merge' && old) mergeInto(old as unknown as Fields, entry as unknown as Fields);
    else into[name] = copyEntry(entry as unknown as Fields) as unknown as T;
  }
}

/** Drop empty maps and lists the way Go's `omitempty` does on output. */
function omitEmpty<T extends Fields>(entry: T, keep: ReadonlySet<string> = new Set()): T {
  for (const [key, value] of Object.entries(entry)) {
    if (keep.has(key)) continue;
    if (Array.isArray(value) && value.length === 0) delete entry[key];
    else if (SUB_KEYS.has(key)) omitEmpty(value as Fields);
    else if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) delete entry[key];
    else if (value === '' || value === undefined) delete entry[key];
  }
  return entry;
}

/** Combine layers in order into the plan Pebble would compute (see module comment). */
export function combineLayers(...layers: readonly (Layer | Plan)[]): Plan {
  const services: Record<string, Service> = {};
  const checks: Record<string, Check> = {};
  const logTargets: Record<string, LogTarget> = {};
  const workloads: Record<string, Workload> = {};
  let pairing: Record<string, unknown> | undefined;
  for (const layer of layers) {
    combineSection(services, layer.services);
    combineSection(checks, layer.checks);
    combineSection(logTargets, layer['log-targets']);
    combineSection(workloads, layer.workloads);
    if (layer.pairing && Object.keys(layer.pairing).length > 0) pairing = { ...(pairing ?? {}), ...layer.pairing };
  }
  for (const s of Object.values(services)) omitEmpty(s as Fields);
  for (const c of Object.values(checks)) {
    if (!isSet('threshold', c.threshold)) c.threshold = 3;
    omitEmpty(c as Fields);
  }
  for (const t of Object.values(logTargets)) {
    t.type ??= '';
    t.location ??= '';
    t.services ??= [];
    omitEmpty(t as Fields, new Set(['type', 'location', 'services']));
  }
  for (const w of Object.values(workloads)) omitEmpty(w as Fields);
  const plan: Plan = { services, checks, 'log-targets': logTargets };
  if (Object.keys(workloads).length > 0) plan.workloads = workloads;
  if (pairing) plan.pairing = pairing;
  return plan;
}

/** The plan after adding `layer` as a new label on top of `plan` (what `addLayer` without `combine` does). */
export function combineLayer(plan: Plan | Layer, layer: Layer): Plan {
  return combineLayers(plan, layer);
}
