/** Observations from the runtime's Pebble pollers and timers. */
import {
  type Change,
  type OpOptions,
  JujuModelError,
  type ContainerState,
  type Model,
  clone,
  getUnit,
} from '@charms/juju-model';

function container(m: Model, unit: string, name: string): ContainerState {
  const u = getUnit(m, unit);
  const c = u.containers[name];
  if (!c) {
    const known = Object.keys(u.containers).sort().join(', ') || 'none';
    throw new JujuModelError(
      'bad-argument',
      `cannot observe container "${name}" of ${unit}: the charm has no such container (containers: ${known})`,
    );
  }
  return c;
}

/** The poller read a container's Pebble boot id (null: socket not there yet). A new id queues pebble-ready. */
export function observeBootId(model: Model, unit: string, name: string, bootId: string | null, _o?: OpOptions): Change {
  const c = container(model, unit, name);
  if (bootId === null || c.bootIdSeen === bootId) return { model, effects: [] };
  const m = clone(model);
  container(m, unit, name).bootIdSeen = bootId;
  return { model: m, effects: [{ type: 'wake', units: [unit] }] };
}

/** A custom Pebble notice occurred or repeated: queues `<c>-pebble-custom-notice`. */
export function observeNotice(
  model: Model,
  unit: string,
  name: string,
  notice: { id: string; type: string; key: string },
  _o?: OpOptions,
): Change {
  container(model, unit, name);
  const m = clone(model);
  getUnit(m, unit).workloadEvents.push({
    kind: 'custom-notice',
    container: name,
    id: notice.id,
    type: notice.type,
    key: notice.key,
  });
  return { model: m, effects: [{ type: 'wake', units: [unit] }] };
}

/** A check's status: a transition to down queues check-failed, back to up check-recovered. */
export function observeCheck(
  model: Model,
  unit: string,
  name: string,
  check: string,
  status: 'up' | 'down',
  _o?: OpOptions,
): Change {
  const before = container(model, unit, name).checks[check] ?? 'up';
  const m = clone(model);
  container(m, unit, name).checks[check] = status;
  if (before === status) return { model: m, effects: [] };
  getUnit(m, unit).workloadEvents.push({
    kind: status === 'down' ? 'check-failed' : 'check-recovered',
    container: name,
    check,
  });
  return { model: m, effects: [{ type: 'wake', units: [unit] }] };
}

/** The update-status timer fired for `unit` (default: every unit). */
export function timerUpdateStatus(model: Model, unit?: string, _o?: OpOptions): Change {
  const m = clone(model);
  const units = unit === undefined ? Object.values(m.units) : [getUnit(m, unit)];
  for (const u of units) u.updateStatusDue = true;
  return { model: m, effects: [{ type: 'wake', units: units.map((u) => u.name) }] };
}
