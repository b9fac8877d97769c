import { isDeepStrictEqual } from 'node:util';
import { combineLayers } from './combine.js';
import type { Layer, Plan } from './layer.js';

/** How one section (services, checks, ...) differs between two plans. Names are sorted. */
export interface SectionDiff {
  /** In `desired` only. */
  added: string[];
  /** In `current` only. */
  removed: string[];
  /** In both, with different definitions. */
  changed: string[];
  unchanged: string[];
}

/** The difference between a current and a desired plan. */
export interface PlanDiff {
  services: SectionDiff;
  checks: SectionDiff;
  logTargets: SectionDiff;
  workloads: SectionDiff;
  /** True when anything differs. */
  changed: boolean;
}

function diffSection(
  current: Record<string, unknown> | undefined,
  desired: Record<string, unknown> | undefined,
): SectionDiff {
  const a = current ?? {};
  const b = desired ?? {};
  const diff: SectionDiff = { added: [], removed: [], changed: [], unchanged: [] };
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!(name in b)) diff.removed.push(name);
    else if (!(name in a)) diff.added.push(name);
    else if (isDeepStrictEqual(a[name], b[name])) diff.unchanged.push(name);
    else diff.changed.push(name);
  }
  return diff;
}

/**
 * Compare two plans (or layers) entry by entry, after normalising both as Pebble does (canonical
 * durations, defaults, empty fields dropped), so a plan read back from Pebble equals the plan it
 * was built from. Like Pebble's replan, a changed `override` counts as a change.
 * Typical use: `comparePlans(await client.getPlan(), combineLayer(currentPlan, desiredLayer)).services.changed`.
 */
export function comparePlans(current: Plan | Layer, desired: Plan | Layer): PlanDiff {
  const a = combineLayers(current);
  const b = combineLayers(desired);
  const diff = {
    services: diffSection(a.services, b.services),
    checks: diffSection(a.checks, b.checks),
    logTargets: diffSection(a['log-targets'], b['log-targets']),
    workloads: diffSection(a.workloads, b.workloads),
  };
  const changed = Object.values(diff).some((d) => d.added.length + d.removed.length + d.changed.length > 0);
  return { ...diff, changed };
}

/** Alias of {@link comparePlans} for comparing two layers. */
export const diffLayers = comparePlans;
