/** state-get, state-set, state-delete: per-unit charm state kept by the controller; buffered writes. */
import type { ToolCall, ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { fail, usage } from '../tool-error.js';
import { parseKeyValues, parseSettingsYaml } from './kv.js';

const all = ['smart', 'json', 'yaml'] as const;

function currentState(call: ToolCall): Record<string, string> {
  const state = { ...(call.model.units[call.ctx.unit]?.state ?? {}) };
  for (const op of call.ctx.pending.state) {
    if (op.op === 'set') state[op.key] = op.value;
    else delete state[op.key];
  }
  return state;
}

export const stateTools: Record<string, ToolDef> = {
  'state-get': {
    flags: [{ names: ['strict'], kind: 'bool' }],
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      const [key, ...rest] = call.positionals;
      checkEmpty(rest);
      const state = currentState(call);
      if (key === undefined) return state;
      if (!(key in state)) {
        if (call.bool('strict')) throw fail(`state key "${key}" not found`);
        return null;
      }
      return state[key];
    },
  },
  'state-set': {
    flags: [{ names: ['file'], kind: 'string' }],
    run(call) {
      const overrides = parseKeyValues(call.positionals);
      const file = call.str('file');
      const settings =
        file !== undefined ? { ...parseSettingsYaml(call.fileOrStdin(file), 'charm state'), ...overrides } : overrides;
      for (const [key, value] of Object.entries(settings))
        call.ctx.pending.state.push(value === '' ? { op: 'delete', key, value } : { op: 'set', key, value });
      return undefined;
    },
  },
  'state-delete': {
    run(call) {
      const [key, ...rest] = call.positionals;
      if (key === undefined) throw usage('no key specified');
      checkEmpty(rest);
      call.ctx.pending.state.push({ op: 'delete', key, value: '' });
      return undefined;
    },
  },
};
