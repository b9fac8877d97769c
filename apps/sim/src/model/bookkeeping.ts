/** What a successful (or skipped) hook records: Juju's local uniter state after each hook kind. */
import {
  type Effect,
  type HookSpec,
  type Model,
  type Unit,
  nextRotateAfterHook,
  ensureUnitRelState,
} from '@charms/juju-model';
import { finalizeRemoval, collectDeadRelations } from './removal.js';

function popQueue(u: Unit, hook: string): void {
  if (u.queue[0]?.hook === hook) u.queue.shift();
}

/** Juju's network keys every unit bag starts with. */
export function networkKeys(address: string): Record<string, string> {
  return { 'private-address': address, 'ingress-address': address, 'egress-subnets': `${address}/32` };
}

/** Juju's SecretRotated after a secret-rotate hook: the next rotate time, from the revision the hook began with. */
function secretRotated(m: Model, unit: string, id: string, base: Model | null, effects: Effect[], now: string): void {
  const s = m.secrets[id];
  if (!s) return;
  s.rotateDue = false;
  const expire = s.revisions.find((r) => r.revision === s.latest)?.expire ?? null;
  const next = nextRotateAfterHook({
    policy: s.rotate,
    scheduled: s.rotateNext === null ? null : new Date(s.rotateNext),
    latestExpire: expire === null ? null : new Date(expire),
    originalRevision: base?.secrets[id]?.latest ?? s.latest,
    latestRevision: s.latest,
    now: new Date(now),
    scale: m.secretTimeScale,
  });
  s.rotateNext = next?.toISOString() ?? null;
  const message = `${id} was rotated: rev was ${base?.secrets[id]?.latest ?? s.latest}, now ${s.latest}; next rotate time is now ${s.rotateNext ?? 'never'}`;
  effects.push({
    type: 'log',
    entry: { time: now, unit, hook: 'secret-rotate', level: 'DEBUG', logger: 'juju.worker.uniter.secrets', message },
  });
}

/**
 * Applies the bookkeeping of `spec` to the unit (in place). `base` is the model when the hook
 * began (versions the hook saw); null when skipping a failed hook (current versions are used).
 */
export function applyBookkeeping(
  m: Model,
  unitName: string,
  spec: HookSpec,
  base: Model | null,
  effects: Effect[],
  now: string,
): void {
  const u = m.units[unitName];
  if (!u) return;
  const app = m.apps[u.app];
  const seen = base?.apps[u.app] ?? app;
  const info = spec.info;
  switch (info.kind) {
    case 'install':
      u.installed = true;
      break;
    case 'start':
      u.started = true;
      u.stopped = false;
      popQueue(u, 'start');
      break;
    case 'config-changed':
      u.configSeen = seen?.configVersion ?? 0;
      popQueue(u, 'config-changed');
      if (!u.started && !u.queue.some((q) => q.hook === 'start')) u.queue.push({ hook: 'start', chain: 'install' });
      break;
    case 'upgrade-charm':
      popQueue(u, 'upgrade-charm');
      break;
    case 'leader-elected':
      u.leader = true;
      u.leaderSettingsSeen = seen?.leaderSettingsVersion ?? 0;
      break;
    case 'leader-settings-changed':
      u.leaderSettingsSeen = seen?.leaderSettingsVersion ?? 0;
      popQueue(u, 'leader-settings-changed');
      break;
    case 'update-status':
      u.updateStatusDue = false;
      break;
    case 'stop':
      u.started = false;
      if (u.life !== 'alive') u.stopped = true;
      break;
    case 'remove':
      finalizeRemoval(m, unitName, effects, now);
      break;
    case 'relation-created': {
      const rs = ensureUnitRelState(u, info.relationId);
      rs.created = true;
      const rel = m.relations[String(info.relationId)];
      if (rel && rel.life === 'alive' && u.life === 'alive' && !rel.scope.includes(unitName)) {
        rel.scope.push(unitName);
        rel.unitData[unitName] = { ...rel.unitData[unitName], ...networkKeys(u.address) };
        rel.unitVersions[unitName] = (rel.unitVersions[unitName] ?? 0) + 1;
        effects.push({
          type: 'wake',
          units: Object.values(m.units)
            .filter((x) => rel.endpoints.some((e) => e.app === x.app))
            .map((x) => x.name),
        });
      }
      break;
    }
    case 'relation-joined': {
      const rs = ensureUnitRelState(u, info.relationId);
      rs.members[info.remoteUnit] = 0;
      rs.changedPending = info.remoteUnit;
      break;
    }
    case 'relation-changed': {
      const rs = ensureUnitRelState(u, info.relationId);
      if (info.remoteUnit === '') rs.appSeen[info.remoteApp] = info.version;
      else if (info.remoteUnit in rs.members) rs.members[info.remoteUnit] = info.version;
      if (rs.changedPending === info.remoteUnit) rs.changedPending = null;
      break;
    }
    case 'relation-departed': {
      const rs = ensureUnitRelState(u, info.relationId);
      delete rs.members[info.remoteUnit];
      if (rs.changedPending === info.remoteUnit) rs.changedPending = null;
      break;
    }
    case 'relation-broken':
      ensureUnitRelState(u, info.relationId).broken = true;
      collectDeadRelations(m);
      break;
    case 'pebble-ready': {
      const c = u.containers[info.container];
      if (c) c.bootIdHandled = info.bootId;
      break;
    }
    case 'pebble-custom-notice':
    case 'pebble-check-failed':
    case 'pebble-check-recovered':
      u.workloadEvents.shift();
      break;
    case 'storage-attached': {
      const s = m.storage[info.storageId];
      if (s) s.attached = true;
      break;
    }
    case 'storage-detaching': {
      const s = m.storage[info.storageId];
      if (s) {
        s.attached = false;
        s.life = 'dead';
      }
      break;
    }
    case 'secret-changed': {
      const c = m.secrets[info.secretId]?.consumers[unitName];
      if (c) c.notified = Math.max(c.notified, info.revision);
      break;
    }
    case 'secret-remove': {
      const s = m.secrets[info.secretId];
      if (s && !s.removeNotified.includes(info.revision)) s.removeNotified.push(info.revision);
      break;
    }
    case 'secret-expired': {
      const r = m.secrets[info.secretId]?.revisions.find((x) => x.revision === info.revision);
      if (r) r.expireDue = false;
      break;
    }
    case 'secret-rotate':
      secretRotated(m, unitName, info.secretId, base, effects, now);
      break;
    case 'action':
      break;
  }
}
