/** status-set, status-get, application-version-set: immediate, not transactional. */
import { appStatus } from '../../model/views.js';
import type { Status } from '../../model/schema.js';
import type { ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { fail, usage } from '../tool-error.js';

const all = ['smart', 'json', 'yaml'] as const;
const valid = ['maintenance', 'blocked', 'waiting', 'active'];

function details(s: Status, includeData: boolean): Record<string, unknown> {
  return includeData ? { status: s.status, message: s.message, 'status-data': {} } : { status: s.status };
}

export const statusTools: Record<string, ToolDef> = {
  'status-set': {
    flags: [{ names: ['application'], kind: 'bool' }],
    run(call) {
      const [status, message = '', ...rest] = call.positionals;
      if (status === undefined) throw usage('invalid args, require <status> [message]');
      if (!valid.includes(status)) throw usage(`invalid status "${status}", expected one of [${valid.join(' ')}]`);
      checkEmpty(rest);
      const value = { status, message, since: call.now };
      if (call.bool('application')) {
        if (!call.isLeader()) throw fail('this unit is not the leader');
        call.write().apps[call.ctx.app]!.status = value;
        return undefined;
      }
      const u = call.write().units[call.ctx.unit]!;
      u.workloadStatus = value;
      u.statusSetByCharm = true;
      return undefined;
    },
  },
  'status-get': {
    flags: [
      { names: ['include-data'], kind: 'bool' },
      { names: ['application'], kind: 'bool' },
    ],
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      checkEmpty(call.positionals);
      const include = call.bool('include-data');
      const smart = (call.str('format') ?? 'smart') === 'smart';
      if (call.bool('application')) {
        if (!call.isLeader()) throw fail('finding application status: this unit is not the leader');
        const s = appStatus(call.model, call.ctx.app);
        if (!include && smart) return s.status;
        const units: Record<string, unknown> = {};
        for (const u of Object.values(call.model.units))
          if (u.app === call.ctx.app) units[u.name] = details(u.workloadStatus, include);
        return { 'application-status': { ...details(s, include), units } };
      }
      const s = call.unit.workloadStatus;
      if (!include && smart) return s.status;
      return details(s, include);
    },
  },
  'application-version-set': {
    run(call) {
      const [version, ...rest] = call.positionals;
      if (version === undefined) throw usage('no version specified');
      checkEmpty(rest);
      call.write().units[call.ctx.unit]!.workloadVersion = version;
      return undefined;
    },
  },
};
