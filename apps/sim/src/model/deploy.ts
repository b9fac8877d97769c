/** Deploying applications and adding/removing units. */
import {
  type Charm,
  isoNow,
  type Change,
  type Effect,
  type OpOptions,
  JujuModelError,
  type App,
  type ContainerState,
  type Model,
  type Resource,
  type Unit,
  clone,
  getApp,
  getUnit,
  newRelation,
  relationsOf,
  unitsOf,
  storageLocation,
} from '@charms/juju-model';
import { coerceConfigValue } from './config.js';
import { moveLeadership } from './leadership.js';
import { finalizeRemoval } from './removal.js';

/** Options of {@link deployApp}. */
export interface DeployOptions {
  charm: Charm;
  /** Application name; default the charm name. */
  name?: string;
  /** Number of units; default 1. */
  units?: number;
  /** Config values as given on the command line (`k=v` values, coerced to the option type). */
  config?: Record<string, string>;
  /** Resources: name -> host file path (file) or image reference (oci-image). */
  resources?: Record<string, string>;
  trust?: boolean;
}

/** The resources of a charm with the given uploads applied. Throws `bad-resource`. */
export function buildResources(
  charm: Charm,
  app: string,
  given: Record<string, string>,
  prev: Record<string, Resource> = {},
): Record<string, Resource> {
  const declared = charm.meta.resources ?? {};
  for (const name of Object.keys(given)) {
    if (!declared[name]) {
      const known = Object.keys(declared).sort().join(', ') || 'none';
      throw new JujuModelError(
        'bad-resource',
        `cannot use resource "${name}" for ${app}: the charm declares no such resource (resources: ${known})`,
        { app, resource: name },
      );
    }
  }
  const out: Record<string, Resource> = {};
  for (const [name, meta] of Object.entries(declared)) {
    const old = prev[name];
    const path = given[name] ?? old?.path ?? (meta.type === 'oci-image' ? (meta['upstream-source'] ?? null) : null);
    out[name] = {
      type: meta.type,
      path,
      revision: given[name] !== undefined ? (old?.revision ?? -1) + 1 : (old?.revision ?? 0),
    };
  }
  return out;
}

/** Containers of a charm, with fresh Pebble bookkeeping. */
export function freshContainers(charm: Charm): Record<string, ContainerState> {
  const out: Record<string, ContainerState> = {};
  for (const name of Object.keys(charm.meta.containers ?? {}))
    out[name] = { bootIdSeen: null, bootIdHandled: null, checks: {} };
  return out;
}

/** Deploys an application: validates config and resources, creates its peer relations and units. */
export function deployApp(model: Model, opts: DeployOptions, o?: OpOptions): Change {
  const name = opts.name ?? opts.charm.meta.name;
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/.test(name)) {
    throw new JujuModelError(
      'bad-argument',
      `cannot deploy "${name}": an application name is lowercase letters, digits and dashes, starting with a letter`,
    );
  }
  if (model.apps[name])
    throw new JujuModelError(
      'app-exists',
      `cannot deploy "${name}": an application of that name exists; choose another name`,
      { app: name },
    );
  const count = opts.units ?? 1;
  if (!Number.isInteger(count) || count < 0)
    throw new JujuModelError(
      'bad-argument',
      `cannot deploy "${name}": unit count must be a whole number >= 0, got ${count}`,
    );
  const m = clone(model);
  const config: App['config'] = {};
  for (const [k, v] of Object.entries(opts.config ?? {})) config[k] = coerceConfigValue(opts.charm, name, k, v);
  const now = isoNow(o);
  m.apps[name] = {
    name,
    charm: opts.charm,
    charmRevision: 0,
    generation: 0,
    config,
    configVersion: 0,
    resources: buildResources(opts.charm, name, opts.resources ?? {}),
    leader: null,
    leaderSettings: {},
    leaderSettingsVersion: 0,
    status: null,
    trust: opts.trust ?? false,
    nextUnit: 0,
    life: 'alive',
  };
  for (const [endpoint, meta] of Object.entries(opts.charm.meta.peers ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const id = m.counters.relation++;
    m.relations[String(id)] = newRelation(id, [{ app: name, endpoint, interface: meta.interface, role: 'peer' }]);
  }
  const effects: Effect[] = [
    {
      type: 'log',
      entry: {
        time: now,
        unit: '',
        hook: '',
        level: 'INFO',
        logger: 'juju.model',
        message: `deployed ${name} (charm ${opts.charm.meta.name})`,
      },
    },
  ];
  addUnitsInPlace(m, name, count, effects, now);
  return { model: m, effects };
}

