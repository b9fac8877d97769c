/** Application config (`charm-sim config`). */
import type { Change, OpOptions } from './effects.js';
import type { Model } from './schema.js';

/** Sets config values given as strings (coerced to each option's type); null resets to the default. Bumps the config version when anything changed, so every unit runs config-changed. */
export function setConfig(_model: Model, _app: string, _values: Record<string, string | null>, _o?: OpOptions): Change {
  throw new Error('not implemented');
}
