/** Taking a dead unit out of the model. */
import { type Effect, type Model, relationsOf } from '@charms/juju-model';
import { leaderCandidate, moveLeadership } from './leadership.js';

/** Removes a unit that finished its removal sequence (in place): storage, scopes, leadership. */
export function finalizeRemoval(m: Model, unitName: string, effects: Effect[], now: string): void {
  const unit = m.units[unitName];
  if (!unit) return;
  const storage = Object.values(m.storage)
    .filter((s) => s.unit === unitName)
    .map((s) => s.id);
  for (const id of storage) delete m.storage[id];
  for (const rel of relationsOf(m, unit.app)) rel.scope = rel.scope.filter((u) => u !== unitName);
  for (const a of Object.values(m.actions)) {
    if (a.unit === unitName && a.status === 'pending') {
      a.status = 'cancelled';
      a.completed = now;
      effects.push({ type: 'action-finished', actionId: a.id });
    }
  }
  for (const [id, secret] of Object.entries(m.secrets)) {
    delete secret.consumers[unitName];
    if (secret.owner.kind === 'unit' && secret.owner.name === unitName) delete m.secrets[id];
  }
  delete m.units[unitName];
  effects.push({ type: 'unit-removed', unit: unitName, storage });
  effects.push({
    type: 'log',
    entry: { time: now, unit: unitName, hook: '', level: 'INFO', logger: 'juju.model', message: `${unitName} removed` },
  });
  const app = m.apps[unit.app];
  if (app && app.leader === unitName) moveLeadership(m, unit.app, leaderCandidate(m, unit.app), effects, now);
  collectDeadRelations(m);
}

/** Drops dying relations no unit still has to break (in place). */
export function collectDeadRelations(m: Model): void {
  for (const rel of Object.values(m.relations)) {
    if (rel.life === 'alive') continue;
    const key = String(rel.id);
    const busy = Object.values(m.units).some((u) => {
      const rs = u.relations[key];
      return rs !== undefined && rs.created && !rs.broken;
    });
    if (busy) continue;
    delete m.relations[key];
    for (const u of Object.values(m.units)) delete u.relations[key];
  }
}
