/** Leadership. */
import {
  isoNow,
  type Change,
  type Effect,
  type OpOptions,
  JujuModelError,
  type Model,
  clone,
  getApp,
  getUnit,
  unitsOf,
} from '@charms/juju-model';

/**
 * Moves leadership in place (on an already-cloned model). The new leader runs leader-elected;
 * the leader-settings version is bumped so the others run leader-settings-changed.
 */
export function moveLeadership(m: Model, app: string, unit: string | null, effects: Effect[], now: string): void {
  const a = getApp(m, app);
  const old = a.leader;
  if (old === unit) return;
  const oldUnit = old ? m.units[old] : undefined;
  if (oldUnit) oldUnit.leader = false;
  a.leader = unit;
  if (unit === null) return;
  a.leaderSettingsVersion += 1;
  effects.push(
    {
      type: 'log',
      entry: {
        time: now,
        unit,
        hook: '',
        level: 'INFO',
        logger: 'juju.leadership',
        message: `${unit} is now the leader of ${app}`,
      },
    },
    { type: 'wake', units: unitsOf(m, app).map((u) => u.name) },
  );
}

/** The unit that should lead: the lowest-numbered alive unit, or null. */
export function leaderCandidate(m: Model, app: string): string | null {
  return unitsOf(m, app).find((u) => u.life === 'alive')?.name ?? null;
}

/** Makes `unit` (default: the lowest-numbered alive unit) the app's leader; it then runs leader-elected. */
export function electLeader(model: Model, app: string, unit?: string, o?: OpOptions): Change {
  const m = clone(model);
  getApp(m, app);
  const target = unit ?? leaderCandidate(m, app);
  if (target !== null) {
    const u = getUnit(m, target);
    if (u.app !== app)
      throw new JujuModelError('bad-argument', `cannot make ${target} leader of ${app}: it belongs to ${u.app}`);
    if (u.life !== 'alive')
      throw new JujuModelError('bad-argument', `cannot make ${target} leader of ${app}: it is ${u.life}`);
  }
  const effects: Effect[] = [];
  moveLeadership(m, app, target, effects, isoNow(o));
  return { model: m, effects };
}
