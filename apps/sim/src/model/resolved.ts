/** Failed hooks: retry and `resolved`. */
import type { Change, OpOptions } from './effects.js';
import type { HookSpec, Model } from './schema.js';

/** Clears a unit's error. With retry (default) the failed hook runs again next; with `retry: false` it is skipped as if it had succeeded. Throws `not-in-error`. */
export function resolveUnit(_model: Model, _unit: string, _opts: { retry?: boolean } = {}, _o?: OpOptions): Change {
  throw new Error('not implemented');
}

/** The failed hook to retry now (the runtime's backoff timer fired), or null when the unit is not in error. */
export function retryFailedHook(_model: Model, _unit: string): HookSpec | null {
  throw new Error('not implemented');
}
