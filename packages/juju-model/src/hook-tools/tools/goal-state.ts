/** goal-state: the units and relations the app is heading to. */
import { relationsOf, remoteAppOf, unitsOf } from '../../model/util.js';
import type { ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { struct } from '../format.js';

export const goalStateTools: Record<string, ToolDef> = {
  'goal-state': {
    format: { allowed: ['yaml', 'json'], default: 'yaml' },
    run(call) {
      checkEmpty(call.positionals);
      const m = call.model;
      const goal = (life: string, status: string, since: string) =>
        struct({ status: life === 'alive' ? status : 'dying', since });
      const units: Record<string, unknown> = {};
      for (const u of unitsOf(m, call.ctx.app))
        units[u.name] = goal(u.life, u.workloadStatus.status === 'error' ? 'error' : 'active', u.workloadStatus.since);
      const relations: Record<string, Record<string, unknown>> = {};
      for (const rel of relationsOf(m, call.ctx.app)) {
        const ep = rel.endpoints.find((e) => e.app === call.ctx.app)!.endpoint;
        const remote = remoteAppOf(rel, call.ctx.app);
        const entry = (relations[ep] ??= {});
        // ops parses every `since` as RFC 3339: an app that never set status uses its first unit's time.
        entry[remote] = goal(
          rel.life,
          'joined',
          m.apps[remote]?.status?.since ?? unitsOf(m, remote)[0]?.workloadStatus.since ?? call.ctx.startedAt,
        );
        for (const u of unitsOf(m, remote)) {
          if (u.name !== call.ctx.unit)
            entry[u.name] = goal(rel.life === 'alive' ? u.life : 'dying', 'active', u.workloadStatus.since);
        }
      }
      return struct({ units, relations });
    },
  },
};
