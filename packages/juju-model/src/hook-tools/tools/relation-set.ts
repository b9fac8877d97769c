/** relation-set: buffered until the hook exits 0; the hook itself sees its writes at once. */
import { relationFlag, type ToolDef } from '../call.js';
import { fail } from '../tool-error.js';
import { parseKeyValues, parseSettingsYaml } from './kv.js';
import { bufferWrites, requireScope } from './relation-access.js';

export const relationSetTools: Record<string, ToolDef> = {
  'relation-set': {
    flags: [
      relationFlag,
      { names: ['file'], kind: 'string' },
      { names: ['app'], kind: 'bool' },
      { names: ['format'], kind: 'string' },
    ],
    run(call) {
      const id = call.requireRelationId();
      const overrides = parseKeyValues(call.positionals);
      if (call.str('format') !== undefined) call.stderr += '--format flag deprecated for command "relation-set"';
      const file = call.str('file');
      const settings =
        file !== undefined
          ? { ...parseSettingsYaml(call.fileOrStdin(file), 'relation settings'), ...overrides }
          : overrides;
      const rel = call.contextRelation(id)!;
      const app = call.bool('app');
      if (app && !call.isLeader()) throw fail('cannot write relation settings');
      requireScope(call, rel);
      bufferWrites(call, rel, app, settings);
      return undefined;
    },
  },
};
