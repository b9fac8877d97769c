/** Failed hooks: retry and `resolved`. */
import { applyBookkeeping } from './bookkeeping.js';
import {
  isoNow,
  type Change,
  type Effect,
  type OpOptions,
  JujuModelError,
  type HookSpec,
  type Model,
  clone,
  getUnit,
} from '@charms/juju-model';

/**
 * Clears a unit's error. With retry (default) the failed hook is what nextHook returns next;
 * with `retry: false` it is skipped as if it had succeeded (its writes were already dropped).
 * Throws `not-in-error`.
 */
export function resolveUnit(model: Model, unit: string, opts: { retry?: boolean } = {}, o?: OpOptions): Change {
  const m = clone(model);
  const u = getUnit(m, unit);
  if (!u.failed)
    throw new JujuModelError('not-in-error', `cannot resolve ${unit}: it is not in an error state`, { unit });
  const now = isoNow(o);
  const effects: Effect[] = [{ type: 'wake', units: [unit] }];
  if (opts.retry ?? true) {
    u.failed.retryNow = true;
    return { model: m, effects };
  }
  const failed = u.failed;
  u.failed = null;
  if (u.workloadStatus.status === 'error') u.workloadStatus = { ...failed.previousStatus, since: now };
  applyBookkeeping(m, unit, failed.spec, null, effects, now);
  return { model: m, effects };
}

/** The failed hook to retry now (the runtime's backoff timer fired), or null when the unit is not in error or busy. */
export function retryFailedHook(model: Model, unit: string): HookSpec | null {
  const u = model.units[unit];
  if (!u?.failed || u.hookRunning !== null) return null;
  return u.failed.spec;
}
