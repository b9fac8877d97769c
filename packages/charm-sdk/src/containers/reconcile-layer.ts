import {
  combineLayer,
  comparePlans,
  parseLayer,
  type LayerInput,
  type Plan,
  type ServiceInfo,
} from '@charms/pebble-client';

/** What reconciling a layer changed. */
export interface LayerReport {
  /** True when the layer was (re)added because the plan differed. */
  layerChanged: boolean;
  /** Services new to the plan. */
  added: string[];
  /** Services whose definition changed. */
  changed: string[];
  /** Running services restarted because they changed. */
  restarted: string[];
  /** Enabled services that were not running and were started. */
  started: string[];
  /** Checks added or changed. */
  checksChanged: string[];
}

/** The decision for a desired layer, computed purely from the current plan and services. */
export interface LayerDecision extends LayerReport {
  /** The plan after the layer is added. */
  next: Plan;
}

/**
 * Decides what to do for `desired` (pure): whether to add the layer, which running services to
 * restart (only those whose definition changed) and which enabled services to start.
 */
export function decideLayer(plan: Plan, services: readonly ServiceInfo[], desired: LayerInput): LayerDecision {
  const layer = parseLayer(desired);
  const next = combineLayer(plan, layer);
  const diff = comparePlans(plan, next);
  const running = new Set(services.filter((s) => s.current === 'active').map((s) => s.name));
  const restarted = diff.services.changed.filter((n) => running.has(n));
  const restarting = new Set(restarted);
  const started = Object.entries(next.services)
    .filter(([name, svc]) => svc.startup === 'enabled' && !running.has(name) && !restarting.has(name))
    .map(([name]) => name)
    .sort();
  return {
    next,
    layerChanged: diff.changed,
    added: diff.services.added,
    changed: diff.services.changed,
    restarted,
    started,
    checksChanged: [...diff.checks.added, ...diff.checks.changed],
  };
}
