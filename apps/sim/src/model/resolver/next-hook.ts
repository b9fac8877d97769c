/**
 * Juju's uniter resolver (reference 1.5): which hook a unit runs next, in priority order:
 * upgrade in progress, relation-created, leadership, workload events, secrets, actions, storage,
 * queued hooks, install, config-changed, relation hooks, removal, update-status. A failed hook
 * blocks everything but actions until it is retried or resolved.
 */
import type { HookInfo, HookSpec, Model, Unit } from '@charms/juju-model';
import { nextRelationCreated, nextRelationHook } from './relations.js';
import { nextSecretHook } from './secrets.js';
import { buildSpec } from './spec.js';

function nextAction(m: Model, unit: Unit): HookInfo | null {
  const pending = Object.values(m.actions)
    .filter((a) => a.unit === unit.name && a.status === 'pending')
    .sort((a, b) => Number(a.id) - Number(b.id))[0];
  return pending ? { kind: 'action', actionId: pending.id, name: pending.name } : null;
}

function nextWorkloadHook(unit: Unit): HookInfo | null {
  for (const [name, c] of Object.entries(unit.containers).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (c.bootIdSeen !== null && c.bootIdSeen !== c.bootIdHandled)
      return { kind: 'pebble-ready', container: name, bootId: c.bootIdSeen };
  }
  const ev = unit.workloadEvents[0];
  if (!ev) return null;
  if (ev.kind === 'custom-notice')
    return {
      kind: 'pebble-custom-notice',
      container: ev.container,
      noticeId: ev.id,
      noticeType: ev.type,
      noticeKey: ev.key,
    };
  return {
    kind: ev.kind === 'check-failed' ? 'pebble-check-failed' : 'pebble-check-recovered',
    container: ev.container,
    check: ev.check,
  };
}

function nextLeadershipHook(m: Model, unit: Unit): HookInfo | null {
  const app = m.apps[unit.app];
  if (!app) return null;
  if (app.leader === unit.name) return unit.leader ? null : { kind: 'leader-elected', fromQueue: false };
  if (unit.leaderSettingsSeen !== app.leaderSettingsVersion)
    return { kind: 'leader-settings-changed', fromQueue: false };
  return null;
}

function nextRemovalHook(m: Model, unit: Unit): HookInfo | null {
  const rel = nextRelationHook(m, unit);
  if (rel) return rel;
  if (unit.started && !unit.stopped) return { kind: 'stop', fromQueue: false };
  const attached = Object.values(m.storage)
    .filter((s) => s.unit === unit.name && s.attached)
    .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  if (attached) return { kind: 'storage-detaching', storageId: attached.id };
  return { kind: 'remove', fromQueue: false };
}

function resolve(m: Model, unit: Unit): HookInfo | null {
  if (unit.life === 'dead' || unit.awaitingPod) return null;
  if (unit.failed) {
    const action = unit.installed ? nextAction(m, unit) : null;
    if (action) return action;
    return unit.failed.retryNow ? unit.failed.spec.info : null;
  }
  const app = m.apps[unit.app];
  if (!app) return null;
  const alive = unit.life === 'alive';
  const upgrading = unit.queue[0]?.chain === 'upgrade';
  // 1. charm upgrade: stop the old pod, then the upgrade chain.
  if (alive && unit.generation !== app.generation && unit.started) return { kind: 'stop', fromQueue: false };
  if (upgrading) return { kind: unit.queue[0]!.hook, fromQueue: true };
  // 2. relation-created (only once installed).
  const created = nextRelationCreated(m, unit);
  if (created) return created;
  if (alive && unit.installed) {
    // 3. leadership, once idle.
    if (unit.queue.length === 0) {
      const lead = nextLeadershipHook(m, unit);
      if (lead) return lead;
    }
    // 4. workload events; 5. secrets.
    const workload = nextWorkloadHook(unit);
    if (workload) return workload;
    const secret = nextSecretHook(m, unit);
    if (secret) return secret;
  }
  // 6. actions, when idle.
  if (unit.installed && unit.queue.length === 0) {
    const action = nextAction(m, unit);
    if (action) return action;
  }
  // 8. storage: on K8s storage-attached waits for start.
  if (alive && unit.started) {
    const s = Object.values(m.storage)
      .filter((x) => x.unit === unit.name && !x.attached && x.life === 'alive')
      .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
    if (s) return { kind: 'storage-attached', storageId: s.id };
  }
  if (!alive) return unit.installed ? nextRemovalHook(m, unit) : null;
  // 9. queued hooks of the install chain.
  if (unit.queue[0]) return { kind: unit.queue[0].hook, fromQueue: true };
  // 10. install.
  if (!unit.installed) return { kind: 'install', fromQueue: false };
  // 12. config-changed.
  if (unit.configSeen !== app.configVersion) return { kind: 'config-changed', fromQueue: false };
  // 13. relation hooks.
  const rel = nextRelationHook(m, unit);
  if (rel) return rel;
  // 14. update-status.
  if (unit.updateStatusDue && unit.started) return { kind: 'update-status', fromQueue: false };
  return null;
}

/**
 * The next hook or action for `unit`, or null when it is idle, waiting for its pod, or in error
 * with no action queued. Pure: the model is not changed.
 */
export function nextHook(model: Model, unit: string): HookSpec | null {
  const u = model.units[unit];
  if (!u || u.hookRunning !== null) return null;
  const info = resolve(model, u);
  if (!info) return null;
  if (u.failed && u.failed.retryNow && info === u.failed.spec.info) return u.failed.spec;
  return buildSpec(model, unit, info);
}
