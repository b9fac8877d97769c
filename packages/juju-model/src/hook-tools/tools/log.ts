/** juju-log: a debug-log line under `unit.<unit>.juju-log`, prefixed `<ep>:<id>: ` in relation hooks. */
import type { LogLevel } from '../../model/effects.js';
import type { ToolDef } from '../call.js';
import { usage } from '../tool-error.js';

const levels: Record<string, LogLevel> = {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARNING: 'WARNING',
  WARN: 'WARNING',
  ERROR: 'ERROR',
  CRITICAL: 'CRITICAL',
};

export const logTools: Record<string, ToolDef> = {
  'juju-log': {
    flags: [
      { names: ['debug'], kind: 'bool' },
      { names: ['l', 'log-level'], kind: 'string' },
      { names: ['format'], kind: 'string' },
    ],
    run(call) {
      if (call.positionals.length === 0) throw usage('no message specified');
      if (call.str('format') !== undefined) call.stderr += '--format flag deprecated for command "juju-log"';
      const logger = `unit.${call.ctx.unit}.juju-log`;
      const entry = { time: call.now, unit: call.ctx.unit, hook: call.ctx.spec.name, logger };
      let level: LogLevel = 'INFO';
      const raw = call.str('l');
      if (call.bool('debug')) level = 'DEBUG';
      else if (raw !== undefined && raw !== '') {
        const parsed = levels[raw.toUpperCase()];
        if (parsed) level = parsed;
        else
          call.effects.push({
            type: 'log',
            entry: { ...entry, level: 'WARNING', message: `Specified log level of "${raw}" is not valid` },
          });
      }
      const info = call.ctx.spec.info;
      const prefix = 'relationId' in info ? `${info.endpoint}:${info.relationId}: ` : '';
      call.effects.push({ type: 'log', entry: { ...entry, level, message: `${prefix}${call.positionals.join(' ')}` } });
      return undefined;
    },
  },
};
