/** Relating and unrelating applications. */
import type { Change, OpOptions } from './effects.js';
import type { Model } from './schema.js';

/** Relates two endpoints given as `app:endpoint` or `app` (endpoint inferred by interface). */
export function relate(_model: Model, _a: string, _b: string, _o?: OpOptions): Change {
  throw new Error('not implemented');
}

/** Marks the relation between two endpoints dying: departed then broken on every unit. */
export function unrelate(_model: Model, _a: string, _b: string, _o?: OpOptions): Change {
  throw new Error('not implemented');
}
