/** action-get, action-set, action-log, action-fail: immediate, stored with the action. */
import type { Action } from '../../model/schema.js';
import type { ToolCall, ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { fail, usage } from '../tool-error.js';

const all = ['smart', 'json', 'yaml'] as const;
const keyRule = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const reserved = ['stdout', 'stdout-encoding', 'stderr', 'stderr-encoding'];

function actionId(call: ToolCall): string {
  const info = call.ctx.spec.info;
  if (info.kind !== 'action') throw fail('not running an action');
  return info.actionId;
}

function writableAction(call: ToolCall): Action {
  const id = actionId(call);
  const a = call.write().actions[id];
  if (!a) throw fail(`action "${id}" not found`);
  return a;
}

export const actionTools: Record<string, ToolDef> = {
  'action-get': {
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      const id = actionId(call);
      const [key, ...rest] = call.positionals;
      checkEmpty(rest);
      let value: unknown = call.model.actions[id]?.params ?? {};
      if (key === undefined) return value;
      for (const part of key.split('.')) {
        value =
          typeof value === 'object' && value !== null && !Array.isArray(value)
            ? (value as Record<string, unknown>)[part]
            : undefined;
      }
      return value ?? null;
    },
  },
  'action-set': {
    run(call) {
      const pairs: [string[], string][] = [];
      for (const arg of call.positionals) {
        const i = arg.indexOf('=');
        if (i === -1) throw usage(`argument "${arg}" must be of the form key...=value`);
        const keys = arg.slice(0, i).split('.');
        for (const k of keys) {
          if (!keyRule.test(k))
            throw usage(
              `key "${k}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods`,
            );
          if (reserved.includes(k)) throw usage(`cannot set reserved action key "${k}"`);
        }
        pairs.push([keys, arg.slice(i + 1)]);
      }
      const a = writableAction(call);
      for (const [keys, value] of pairs) {
        let node = a.results;
        for (const k of keys.slice(0, -1)) {
          const next = node[k];
          node = (typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (node[k] = {})) as Record<
            string,
            unknown
          >;
        }
        node[keys[keys.length - 1]!] = value;
      }
      return undefined;
    },
  },
  'action-log': {
    run(call) {
      if (call.positionals.length === 0) throw usage('no message specified');
      writableAction(call).log.push({ timestamp: call.now, message: call.positionals.join(' ') });
      return undefined;
    },
  },
  'action-fail': {
    run(call) {
      const [msg, ...rest] = call.positionals;
      checkEmpty(rest);
      const message = msg ?? 'action failed without reason given, check action for errors';
      writableAction(call).message = message;
      call.ctx.actionFailed = message;
      return undefined;
    },
  },
};