function allocAddress(m: Model): string {
  const n = ++m.counters.address;
  return `127.${m.subnet}.${Math.floor(n / 250) % 256}.${(n % 250) + 2}`;
}

function addUnitsInPlace(m: Model, app: string, count: number, effects: Effect[], now: string): string[] {
  const a = getApp(m, app);
  const added: string[] = [];
  for (let i = 0; i < count; i++) {
    const number = a.nextUnit++;
    const name = `${app}/${number}`;
    const unit: Unit = {
      name,
      app,
      number,
      life: 'alive',
      address: allocAddress(m),
      generation: a.generation,
      charmRevision: a.charmRevision,
      installed: false,
      started: false,
      awaitingPod: false,
      stopped: false,
      hookRunning: null,
      leader: false,
      leaderSettingsSeen: -1,
      configSeen: -1,
      queue: [],
      failed: null,
      workloadStatus: { status: 'waiting', message: 'installing agent', since: now },
      agentStatus: { status: 'allocating', message: '', since: now },
      statusSetByCharm: false,
      workloadVersion: '',
      ports: [],
      state: {},
      containers: freshContainers(a.charm),
      workloadEvents: [],
      updateStatusDue: false,
      relations: {},
    };
    m.units[name] = unit;
    for (const [sname, meta] of Object.entries(a.charm.meta.storage ?? {}).sort(([x], [y]) => (x < y ? -1 : 1))) {
      const id = `${sname}/${m.counters.storage++}`;
      m.storage[id] = {
        id,
        name: sname,
        kind: meta.type,
        unit: name,
        location: storageLocation(sname, 0),
        attached: false,
        life: 'alive',
        hostPath: null,
      };
    }
    added.push(name);
    effects.push({
      type: 'log',
      entry: { time: now, unit: name, hook: '', level: 'INFO', logger: 'juju.model', message: `added unit ${name}` },
    });
  }
  if (a.leader === null && added[0] !== undefined) moveLeadership(m, app, added[0], effects, now);
  effects.push({ type: 'wake', units: added });
  return added;
}

/** Adds `count` units to an application; the first unit of an app without a leader becomes leader. */
export function addUnit(model: Model, app: string, count = 1, o?: OpOptions): Change {
  if (!Number.isInteger(count) || count < 1)
    throw new JujuModelError(
      'bad-argument',
      `cannot add units to ${app}: the count must be a whole number >= 1, got ${count}`,
    );
  const m = clone(model);
  const effects: Effect[] = [];
  addUnitsInPlace(m, app, count, effects, isoNow(o));
  return { model: m, effects };
}

/**
 * Marks a unit dying: it leaves every relation scope (the others run departed) and runs its
 * removal sequence: departed, broken (non-peer), stop, storage-detaching, remove. A unit that
 * never installed and runs nothing is removed at once.
 */
export function removeUnit(model: Model, unit: string, o?: OpOptions): Change {
  const m = clone(model);
  const u = getUnit(m, unit);
  if (u.life !== 'alive') return { model, effects: [] };
  const now = isoNow(o);
  const effects: Effect[] = [];
  u.life = 'dying';
  const woken = new Set<string>([unit]);
  for (const rel of relationsOf(m, u.app)) {
    if (!rel.scope.includes(unit)) continue;
    rel.scope = rel.scope.filter((x) => x !== unit);
    for (const x of rel.scope) woken.add(x);
  }
  for (const s of Object.values(m.storage)) if (s.unit === unit) s.life = 'dying';
  effects.push({
    type: 'log',
    entry: { time: now, unit, hook: '', level: 'INFO', logger: 'juju.model', message: `${unit} is dying` },
  });
  if (!u.installed && u.hookRunning === null) finalizeRemoval(m, unit, effects, now);
  for (const x of unitsOf(m, u.app)) woken.add(x.name);
  effects.push({ type: 'wake', units: [...woken].filter((x) => m.units[x]) });
  return { model: m, effects };
}
