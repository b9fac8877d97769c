/** config-get. */
import { effectiveConfig } from '../../model/effective-config.js';
import type { ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { usage } from '../tool-error.js';

const all = ['smart', 'json', 'yaml'] as const;

export const configTools: Record<string, ToolDef> = {
  'config-get': {
    flags: [{ names: ['a', 'all'], kind: 'bool' }],
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      const [key, ...rest] = call.positionals;
      if (key !== undefined && key !== '' && call.bool('a'))
        throw usage(`cannot use argument --all together with key "${key}"`);
      checkEmpty(rest);
      const settings = effectiveConfig(call.ctx.base, call.ctx.app);
      if (key) return settings[key] ?? null;
      if (call.bool('a')) return settings;
      return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== null));
    },
  },
};
