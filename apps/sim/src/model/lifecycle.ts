/** Charm refresh, resources and pod churn. */
import type { Charm } from '../charm/schema.js';
import type { Change, OpOptions } from './effects.js';
import type { Model } from './schema.js';

/** Switches the app to a new charm: each started unit runs stop, then (after the runtime recreates its pod and calls markPodRecreated) upgrade-charm -> config-changed -> leader-settings-changed (non-leaders) -> start -> pebble-ready. */
export function refreshCharm(_model: Model, _app: string, _charm: Charm, _o?: OpOptions): Change {
  throw new Error('not implemented');
}

/** Attaches a resource (host path or image) and rolls the pods like refresh. */
export function attachResource(_model: Model, _app: string, _name: string, _path: string, _o?: OpOptions): Change {
  throw new Error('not implemented');
}

/** The unit's pod was recreated (kill-pod, or after refresh's stop): fresh charm dir, no boot id handled; queues upgrade-charm -> config-changed -> leader-settings-changed (non-leader) -> start. No install, no joined. */
export function markPodRecreated(_model: Model, _unit: string, _o?: OpOptions): Change {
  throw new Error('not implemented');
}
