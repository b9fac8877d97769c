/** secret-get (with consumer tracking, immediate), secret-info-get, secret-ids. */
import { rfc3339Seconds, willRotate } from '../../model/secret-schedule.js';
import { isGranted, isOwnerSide, secretsView, secretXid } from '../../model/secrets.js';
import type { Secret } from '../../model/schema.js';
import type { ToolCall, ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { struct } from '../format.js';
import { fail, usage } from '../tool-error.js';
import { secretUriArg } from './secret-args.js';

const yamlJson = { allowed: ['yaml', 'json'] as ('yaml' | 'json')[], default: 'yaml' as const };

function view(call: ToolCall): Record<string, Secret> {
  return secretsView(call.model, call.ctx.pending.secrets, call.now);
}

function content(s: Secret, revision: number): Record<string, string> {
  const rev = s.revisions.find((r) => r.revision === revision);
  if (!rev) throw fail(`secret revision ${revision} for "${s.id}" not found`);
  return rev.content;
}

function secretGet(call: ToolCall): unknown {
  const [arg, key, ...rest] = call.positionals;
  const label = call.str('label');
  if (arg === undefined && (label === undefined || label === '')) throw usage('require either a secret URI or label');
  const uri = arg === undefined ? undefined : secretUriArg(arg);
  if (call.bool('peek') && call.bool('refresh')) throw usage('specify one of --peek or --refresh but not both');
  checkEmpty(rest);
  const all = view(call);
  const unit = call.ctx.unit;
  let s: Secret | undefined;
  if (uri !== undefined) {
    s = all[uri];
    if (!s) throw fail(`secret "${uri}" not found`);
  } else {
    s =
      Object.values(all).find((x) => isOwnerSide(unit, x) && x.label === label) ??
      Object.values(all).find((x) => x.consumers[unit]?.label === label);
    if (!s) throw fail(`secret with label "${label}" not found`);
  }
  let data: Record<string, string>;
  if (isOwnerSide(unit, s)) {
    if (uri !== undefined && label !== undefined && label !== '' && s.label !== label)
      call.ctx.pending.secrets.push({ op: 'set', id: s.id, content: null, label });
    data = content(s, s.latest);
  } else {
    if (!isGranted(call.model, unit, s)) throw fail('permission denied');
    const stored = call.write().secrets[s.id]!;
    const c = (stored.consumers[unit] ??= { label: null, tracked: stored.latest, notified: stored.latest });
    if (uri !== undefined && label !== undefined && label !== '') c.label = label;
    if (call.bool('refresh')) c.tracked = stored.latest;
    data = content(stored, call.bool('peek') ? stored.latest : c.tracked);
  }
  if (key === undefined) return data;
  if (key.endsWith('#base64')) {
    const v = data[key.slice(0, -7)];
    if (v === undefined) throw fail(`secret key "${key.slice(0, -7)}" not found`);
    return Buffer.from(v, 'utf8').toString('base64');
  }
  if (!(key in data)) throw fail(`secret key "${key}" not found`);
  return data[key];
}

function secretInfoGet(call: ToolCall): unknown {
  const [arg, ...rest] = call.positionals;
  const label = call.str('label');
  const hasLabel = label !== undefined && label !== '';
  if (arg === undefined && !hasLabel) throw usage('require either a secret URI or label');
  if (arg !== undefined && hasLabel) throw usage('specify either a secret URI or label but not both');
  const uri = arg === undefined ? undefined : secretUriArg(arg);
  checkEmpty(rest);
  const owned = Object.values(view(call)).filter((s) => isOwnerSide(call.ctx.unit, s));
  const s = uri !== undefined ? owned.find((x) => x.id === uri) : owned.find((x) => x.label === label);
  if (!s) throw fail(`secret "${uri !== undefined ? secretXid(uri) : label}" not found`);
  const access = s.grants.map((g) =>
    struct({
      target: g.subject.includes('/') ? `unit-${g.subject.replace('/', '-')}` : `application-${g.subject}`,
      scope: `relation-${g.relationId}`,
      role: 'view',
    }),
  );
  return {
    [secretXid(s.id)]: struct({
      revision: s.latest,
      label: s.label ?? '',
      owner: s.owner.kind,
      description: s.description ?? undefined,
      rotation: s.rotate ?? undefined,
      expiry: s.revisions.find((r) => r.revision === s.latest)?.expire ?? undefined,
      rotates: s.rotateNext !== null && willRotate(s.rotate) ? rfc3339Seconds(new Date(s.rotateNext)) : undefined,
      access: access.length > 0 ? access : undefined,
    }),
  };
}

export const secretReadTools: Record<string, ToolDef> = {
  'secret-get': {
    flags: [
      { names: ['label'], kind: 'string' },
      { names: ['peek'], kind: 'bool' },
      { names: ['refresh'], kind: 'bool' },
    ],
    format: yamlJson,
    run: secretGet,
  },
  'secret-info-get': { flags: [{ names: ['label'], kind: 'string' }], format: yamlJson, run: secretInfoGet },
  'secret-ids': {
    format: yamlJson,
    run(call) {
      checkEmpty(call.positionals);
      return Object.values(view(call))
        .filter((s) => isOwnerSide(call.ctx.unit, s))
        .map((s) => s.id)
        .sort();
    },
  },
};
