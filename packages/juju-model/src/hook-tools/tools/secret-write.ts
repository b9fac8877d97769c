/** secret-add, secret-set, secret-remove, secret-grant, secret-revoke: buffered until the hook exits 0. */
import { newSecretUri, secretsView, isOwnerSide } from '../../model/secrets.js';
import type { Secret } from '../../model/schema.js';
import { appOf, remoteAppOf } from '../../model/util.js';
import { relationFlag, type ToolCall, type ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { fail, usage } from '../tool-error.js';
import { parseContent, parseMeta, requireManager, secretUriArg, upsertFlags } from './secret-args.js';

function findSecret(call: ToolCall, uri: string): Secret {
  const s = secretsView(call.model, call.ctx.pending.secrets, call.now)[uri];
  if (!s) throw fail(`secret "${uri}" not found`);
  return s;
}

function labelTaken(call: ToolCall, label: string, except: string | null): boolean {
  const view = secretsView(call.model, call.ctx.pending.secrets, call.now);
  return Object.values(view).some((s) => s.id !== except && s.label === label && isOwnerSide(call.ctx.unit, s));
}

export const secretWriteTools: Record<string, ToolDef> = {
  'secret-add': {
    flags: upsertFlags,
    run(call) {
      if (call.positionals.length === 0 && call.str('file') === undefined)
        throw usage('missing secret value or filename');
      const meta = parseMeta(call);
      const content = parseContent(call, call.positionals);
      if (Object.keys(content).length === 0) throw fail('empty secret value not valid');
      const ownerKind = call.str('owner') === 'unit' ? 'unit' : 'application';
      if (ownerKind === 'application' && !call.isLeader()) throw fail('this unit is not the leader');
      if (meta.label !== undefined && labelTaken(call, meta.label, null))
        throw fail(`secret with label "${meta.label}" already exists`);
      const id = newSecretUri();
      call.ctx.pending.secrets.push({
        op: 'add',
        id,
        owner: { kind: ownerKind, name: ownerKind === 'unit' ? call.ctx.unit : call.ctx.app },
        content,
        label: meta.label ?? null,
        description: meta.description ?? null,
        expire: meta.expire ?? null,
        rotate: meta.rotate ?? null,
      });
      return `${id}`;
    },
  },
  'secret-set': {
    flags: upsertFlags,
    run(call) {
      const [arg, ...rest] = call.positionals;
      const uri = secretUriArg(arg);
      const meta = parseMeta(call);
      const content = parseContent(call, rest);
      const s = findSecret(call, uri);
      requireManager(call, s);
      if (meta.label !== undefined && labelTaken(call, meta.label, uri))
        throw fail(`secret with label "${meta.label}" already exists`);
      call.ctx.pending.secrets.push({
        op: 'set',
        id: uri,
        content: Object.keys(content).length > 0 ? content : null,
        ...meta,
      });
      return undefined;
    },
  },
  'secret-remove': {
    flags: [{ names: ['revision'], kind: 'string' }],
    run(call) {
      const [arg, ...rest] = call.positionals;
      const uri = secretUriArg(arg);
      checkEmpty(rest);
      const raw = call.str('revision');
      if (raw !== undefined && !/^\d+$/.test(raw))
        throw usage(`invalid value "${raw}" for flag --revision: parse error`);
      const s = findSecret(call, uri);
      requireManager(call, s);
      const revision = raw === undefined ? null : Number(raw);
      if (revision !== null && !s.revisions.some((r) => r.revision === revision))
        throw fail(`secret revision ${revision} for "${uri}" not found`);
      call.ctx.pending.secrets.push({ op: 'remove', id: uri, revision });
      return undefined;
    },
  },
  'secret-grant': {
    flags: [relationFlag, { names: ['unit'], kind: 'string' }],
    run(call) {
      const [arg, ...rest] = call.positionals;
      const uri = secretUriArg(arg);
      const id = call.requireRelationId();
      const rel = call.contextRelation(id)!;
      const app = remoteAppOf(rel, call.ctx.app);
      const unit = call.str('unit');
      if (unit !== undefined && unit !== '') {
        if (!/^[a-z][a-z0-9-]*\/\d+$/.test(unit)) throw usage(`unit "${unit}" not valid`);
        if (appOf(unit) !== app) throw usage(`cannot specify unit "${unit}" in relation to application "${app}"`);
      }
      checkEmpty(rest);
      requireManager(call, findSecret(call, uri));
      call.ctx.pending.secrets.push({ op: 'grant', id: uri, subject: unit || app, relationId: id });
      return undefined;
    },
  },
  'secret-revoke': {
    flags: [relationFlag, { names: ['unit'], kind: 'string' }, { names: ['app', 'application'], kind: 'string' }],
    run(call) {
      const [arg, ...rest] = call.positionals;
      const uri = secretUriArg(arg);
      checkEmpty(rest);
      const id = call.relationId();
      const rel = id === -1 ? undefined : call.contextRelation(id);
      const app = call.str('app') ?? (rel ? remoteAppOf(rel, call.ctx.app) : undefined);
      const unit = call.str('unit');
      const subject = unit || app;
      if (!subject) throw usage('missing relation or application or unit');
      requireManager(call, findSecret(call, uri));
      call.ctx.pending.secrets.push({ op: 'revoke', id: uri, subject, relationId: id });
      return undefined;
    },
  },
};
