/** storage-list, storage-get, storage-add. */
import type { ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { fail, usage } from '../tool-error.js';

const all = ['smart', 'json', 'yaml'] as const;

export const storageTools: Record<string, ToolDef> = {
  'storage-list': {
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      const [name, ...rest] = call.positionals;
      checkEmpty(rest);
      return Object.values(call.model.storage)
        .filter((s) => s.unit === call.ctx.unit && s.life !== 'dead' && (name === undefined || s.name === name))
        .map((s) => s.id)
        .sort();
    },
  },
  'storage-get': {
    flags: [{ names: ['s'], kind: 'string' }],
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      const info = call.ctx.spec.info;
      const raw = call.str('s');
      const id = raw ?? ('storageId' in info ? info.storageId : undefined);
      if (id === undefined) throw usage('no storage instance specified');
      const s = call.model.storage[id];
      if (!s || s.unit !== call.ctx.unit) {
        if (raw !== undefined) throw usage(`invalid value "${raw}" for flag -s: storage instance "${raw}" not found`);
        throw fail(`storage instance "${id}" not found`);
      }
      const [key, ...rest] = call.positionals;
      checkEmpty(rest);
      const attrs: Record<string, string> = { kind: s.kind, location: s.location };
      if (key === undefined) return attrs;
      if (!(key in attrs)) throw fail(`invalid storage attribute "${key}"`);
      return attrs[key];
    },
  },
  'storage-add': {
    run(call) {
      if (call.positionals.length === 0) throw usage('storage add requires a storage directive');
      const declared = call.model.apps[call.ctx.app]!.charm.meta.storage ?? {};
      const adds: { name: string; count: number }[] = [];
      for (const arg of call.positionals) {
        const i = arg.indexOf('=');
        const name = i === -1 ? arg : arg.slice(0, i);
        const count = i === -1 ? 1 : Number(arg.slice(i + 1));
        if (!Number.isInteger(count) || count < 1)
          throw usage(`cannot parse storage directive "${arg}": count must be a positive integer`);
        if (!declared[name]) throw fail(`storage "${name}" not found`);
        adds.push({ name, count });
      }
      call.ctx.pending.storageAdd.push(...adds);
      return undefined;
    },
  },
};
