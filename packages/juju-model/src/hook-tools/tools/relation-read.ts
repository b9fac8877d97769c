/** relation-ids, relation-list, relation-get, relation-model-get. */
import { compareUnits, isPeer, remoteAppOf, unitRelState } from '../../model/util.js';
import { relationFlag, type ToolCall, type ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { fail, usage } from '../tool-error.js';
import { inScope, ownAppBag, ownUnitBag } from './relation-access.js';

const all = ['smart', 'json', 'yaml'] as const;
const unitName = /^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*\/\d+$/;
const appName = /^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/;

function relationIds(call: ToolCall): unknown {
  const info = call.ctx.spec.info;
  const hookEndpoint = 'relationId' in info ? info.endpoint : '';
  const [name = hookEndpoint, ...rest] = call.positionals;
  if (call.positionals.length === 0 && hookEndpoint === '') throw usage('no endpoint name specified');
  checkEmpty(rest);
  const out: string[] = [];
  for (const rel of Object.values(call.ctx.base.relations)) {
    const mine = rel.endpoints.find((e) => e.app === call.ctx.app);
    if (!mine || mine.endpoint !== name || !call.contextRelation(rel.id)) continue;
    if (info.kind === 'relation-broken' && info.relationId === rel.id) continue;
    out.push(`${name}:${rel.id}`);
  }
  return out.sort();
}

function relationList(call: ToolCall): unknown {
  const id = call.requireRelationId();
  checkEmpty(call.positionals);
  const rel = call.contextRelation(id)!;
  if (call.bool('app')) return remoteAppOf(rel, call.ctx.app);
  const base = call.ctx.base.units[call.ctx.unit];
  const members = new Set(base ? Object.keys(unitRelState(base, id).members) : []);
  const info = call.ctx.spec.info;
  if ('relationId' in info && info.relationId === id && info.remoteUnit !== '') {
    if (info.kind === 'relation-joined') members.add(info.remoteUnit);
    if (info.kind === 'relation-departed') members.delete(info.remoteUnit);
  }
  return [...members].sort(compareUnits);
}

function relationGet(call: ToolCall): unknown {
  const id = call.requireRelationId();
  const args = [...call.positionals];
  let key = args.shift() ?? '';
  if (key === '-') key = '';
  let app = call.bool('app');
  const info = call.ctx.spec.info;
  let target: string;
  const supplied = args.shift();
  if (supplied !== undefined) {
    if (app) target = unitName.test(supplied) ? supplied.slice(0, supplied.lastIndexOf('/')) : supplied;
    else if (!unitName.test(supplied)) {
      throw usage(
        appName.test(supplied)
          ? `expected unit name, got application name "${supplied}"`
          : `invalid unit name "${supplied}"`,
      );
    } else target = supplied;
  } else if (app) {
    if (!('relationId' in info)) throw usage('no unit or application specified');
    target = info.remoteApp;
  } else if ('relationId' in info && info.remoteUnit !== '') {
    target = info.remoteUnit;
  } else if ('relationId' in info) {
    target = info.remoteApp;
    app = true;
  } else {
    throw usage('no unit or application specified');
  }
  checkEmpty(args);
  const rel = call.contextRelation(id)!;
  let bag: Record<string, string>;
  if (!app && target === call.ctx.unit) {
    if (!inScope(call, rel)) throw fail('permission denied');
    bag = ownUnitBag(call, rel);
  } else if (app && target === call.ctx.app) {
    if (!inScope(call, rel)) throw fail('permission denied');
    if (call.isLeader()) bag = ownAppBag(call, rel);
    else if (isPeer(rel)) bag = rel.appData[target] ?? {};
    else throw fail('permission denied');
  } else {
    const targetApp = app ? target : target.slice(0, target.lastIndexOf('/'));
    if (!rel.endpoints.some((e) => e.app === targetApp)) throw fail('permission denied');
    bag = (app ? rel.appData[target] : rel.unitData[target]) ?? {};
  }
  if (key === '') return bag;
  return bag[key] ?? null;
}

export const relationReadTools: Record<string, ToolDef> = {
  'relation-ids': { format: { allowed: [...all], default: 'smart' }, run: relationIds },
  'relation-list': {
    flags: [relationFlag, { names: ['app'], kind: 'bool' }],
    format: { allowed: [...all], default: 'smart' },
    run: relationList,
  },
  'relation-get': {
    flags: [relationFlag, { names: ['app'], kind: 'bool' }],
    format: { allowed: [...all], default: 'smart' },
    run: relationGet,
  },
  'relation-model-get': {
    flags: [relationFlag],
    format: { allowed: [...all], default: 'smart' },
    run(call) {
      call.requireRelationId();
      checkEmpty(call.positionals);
      return { uuid: call.model.uuid };
    },
  },
};
