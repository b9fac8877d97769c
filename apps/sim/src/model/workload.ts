/** Observations from the runtime's Pebble pollers and timers. */
import type { Change, OpOptions } from './effects.js';
import type { Model } from './schema.js';

/** The poller read a container's Pebble boot id (null: socket not there yet). A new id queues pebble-ready. */
export function observeBootId(_model: Model, _unit: string, _container: string, _bootId: string | null, _o?: OpOptions): Change {
  throw new Error('not implemented');
}

/** A custom Pebble notice occurred or repeated: queues `<c>-pebble-custom-notice`. */
export function observeNotice(_model: Model, _unit: string, _container: string, _notice: { id: string; type: string; key: string }, _o?: OpOptions): Change {
  throw new Error('not implemented');
}

/** A check's status: a transition to down queues check-failed, back to up check-recovered. */
export function observeCheck(_model: Model, _unit: string, _container: string, _check: string, _status: 'up' | 'down', _o?: OpOptions): Change {
  throw new Error('not implemented');
}

/** The update-status timer fired for `unit` (default: every unit). */
export function timerUpdateStatus(_model: Model, _unit?: string, _o?: OpOptions): Change {
  throw new Error('not implemented');
}
