/** is-leader, leader-get, leader-set. */
import type { ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { fail } from '../tool-error.js';
import { parseKeyValues } from './kv.js';

const all = ['smart', 'json', 'yaml'] as const;

export const leaderTools: Record<string, ToolDef> = {
  'is-leader': {
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      checkEmpty(call.positionals);
      return call.isLeader();
    },
  },
  'leader-get': {
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      const [key, ...rest] = call.positionals;
      checkEmpty(rest);
      const settings = call.model.apps[call.ctx.app]?.leaderSettings ?? {};
      if (key !== undefined && key !== '-') return settings[key] ?? null;
      return settings;
    },
  },
  'leader-set': {
    run(call) {
      const writes = parseKeyValues(call.positionals);
      if (!call.isLeader()) throw fail('cannot write leadership settings: cannot write settings: not the leader');
      const m = call.write();
      const app = m.apps[call.ctx.app]!;
      let changed = false;
      for (const [k, v] of Object.entries(writes)) {
        if (v === '' ? k in app.leaderSettings : app.leaderSettings[k] !== v) changed = true;
        if (v === '') delete app.leaderSettings[k];
        else app.leaderSettings[k] = v;
      }
      if (changed) {
        app.leaderSettingsVersion += 1;
        const self = m.units[call.ctx.unit];
        if (self) self.leaderSettingsSeen = app.leaderSettingsVersion;
        call.effects.push({
          type: 'wake',
          units: Object.values(m.units)
            .filter((u) => u.app === call.ctx.app)
            .map((u) => u.name),
        });
      }
      return undefined;
    },
  },
};
