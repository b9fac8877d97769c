/** Ending a hook: commit on success, discard on failure (reference 1.1). */
import { applyBookkeeping } from './bookkeeping.js';
import {
  type HookContext,
  isoNow,
  type Change,
  type Effect,
  type OpOptions,
  applySecretOp,
  type Model,
  applyBagWrites,
  clone,
  ensureUnitRelState,
  unitsOf,
  storageLocation,
} from '@charms/juju-model';
import { reconcilePods } from './lifecycle.js';

/** How the hook process ended. */
export interface HookOutcome {
  exitCode: number;
  /** Captured output; for actions it becomes the `stdout`/`stderr` results. */
  stdout?: string;
  stderr?: string;
  /** No dispatch and no hooks/<name> or actions/<name>: a hook counts as run, an action fails. */
  missingHandler?: boolean;
}

/** Applies the hook's buffered writes (in place). */
function applyPending(m: Model, ctx: HookContext, effects: Effect[], now: string): void {
  const u = m.units[ctx.unit];
  if (!u) return;
  const woken = new Set<string>();
  for (const [id, w] of Object.entries(ctx.pending.relations)) {
    const rel = m.relations[id];
    if (!rel) continue;
    const bag = (rel.unitData[ctx.unit] ??= {});
    if (applyBagWrites(bag, w.unit)) rel.unitVersions[ctx.unit] = (rel.unitVersions[ctx.unit] ?? 0) + 1;
    const appBag = (rel.appData[ctx.app] ??= {});
    if (applyBagWrites(appBag, w.app)) {
      const v = (rel.appVersions[ctx.app] ?? 0) + 1;
      rel.appVersions[ctx.app] = v;
      ensureUnitRelState(u, rel.id).appSeen[ctx.app] = v;
    }
    for (const e of rel.endpoints) for (const x of unitsOf(m, e.app)) woken.add(x.name);
  }
  for (const p of ctx.pending.ports) {
    const set = new Set(u.ports);
    if (p.op === 'open') set.add(p.port);
    else set.delete(p.port);
    u.ports = [...set].sort(comparePorts);
  }
  for (const s of ctx.pending.state) {
    if (s.op === 'set') u.state[s.key] = s.value;
    else delete u.state[s.key];
  }
  for (const op of ctx.pending.secrets) applySecretOp(m.secrets, op, now, m.secretTimeScale);
  if (ctx.pending.secrets.length > 0) for (const x of Object.keys(m.units)) woken.add(x);
  for (const add of ctx.pending.storageAdd) {
    const existing = Object.values(m.storage).filter((s) => s.unit === ctx.unit && s.name === add.name).length;
    const kind = m.apps[ctx.app]?.charm.meta.storage?.[add.name]?.type ?? 'filesystem';
    for (let i = 0; i < add.count; i++) {
      const id = `${add.name}/${m.counters.storage++}`;
      m.storage[id] = {
        id,
        name: add.name,
        kind,
        unit: ctx.unit,
        location: storageLocation(add.name, existing + i),
        attached: false,
        life: 'alive',
        hostPath: null,
      };
    }
    woken.add(ctx.unit);
  }
  if (woken.size > 0) effects.push({ type: 'wake', units: [...woken] });
}

function comparePorts(a: string, b: string): number {
  const [pa, qa] = a.split('/');
  const [pb, qb] = b.split('/');
  if (qa !== qb) return (qa ?? '') < (qb ?? '') ? -1 : 1;
  return Number.parseInt(pa ?? '0', 10) - Number.parseInt(pb ?? '0', 10);
}

function finishAction(m: Model, ctx: HookContext, outcome: HookOutcome, effects: Effect[], now: string): void {
  const info = ctx.spec.info;
  if (info.kind !== 'action') return;
  const a = m.actions[info.actionId];
  if (!a) return;
  a.completed = now;
  if (outcome.missingHandler) {
    a.status = 'failed';
    a.message = `action not implemented on unit "${ctx.unit}"`;
  } else {
    a.results = { ...a.results, 'return-code': String(outcome.exitCode) };
    if (outcome.stdout) a.results.stdout = outcome.stdout;
    if (outcome.stderr) a.results.stderr = outcome.stderr;
    if (outcome.exitCode !== 0) {
      a.status = 'failed';
      a.message = a.message || `exit status ${outcome.exitCode}`;
    } else if (ctx.actionFailed !== null) {
      a.status = 'failed';
      a.message = ctx.actionFailed;
    } else {
      a.status = 'completed';
    }
  }
  effects.push({ type: 'action-finished', actionId: a.id });
}

/**
 * Ends a hook or action. Exit 0 (or a missing hook handler) applies the buffered writes and
 * the hook's bookkeeping; otherwise they are dropped and the unit goes to error
 * (`hook failed: "<name>"`) until retried or resolved. An action never errors the unit.
 */
export function commitHook(model: Model, ctx: HookContext, outcome: HookOutcome, o?: OpOptions): Change {
  const m = clone(model);
  const now = isoNow(o);
  const effects: Effect[] = [{ type: 'wake', units: [ctx.unit] }];
  const u = m.units[ctx.unit];
  if (!u) return { model: m, effects };
  if (u.hookRunning === ctx.id) u.hookRunning = null;
  u.agentStatus = { status: 'idle', message: '', since: now };
  const ok = outcome.exitCode === 0 || outcome.missingHandler === true;
  const info = ctx.spec.info;
  if (info.kind === 'action') {
    if (ok && !outcome.missingHandler) applyPending(m, ctx, effects, now);
    finishAction(m, ctx, outcome, effects, now);
    reconcilePods(m, effects);
    return { model: m, effects };
  }
  if (!ok) {
    const previous = u.failed?.previousStatus ?? u.workloadStatus;
    u.failed = {
      spec: ctx.spec,
      attempts: (u.failed?.attempts ?? 0) + 1,
      since: now,
      retryNow: false,
      previousStatus: previous,
    };
    u.workloadStatus = { status: 'error', message: `hook failed: "${ctx.spec.name}"`, since: now };
    const message = `hook "${ctx.spec.name}" (via hook dispatching script: dispatch) failed: exit status ${outcome.exitCode}`;
    effects.push({
      type: 'log',
      entry: {
        time: now,
        unit: ctx.unit,
        hook: ctx.spec.name,
        level: 'ERROR',
        logger: 'juju.worker.uniter.operation',
        message,
      },
    });
    return { model: m, effects };
  }
  if (u.failed) {
    if (u.workloadStatus.status === 'error') u.workloadStatus = { ...u.failed.previousStatus, since: now };
    u.failed = null;
  }
  applyPending(m, ctx, effects, now);
  if (info.kind === 'start' && !u.statusSetByCharm) u.workloadStatus = { status: 'unknown', message: '', since: now };
  if (info.kind === 'stop') u.workloadStatus = { status: 'terminated', message: '', since: now };
  applyBookkeeping(m, ctx.unit, ctx.spec, ctx.base, effects, now);
  reconcilePods(m, effects);
  return { model: m, effects };
}
