/**
 * The bridge between the harness's one-unit {@link ModelState} and `@charms/juju-model`'s Model: the
 * harness builds a model from the state, runs the shared hook-tool functions on it (the very code
 * charm-sim serves over its socket), and folds what they changed back into the state.
 */
import type { App, Change, Charm, HookContext, HookInfo, Model, Relation, Status, Unit } from '@charms/juju-model';
import type { ModelState, RelationState } from './model-state.js';

const SINCE = '1970-01-01T00:00:00.000Z';
/** The model uuid the harness's hook environment names (see hookEnv). */
const MODEL_UUID = '00000000-0000-4000-8000-000000000000';

const status = (s: { status: string; message: string }): Status => ({ ...s, since: SINCE });

function unit(name: string, leader: boolean, relations: Unit['relations'] = {}): Unit {
  const [app = name, number = '0'] = name.split('/');
  return {
    name,
    app,
    number: Number(number),
    life: 'alive',
    address: '',
    generation: 0,
    charmRevision: 0,
    installed: true,
    started: true,
    awaitingPod: false,
    stopped: false,
    hookRunning: null,
    leader,
    leaderSettingsSeen: 0,
    configSeen: 0,
    queue: [],
    failed: null,
    workloadStatus: status({ status: 'unknown', message: '' }),
    agentStatus: status({ status: 'idle', message: '' }),
    statusSetByCharm: false,
    workloadVersion: '',
    ports: [],
    state: {},
    containers: {},
    workloadEvents: [],
    updateStatusDue: false,
    relations,
  };
}

function app(name: string, charm: Charm, leader: string | null): App {
  return {
    name,
    charm,
    charmRevision: 0,
    generation: 0,
    config: {},
    configVersion: 0,
    resources: {},
    leader,
    leaderSettings: {},
    leaderSettingsVersion: 0,
    status: null,
    trust: false,
    nextUnit: 0,
    life: 'alive',
  };
}

function charmOf(name: string, config: ModelState['config']): Charm {
  const options: Charm['config'] = {};
  for (const [k, v] of Object.entries(config)) {
    const type =
      typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : 'string';
    options[k] = { type };
  }
  return { source: '', meta: { name }, config: options, actions: {}, manifest: null, version: null };
}

function relation(own: string, unitName: string, r: RelationState): Relation {
  const mine = { app: own, endpoint: r.endpoint, interface: '', role: r.peer ? 'peer' : 'provider' } as const;
  const theirs = { app: r.remoteApp, endpoint: '', interface: '', role: 'requirer' } as const;
  return {
    id: r.id,
    endpoints: r.peer ? [mine] : [mine, theirs],
    life: 'alive',
    scope: [unitName, ...r.remoteUnits],
    unitData: { ...r.remoteUnitsData, [unitName]: { ...r.localUnitData } },
    unitVersions: {},
    appData: r.peer
      ? { [own]: { ...r.localAppData } }
      : { [own]: { ...r.localAppData }, [r.remoteApp]: { ...r.remoteAppData } },
    appVersions: {},
  };
}

/**
 * A juju-model Model and hook context that show the unit exactly what `s` describes; `committedPorts` are
 * the ports opened before the hook (opened-ports does not show the hook's own changes).
 */
