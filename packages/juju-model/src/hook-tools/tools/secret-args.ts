/** Shared parsing for secret-add and secret-set: content args, --file, --expire, --rotate, --owner. */
import type { FlagSpec } from '../flags.js';
import type { ToolCall } from '../call.js';
import { fail, usage } from '../tool-error.js';
import { parse as parseYaml } from 'yaml';
import { isRotatePolicy, parseExpire, rfc3339Seconds } from '../../model/secret-schedule.js';
import { parseSecretUri, isOwnerSide } from '../../model/secrets.js';
import type { Secret } from '../../model/schema.js';

export const upsertFlags: FlagSpec[] = [
  { names: ['expire'], kind: 'string' },
  { names: ['rotate'], kind: 'string' },
  { names: ['description'], kind: 'string' },
  { names: ['label'], kind: 'string' },
  { names: ['file'], kind: 'string' },
  { names: ['owner'], kind: 'string' },
];

const keyRule = /^([a-z](?:-?[a-z0-9]){2,})$/;

/** The secret content given as `k=v`, `k#base64=v`, `k#file=path` args plus an optional YAML --file. */
export function parseContent(call: ToolCall, args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const stripped = arg.replace(/=+$/, '');
    const i = stripped.indexOf('=');
    if (i < 1) throw usage(`key value "${arg}" not valid`);
    let key = arg.slice(0, i);
    let value = arg.slice(i + 1);
    if (key.endsWith('#file')) {
      key = key.slice(0, -'#file'.length);
      value = call.file(value);
    } else if (key.endsWith('#base64')) {
      key = key.slice(0, -'#base64'.length);
      value = Buffer.from(value, 'base64').toString('utf8');
    }
    out[key] = value;
  }
  const file = call.str('file');
  if (file !== undefined) {
    const doc = parseYaml(call.fileOrStdin(file)) as unknown;
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
      for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
        if (k.endsWith('#base64')) out[k.slice(0, -7)] = Buffer.from(String(v), 'base64').toString('utf8');
        else out[k] = String(v);
      }
    } else throw usage(`cannot parse secret content in ${file}: expected a map`);
  }
  for (const k of Object.keys(out)) if (!keyRule.test(k)) throw usage(`key "${k}" not valid`);
  return out;
}

/** Validated metadata flags: undefined when not given. */
export function parseMeta(call: ToolCall): { expire?: string; rotate?: string; description?: string; label?: string } {
  const out: { expire?: string; rotate?: string; description?: string; label?: string } = {};
  const expire = call.str('expire');
  if (expire !== undefined && expire !== '') {
    const parsed = parseExpire(expire, new Date(call.now));
    if (!parsed.ok) throw usage(parsed.message);
    out.expire = rfc3339Seconds(parsed.time);
  }
  const rotate = call.str('rotate');
  if (rotate !== undefined && rotate !== '') {
    if (!isRotatePolicy(rotate)) throw usage(`rotate policy "${rotate}" not valid`);
    out.rotate = rotate;
  }
  const description = call.str('description');
  if (description !== undefined && description !== '') out.description = description;
  const label = call.str('label');
  if (label !== undefined && label !== '') out.label = label;
  const owner = call.str('owner');
  if (owner !== undefined && owner !== 'application' && owner !== 'unit')
    throw usage(`secret owner "${owner}" not valid`);
  return out;
}

/** A canonical secret URI from an argument. Throws `secret URI "x" not valid` (exit 2). */
export function secretUriArg(arg: string | undefined, missing = 'missing secret URI'): string {
  if (arg === undefined) throw usage(missing);
  const uri = parseSecretUri(arg);
  if (!uri) throw usage(`secret URI "${arg}" not valid`);
  return uri;
}

/** Fails unless the unit may manage the secret: the leader for app secrets, the owner unit for unit secrets. */
export function requireManager(call: ToolCall, s: Secret): void {
  if (!isOwnerSide(call.ctx.unit, s)) throw fail('permission denied');
  if (s.owner.kind === 'application' && !call.isLeader()) throw fail('this unit is not the leader');
}
