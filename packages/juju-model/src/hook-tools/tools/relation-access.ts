/** Relation bags as a running hook may read and write them (reference section 4). */
import type { Relation } from '../../model/schema.js';
import { unitRelState } from '../../model/util.js';
import type { ToolCall } from '../call.js';
import { fail } from '../tool-error.js';

/** The hook's unit has entered the relation's scope (relation-created ran or is running). */
export function inScope(call: ToolCall, rel: Relation): boolean {
  const info = call.ctx.spec.info;
  if (info.kind === 'relation-created' && info.relationId === rel.id) return true;
  const base = call.ctx.base.units[call.ctx.unit];
  return base ? unitRelState(base, rel.id).created : false;
}

/** Fails with `permission denied` unless the unit is in scope (peer-bag I/O during install fails). */
export function requireScope(call: ToolCall, rel: Relation): void {
  if (!inScope(call, rel)) throw fail('permission denied');
}

/** The unit's own bag with its pending writes applied. */
export function ownUnitBag(call: ToolCall, rel: Relation): Record<string, string> {
  return withPending(rel.unitData[call.ctx.unit] ?? {}, call.ctx.pending.relations[String(rel.id)]?.unit);
}

/** The own app bag with the hook's pending writes applied. */
export function ownAppBag(call: ToolCall, rel: Relation): Record<string, string> {
  return withPending(rel.appData[call.ctx.app] ?? {}, call.ctx.pending.relations[String(rel.id)]?.app);
}

function withPending(bag: Record<string, string>, writes: Record<string, string> | undefined): Record<string, string> {
  const out = { ...bag };
  for (const [k, v] of Object.entries(writes ?? {})) {
    if (v === '') delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Buffers writes to the unit or app bag (committed when the hook exits 0). */
export function bufferWrites(call: ToolCall, rel: Relation, app: boolean, writes: Record<string, string>): void {
  const key = String(rel.id);
  const p = (call.ctx.pending.relations[key] ??= { unit: {}, app: {} });
  Object.assign(app ? p.app : p.unit, writes);
}
