/** The config a charm reads: what the user set, else the charm's defaults. */
import type { ConfigValue, Model } from './schema.js';
import { getApp } from './util.js';

/** All options with their effective values: set values, else defaults, else null. */
export function effectiveConfig(model: Model, app: string): Record<string, ConfigValue | null> {
  const a = getApp(model, app);
  const out: Record<string, ConfigValue | null> = {};
  for (const [k, opt] of Object.entries(a.charm.config)) {
    out[k] = a.config[k] ?? (opt.default === undefined ? null : opt.default);
  }
  return out;
}