export function jujuModelOf(
  s: ModelState,
  hookRelationId?: number,
  committedPorts: readonly string[] = s.openedPorts,
): { model: Model; ctx: HookContext } {
  const own = s.unit.split('/')[0] ?? s.unit;
  const apps: Model['apps'] = { [own]: app(own, charmOf(own, s.config), s.leader ? s.unit : null) };
  const self = apps[own]!;
  for (const [k, v] of Object.entries(s.config)) if (v !== null) self.config[k] = v;
  self.leaderSettings = { ...s.leaderSettings };
  self.status = status(s.appStatus);
  const units: Model['units'] = {};
  const relations: Model['relations'] = {};
  const relStates: Unit['relations'] = {};
  for (const r of s.relations) {
    if (!r.peer && !apps[r.remoteApp]) apps[r.remoteApp] = app(r.remoteApp, charmOf(r.remoteApp, {}), null);
    for (const u of r.remoteUnits) units[u] ??= unit(u, false);
    relations[String(r.id)] = relation(own, s.unit, r);
    const members = Object.fromEntries(r.remoteUnits.map((u) => [u, 0]));
    relStates[String(r.id)] = { created: true, members, appSeen: {}, changedPending: null, broken: false };
  }
  const me = unit(s.unit, s.leader, relStates);
  me.workloadStatus = status(s.unitStatus);
  me.workloadVersion = s.workloadVersion;
  me.ports = [...committedPorts].sort();
  me.state = { ...s.charmState };
  units[s.unit] = me;
  const storage: Model['storage'] = {};
  for (const st of s.storage) {
    const kind = st.kind === 'block' ? 'block' : 'filesystem';
    const name = st.id.split('/')[0] ?? st.id;
    const instance = { id: st.id, name, kind, unit: s.unit, location: st.location } as const;
    storage[st.id] = { ...instance, attached: true, life: 'alive', hostPath: null };
  }
  const model: Model = {
    version: 1,
    name: 'test-model',
    uuid: MODEL_UUID,
    jujuVersion: '3.6.8',
    subnet: 1,
    secretTimeScale: 1,
    counters: { relation: 0, action: 0, storage: 0, address: 0, secret: 0 },
    apps,
    units,
    relations,
    storage,
    secrets: {},
    actions: {},
  };
  return { model, ctx: contextOf(model, s, own, hookRelationId) };
}

function contextOf(model: Model, s: ModelState, own: string, hookRelationId?: number): HookContext {
  const rel = s.relations.find((r) => r.id === hookRelationId);
  const info: HookInfo = rel
    ? {
        kind: 'relation-changed',
        relationId: rel.id,
        endpoint: rel.endpoint,
        remoteApp: rel.remoteApp,
        remoteUnit: '',
        departingUnit: '',
        version: 0,
      }
    : { kind: 'install', fromQueue: false };
  return {
    id: `${s.unit}-harness`,
    unit: s.unit,
    app: own,
    spec: { unit: s.unit, name: info.kind, dispatchPath: `hooks/${info.kind}`, info, env: {} },
    env: {},
    base: model,
    pending: { relations: {}, ports: [], state: [], secrets: [], storageAdd: [] },
    actionFailed: null,
    startedAt: SINCE,
  };
}

/**
 * Folds what a successful tool call changed back into `s`: immediate writes from the new model (status,
 * workload version, leader settings), juju-log lines from its effects, and the buffered writes of
 * `ctx.pending` (relation data, ports, state).
 */
export function foldIntoState(s: ModelState, change: Change, ctx: HookContext): void {
  const after = change.model;
  for (const e of change.effects)
    if (e.type === 'log' && e.entry.logger.endsWith('.juju-log'))
      s.logs.push({ level: e.entry.level, message: e.entry.message });
  const me = after.units[s.unit];
  if (me?.statusSetByCharm) {
    s.unitStatus = { status: me.workloadStatus.status, message: me.workloadStatus.message };
    s.statusHistory.push({ ...s.unitStatus });
  }
  if (me) s.workloadVersion = me.workloadVersion;
  const own = after.apps[ctx.app];
  if (own?.status) s.appStatus = { status: own.status.status, message: own.status.message };
  if (own) s.leaderSettings = { ...own.leaderSettings };
  for (const [id, writes] of Object.entries(ctx.pending.relations)) {
    const r = s.relations.find((x) => String(x.id) === id);
    if (!r) continue;
    apply(r.localUnitData, writes.unit);
    apply(r.localAppData, writes.app);
  }
  for (const { op, port } of ctx.pending.ports) {
    if (op === 'close') s.openedPorts = s.openedPorts.filter((x) => x !== port);
    else if (!s.openedPorts.includes(port)) s.openedPorts.push(port);
  }
  for (const { op, key, value } of ctx.pending.state) {
    if (op === 'delete') delete s.charmState[key];
    else s.charmState[key] = value;
  }
}

function apply(bag: Record<string, string>, writes: Record<string, string>): void {
  for (const [k, v] of Object.entries(writes)) {
    if (v === '') delete bag[k];
    else bag[k] = v;
  }
}
