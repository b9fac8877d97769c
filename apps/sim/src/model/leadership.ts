/** Leadership. */
import type { Change, OpOptions } from './effects.js';
import type { Model } from './schema.js';

/** Makes `unit` (default: the lowest-numbered alive unit) the app's leader; it then runs leader-elected. */
export function electLeader(_model: Model, _app: string, _unit?: string, _o?: OpOptions): Change {
  throw new Error('not implemented');
}
