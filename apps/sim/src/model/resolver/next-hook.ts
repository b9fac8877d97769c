/** Juju's uniter resolver: which hook a unit runs next. */
import type { HookSpec, Model } from '../schema.js';

/** The next hook or action for `unit`, or null when it is idle (or in error with no action queued). Pure. */
export function nextHook(_model: Model, _unit: string): HookSpec | null {
  throw new Error('not implemented');
}
